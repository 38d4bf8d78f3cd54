/*
 * CRC-32 as used by zip, PNG and zlib (IEEE 802.3 polynomial, reflected,
 * init and final xor 0xFFFFFFFF), computed by libdeflate (hardware
 * carry-less multiplication where the CPU has it): every model load checks
 * megabytes. Not a cryptographic hash: it catches corruption, not
 * tampering.
 */
#ifndef SLANT_CRC32_H
#define SLANT_CRC32_H

#include <stddef.h>
#include <stdint.h>

/* Continues a running CRC over data[0..len); start with crc = 0. The result
 * equals zlib's crc32(crc, data, len), so crc32_update(0, "123456789", 9)
 * is 0xCBF43926 (tested). data may be NULL when len is 0. */
uint32_t crc32_update(uint32_t crc, const void *data, size_t len);

#endif
