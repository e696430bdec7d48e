/* SPDX-License-Identifier: MIT */
#ifndef WARMBOOT_X86_CLASSIC_H
#define WARMBOOT_X86_CLASSIC_H

#include <stdbool.h>
#include <stdint.h>

struct wb_classic_input;
struct wb_diag;
struct wb_kernel;
struct wb_memmap;
struct wb_place_request;
struct wb_plan;

/*
 * Places req into plan, or explains in diag (naming path) why it does not
 * fit. Returns 0 and *ret_addr, or the negative errno of wb_plan_add().
 */
int wb_x86_place(struct wb_plan *plan, const struct wb_memmap *map,
                 const struct wb_place_request *req, const char *path,
                 uint64_t *ret_addr, struct wb_diag *diag);

/* How the initrd and the zero page of an x86 kernel may be placed. */
struct wb_x86_boot_data_request {
        const struct wb_classic_input *in;
        const char *path;               /* the kernel, for messages */
        const uint8_t *image;           /* bzImage whose setup header to copy, NULL for ELF */
        uint64_t image_size;
        uint64_t initrd_max;            /* the initrd ends at or below this; 0: no limit */
};

/*
 * The part of an x86 kexec_load plan every image format shares: places
 * the initrd and the zero page with the command line after the kernel's
 * own segments (already in kernel->plan), fills the zero page, and sets
 * kernel->entry_rsi. Returns 0 and *ret_params (malloc'd; must outlive
 * the plan, which points into it), or a negative errno with diag filled.
 */
int wb_x86_place_boot_data(struct wb_kernel *kernel, const struct wb_x86_boot_data_request *req,
                           uint8_t **ret_params, struct wb_diag *diag);

#endif
