/* SPDX-License-Identifier: MIT */
#ifndef WARMBOOT_MEMMAP_H
#define WARMBOOT_MEMMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct wb_ctx;
struct wb_diag;

/* Most ranges we keep: real firmware maps have tens. */
#define WB_MEMMAP_MAX 1024

/*
 * Memory types, numbered as the x86 e820 types are
 * (arch/x86/include/asm/e820/types.h), so that they go into boot_params as they are.
 */
enum wb_mem_type {
        WB_MEM_RAM = 1,
        WB_MEM_RESERVED = 2,
        WB_MEM_ACPI = 3,
        WB_MEM_NVS = 4,
        WB_MEM_UNUSABLE = 5,
        WB_MEM_PMEM = 7,
        WB_MEM_PRAM = 12,
        WB_MEM_SOFT_RESERVED = 0xefffffff,
};

/* A physical range [start, end). */
struct wb_mem_range {
        uint64_t start;
        uint64_t end;
        enum wb_mem_type type;
};

/*
 * The machine's physical memory map, sorted by start, ranges not
 * overlapping. crash_start/crash_end give the crashkernel= reservation
 * ("Crash kernel" in /proc/iomem) when the map came from there and has
 * one; both are 0 otherwise.
 */
struct wb_memmap {
        size_t n;
        struct wb_mem_range ranges[WB_MEMMAP_MAX];
        uint64_t crash_start, crash_end;
};

/*
 * Reads the firmware's memory map: /sys/firmware/memmap (the map the
 * firmware handed the running kernel, before it changed anything) when
 * present, else the top level of /proc/iomem, both under ctx->root, plus
 * the "Crash kernel" range of /proc/iomem when there is one. Returns 0
 * and *ret_map (free() it), or a negative errno with diag filled.
 */
int wb_memmap_read(const struct wb_ctx *ctx, struct wb_memmap **ret_map, struct wb_diag *diag);

/*
 * Parses /proc/iomem text: top-level lines only ("start-end : name",
 * hex, inclusive end) become ranges; "System RAM" is RAM, "Reserved" and
 * unknown names reserved, "ACPI Tables"/"ACPI Non-volatile Storage" their
 * types, bus windows and devices are dropped; a nested "Crash kernel"
 * line sets crash_start/crash_end. Returns 0, -EINVAL on a malformed
 * line, -E2BIG past WB_MEMMAP_MAX ranges, -EPERM when every address
 * reads 0 (an unprivileged reader sees zeros).
 */
int wb_memmap_parse_iomem(const char *text, struct wb_memmap *ret_map);

/*
 * The e820 type for a firmware memmap or iomem type name ("System RAM",
 * "ACPI Tables", ...). Unknown names are WB_MEM_RESERVED, the safe choice.
 */
enum wb_mem_type wb_mem_type_from_name(const char *name);

/* Short name for a type, e.g. "RAM". */
const char *wb_mem_type_name(enum wb_mem_type type);

/*
 * Adds [start, end) of type to map, keeping it sorted; ranges must not
 * overlap existing ones. Returns 0, -EINVAL (empty or overlapping) or -E2BIG.
 */
int wb_memmap_add(struct wb_memmap *map, uint64_t start, uint64_t end, enum wb_mem_type type);

/* True when [start, end) lies inside a single range of type RAM. */
bool wb_memmap_is_ram(const struct wb_memmap *map, uint64_t start, uint64_t end);

#endif
