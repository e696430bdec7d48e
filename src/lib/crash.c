// SPDX-License-Identifier: MIT
/*
 * What a capture (kdump) kernel loaded with kexec_load needs from us: the
 * ELF core header describing the crashed kernel's memory and notes, and a
 * memory map confined to the crashkernel= reservation. The layout follows
 * the kernel's own kexec_file_load path (kernel/crash_core.c
 * crash_prepare_elf64_headers(), arch/x86/kernel/crash.c), so that
 * /proc/vmcore looks the same whichever syscall loaded the capture kernel.
 */

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <warmboot/crash.h>
#include <warmboot/ctx.h>
#include <warmboot/error.h>

#include "util.h"

/* ELF64 (System V gABI, <elf.h>), written by offset. */
#define ELF64_EHDR_SIZE         64u
#define ELF64_PHDR_SIZE         56u
#define ET_CORE                 4
#define EM_X86_64               62
#define EV_CURRENT              1
#define PT_LOAD                 1
#define PT_NOTE                 4
#define PF_X                    1
#define PF_W                    2
#define PF_R                    4
#define PN_XNUM                 0xffffu         /* e_phnum cannot count this many */

/* The first MiB is reserved by x86 kernels since 5.x and never part of the dump. */
#define LOW_1M                  UINT64_C(0x100000)

/* x86_64 defaults when /proc/kcore cannot be read (arch/x86/include/asm/page_64_types.h). */
#define X86_64_PAGE_OFFSET      UINT64_C(0xffff888000000000)    /* __PAGE_OFFSET_BASE_L4 */
#define X86_64_START_KERNEL_MAP UINT64_C(0xffffffff80000000)    /* __START_KERNEL_map */

/* How much of /proc/kcore we read: its ELF and program headers. */
#define KCORE_HEAD_MAX          (64u << 10)

/* Finds the direct map offset and the kernel text mapping in /proc/kcore's program headers. */
static void read_kcore(const struct wb_ctx *ctx, struct wb_crash_info *info)
{
        uint8_t *head = malloc(KCORE_HEAD_MAX);
        size_t len = 0;
        uint64_t phoff;
        uint16_t phnum, phentsize;

        info->page_offset = X86_64_PAGE_OFFSET;
        if (!head || wb_read_prefix(ctx, "/proc/kcore", head, KCORE_HEAD_MAX, &len) < 0 ||
            len < ELF64_EHDR_SIZE || memcmp(head, "\177ELF\2\1", 6) != 0) {
                wb_debug(ctx, "no /proc/kcore: assuming page_offset 0x%llx, no kernel text mapping",
                         (unsigned long long)info->page_offset);
                free(head);
                return;
        }
        phoff = wb_le64(head + 32);
        phentsize = wb_le16(head + 54);
        phnum = wb_le16(head + 56);
        for (uint16_t i = 0; phentsize == ELF64_PHDR_SIZE && i < phnum; i++) {
                const uint8_t *ph;
                uint64_t vaddr, paddr, memsz;

                if (phoff > len || (len - phoff) / ELF64_PHDR_SIZE <= i)
                        break;
                ph = head + phoff + (uint64_t)i * ELF64_PHDR_SIZE;
                if (wb_le32(ph) != PT_LOAD)
                        continue;
                vaddr = wb_le64(ph + 16);
                paddr = wb_le64(ph + 24);
                memsz = wb_le64(ph + 40);
                /* kcore leaves p_paddr at -1 for what is not RAM or text (vmalloc, modules). */
                if (paddr == UINT64_MAX)
                        continue;
                if (vaddr >= X86_64_START_KERNEL_MAP) {
                        info->text_vaddr = vaddr;
                        info->text_paddr = paddr;
                        info->text_size = memsz;
                } else if (vaddr >= paddr) {
                        info->page_offset = vaddr - paddr;
                }
        }
        wb_debug(ctx, "kcore: page_offset 0x%llx, kernel text 0x%llx at 0x%llx, %llu bytes",
                 (unsigned long long)info->page_offset, (unsigned long long)info->text_vaddr,
                 (unsigned long long)info->text_paddr, (unsigned long long)info->text_size);
        free(head);
}

