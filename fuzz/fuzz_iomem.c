// SPDX-License-Identifier: MIT
/*
 * /proc/iomem text: wb_memmap_parse_iomem() must refuse what it cannot
 * read and otherwise give a well-formed map (sorted, non-empty ranges
 * that do not overlap, a sane crash reservation).
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <warmboot/memmap.h>

#include "fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
        (void)argc, (void)argv;
        return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct wb_memmap *map;
        char *text;
        int r;

        text = malloc(size + 1);
        map = malloc(sizeof(*map));
        if (!text || !map)
                abort();
        memcpy(text, data, size);
        text[size] = '\0';
        memset(map, 0xa5, sizeof(*map));        /* nothing may be read before it is written */

        r = wb_memmap_parse_iomem(text, map);
        FUZZ_CHECK(r == 0 || r == -EINVAL || r == -E2BIG || r == -EPERM || r == -ENOMEM);
        if (r == 0) {
                FUZZ_CHECK(map->n <= WB_MEMMAP_MAX);
                for (size_t i = 0; i < map->n; i++) {
                        const struct wb_mem_range *m = &map->ranges[i];

                        FUZZ_CHECK(m->start < m->end);
                        FUZZ_CHECK(i == 0 || map->ranges[i - 1].end <= m->start);
                        FUZZ_CHECK(wb_mem_type_name(m->type)[0] != '?');
                        if (m->type == WB_MEM_RAM)
                                FUZZ_CHECK(wb_memmap_is_ram(map, m->start, m->end));
                }
                FUZZ_CHECK(map->crash_start <= map->crash_end);
                FUZZ_CHECK((map->crash_start == 0 && map->crash_end == 0) ||
                           map->crash_start < map->crash_end);
        }
        free(map);
        free(text);
        return 0;
}
