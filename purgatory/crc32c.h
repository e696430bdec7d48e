/* SPDX-License-Identifier: MIT */
#ifndef WARMBOOT_PURGATORY_CRC32C_H
#define WARMBOOT_PURGATORY_CRC32C_H

/*
 * CRC32C (Castagnoli: reflected polynomial 0x82F63B78, initial value and
 * final XOR 0xFFFFFFFF, as iSCSI, ext4 and SSE4.2's crc32 instruction
 * compute it), and the 4-lane segment check built on it that purgatory
 * does by default (docs/purgatory.md, "The 4-lane CRC32C check").
 *
 * Freestanding, like sha256.c: the same source is built into purgatory,
 * which checks the segments with it, and into the library, which computes
 * the digest at load. Two implementations give identical results: the
 * SSE4.2 crc32 instruction (a general-register instruction: fine in
 * purgatory, which runs without SSE state) and a slicing-by-8 table,
 * which the caller builds at run time (8 KiB, in .bss: no table in the
 * binaries). Needs nothing but <stddef.h> and <stdint.h>.
 */

#include <stddef.h>
#include <stdint.h>

#define WB_CRC32C_LANES         4
#define WB_CRC32C4_DIGEST_SIZE  (4 * WB_CRC32C_LANES)

/* Slicing-by-8 tables: t[0] is the classic byte table. Fill with wb_crc32c_table_init(). */
struct wb_crc32c_table {
        uint32_t t[8][256];
};

/* Fills tab (deterministic: the same bytes every time). */
void wb_crc32c_table_init(struct wb_crc32c_table *tab);

/* 1 when this CPU has the SSE4.2 crc32 instruction (CPUID.01H:ECX bit 20), else 0. */
int wb_crc32c_cpu_has_insn(void);

/*
 * Raw CRC32C update, no pre- or post-inversion: crc is the running
 * register. The CRC32C of a message is
 * ~wb_crc32c_update(tab, 0xFFFFFFFF, msg, len). tab NULL: use the crc32
 * instruction (only when wb_crc32c_cpu_has_insn()).
 */
uint32_t wb_crc32c_update(const struct wb_crc32c_table *tab, uint32_t crc, const void *data, size_t len);

/* CRC32C of len bytes at data ("123456789" gives 0xE3069283). */
uint32_t wb_crc32c(const struct wb_crc32c_table *tab, const void *data, size_t len);

/*
 * The 4-lane check: four CRC32C registers over the regions, in order.
 * Within each region, its 8-byte words (little-endian, from the region's
 * first byte) go round-robin to lanes 0, 1, 2, 3, 0, ..., starting at
 * lane 0 in every region; its last len % 8 bytes go to lane 0. Each lane
 * is a CRC32C (initial value 0xFFFFFFFF) of the bytes it was given, in
 * order; the digest is lane i's final value XOR 0xFFFFFFFF, little-endian,
 * at bytes 4i..4i+3.
 */
struct wb_crc32c4 {
        uint32_t lane[WB_CRC32C_LANES];
        const struct wb_crc32c_table *tab;      /* NULL: the crc32 instruction */
};

/* Starts a check; tab as for wb_crc32c_update(). */
void wb_crc32c4_init(struct wb_crc32c4 *c, const struct wb_crc32c_table *tab);

/* Adds one region (any len, including 0). */
void wb_crc32c4_region(struct wb_crc32c4 *c, const void *data, size_t len);

/* The 16-byte digest. */
void wb_crc32c4_final(const struct wb_crc32c4 *c, uint8_t out[WB_CRC32C4_DIGEST_SIZE]);

#endif
