/* SPDX-License-Identifier: MIT */
#ifndef WARMBOOT_PURGATORY_PARAMS_H
#define WARMBOOT_PURGATORY_PARAMS_H

/*
 * What the loader tells purgatory, shared by both sides: purgatory keeps
 * one initialised struct wb_purgatory_params, named wb_purgatory_params,
 * in its .data, and the loader (src/lib/purgatory.c) overwrites it, found
 * by that symbol name, in its copy of the image before the image goes to
 * the kernel. The layout is fixed: fixed-width fields, explicit padding,
 * no pointers, checked below; both sides are x86_64, so little-endian.
 *
 * This header is included by freestanding purgatory code, by the
 * library and by entry64.S (which sees only the constants).
 */

#define WB_PURGATORY_MAX_REGIONS        16

/* algorithm: how purgatory checks the regions (docs/purgatory.md) */
#define WB_PURGATORY_ALG_SHA256         1       /* SHA-256 of the regions as one message */
#define WB_PURGATORY_ALG_CRC32C_4LANE   2       /* 4 interleaved CRC32C lanes (crc32c.h), 16 bytes */

/* flags */
#define WB_PURGATORY_F_CRC32_INSN       0x1u    /* CRC32C: the loader chose the crc32 instruction */

/* Byte offsets of the fields entry64.S reads. */
#define WB_PURGATORY_PARAMS_ENTRY_RIP   0
#define WB_PURGATORY_PARAMS_ENTRY_RSI   8
#define WB_PURGATORY_PARAMS_ENTRY_RSP   16

/* The selectors of the GDT purgatory loads: Linux's __BOOT_CS and __BOOT_DS. */
#define WB_PURGATORY_BOOT_CS            0x10
#define WB_PURGATORY_BOOT_DS            0x18

#ifndef __ASSEMBLER__

#include <stddef.h>
#include <stdint.h>

/* Bytes at physical address [start, start + len), identity-mapped. */
struct wb_purgatory_region {
        uint64_t start;
        uint64_t len;
};

struct wb_purgatory_params {
        uint64_t entry_rip;             /* where purgatory jumps at the end */
        uint64_t entry_rsi;             /* %rsi then: boot_params for Linux */
        uint64_t entry_rsp;             /* %rsp then; 0: keep purgatory's stack */
        uint32_t verify;                /* 0: skip the check (kexec -i) */
        uint32_t algorithm;             /* WB_PURGATORY_ALG_* */
        uint16_t serial_port;           /* 16550 I/O port for messages; 0: silent */
        uint16_t pad0;
        uint32_t serial_baud;           /* 0: the UART is set up already */
        uint32_t nr_regions;            /* used entries of regions[] */
        uint32_t flags;                 /* WB_PURGATORY_F_* */
        uint8_t digest[32];             /* of the regions, in order (CRC32C: 16 bytes, then zeros) */
        struct wb_purgatory_region regions[WB_PURGATORY_MAX_REGIONS];
};

_Static_assert(sizeof(struct wb_purgatory_region) == 16, "region layout");
_Static_assert(offsetof(struct wb_purgatory_params, entry_rip) == WB_PURGATORY_PARAMS_ENTRY_RIP,
               "entry64.S reads entry_rip there");
_Static_assert(offsetof(struct wb_purgatory_params, entry_rsi) == WB_PURGATORY_PARAMS_ENTRY_RSI,
               "entry64.S reads entry_rsi there");
_Static_assert(offsetof(struct wb_purgatory_params, entry_rsp) == WB_PURGATORY_PARAMS_ENTRY_RSP,
               "entry64.S reads entry_rsp there");
_Static_assert(offsetof(struct wb_purgatory_params, verify) == 24, "params layout");
_Static_assert(offsetof(struct wb_purgatory_params, algorithm) == 28, "params layout");
_Static_assert(offsetof(struct wb_purgatory_params, serial_port) == 32, "params layout");
_Static_assert(offsetof(struct wb_purgatory_params, serial_baud) == 36, "params layout");
_Static_assert(offsetof(struct wb_purgatory_params, nr_regions) == 40, "params layout");
_Static_assert(offsetof(struct wb_purgatory_params, flags) == 44, "params layout");
_Static_assert(offsetof(struct wb_purgatory_params, digest) == 48, "params layout");
_Static_assert(offsetof(struct wb_purgatory_params, regions) == 80, "params layout");
_Static_assert(sizeof(struct wb_purgatory_params) == 80 + 16 * WB_PURGATORY_MAX_REGIONS,
               "params layout");

#endif /* __ASSEMBLER__ */

#endif
