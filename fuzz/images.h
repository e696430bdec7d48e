/* SPDX-License-Identifier: MIT */
#ifndef WB_FUZZ_IMAGES_H
#define WB_FUZZ_IMAGES_H

/*
 * Small synthetic kernel images, for seed corpora (fuzz/mkseeds.c) and
 * the CLI target's fixtures: plain C, no test framework, no sanitizer
 * needed. Each returns malloc'd bytes and their length, or NULL.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct img_bzimage {
        uint16_t version;       /* boot protocol, e.g. 0x020f */
        uint8_t setup_sects;    /* as stored: 0 means 4 */
        uint32_t syssize;       /* 16-byte units */
        uint8_t loadflags;
        uint16_t xloadflags;
        uint8_t relocatable;
        uint32_t kernel_alignment;
        uint64_t pref_address;
        uint32_t init_size;
        uint32_t cmdline_size;
        uint32_t payload_offset;
        uint32_t payload_length;
};

/* A modern relocatable 2.15 x86_64 image with a 1 KiB kernel. */
void img_bzimage_default(struct img_bzimage *spec);
uint8_t *img_bzimage(const struct img_bzimage *spec, size_t *ret_len);

struct img_elf_segment {
        uint32_t type;          /* PT_LOAD is 1 */
        uint64_t vaddr, paddr;
        uint64_t filesz, memsz; /* filesz bytes of the file follow the headers */
};

/* An x86_64 ET_EXEC with these program headers; each segment's bytes follow the headers. */
uint8_t *img_elf(const struct img_elf_segment *segs, size_t n, uint64_t entry, size_t *ret_len);

#endif
