// SPDX-License-Identifier: MIT
/*
 * The physical memory map, from /sys/firmware/memmap or /proc/iomem.
 * Both files use inclusive end addresses; everything here is half-open.
 */

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <warmboot/ctx.h>
#include <warmboot/error.h>
#include <warmboot/memmap.h>

#include "util.h"

/* Longest /proc/iomem we read: a few KiB on real machines. */
#define IOMEM_MAX (1u << 20)

static const struct {
        const char *name;
        enum wb_mem_type type;
} type_names[] = {
        /* The strings of e820_type_to_string(), arch/x86/kernel/e820.c. */
        { "System RAM", WB_MEM_RAM },
        { "Reserved", WB_MEM_RESERVED },
        { "ACPI Tables", WB_MEM_ACPI },
        { "ACPI Non-volatile Storage", WB_MEM_NVS },
        { "Unusable memory", WB_MEM_UNUSABLE },
        { "Persistent Memory (legacy)", WB_MEM_PRAM },
        { "Persistent Memory", WB_MEM_PMEM },
        { "Soft Reserved", WB_MEM_SOFT_RESERVED },
};

enum wb_mem_type wb_mem_type_from_name(const char *name)
{
        for (size_t i = 0; i < WB_ARRAY_SIZE(type_names); i++)
                if (strcmp(name, type_names[i].name) == 0)
                        return type_names[i].type;
        return WB_MEM_RESERVED;
}

const char *wb_mem_type_name(enum wb_mem_type type)
{
        switch (type) {
        case WB_MEM_RAM: return "RAM";
        case WB_MEM_RESERVED: return "reserved";
        case WB_MEM_ACPI: return "ACPI";
        case WB_MEM_NVS: return "ACPI NVS";
        case WB_MEM_UNUSABLE: return "unusable";
        case WB_MEM_PMEM: return "persistent";
        case WB_MEM_PRAM: return "persistent (legacy)";
        case WB_MEM_SOFT_RESERVED: return "soft reserved";
        }
        return "?";
}

int wb_memmap_add(struct wb_memmap *map, uint64_t start, uint64_t end, enum wb_mem_type type)
{
        size_t i;

        if (start >= end)
                return -EINVAL;
        if (map->n >= WB_MEMMAP_MAX)
                return -E2BIG;
        for (i = 0; i < map->n && map->ranges[i].start < start; i++)
                ;
        if (i > 0 && map->ranges[i - 1].end > start)
                return -EINVAL;
        if (i < map->n && map->ranges[i].start < end)
                return -EINVAL;
        memmove(&map->ranges[i + 1], &map->ranges[i], (map->n - i) * sizeof(map->ranges[0]));
        map->ranges[i] = (struct wb_mem_range) { .start = start, .end = end, .type = type };
        map->n++;
        return 0;
}

bool wb_memmap_is_ram(const struct wb_memmap *map, uint64_t start, uint64_t end)
{
        for (size_t i = 0; i < map->n; i++)
                if (map->ranges[i].type == WB_MEM_RAM &&
                    map->ranges[i].start <= start && end <= map->ranges[i].end)
                        return true;
        return false;
}

/* Parses "start-end : name" with hex inclusive bounds; returns the name or NULL. */
static const char *parse_iomem_line(const char *line, uint64_t *start, uint64_t *end, int *depth)
{
        unsigned long long s, e;
        const char *p = line;
        char *q;

        *depth = 0;
        while (*p == ' ') {
                p++;
                (*depth)++;
        }
        errno = 0;
        s = strtoull(p, &q, 16);
        if (errno || q == p || *q != '-')
                return NULL;
        p = q + 1;
        e = strtoull(p, &q, 16);
        if (errno || q == p || strncmp(q, " : ", 3) != 0 || e < s)
                return NULL;
        *start = s;
        *end = e;
        return q + 3;
}

/* Calls fn on every line of /proc/iomem text; stops at the first error. */
static int for_each_iomem_line(const char *text,
                               int (*fn)(void *data, const char *name, uint64_t s, uint64_t e, int depth),
                               void *data)
{
        const char *line = text;

        while (*line) {
                const char *nl = strchr(line, '\n');
                size_t len = nl ? (size_t)(nl - line) : strlen(line);

                if (len > 0) {
                        char buf[256];
                        const char *name;
                        uint64_t s, e;
                        int depth, r;

                        if (len >= sizeof(buf))
                                return -EINVAL;
                        memcpy(buf, line, len);
                        buf[len] = '\0';
                        name = parse_iomem_line(buf, &s, &e, &depth);
                        if (!name)
                                return -EINVAL;
                        r = fn(data, name, s, e, depth);
                        if (r < 0)
                                return r;
                }
                line += len + (nl ? 1 : 0);
        }
        return 0;
}

struct zero_scan {
        bool any, nonzero;
};

static int scan_zero(void *data, const char *name, uint64_t s, uint64_t e, int depth)
{
        struct zero_scan *z = data;

        (void)name;
        (void)depth;
        z->any = true;
        if (s || e)
                z->nonzero = true;
        return 0;
}

