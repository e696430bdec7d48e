/* SPDX-License-Identifier: MIT */
#ifndef WARMBOOT_PLAN_H
#define WARMBOOT_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <warmboot/sys.h>

struct wb_memmap;

/* KEXEC_SEGMENT_MAX of include/uapi/linux/kexec.h. */
#define WB_PLAN_MAX_SEGMENTS 16

/* kexec_load(2) wants page-aligned segment addresses and sizes (sanity_check_segment_list()). */
#define WB_PAGE_SIZE UINT64_C(4096)

/*
 * Where one segment may go. The whole of [addr, addr + memsz) must be in
 * one RAM range of the memory map, inside [min, max), and clear of the
 * segments already placed.
 */
struct wb_place_request {
        const char *name;       /* "kernel", "initrd", ...: for messages */
        const void *buf;        /* bytes copied to the start of the segment */
        uint64_t bufsz;
        uint64_t memsz;         /* at least bufsz; rounded up to pages */
        uint64_t align;         /* a power of two; below a page means a page */
        uint64_t min;
        uint64_t max;           /* 0: no limit */
        bool top_down;          /* the highest place that fits, else the lowest */
};

/* The segments of a kexec_load(2) call and the address it enters. */
struct wb_plan {
        size_t n;
        struct wb_segment segments[WB_PLAN_MAX_SEGMENTS];
        const char *names[WB_PLAN_MAX_SEGMENTS];
        uint64_t entry;
};

/*
 * Finds a place for req in the RAM of map and appends it to plan. Pure:
 * no system state is read. Returns 0 and *ret_addr (may be NULL), -ENOMEM
 * when nothing fits, -E2BIG when the plan is full, -EINVAL for a bad
 * request (alignment not a power of two, bufsz above memsz, sizes that
 * overflow).
 */
int wb_plan_add(struct wb_plan *plan, const struct wb_memmap *map,
                const struct wb_place_request *req, uint64_t *ret_addr);

/* Sum of the segments' memsz. */
uint64_t wb_plan_memsz(const struct wb_plan *plan);

#endif
