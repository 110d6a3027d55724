#ifndef RP_CZLIB_SHIM_H
#define RP_CZLIB_SHIM_H

#include <zlib.h>

/// deflateInit2 is a macro Swift cannot import; this wrapper asks for a gzip wrapper
/// (window bits 15 + 16) so the pprof writer gets a `.pb.gz` stream in one pass.
static inline int rp_deflate_init_gzip(z_streamp stream, int level) {
    return deflateInit2(stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
}

/// inflateInit2 with automatic gzip/zlib header detection (window bits 15 + 32), for tests
/// and tools that read a pprof file back.
static inline int rp_inflate_init_gzip(z_streamp stream) {
    return inflateInit2(stream, 15 + 32);
}

#endif
