// SPDX-License-Identifier: MIT
/*
 * The kexec_load planner, wb_plan_add(), on fuzzed memory maps and
 * requests. Whatever it places must honour the request (inside
 * [min, max), aligned, in one RAM range, clear of the segments placed
 * before, top-down or bottom-up as asked); what it refuses it must refuse
 * with one of its documented errors.
 *
 * Input: a map (count, then address/length/type triples, added with
 * wb_memmap_add(), which keeps it sorted and non-overlapping), then
 * requests until the input ends.
 */

#include <errno.h>
#include <string.h>

#include <warmboot/memmap.h>
#include <warmboot/plan.h>

#include "fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
        (void)argc, (void)argv;
        return 0;
}

static const enum wb_mem_type types[] = {
        WB_MEM_RAM, WB_MEM_RAM, WB_MEM_RAM, WB_MEM_RESERVED, WB_MEM_ACPI, WB_MEM_NVS,
};

static bool is_pow2(uint64_t v)
{
        return v && !(v & (v - 1));
}

/* The RAM range that holds [s, e), or NULL. */
static const struct wb_mem_range *ram_of(const struct wb_memmap *map, uint64_t s, uint64_t e)
{
        for (size_t i = 0; i < map->n; i++)
                if (map->ranges[i].type == WB_MEM_RAM && map->ranges[i].start <= s && e <= map->ranges[i].end)
                        return &map->ranges[i];
        return NULL;
}

static void check_placed(const struct wb_plan *before, const struct wb_plan *plan,
                         const struct wb_memmap *map, const struct wb_place_request *req,
                         uint64_t addr)
{
        uint64_t align = req->align < WB_PAGE_SIZE ? WB_PAGE_SIZE : req->align;
        const struct wb_segment *s = &plan->segments[plan->n - 1];
        uint64_t max = req->max ? req->max : UINT64_MAX;

        FUZZ_CHECK(plan->n == before->n + 1);
        FUZZ_CHECK(memcmp(plan->segments, before->segments, before->n * sizeof(*s)) == 0);
        FUZZ_CHECK(s->mem == addr && addr % align == 0);
        FUZZ_CHECK(s->memsz >= req->memsz && s->memsz - req->memsz < WB_PAGE_SIZE);
        FUZZ_CHECK(s->memsz % WB_PAGE_SIZE == 0);
        FUZZ_CHECK(s->buf == req->buf && s->bufsz == req->bufsz);
        FUZZ_CHECK(addr <= UINT64_MAX - s->memsz);
        FUZZ_CHECK(addr >= req->min && addr + s->memsz <= max);
        FUZZ_CHECK(ram_of(map, addr, addr + s->memsz) != NULL);
        FUZZ_CHECK(plan->names[plan->n - 1] == req->name);
        for (size_t i = 0; i < before->n; i++) {
                const struct wb_segment *o = &before->segments[i];

                FUZZ_CHECK(addr >= o->mem + o->memsz || o->mem >= addr + s->memsz);
        }
}

/*
 * Where a brute-force search over every aligned address puts req: 1 and
 * *ret (the highest fit for top_down, else the lowest), 0 when nothing
 * fits, -1 when there are too many addresses to try.
 */
static int brute_force(const struct wb_plan *plan, const struct wb_memmap *map,
                       const struct wb_place_request *req, uint64_t *ret)
{
        uint64_t align = req->align < WB_PAGE_SIZE ? WB_PAGE_SIZE : req->align;
        uint64_t max = req->max ? req->max : UINT64_MAX, size, tries = 0;
        bool found = false;

        size = (req->memsz + WB_PAGE_SIZE - 1) & ~(WB_PAGE_SIZE - 1);
        for (size_t i = 0; i < map->n; i++) {
                const struct wb_mem_range *r = &map->ranges[i];
                uint64_t lo = r->start > req->min ? r->start : req->min;
                uint64_t hi = r->end < max ? r->end : max, s;

                if (r->type != WB_MEM_RAM || lo >= hi || hi - lo < size)
                        continue;
                if (lo % align && lo > UINT64_MAX - align)
                        continue;
                s = (lo % align) ? lo - lo % align + align : lo;
                if (s > hi - size)
                        continue;
                if (tries >= 1024 || (hi - size - s) / align > 1024 - tries)
                        return -1;
                for (;; s += align) {
                        bool clear = true;

                        tries++;
                        for (size_t j = 0; j < plan->n; j++)
                                if (s < plan->segments[j].mem + plan->segments[j].memsz &&
                                    plan->segments[j].mem < s + size)
                                        clear = false;
                        if (clear && (!found || (req->top_down ? s > *ret : s < *ret))) {
                                *ret = s;
                                found = true;
                        }
                        if (hi - size - s < align)
                                break;
                }
        }
        return found;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct fuzz_input in = { data, size };
        static struct wb_memmap map;
        static struct wb_plan plan, before;
        unsigned int nranges;

        memset(&map, 0, sizeof(map));
        memset(&plan, 0, sizeof(plan));
        nranges = fuzz_u8(&in) % 12;
        for (unsigned int i = 0; i < nranges; i++) {
                uint64_t start = fuzz_addr(&in), len = fuzz_addr(&in);
                enum wb_mem_type type = types[fuzz_u8(&in) % (sizeof(types) / sizeof(types[0]))];

                if (len && start <= UINT64_MAX - len)
                        (void)wb_memmap_add(&map, start, start + len, type);
        }
        while (in.n > 0 && plan.n <= WB_PLAN_MAX_SEGMENTS) {
                uint8_t flags = fuzz_u8(&in);
                struct wb_place_request req = {
                        .name = "segment",
                        .memsz = fuzz_addr(&in),
                        .align = flags & 0x80 ? fuzz_addr(&in) : (uint64_t)1 << (fuzz_u8(&in) % 40),
                        .min = flags & 0x40 ? fuzz_addr(&in) : 0,
                        .max = flags & 0x20 ? fuzz_addr(&in) : 0,
                        .top_down = flags & 1,
                };
                uint64_t addr = 0;
                int r;

                req.bufsz = flags & 2 ? req.memsz : (flags & 4 ? fuzz_addr(&in) : 0);
                /* The planner never reads the bytes; a distinct pointer shows they are carried. */
                req.buf = (const void *)(uintptr_t)(0x1000 + plan.n);
                before = plan;
                r = wb_plan_add(&plan, &map, &req, &addr);
                if (r == 0) {
                        uint64_t best = 0;

                        check_placed(&before, &plan, &map, &req, addr);
                        /* The best place, not merely a place. */
                        if (brute_force(&before, &map, &req, &best) == 1)
                                FUZZ_CHECK(addr == best);
                        continue;
                }
                FUZZ_CHECK(memcmp(&plan, &before, sizeof(plan)) == 0);
                if (r == -E2BIG) {
                        FUZZ_CHECK(before.n == WB_PLAN_MAX_SEGMENTS);
                } else if (r == -EINVAL) {
                        uint64_t align = req.align < WB_PAGE_SIZE ? WB_PAGE_SIZE : req.align;

                        FUZZ_CHECK(!is_pow2(align) || req.bufsz > req.memsz || req.memsz == 0 ||
                                   req.memsz > UINT64_MAX - (WB_PAGE_SIZE - 1));
                } else {
                        uint64_t best = 0;

                        FUZZ_CHECK(r == -ENOMEM);
                        /* Nothing fits: no aligned address would have done. */
                        FUZZ_CHECK(brute_force(&before, &map, &req, &best) != 1);
                }
        }
        return 0;
}
