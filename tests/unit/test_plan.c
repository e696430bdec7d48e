// SPDX-License-Identifier: MIT
/*
 * The segment planner, table-driven: a memory map and a list of placement
 * requests in, the exact addresses (or the errno) out. No system state.
 */

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <warmboot/memmap.h>
#include <warmboot/plan.h>

#define KiB(x) ((uint64_t)(x) << 10)
#define MiB(x) ((uint64_t)(x) << 20)
#define GiB(x) ((uint64_t)(x) << 30)

struct range_row {
        uint64_t start, end;
        enum wb_mem_type type;
};

struct place_row {
        struct wb_place_request req;
        int ret;                /* 0 or the negative errno */
        uint64_t addr;          /* where it lands when ret is 0 */
};

struct plan_case {
        const char *name;
        struct range_row map[8];
        struct place_row steps[8];
};

/* The QEMU guest's firmware map: 640 KiB low RAM, RAM up to 0x3ffe0000. */
#define QEMU_1G_MAP \
        { 0, 0x9fc00, WB_MEM_RAM }, \
        { 0x9fc00, 0xa0000, WB_MEM_RESERVED }, \
        { 0xf0000, 0x100000, WB_MEM_RESERVED }, \
        { 0x100000, 0x3ffe0000, WB_MEM_RAM }, \
        { 0x3ffe0000, 0x40000000, WB_MEM_RESERVED }

static const struct plan_case cases[] = {
        {
                "bzImage layout in a 1 GiB QEMU guest",
                { QEMU_1G_MAP },
                {
                        /* kernel: init_size 0x3378000, 2 MiB aligned, above pref_address, top-down below 4 GiB */
                        { { .name = "kernel", .bufsz = 14164480, .memsz = 0x3378000, .align = MiB(2),
                            .min = MiB(16), .max = GiB(4), .top_down = true }, 0, 0x3cc00000 },
                        { { .name = "initrd", .bufsz = 1096044, .memsz = 1096044, .align = KiB(4),
                            .min = MiB(16), .max = 0, .top_down = true }, 0, 0x3caf4000 },
                        { { .name = "boot parameters", .bufsz = 4129, .memsz = 4129,
                            .min = 0x3000, .max = GiB(4), .top_down = true }, 0, 0x3ffde000 },
                        { { .name = "purgatory", .bufsz = 3008, .memsz = 19392, .align = 32,
                            .min = 0x3000, .max = GiB(2), .top_down = true }, 0, 0x3ffd9000 },
                },
        },
        {
                "bottom-up takes the lowest aligned fit, skipping low RAM that is too small",
                { QEMU_1G_MAP },
                {
                        { { .name = "a", .bufsz = 1, .memsz = MiB(1), .min = 0, .top_down = false }, 0, 0x100000 },
                        { { .name = "b", .bufsz = 1, .memsz = KiB(4), .min = 0, .top_down = false }, 0, 0 },
                        { { .name = "c", .bufsz = 1, .memsz = KiB(4), .align = MiB(2), .top_down = false }, 0, MiB(2) },
                },
        },
        {
                "top-down steps below a segment already placed",
                { { MiB(1), MiB(64), WB_MEM_RAM } },
                {
                        { { .name = "a", .bufsz = 1, .memsz = MiB(16), .top_down = true }, 0, MiB(48) },
                        { { .name = "b", .bufsz = 1, .memsz = MiB(16), .top_down = true }, 0, MiB(32) },
                        { { .name = "c", .bufsz = 1, .memsz = MiB(16), .top_down = true }, 0, MiB(16) },
                        /* [1 MiB, 16 MiB) is left: 15 MiB */
                        { { .name = "d", .bufsz = 1, .memsz = MiB(16), .top_down = true }, -ENOMEM, 0 },
                        { { .name = "e", .bufsz = 1, .memsz = MiB(15), .top_down = true }, 0, MiB(1) },
                },
        },
        {
                "bottom-up steps over a segment already placed",
                { { 0, MiB(8), WB_MEM_RAM } },
                {
                        { { .name = "a", .bufsz = 1, .memsz = MiB(3), .min = MiB(1) }, 0, MiB(1) },
                        { { .name = "b", .bufsz = 1, .memsz = MiB(2), .align = MiB(2) }, 0, MiB(4) },
                        { { .name = "c", .bufsz = 1, .memsz = KiB(4) }, 0, 0 },
                        { { .name = "d", .bufsz = 1, .memsz = MiB(4) }, -ENOMEM, 0 },
                },
        },
        {
                "never in reserved, ACPI or unusable memory",
                {
                        { 0, MiB(1), WB_MEM_RESERVED },
                        { MiB(1), MiB(2), WB_MEM_RAM },
                        { MiB(2), MiB(4), WB_MEM_ACPI },
                        { MiB(4), MiB(6), WB_MEM_NVS },
                        { MiB(6), MiB(8), WB_MEM_UNUSABLE },
                },
                {
                        { { .name = "a", .bufsz = 1, .memsz = MiB(1) + 1, .top_down = true }, -ENOMEM, 0 },
                        { { .name = "b", .bufsz = 1, .memsz = MiB(1), .top_down = true }, 0, MiB(1) },
                },
        },
        {
                "a segment never straddles two RAM ranges, even adjacent ones",
                { { 0, MiB(1), WB_MEM_RAM }, { MiB(1), MiB(2), WB_MEM_RAM } },
                {
                        { { .name = "a", .bufsz = 1, .memsz = MiB(2) }, -ENOMEM, 0 },
                },
        },
        {
                "initrd above initrd_addr_max does not fit; under it, it does",
                { { MiB(1), GiB(3), WB_MEM_RAM } },
                {
                        { { .name = "kernel", .bufsz = 1, .memsz = MiB(64), .align = MiB(2),
                            .min = MiB(16), .max = GiB(2), .top_down = true }, 0, GiB(2) - MiB(64) },
                        /* initrd_addr_max 0x7fffffff: the end must stay at or below 2 GiB */
                        { { .name = "initrd", .bufsz = MiB(2000), .memsz = MiB(2000),
                            .min = MiB(16), .max = GiB(2), .top_down = true }, -ENOMEM, 0 },
                        { { .name = "initrd", .bufsz = MiB(1900), .memsz = MiB(1900),
                            .min = MiB(16), .max = GiB(2), .top_down = true }, 0, GiB(2) - MiB(64) - MiB(1900) },
                        /* a kernel that may go above 4 GiB (no max) gets the top */
                        { { .name = "initrd2", .bufsz = MiB(100), .memsz = MiB(100),
                            .min = MiB(16), .top_down = true }, 0, GiB(3) - MiB(100) },
                },
        },
        {
                "memory above 4 GiB is used when the window allows it",
                { { MiB(1), MiB(512), WB_MEM_RAM }, { GiB(4), GiB(6), WB_MEM_RAM } },
                {
                        { { .name = "big", .bufsz = 1, .memsz = GiB(1), .top_down = true }, 0, GiB(5) },
                        { { .name = "low", .bufsz = 1, .memsz = MiB(1), .max = GiB(4), .top_down = true },
                          0, MiB(511) },
                },
        },
        {
                "a fixed address (ELF PT_LOAD): min and max frame exactly the segment",
                { { 0, MiB(64), WB_MEM_RAM } },
                {
                        { { .name = "text", .bufsz = 100, .memsz = MiB(8), .min = MiB(16),
                            .max = MiB(24) + KiB(4) - 1 }, 0, MiB(16) },
                        /* overlapping the first: refused */
                        { { .name = "data", .bufsz = 100, .memsz = MiB(2), .min = MiB(20),
                            .max = MiB(22) + KiB(4) - 1 }, -ENOMEM, 0 },
                },
        },
        {
                "bad requests",
                { { 0, MiB(64), WB_MEM_RAM } },
                {
                        { { .name = "align", .bufsz = 1, .memsz = KiB(4), .align = 3 * KiB(4) }, -EINVAL, 0 },
                        { { .name = "bufsz", .bufsz = KiB(8), .memsz = KiB(4) }, -EINVAL, 0 },
                        { { .name = "empty", .bufsz = 0, .memsz = 0 }, -EINVAL, 0 },
                        { { .name = "wraps", .bufsz = 1, .memsz = UINT64_MAX }, -EINVAL, 0 },
                        { { .name = "window", .bufsz = 1, .memsz = KiB(4), .min = MiB(8), .max = MiB(8) },
                          -ENOMEM, 0 },
                },
        },
};