static int cmp_cpu(const void *a, const void *b)
{
        long x = *(const long *)a, y = *(const long *)b;

        return (x > y) - (x < y);
}

/* The crash notes of every CPU that has them, in CPU order. */
static int read_cpu_notes(const struct wb_ctx *ctx, struct wb_crash_info *info, struct wb_diag *diag)
{
        static const char cpus[] = "/sys/devices/system/cpu";
        char dir[4096];
        long *ids = NULL;
        size_t n = 0;
        struct dirent *de;
        DIR *d;
        int r = 0;

        r = wb_root_path(ctx, cpus, dir, sizeof(dir));
        if (r < 0)
                return wb_diag_set(diag, r, cpus, "path too long");
        d = opendir(dir);
        if (!d)
                return wb_diag_set(diag, errno, cpus, "cannot list the CPUs: %s", strerror(errno));
        ids = malloc(WB_CRASH_MAX_CPUS * sizeof(*ids));
        if (!ids) {
                closedir(d);
                return wb_diag_set(diag, ENOMEM, cpus, "out of memory");
        }
        while ((de = readdir(d))) {
                char *end;
                long id;

                if (strncmp(de->d_name, "cpu", 3) != 0 || de->d_name[3] < '0' || de->d_name[3] > '9')
                        continue;
                id = strtol(de->d_name + 3, &end, 10);
                if (*end || id < 0)
                        continue;
                if (n == WB_CRASH_MAX_CPUS) {
                        r = wb_diag_set(diag, E2BIG, cpus, "more than %d CPUs", WB_CRASH_MAX_CPUS);
                        goto out;
                }
                ids[n++] = id;
        }
        qsort(ids, n, sizeof(*ids), cmp_cpu);
        for (size_t i = 0; i < n; i++) {
                char path[128], *text;
                uint64_t addr, size;

                snprintf(path, sizeof(path), "%s/cpu%ld/crash_notes", cpus, ids[i]);
                /* The file prints the physical address in hex without 0x (cpu_crash_notes_show()). */
                r = wb_read_text(ctx, path, 64, &text, NULL);
                if (r == -ENOENT) {
                        r = 0;
                        continue;       /* not a CPU the kernel keeps notes for */
                }
                if (r < 0) {
                        r = wb_diag_set(diag, r, path, "cannot read: %s", strerror(-r));
                        goto out;
                }
                addr = strtoull(text, NULL, 16);
                free(text);
                snprintf(path, sizeof(path), "%s/cpu%ld/crash_notes_size", cpus, ids[i]);
                r = wb_read_u64(ctx, path, &size);
                if (r < 0) {
                        r = wb_diag_set(diag, r, path, "cannot read: %s", strerror(-r));
                        goto out;
                }
                info->cpu_notes[info->nr_cpus++] = (struct wb_crash_note) { .addr = addr, .size = size };
        }
        if (info->nr_cpus == 0)
                r = wb_diag_set(diag, ENOENT, cpus, "no CPU has crash notes: the kernel lacks CONFIG_CRASH_DUMP");
out:
        free(ids);
        closedir(d);
        return r;
}

