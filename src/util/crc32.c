/* CRC-32 (util/crc32.h) by zlib's crc32(), whose length is a uInt: long
 * buffers go in 1 GiB pieces. */
#include <zlib.h>
#include "util/crc32.h"

uint32_t crc32_update(uint32_t crc, const void *data, size_t len) {
    const unsigned char *p = data;
    uLong c = crc;
    while (len > 0) {
        uInt n = len > ((size_t)1 << 30) ? (uInt)1 << 30 : (uInt)len;
        c = crc32(c, p, n);
        p += n;
        len -= n;
    }
    return (uint32_t)c;
}
