#ifndef CAMPAIGNWATCH_CZLIB_SHIM_H
#define CAMPAIGNWATCH_CZLIB_SHIM_H

#include <zlib.h>

/* inflateInit2 and deflateInit2 are macros; Swift sees only these typed functions. */
static inline int czlib_inflate_init2(z_stream *stream, int window_bits) {
    return inflateInit2(stream, window_bits);
}

static inline int czlib_deflate_init2(z_stream *stream, int level, int window_bits) {
    return deflateInit2(stream, level, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY);
}

#endif
