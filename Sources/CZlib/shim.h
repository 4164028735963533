#ifndef SALESYNC_CZLIB_SHIM_H
#define SALESYNC_CZLIB_SHIM_H
#include <zlib.h>
/* deflateInit2 / inflateInit2 are macros that pass the library version and struct size. */
static inline int salesync_deflateInit2(z_streamp strm, int level, int windowBits, int memLevel) {
    return deflateInit2(strm, level, Z_DEFLATED, windowBits, memLevel, Z_DEFAULT_STRATEGY);
}
static inline int salesync_inflateInit2(z_streamp strm, int windowBits) {
    return inflateInit2(strm, windowBits);
}
#endif
