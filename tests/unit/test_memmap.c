// SPDX-License-Identifier: MIT
/*
 * The memory map readers, on real shapes: a QEMU guest's /proc/iomem and
 * /sys/firmware/memmap (tests/data, captured in the guest test bed) and
 * this development machine's /proc/iomem.
 */

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <warmboot/ctx.h>
#include <warmboot/error.h>
#include <warmboot/memmap.h>

#include "fixtures.h"

/* The tests run from the top of the tree (make check-unit). */
#define DATA "tests/data/"

static char *slurp(const char *path)
{
        FILE *f = fopen(path, "r");
        char *buf;
        long n;

        assert_non_null(f);
        assert_int_equal(fseek(f, 0, SEEK_END), 0);
        n = ftell(f);
        rewind(f);
        buf = malloc((size_t)n + 1);
        assert_non_null(buf);
        assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
        buf[n] = '\0';
        fclose(f);
        return buf;
}

static void assert_range(const struct wb_memmap *m, size_t i, uint64_t start, uint64_t end,
                         enum wb_mem_type type)
{
        assert_true(i < m->n);
        assert_int_equal(m->ranges[i].start, start);
        assert_int_equal(m->ranges[i].end, end);
        assert_int_equal(m->ranges[i].type, type);
}

static void test_iomem_qemu(void **state)
{
        static struct wb_memmap m;
        char *text = slurp(DATA "iomem-qemu-crash.txt");

        (void)state;
        assert_int_equal(wb_memmap_parse_iomem(text, &m), 0);
        /* Top-level memory only: PCI windows, ROMs, APICs are dropped. */
        assert_int_equal(m.n, 8);
        assert_range(&m, 0, 0, 0x1000, WB_MEM_RESERVED);
        assert_range(&m, 1, 0x1000, 0x9fc00, WB_MEM_RAM);
        assert_range(&m, 2, 0x9fc00, 0xa0000, WB_MEM_RESERVED);
        assert_range(&m, 3, 0xf0000, 0x100000, WB_MEM_RESERVED);
        assert_range(&m, 4, 0x100000, 0x3ffe0000, WB_MEM_RAM);
        assert_range(&m, 5, 0x3ffe0000, 0x40000000, WB_MEM_RESERVED);
        assert_range(&m, 6, 0xfffc0000, 0x100000000, WB_MEM_RESERVED);
        assert_range(&m, 7, 0xfd00000000, 0x10000000000, WB_MEM_RESERVED);
        /* The nested "Crash kernel" line of crashkernel=256M. */
        assert_int_equal(m.crash_start, 0x2f000000);
        assert_int_equal(m.crash_end, 0x3f000000);
        free(text);
}

static void test_iomem_host(void **state)
{
        static struct wb_memmap m;
        char *text = slurp(DATA "iomem-host.txt");
        uint64_t ram = 0;

        (void)state;
        assert_int_equal(wb_memmap_parse_iomem(text, &m), 0);
        assert_true(m.n >= 3);
        for (size_t i = 0; i < m.n; i++) {
                if (i)
                        assert_true(m.ranges[i - 1].end <= m.ranges[i].start);
                if (m.ranges[i].type == WB_MEM_RAM)
                        ram += m.ranges[i].end - m.ranges[i].start;
        }
        /* This machine has 24 GiB; the map must see most of it as RAM. */
        assert_true(ram > (UINT64_C(20) << 30));
        assert_int_equal(m.crash_start, 0);
        free(text);
}

static void test_iomem_bad(void **state)
{
        static struct wb_memmap m;
        static const char *const bad[] = {
                "00000000-0000zfff : System RAM\n",
                "00001000 : System RAM\n",
                "00002000-00001000 : System RAM\n",            /* end before start */
                "00000000-00000fff System RAM\n",
                "00000000-00000fff : System RAM\n00000800-00001fff : System RAM\n", /* overlap */
                "ffffffffffffffff0-1 : System RAM\n",
                "00000000-ffffffffffffffff : System RAM\n",    /* end + 1 wraps */
        };

        (void)state;
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
                memset(&m, 0x5a, sizeof(m));
                assert_int_equal(wb_memmap_parse_iomem(bad[i], &m), -EINVAL);
                /* The output stays untouched on failure. */
                assert_int_equal(m.n, 0x5a5a5a5a5a5a5a5aull);
        }
        /* An unprivileged reader sees every address as zero. */
        assert_int_equal(wb_memmap_parse_iomem("00000000-00000000 : Reserved\n00000000-00000000 : System RAM\n",
                                               &m), -EPERM);
        assert_int_equal(wb_memmap_parse_iomem("", &m), 0);
        assert_int_equal(m.n, 0);
}

/* Writes the firmware memmap of tests/data/memmap-qemu.txt ("N start end type") under root. */
static void write_firmware_memmap(const char *root)
{
        char *text = slurp(DATA "memmap-qemu.txt");
        char *save = NULL;

        for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                char idx[16], start[32], end[32], type[64], path[128];

                assert_int_equal(sscanf(line, "%15s %31s %31s %63[^\n]", idx, start, end, type), 4);
                snprintf(path, sizeof(path), "/sys/firmware/memmap/%s/start", idx);
                fx_put(root, path, start);
                snprintf(path, sizeof(path), "/sys/firmware/memmap/%s/end", idx);
                fx_put(root, path, end);
                snprintf(path, sizeof(path), "/sys/firmware/memmap/%s/type", idx);
                fx_put(root, path, type);
        }
        free(text);
}

