/* SPDX-License-Identifier: MIT */
#ifndef WARMBOOT_X86_BOOTPARAMS_H
#define WARMBOOT_X86_BOOTPARAMS_H

#include <stdint.h>

struct wb_memmap;

/* Everything the zero page of a new kernel is made from. */
struct wb_x86_boot_params_request {
        /* The setup header to copy: a bzImage's (NULL for an ELF vmlinux: a minimal one is made). */
        const uint8_t *image;
        uint64_t image_size;
        /* The running kernel's /sys/kernel/boot_params/data, or NULL. */
        const uint8_t *running;
        uint64_t running_size;
        const struct wb_memmap *memmap;
        uint64_t params_addr;           /* physical address of the zero page */
        uint64_t cmdline_offset;        /* of the command line, from params_addr */
        const char *cmdline;
        uint64_t initrd_addr;
        uint64_t initrd_size;           /* 0: no initrd */
        uint64_t acpi_rsdp;             /* used when the running boot_params has none; 0: none */
};

/*
 * Writes the zero page followed by the command line into buf, which holds
 * size bytes (at least cmdline_offset + strlen(cmdline) + 1). Pure.
 * Returns 0, -ENOBUFS when buf is too small, -E2BIG when the memory map
 * has more RAM-relevant ranges than the zero page's 128 e820 slots,
 * -ENOEXEC when the image's setup header is shorter than it claims.
 */
int wb_x86_boot_params_build(const struct wb_x86_boot_params_request *req, uint8_t *buf, uint64_t size);

#endif
