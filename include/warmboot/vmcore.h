/* SPDX-License-Identifier: MIT */
#ifndef WARMBOOT_VMCORE_H
#define WARMBOOT_VMCORE_H

#include <stddef.h>
#include <stdint.h>

struct wb_diag;

/*
 * Where a dump's bytes come from: /proc/vmcore or a saved copy through
 * pread, a buffer in tests and fuzzers. read() fills exactly len bytes at
 * off or returns a negative errno (-EIO past the end).
 */
struct wb_vmcore_source {
        int (*read)(void *data, uint64_t off, void *buf, size_t len);
        void *data;
        uint64_t size;
};

/* A dump whose headers and vmcoreinfo have been read; opaque. */
struct wb_vmcore;

/* Most program headers and the largest vmcoreinfo note we accept. */
#define WB_VMCORE_MAX_PHDRS     65535
#define WB_VMCORE_MAX_NOTES     (UINT64_C(16) << 20)

/*
 * Reads the ELF64 core header of a dump, its program headers and the
 * VMCOREINFO note. Every offset and size is checked against the source.
 * Returns 0 and *ret (free with wb_vmcore_free()), or a negative errno
 * with diag saying what is wrong: -ENOEXEC for something that is not an
 * x86_64 ELF core file, -EBADMSG for a damaged one, -ENOENT without
 * VMCOREINFO, -EIO when the source cannot be read.
 */
int wb_vmcore_open(const struct wb_vmcore_source *src, struct wb_vmcore **ret, struct wb_diag *diag);

/* Frees; NULL is fine. */
void wb_vmcore_free(struct wb_vmcore *vmcore);

/* What the dump holds. */
struct wb_vmcore_summary {
        size_t nr_loads;        /* PT_LOAD program headers */
        uint64_t load_bytes;    /* their memory sizes, added up */
        size_t nr_ram_loads;    /* those of RAM, not of the kernel image mapping */
        uint64_t ram_bytes;     /* their sizes: the crashed kernel's RAM in the dump */
        size_t nr_notes;        /* ELF notes */
        const char *osrelease;  /* from vmcoreinfo, or "" */
};

/* Fills *ret from the headers read by wb_vmcore_open(). */
void wb_vmcore_summary(const struct wb_vmcore *vmcore, struct wb_vmcore_summary *ret);

/*
 * The value of a vmcoreinfo line such as "SYMBOL(prb)" (hex) or
 * "OFFSET(printk_info.seq)" (decimal): SYMBOL, KERNELOFFSET and
 * PAGESIZE-like keys as the kernel prints them. Returns 0 and *ret, or
 * -ENOENT.
 */
int wb_vmcore_info_value(const struct wb_vmcore *vmcore, const char *key, uint64_t *ret);

/* Called once per log record, oldest first; a non-zero return stops the walk and is returned. */
typedef int (*wb_vmcore_record_fn)(void *data, uint64_t ts_nsec, const char *text, size_t len);

/*
 * Walks the crashed kernel's printk ring buffer (the lockless one of
 * Linux 5.10 and later, described by vmcoreinfo) and hands each
 * committed record to fn. Returns 0, what fn returned, or a negative
 * errno with diag filled: -ENOENT when vmcoreinfo lacks the ring buffer
 * (an older kernel), -EBADMSG for a damaged one, -EIO.
 */
int wb_vmcore_dmesg(const struct wb_vmcore *vmcore, wb_vmcore_record_fn fn, void *data,
                    struct wb_diag *diag);

#endif