static void test_read_firmware_memmap(void **state)
{
        char *root = fx_mkdtemp(), *iomem = slurp(DATA "iomem-qemu-crash.txt");
        struct wb_ctx ctx = { .root = root };
        struct wb_diag diag;
        struct wb_memmap *m = NULL;

        (void)state;
        write_firmware_memmap(root);
        fx_put(root, "/proc/iomem", iomem);
        assert_int_equal(wb_memmap_read(&ctx, &m, &diag), 0);
        /* The firmware's own map: page 0 is RAM there (iomem shows the kernel's reservation). */
        assert_int_equal(m->n, 7);
        assert_range(m, 0, 0, 0x9fc00, WB_MEM_RAM);
        assert_range(m, 3, 0x100000, 0x3ffe0000, WB_MEM_RAM);
        assert_range(m, 6, 0xfd00000000, 0x10000000000, WB_MEM_RESERVED);
        /* The crash range still comes from /proc/iomem. */
        assert_int_equal(m->crash_start, 0x2f000000);
        assert_int_equal(m->crash_end, 0x3f000000);
        free(m);
        free(iomem);
        fx_rmtree(root);
}

static void test_read_falls_back_to_iomem(void **state)
{
        char *root = fx_mkdtemp(), *iomem = slurp(DATA "iomem-qemu-crash.txt");
        struct wb_ctx ctx = { .root = root };
        struct wb_diag diag;
        struct wb_memmap *m = NULL;

        (void)state;
        fx_put(root, "/proc/iomem", iomem);
        assert_int_equal(wb_memmap_read(&ctx, &m, &diag), 0);
        assert_int_equal(m->n, 8);
        assert_range(m, 1, 0x1000, 0x9fc00, WB_MEM_RAM);
        free(m);
        free(iomem);
        fx_rmtree(root);
}

static void test_read_errors(void **state)
{
        char *root = fx_mkdtemp();
        struct wb_ctx ctx = { .root = root };
        struct wb_diag diag;
        struct wb_memmap *m = (void *)0x1;

        (void)state;
        assert_int_equal(wb_memmap_read(&ctx, &m, &diag), -ENOENT);
        assert_string_equal(diag.path, "/proc/iomem");
        assert_ptr_equal(m, (void *)0x1);

        fx_put(root, "/proc/iomem", "00000000-00000000 : System RAM\n");
        assert_int_equal(wb_memmap_read(&ctx, &m, &diag), -EPERM);
        assert_non_null(strstr(diag.reason, "needs root"));
        assert_ptr_equal(m, (void *)0x1);
        fx_rmtree(root);
}

static void test_types(void **state)
{
        (void)state;
        assert_int_equal(wb_mem_type_from_name("System RAM"), WB_MEM_RAM);
        assert_int_equal(wb_mem_type_from_name("ACPI Tables"), WB_MEM_ACPI);
        assert_int_equal(wb_mem_type_from_name("ACPI Non-volatile Storage"), WB_MEM_NVS);
        assert_int_equal(wb_mem_type_from_name("Unusable memory"), WB_MEM_UNUSABLE);
        assert_int_equal(wb_mem_type_from_name("Persistent Memory (legacy)"), WB_MEM_PRAM);
        assert_int_equal(wb_mem_type_from_name("Persistent Memory"), WB_MEM_PMEM);
        assert_int_equal(wb_mem_type_from_name("Soft Reserved"), WB_MEM_SOFT_RESERVED);
        /* Unknown is reserved: never handed out as RAM. */
        assert_int_equal(wb_mem_type_from_name("Something new"), WB_MEM_RESERVED);
        assert_string_equal(wb_mem_type_name(WB_MEM_RAM), "RAM");
}

static void test_add_and_is_ram(void **state)
{
        static struct wb_memmap m;

        (void)state;
        memset(&m, 0, sizeof(m));
        assert_int_equal(wb_memmap_add(&m, 0x2000, 0x3000, WB_MEM_RAM), 0);
        assert_int_equal(wb_memmap_add(&m, 0x0, 0x1000, WB_MEM_RAM), 0);
        assert_int_equal(wb_memmap_add(&m, 0x1000, 0x2000, WB_MEM_RESERVED), 0);
        assert_int_equal(m.ranges[0].start, 0);
        assert_int_equal(m.ranges[1].start, 0x1000);
        assert_int_equal(wb_memmap_add(&m, 0x2800, 0x4000, WB_MEM_RAM), -EINVAL);
        assert_int_equal(wb_memmap_add(&m, 0x5000, 0x5000, WB_MEM_RAM), -EINVAL);
        assert_true(wb_memmap_is_ram(&m, 0x2000, 0x3000));
        assert_false(wb_memmap_is_ram(&m, 0x0, 0x3000));
        assert_false(wb_memmap_is_ram(&m, 0x1000, 0x1800));
        for (size_t i = m.n; i < WB_MEMMAP_MAX; i++)
                assert_int_equal(wb_memmap_add(&m, 0x10000 * (i + 1), 0x10000 * (i + 1) + 1, WB_MEM_RAM), 0);
        assert_int_equal(wb_memmap_add(&m, UINT64_C(1) << 40, (UINT64_C(1) << 40) + 1, WB_MEM_RAM), -E2BIG);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_iomem_qemu),
                cmocka_unit_test(test_iomem_host),
                cmocka_unit_test(test_iomem_bad),
                cmocka_unit_test(test_read_firmware_memmap),
                cmocka_unit_test(test_read_falls_back_to_iomem),
                cmocka_unit_test(test_read_errors),
                cmocka_unit_test(test_types),
                cmocka_unit_test(test_add_and_is_ram),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
