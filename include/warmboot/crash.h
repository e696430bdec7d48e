/* SPDX-License-Identifier: MIT */
#ifndef WARMBOOT_CRASH_H
#define WARMBOOT_CRASH_H

#include <stddef.h>
#include <stdint.h>

#include <warmboot/memmap.h>

struct wb_ctx;
struct wb_diag;

/* Most CPUs whose crash notes we describe; the kernel's NR_CPUS is far above real machines. */
#define WB_CRASH_MAX_CPUS 8192

/* Where a capture kernel's ELF core header is placed: a page, as ELF_CORE_HEADER_ALIGN. */
#define WB_CRASH_ELFCOREHDR_ALIGN 4096

/* One note the crashed kernel will have written: a CPU's registers, or vmcoreinfo. */
struct wb_crash_note {
        uint64_t addr;          /* physical */
        uint64_t size;
};

/*
 * What a capture kernel's ELF core header describes, as the running
 * kernel tells it: its RAM, the crashkernel= reservation, the notes it
 * fills in at panic, and the virtual addresses tools need.
 */
struct wb_crash_info {
        uint64_t crash_start, crash_end;        /* the reservation, [start, end) */
        struct wb_memmap ram;                   /* top-level "System RAM" of /proc/iomem */
        size_t nr_cpus;
        struct wb_crash_note cpu_notes[WB_CRASH_MAX_CPUS];
        struct wb_crash_note vmcoreinfo;
        uint64_t page_offset;                   /* virtual address of physical 0 in the direct map */
        /* The kernel image mapping (_text to _end); size 0 when unknown. */
        uint64_t text_vaddr, text_paddr, text_size;
};

/*
 * Reads the crash information of the running kernel under ctx->root:
 * /proc/iomem (RAM, "Crash kernel"), /sys/devices/system/cpu/cpuN/
 * crash_notes and crash_notes_size, /sys/kernel/vmcoreinfo, and the
 * program headers of /proc/kcore for the direct map's offset and the
 * kernel text mapping (a KASLR kernel moves both; without kcore the
 * x86_64 defaults are used and the text mapping is left out).
 * Returns 0 and *ret_info (free() it), or a negative errno with diag
 * filled: -EADDRNOTAVAIL when nothing is reserved.
 */
int wb_crash_info_read(const struct wb_ctx *ctx, struct wb_crash_info **ret_info, struct wb_diag *diag);

/*
 * Builds the ELF64 core header (elfcorehdr) for info, as the kernel's
 * crash_prepare_elf64_headers() does: a PT_NOTE per CPU and one for
 * vmcoreinfo, a PT_LOAD for the kernel text when known, and a PT_LOAD
 * per RAM range outside the first MiB and the reservation. Pure.
 * Returns 0 and *ret_buf (malloc'd, *ret_size bytes), -E2BIG when there
 * are more program headers than ELF can count, or -ENOMEM.
 */
int wb_crash_elfcorehdr(const struct wb_crash_info *info, uint8_t **ret_buf, size_t *ret_size);

/*
 * The memory map a capture kernel is told (crash_setup_memmap_entries()):
 * the RAM of the first MiB, the firmware's ACPI, NVS and reserved ranges,
 * and the reservation as RAM but for [hdr_start, hdr_end), where the ELF
 * core header waits to be read. Pure. Returns 0 and fills *ret_map, or
 * -E2BIG.
 */
int wb_crash_memmap(const struct wb_memmap *firmware, const struct wb_crash_info *info,
                    uint64_t hdr_start, uint64_t hdr_end, struct wb_memmap *ret_map);

#endif
