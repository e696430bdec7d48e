/* SPDX-License-Identifier: MIT */
#ifndef WARMBOOT_PURGATORY_H
#define WARMBOOT_PURGATORY_H

/*
 * The purgatory of the kexec_load(2) path: a small x86_64 ELF blob
 * (purgatory/, built into the library) that the old kernel jumps to at
 * "kexec -e". It checks the segments (4-lane CRC32C by default, or
 * SHA-256) and enters the new kernel (docs/purgatory.md). This is the
 * host side: read the blob once (wb_purgatory_open), then produce the
 * bytes of its segment for a given load address and parameters
 * (wb_purgatory_place).
 */

#include <stddef.h>
#include <stdint.h>

#include <purgatory/params.h>

struct wb_segment;

/* The blob built from purgatory/ (src/lib/purgatory_blob.S). */
extern const uint8_t wb_purgatory_elf[];
extern const uint8_t wb_purgatory_elf_end[];

/* Largest image (with its .bss) we accept: the real one is about 20 KiB. */
#define WB_PURGATORY_MAX_SIZE (UINT64_C(1) << 20)

/* A parsed purgatory; opaque. */
struct wb_purgatory;

/*
 * Parses and checks the purgatory ELF in [elf, elf + len): an x86_64
 * ET_EXEC linked at 0, kept with its relocations (ld -q), with a
 * wb_purgatory_params object of exactly sizeof(struct wb_purgatory_params)
 * bytes in a file-backed section, and an entry point (the purgatory_start
 * symbol, else e_entry) in executable code. Every offset and size is
 * checked, as for untrusted bytes; each relocation is checked against the
 * bytes the linker wrote. The bytes are copied: elf may go away after.
 * Returns 0 and *ret, -ENOEXEC for anything malformed or unsupported
 * (including a relocation type other than R_X86_64_{64,32,32S,PC32,PLT32,PC64}),
 * or -ENOMEM.
 */
int wb_purgatory_open(const uint8_t *elf, size_t len, struct wb_purgatory **ret);

/* wb_purgatory_open() on the blob built into the library. Same returns. */
int wb_purgatory_open_embedded(struct wb_purgatory **ret);

/* Frees; NULL is fine. */
void wb_purgatory_free(struct wb_purgatory *p);

/*
 * Bytes of the image that come from the file (the segment's bufsz): the
 * rest of memsz is .bss, which the kernel zero-fills.
 */
uint64_t wb_purgatory_bufsz(const struct wb_purgatory *p);

/* Bytes the image occupies in memory, .bss (and purgatory's stack) included. */
uint64_t wb_purgatory_memsz(const struct wb_purgatory *p);

/* Alignment the load address needs (a power of two; the largest section alignment). */
uint64_t wb_purgatory_align(const struct wb_purgatory *p);

/* Offset of the entry point from the load address. */
uint64_t wb_purgatory_entry_offset(const struct wb_purgatory *p);

/*
 * Makes the bytes of purgatory's segment for physical address load_addr:
 * a copy of the image with each absolute relocation (R_X86_64_64, _32,
 * _32S) moved by load_addr (PC-relative ones need nothing: both ends
 * move) and params copied over wb_purgatory_params. Fill params with
 * wb_purgatory_set_digest() and the entry fields first.
 *
 * With the 32-bit relocations of -mcmodel=small code, the whole image
 * must lie below 2 GiB.
 *
 * Returns 0 with *ret_buf (malloc'd, wb_purgatory_bufsz() bytes, the
 * caller frees it) and *ret_entry (the physical address to hand to
 * kexec_load as the entry point); -EINVAL when load_addr is not aligned
 * to wb_purgatory_align(); -ERANGE when a relocated value does not fit its
 * field or the image would pass the end of the address space; -ENOMEM.
 * Nothing is written to the outputs on failure.
 */
int wb_purgatory_place(const struct wb_purgatory *p, uint64_t load_addr,
                       const struct wb_purgatory_params *params,
                       uint8_t **ret_buf, uint64_t *ret_entry);

/*
 * Sets params up to check the given segments with algorithm
 * (WB_PURGATORY_ALG_CRC32C_4LANE, the default of kexec -c, or
 * WB_PURGATORY_ALG_SHA256): one region per segment that has bytes,
 * [mem, mem + bufsz) (the zero fill up to memsz is not checked), in the
 * order given, and the digest of those bytes, each hashed once from its
 * buf. Sets verify, algorithm, flags (for CRC32C: whether the crc32
 * instruction was used, wb_purgatory_crc32c_insn()), nr_regions, regions
 * and digest (CRC32C: 16 bytes, the rest zero); leaves the other fields
 * alone. Leave purgatory's own segment out: it holds the digest, and its
 * .bss changes as it runs.
 * Returns 0; -E2BIG when more than WB_PURGATORY_MAX_REGIONS segments have
 * bytes; -EINVAL for an unknown algorithm, or when a segment has bytes
 * but a NULL buf, or its bytes pass the end of the address space. params
 * is untouched on failure.
 */
int wb_purgatory_set_check(struct wb_purgatory_params *params, uint32_t algorithm,
                           const struct wb_segment *segments, size_t nr_segments);

/* wb_purgatory_set_check() with WB_PURGATORY_ALG_SHA256. */
int wb_purgatory_set_digest(struct wb_purgatory_params *params,
                            const struct wb_segment *segments, size_t nr_segments);

struct wb_crc32c_table;

/*
 * 1 when CRC32C should be computed with the SSE4.2 crc32 instruction here,
 * 0 with tab (built by wb_crc32c_table_init()): the instruction when the
 * CPU has it and it is faster than the tables (both timed on 64 KiB;
 * emulators may emulate it slowly). Both give the same digest.
 */
int wb_purgatory_crc32c_insn(const struct wb_crc32c_table *tab);

#endif