static void load_map(struct wb_memmap *map, const struct range_row *rows)
{
        memset(map, 0, sizeof(*map));
        for (size_t i = 0; i < 8 && rows[i].end; i++)
                assert_int_equal(wb_memmap_add(map, rows[i].start, rows[i].end, rows[i].type), 0);
}

static void test_cases(void **state)
{
        static struct wb_memmap map;

        (void)state;
        for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
                struct wb_plan plan = { 0 };
                size_t placed = 0;

                load_map(&map, cases[c].map);
                for (size_t s = 0; s < 8 && cases[c].steps[s].req.name; s++) {
                        const struct place_row *row = &cases[c].steps[s];
                        uint64_t addr = 0xdead;
                        int r = wb_plan_add(&plan, &map, &row->req, &addr);

                        if (r != row->ret || (r == 0 && addr != row->addr))
                                fail_msg("%s, step '%s': got %d at 0x%llx, want %d at 0x%llx",
                                         cases[c].name, row->req.name, r, (unsigned long long)addr,
                                         row->ret, (unsigned long long)row->addr);
                        if (r < 0) {
                                /* Failure leaves the output and the plan alone. */
                                assert_int_equal(addr, 0xdead);
                                assert_int_equal(plan.n, placed);
                                continue;
                        }
                        placed++;
                        assert_int_equal(plan.n, placed);
                        assert_int_equal(plan.segments[placed - 1].mem, row->addr);
                        assert_int_equal(plan.segments[placed - 1].memsz % WB_PAGE_SIZE, 0);
                        assert_true(plan.segments[placed - 1].memsz >= row->req.memsz);
                        assert_int_equal(plan.segments[placed - 1].bufsz, row->req.bufsz);
                        assert_string_equal(plan.names[placed - 1], row->req.name);
                }
        }
}

static void test_full_plan(void **state)
{
        struct wb_memmap map;
        struct wb_plan plan = { 0 };

        (void)state;
        memset(&map, 0, sizeof(map));
        assert_int_equal(wb_memmap_add(&map, 0, GiB(1), WB_MEM_RAM), 0);
        for (int i = 0; i < WB_PLAN_MAX_SEGMENTS; i++)
                assert_int_equal(wb_plan_add(&plan, &map, &(struct wb_place_request) {
                                        .name = "s", .bufsz = 1, .memsz = 1 }, NULL), 0);
        assert_int_equal(wb_plan_add(&plan, &map, &(struct wb_place_request) {
                                .name = "one too many", .bufsz = 1, .memsz = 1 }, NULL), -E2BIG);
        assert_int_equal(wb_plan_memsz(&plan), WB_PLAN_MAX_SEGMENTS * WB_PAGE_SIZE);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_cases),
                cmocka_unit_test(test_full_plan),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