int wb_crash_info_read(const struct wb_ctx *ctx, struct wb_crash_info **ret_info, struct wb_diag *diag)
{
        struct wb_crash_info *info;
        struct wb_memmap *iomem;
        char *text = NULL;
        unsigned long long addr;
        unsigned long size_long = 0;
        char *end = NULL, *end2 = NULL;
        int r;

        info = calloc(1, sizeof(*info));
        iomem = calloc(1, sizeof(*iomem));
        if (!info || !iomem) {
                r = wb_diag_set(diag, ENOMEM, NULL, "out of memory");
                goto fail;
        }
        r = wb_read_text(ctx, "/proc/iomem", 1u << 20, &text, NULL);
        if (r < 0) {
                r = wb_diag_set(diag, r, "/proc/iomem", "cannot read: %s", strerror(-r));
                goto fail;
        }
        r = wb_memmap_parse_iomem(text, iomem);
        free(text);
        text = NULL;
        if (r < 0) {
                r = wb_diag_set(diag, r, "/proc/iomem", r == -EPERM ? "addresses read as zero: needs root" :
                                "cannot parse: %s", strerror(-r));
                goto fail;
        }
        if (iomem->crash_end <= iomem->crash_start) {
                r = wb_diag_set(diag, EADDRNOTAVAIL, "/proc/iomem",
                                "no \"Crash kernel\" range: boot the running kernel with crashkernel=SIZE");
                goto fail;
        }
        info->crash_start = iomem->crash_start;
        info->crash_end = iomem->crash_end;
        for (size_t i = 0; i < iomem->n; i++)
                if (iomem->ranges[i].type == WB_MEM_RAM)
                        info->ram.ranges[info->ram.n++] = iomem->ranges[i];

        r = read_cpu_notes(ctx, info, diag);
        if (r < 0)
                goto fail;
        /* "%pa %x": the note's physical address, then its size in hex (vmcoreinfo_show()). */
        r = wb_read_text(ctx, "/sys/kernel/vmcoreinfo", 128, &text, NULL);
        if (r < 0) {
                r = wb_diag_set(diag, r, "/sys/kernel/vmcoreinfo", "cannot read: %s", strerror(-r));
                goto fail;
        }
        errno = 0;
        addr = strtoull(text, &end, 16);
        if (!errno && end != text)
                size_long = strtoul(end, &end2, 16);
        if (errno || end == text || end2 == end || size_long > UINT_MAX || !addr || !size_long) {
                r = wb_diag_set(diag, EINVAL, "/sys/kernel/vmcoreinfo", "not \"ADDRESS SIZE\"");
                goto fail;
        }
        info->vmcoreinfo = (struct wb_crash_note) { .addr = addr, .size = (unsigned int)size_long };
        read_kcore(ctx, info);
        free(text);
        free(iomem);
        *ret_info = info;
        return 0;

fail:
        free(text);
        free(iomem);
        free(info);
        return r;
}

/* Appends [s, e) minus [x_start, x_end) to out; false when out is full. */
static bool add_minus(struct wb_memmap *out, uint64_t s, uint64_t e, uint64_t x_start, uint64_t x_end,
                      enum wb_mem_type type)
{
        uint64_t parts[2][2] = { { s, e < x_start ? e : x_start }, { s > x_end ? s : x_end, e } };

        if (x_end <= s || x_start >= e) {
                parts[0][1] = e;
                parts[1][0] = parts[1][1] = 0;
        }
        for (int i = 0; i < 2; i++) {
                if (parts[i][0] >= parts[i][1])
                        continue;
                if (out->n == WB_MEMMAP_MAX)
                        return false;
                out->ranges[out->n++] = (struct wb_mem_range) {
                        .start = parts[i][0], .end = parts[i][1], .type = type,
                };
        }
        return true;
}

static void put_phdr(uint8_t *p, uint32_t type, uint32_t flags, uint64_t offset, uint64_t vaddr,
                     uint64_t paddr, uint64_t size)
{
        wb_put_le32(p, type);
        wb_put_le32(p + 4, flags);
        wb_put_le64(p + 8, offset);
        wb_put_le64(p + 16, vaddr);
        wb_put_le64(p + 24, paddr);
        wb_put_le64(p + 32, size);      /* p_filesz */
        wb_put_le64(p + 40, size);      /* p_memsz */
        wb_put_le64(p + 48, 0);         /* p_align */
}

