#ifndef CAMPAIGNWATCH_CLINUX_SHIM_H
#define CAMPAIGNWATCH_CLINUX_SHIM_H

/* Linux interfaces Glibc's Swift module leaves out: epoll and eventfd, used by the libcurl
   socket driver and the loopback HTTP server; inotify and Unix datagram addresses, used by the
   daemon (configuration watch, systemd's notify socket). */
#include <errno.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <stddef.h>
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

/* Fills `address` for a Unix socket path; a leading '@' names an abstract socket (the '@' becomes
   a NUL byte and the length counts exactly the name, as systemd's NOTIFY_SOCKET uses it).
   Returns the address length, or 0 with errno = ENAMETOOLONG / EINVAL. */
static inline socklen_t clinux_unix_address(struct sockaddr_un *address, const char *path, size_t length) {
    memset(address, 0, sizeof(*address));
    address->sun_family = AF_UNIX;
    if (length == 0) { errno = EINVAL; return 0; }
    if (length >= sizeof(address->sun_path)) { errno = ENAMETOOLONG; return 0; }
    memcpy(address->sun_path, path, length);
    if (path[0] == '@') {
        address->sun_path[0] = '\0';
        return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + length);
    }
    return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + length + 1);
}

/* sendto(2) of one datagram to the Unix socket `path` (see clinux_unix_address). */
static inline ssize_t clinux_send_unix_datagram(int fd, const char *path, size_t path_length, const void *bytes, size_t count) {
    struct sockaddr_un address;
    socklen_t length = clinux_unix_address(&address, path, path_length);
    if (length == 0) return -1;
    return sendto(fd, bytes, count, MSG_NOSIGNAL, (const struct sockaddr *)&address, length);
}

#endif