static int add_iomem_line(void *data, const char *name, uint64_t s, uint64_t e, int depth)
{
        struct wb_memmap *map = data;

        if (depth > 0) {
                /* Nested lines only matter for the crashkernel= reservation. */
                if (strcmp(name, "Crash kernel") == 0 && e < UINT64_MAX) {
                        map->crash_start = s;
                        map->crash_end = e + 1;
                }
                return 0;
        }
        /* Bus windows, ROMs and devices are not memory the kernel may use or must know. */
        if (strcmp(name, "System RAM") != 0 && strcmp(name, "Reserved") != 0 &&
            strncmp(name, "ACPI ", 5) != 0 && strncmp(name, "Persistent Memory", 17) != 0 &&
            strcmp(name, "Unusable memory") != 0 && strcmp(name, "Soft Reserved") != 0)
                return 0;
        if (e == UINT64_MAX)
                return -EINVAL;
        return wb_memmap_add(map, s, e + 1, wb_mem_type_from_name(name));
}

int wb_memmap_parse_iomem(const char *text, struct wb_memmap *ret_map)
{
        struct zero_scan z = { 0 };
        struct wb_memmap *map;
        int r;

        /* First the whole text: its syntax, and whether it was read without privilege. */
        r = for_each_iomem_line(text, scan_zero, &z);
        if (r < 0)
                return r;
        if (z.any && !z.nonzero)
                return -EPERM;
        map = calloc(1, sizeof(*map));
        if (!map)
                return -ENOMEM;
        r = for_each_iomem_line(text, add_iomem_line, map);
        if (r == 0)
                *ret_map = *map;
        free(map);
        return r;
}

static int read_firmware_memmap(const struct wb_ctx *ctx, struct wb_memmap *map)
{
        char dir[4096];
        struct dirent *de;
        DIR *d;
        int r = 0;

        r = wb_root_path(ctx, "/sys/firmware/memmap", dir, sizeof(dir));
        if (r < 0)
                return r;
        d = opendir(dir);
        if (!d)
                return -errno;
        while ((de = readdir(d))) {
                char path[256], *type;
                uint64_t start, last;

                if (de->d_name[0] == '.')
                        continue;
                snprintf(path, sizeof(path), "/sys/firmware/memmap/%.64s/start", de->d_name);
                r = wb_read_u64(ctx, path, &start);
                if (r < 0)
                        break;
                snprintf(path, sizeof(path), "/sys/firmware/memmap/%.64s/end", de->d_name);
                r = wb_read_u64(ctx, path, &last);
                if (r < 0)
                        break;
                snprintf(path, sizeof(path), "/sys/firmware/memmap/%.64s/type", de->d_name);
                r = wb_read_text(ctx, path, 128, &type, NULL);
                if (r < 0)
                        break;
                type[strcspn(type, "\n")] = '\0';
                r = last == UINT64_MAX ? -EINVAL :
                        wb_memmap_add(map, start, last + 1, wb_mem_type_from_name(type));
                free(type);
                if (r < 0)
                        break;
        }
        closedir(d);
        if (r == 0 && map->n == 0)
                r = -ENOENT;
        return r;
}

int wb_memmap_read(const struct wb_ctx *ctx, struct wb_memmap **ret_map, struct wb_diag *diag)
{
        struct wb_memmap *map, *iomap = NULL;
        char *iomem = NULL;
        int r, rio;

        map = calloc(1, sizeof(*map));
        iomap = calloc(1, sizeof(*iomap));
        if (!map || !iomap) {
                r = wb_diag_set(diag, ENOMEM, NULL, "out of memory");
                goto fail;
        }
        rio = wb_read_text(ctx, "/proc/iomem", IOMEM_MAX, &iomem, NULL);
        if (rio == 0)
                rio = wb_memmap_parse_iomem(iomem, iomap);
        r = read_firmware_memmap(ctx, map);
        if (r == 0) {
                wb_debug(ctx, "memory map: /sys/firmware/memmap, %zu ranges", map->n);
        } else if (rio == 0) {
                wb_debug(ctx, "memory map: /proc/iomem, %zu ranges (no /sys/firmware/memmap: %s)",
                         iomap->n, strerror(-r));
                *map = *iomap;
        } else if (rio == -EPERM) {
                r = wb_diag_set(diag, EPERM, "/proc/iomem", "addresses read as zero: reading the memory map needs root");
                goto fail;
        } else {
                r = wb_diag_set(diag, rio, "/proc/iomem", "cannot read the memory map: %s", strerror(-rio));
                goto fail;
        }
        if (rio == 0) {
                map->crash_start = iomap->crash_start;
                map->crash_end = iomap->crash_end;
        }
        for (size_t i = 0; i < map->n; i++)
                wb_debug(ctx, "  [0x%016llx, 0x%016llx) %s",
                         (unsigned long long)map->ranges[i].start,
                         (unsigned long long)map->ranges[i].end,
                         wb_mem_type_name(map->ranges[i].type));
        free(iomem);
        free(iomap);
        *ret_map = map;
        return 0;

fail:
        free(iomem);
        free(iomap);
        free(map);
        return r;
}
