#ifndef CAMPAIGNWATCH_CLINUX_SHIM_H
#define CAMPAIGNWATCH_CLINUX_SHIM_H

/* Linux interfaces Glibc's Swift module leaves out: epoll and eventfd, used by the libcurl
   socket driver and the loopback HTTP server. */
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

/* epoll_data is a union; these spare Swift from modelling it. */
static inline struct epoll_event clinux_epoll_event(uint32_t events, uint64_t data) {
    struct epoll_event event;
    event.events = events;
    event.data.u64 = data;
    return event;
}

static inline uint64_t clinux_epoll_event_data(const struct epoll_event *event) { return event->data.u64; }
static inline uint32_t clinux_epoll_event_events(const struct epoll_event *event) { return event->events; }

#endif
