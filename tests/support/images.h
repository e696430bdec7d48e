/* SPDX-License-Identifier: MIT */
#ifndef WB_TEST_IMAGES_H
#define WB_TEST_IMAGES_H

/*
 * Small synthetic kernel images, shared by the unit tests
 * (tests/unit/fixtures.c), the seed corpora (fuzz/mkseeds.c) and the CLI
 * target's fixtures (fuzz/fuzz_cli.c), so that each image is built by one
 * piece of code. Plain C: no test framework, no sanitizer needed, no
 * state. Each returns malloc'd bytes and their length, or NULL when out
 * of memory; the callers decide what that means.
 */

#include <stddef.h>
#include <stdint.h>

/*
 * A bzImage: a real-mode setup header per Documentation/arch/x86/boot.rst
 * in a setup area of (setup_sects + 1) sectors, then syssize * 16 bytes of
 * "protected-mode kernel".
 */
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
        uint16_t boot_flag;     /* 0xaa55 */
        const char *magic;      /* "HdrS": 4 bytes are copied */
};

/*
 * A 2.15 image as a modern x86_64 kernel has: relocatable, LOADED_HIGH,
 * XLF_KERNEL_64 | XLF_CAN_BE_LOADED_ABOVE_4G, cmdline_size 2047, two
 * setup sectors and a 1 KiB kernel holding its payload.
 */
void img_bzimage_default(struct img_bzimage *spec);

/* The image bytes and their length; a NULL spec means the default. */
uint8_t *img_bzimage(const struct img_bzimage *spec, size_t *ret_len);

struct img_elf_segment {
        uint32_t type;          /* PT_LOAD is 1 */
        uint64_t vaddr, paddr;
        uint64_t filesz, memsz; /* filesz bytes of the file follow the headers */
};

/* An x86_64 ET_EXEC with these program headers; each segment's bytes follow the headers. */
uint8_t *img_elf(const struct img_elf_segment *segs, size_t n, uint64_t entry, size_t *ret_len);

#endif
