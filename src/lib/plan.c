// SPDX-License-Identifier: MIT
/*
 * Segment placement for kexec_load(2): pure arithmetic on the memory map
 * and the segments placed so far. Nothing here reads the system, so every
 * case is a table row in tests/unit/test_plan.c.
 */

#include <errno.h>
#include <string.h>

#include <warmboot/memmap.h>
#include <warmboot/plan.h>

static uint64_t align_down(uint64_t v, uint64_t a)
{
        return v & ~(a - 1);
}

/* Rounds v up to a multiple of a; false when that overflows. */
static bool align_up(uint64_t v, uint64_t a, uint64_t *ret)
{
        if (v > UINT64_MAX - (a - 1))
                return false;
        *ret = (v + a - 1) & ~(a - 1);
        return true;
}

/* The end of the first placed segment that overlaps [s, e), or 0 when none does. */
static uint64_t overlap_end(const struct wb_plan *plan, uint64_t s, uint64_t e)
{
        for (size_t i = 0; i < plan->n; i++) {
                uint64_t ps = plan->segments[i].mem, pe = ps + plan->segments[i].memsz;

                if (ps < e && s < pe)
                        return pe;
        }
        return 0;
}

/* The start of the highest placed segment that overlaps [s, e), or UINT64_MAX. */
static uint64_t overlap_start(const struct wb_plan *plan, uint64_t s, uint64_t e)
{
        uint64_t best = UINT64_MAX;

        for (size_t i = 0; i < plan->n; i++) {
                uint64_t ps = plan->segments[i].mem, pe = ps + plan->segments[i].memsz;

                if (ps < e && s < pe && (best == UINT64_MAX || ps > best))
                        best = ps;
        }
        return best;
}

/* Lowest fit inside [lo, hi); false when none. */
static bool fit_bottom_up(const struct wb_plan *plan, uint64_t lo, uint64_t hi,
                          uint64_t size, uint64_t align, uint64_t *ret)
{
        uint64_t s;

        if (!align_up(lo, align, &s))
                return false;
        while (s < hi && hi - s >= size) {
                uint64_t blocker = overlap_end(plan, s, s + size);

                if (!blocker) {
                        *ret = s;
                        return true;
                }
                if (!align_up(blocker, align, &s))
                        return false;
        }
        return false;
}

/* Highest fit inside [lo, hi); false when none. */
static bool fit_top_down(const struct wb_plan *plan, uint64_t lo, uint64_t hi,
                         uint64_t size, uint64_t align, uint64_t *ret)
{
        uint64_t s;

        if (hi - lo < size)
                return false;
        s = align_down(hi - size, align);
        while (s >= lo) {
                uint64_t blocker = overlap_start(plan, s, s + size);

                if (blocker == UINT64_MAX) {
                        *ret = s;
                        return true;
                }
                if (blocker < lo + size)
                        return false;
                s = align_down(blocker - size, align);
        }
        return false;
}

int wb_plan_add(struct wb_plan *plan, const struct wb_memmap *map,
                const struct wb_place_request *req, uint64_t *ret_addr)
{
        uint64_t align = req->align < WB_PAGE_SIZE ? WB_PAGE_SIZE : req->align;
        uint64_t max = req->max ? req->max : UINT64_MAX;
        uint64_t size, best = 0;
        bool found = false;

        if (align & (align - 1))
                return -EINVAL;
        if (req->bufsz > req->memsz || req->memsz == 0)
                return -EINVAL;
        if (!align_up(req->memsz, WB_PAGE_SIZE, &size))
                return -EINVAL;
        if (plan->n >= WB_PLAN_MAX_SEGMENTS)
                return -E2BIG;

        for (size_t i = 0; i < map->n; i++) {
                const struct wb_mem_range *r = &map->ranges[i];
                uint64_t lo = r->start > req->min ? r->start : req->min;
                uint64_t hi = r->end < max ? r->end : max;
                uint64_t s;

                if (r->type != WB_MEM_RAM || lo >= hi)
                        continue;
                if (req->top_down) {
                        if (fit_top_down(plan, lo, hi, size, align, &s) && (!found || s > best)) {
                                best = s;
                                found = true;
                        }
                } else if (fit_bottom_up(plan, lo, hi, size, align, &s)) {
                        /* Ranges are sorted: the first fit is the lowest. */
                        best = s;
                        found = true;
                        break;
                }
        }
        if (!found)
                return -ENOMEM;

        plan->segments[plan->n] = (struct wb_segment) {
                .buf = req->buf,
                .bufsz = (size_t)req->bufsz,
                .mem = best,
                .memsz = size,
        };
        plan->names[plan->n] = req->name;
        plan->n++;
        if (ret_addr)
                *ret_addr = best;
        return 0;
}

uint64_t wb_plan_memsz(const struct wb_plan *plan)
{
        uint64_t sum = 0;

        for (size_t i = 0; i < plan->n; i++)
                sum += plan->segments[i].memsz;
        return sum;
}