int wb_crash_elfcorehdr(const struct wb_crash_info *info, uint8_t **ret_buf, size_t *ret_size)
{
        struct wb_memmap *loads;
        size_t nr, size;
        uint8_t *buf, *ph;

        loads = calloc(1, sizeof(*loads));
        if (!loads)
                return -ENOMEM;
        /* RAM outside the first MiB and the reservation, which the capture kernel reuses. */
        for (size_t i = 0; i < info->ram.n; i++) {
                const struct wb_mem_range *r = &info->ram.ranges[i];
                struct wb_memmap tmp = { 0 };

                if (!add_minus(&tmp, r->start, r->end, 0, LOW_1M, WB_MEM_RAM))
                        goto too_big;
                for (size_t j = 0; j < tmp.n; j++)
                        if (!add_minus(loads, tmp.ranges[j].start, tmp.ranges[j].end,
                                       info->crash_start, info->crash_end, WB_MEM_RAM))
                                goto too_big;
        }
        nr = info->nr_cpus + 1 + (info->text_size ? 1 : 0) + loads->n;
        if (nr >= PN_XNUM)
                goto too_big;
        size = ELF64_EHDR_SIZE + nr * ELF64_PHDR_SIZE;
        buf = calloc(1, size);
        if (!buf) {
                free(loads);
                return -ENOMEM;
        }
        memcpy(buf, "\177ELF", 4);
        buf[4] = 2;                             /* ELFCLASS64 */
        buf[5] = 1;                             /* ELFDATA2LSB */
        buf[6] = EV_CURRENT;
        wb_put_le16(buf + 16, ET_CORE);
        wb_put_le16(buf + 18, EM_X86_64);
        wb_put_le32(buf + 20, EV_CURRENT);
        wb_put_le64(buf + 32, ELF64_EHDR_SIZE); /* e_phoff */
        wb_put_le16(buf + 52, ELF64_EHDR_SIZE); /* e_ehsize */
        wb_put_le16(buf + 54, ELF64_PHDR_SIZE);
        wb_put_le16(buf + 56, (uint16_t)nr);

        ph = buf + ELF64_EHDR_SIZE;
        /* Notes: offset and address are the physical address; the capture kernel reads them there. */
        for (size_t i = 0; i < info->nr_cpus; i++, ph += ELF64_PHDR_SIZE)
                put_phdr(ph, PT_NOTE, 0, info->cpu_notes[i].addr, 0, info->cpu_notes[i].addr,
                         info->cpu_notes[i].size);
        put_phdr(ph, PT_NOTE, 0, info->vmcoreinfo.addr, 0, info->vmcoreinfo.addr, info->vmcoreinfo.size);
        ph += ELF64_PHDR_SIZE;
        if (info->text_size) {
                put_phdr(ph, PT_LOAD, PF_R | PF_W | PF_X, info->text_paddr, info->text_vaddr,
                         info->text_paddr, info->text_size);
                ph += ELF64_PHDR_SIZE;
        }
        for (size_t i = 0; i < loads->n; i++, ph += ELF64_PHDR_SIZE) {
                uint64_t s = loads->ranges[i].start;

                put_phdr(ph, PT_LOAD, PF_R | PF_W | PF_X, s, info->page_offset + s, s,
                         loads->ranges[i].end - s);
        }
        free(loads);
        *ret_buf = buf;
        *ret_size = size;
        return 0;

too_big:
        free(loads);
        return -E2BIG;
}

int wb_crash_memmap(const struct wb_memmap *firmware, const struct wb_crash_info *info,
                    uint64_t hdr_start, uint64_t hdr_end, struct wb_memmap *ret_map)
{
        struct wb_memmap *m = calloc(1, sizeof(*m));
        int r = -E2BIG;

        if (!m)
                return -ENOMEM;
        /* The RAM of the first MiB, as the running kernel sees it. */
        for (size_t i = 0; i < info->ram.n; i++) {
                const struct wb_mem_range *ram = &info->ram.ranges[i];

                if (ram->start < LOW_1M &&
                    wb_memmap_add(m, ram->start, ram->end < LOW_1M ? ram->end : LOW_1M, WB_MEM_RAM) < 0)
                        goto out;
        }
        /* Firmware tables and reserved ranges, which the capture kernel must leave alone. */
        for (size_t i = 0; i < firmware->n; i++) {
                const struct wb_mem_range *f = &firmware->ranges[i];

                if (f->type == WB_MEM_RAM || f->start < LOW_1M)
                        continue;
                if (wb_memmap_add(m, f->start, f->end, f->type) < 0)
                        goto out;
        }
        /* The reservation, less the ELF core header the capture kernel reads from there. */
        {
                struct wb_memmap parts = { 0 };

                if (!add_minus(&parts, info->crash_start, info->crash_end, hdr_start, hdr_end, WB_MEM_RAM))
                        goto out;
                for (size_t i = 0; i < parts.n; i++)
                        if (wb_memmap_add(m, parts.ranges[i].start, parts.ranges[i].end, WB_MEM_RAM) < 0)
                                goto out;
        }
        *ret_map = *m;
        r = 0;
out:
        free(m);
        return r;
}
