// SPDX-License-Identifier: MIT
/*
 * The dump reader on a synthetic /proc/vmcore (tests/support/vmcore_image.h,
 * the fuzz_vmcore seed too): an ELF core file with a VMCOREINFO note and
 * one RAM segment holding a small printk ring buffer
 * (kernel/printk/printk_ringbuffer.h layout, offsets as vmcoreinfo
 * states them), with a wrapped record, a record still being written, and
 * pointers through both the kernel image mapping and the direct map. Then
 * every truncation and many corruptions: errors, never crashes.
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

#include <warmboot/error.h>
#include <warmboot/vmcore.h>

#include "tests/support/vmcore_image.h"

/* The dump of vmcore_image.h; fails the test when out of memory. */
static uint8_t *build_dump(size_t *ret_len)
{
        uint8_t *d = img_vmcore(ret_len);

        assert_non_null(d);
        return d;
}

struct log {
        char text[512];
        int n;
};

static int collect(void *data, uint64_t ts, const char *text, size_t len)
{
        struct log *l = data;
        size_t used = strlen(l->text);

        snprintf(l->text + used, sizeof(l->text) - used, "%llu:%.*s;", (unsigned long long)ts, (int)len, text);
        l->n++;
        return 0;
}

static int open_mem(const uint8_t *buf, size_t len, struct wb_vmcore **v, struct wb_diag *diag)
{
        static struct img_mem m;
        static struct wb_vmcore_source src;

        m = (struct img_mem) { .buf = buf, .len = len };
        src = (struct wb_vmcore_source) { .read = img_mem_read, .data = &m, .size = len };
        return wb_vmcore_open(&src, v, diag);
}

static void test_dmesg(void **state)
{
        size_t len;
        uint8_t *d = build_dump(&len);
        struct wb_vmcore *v = NULL;
        struct wb_vmcore_summary s;
        struct wb_diag diag;
        struct log log = { .text = "" };
        uint64_t val;

        (void)state;
        assert_int_equal(open_mem(d, len, &v, &diag), 0);
        wb_vmcore_summary(v, &s);
        assert_int_equal(s.nr_loads, 1);
        assert_int_equal(s.load_bytes, VM_RAM_SIZE);
        assert_int_equal(s.nr_ram_loads, 1);
        assert_int_equal(s.nr_notes, 1);
        assert_int_equal(strncmp(s.osrelease, "6.1.0-test\n", 11), 0);
        assert_int_equal(wb_vmcore_info_value(v, "SYMBOL(prb)", &val), 0);
        assert_int_equal(val, UINT64_C(0xffffffff81000000));
        assert_int_equal(wb_vmcore_info_value(v, "SIZE(prb_desc)", &val), 0);
        assert_int_equal(val, 24);
        assert_int_equal(wb_vmcore_info_value(v, "SIZE(prb)", &val), -ENOENT);

        assert_int_equal(wb_vmcore_dmesg(v, collect, &log, &diag), 0);
        assert_string_equal(log.text, "1500000000:second;2000001000:third;");
        wb_vmcore_free(v);
        free(d);
}

static void test_not_dumps(void **state)
{
        static const uint8_t elf_exec[64] = { 0x7f, 'E', 'L', 'F', 2, 1, 1, 0, [16] = 2, [18] = 62 };
        struct wb_vmcore *v = (void *)0x1;
        struct wb_diag diag;

        (void)state;
        assert_int_equal(open_mem((const uint8_t *)"", 0, &v, &diag), -ENOEXEC);
        assert_int_equal(open_mem((const uint8_t *)"hello, world", 12, &v, &diag), -ENOEXEC);
        assert_int_equal(open_mem(elf_exec, sizeof(elf_exec), &v, &diag), -ENOEXEC);
        assert_non_null(strstr(diag.reason, "not an x86_64 core dump"));
        assert_ptr_equal(v, (void *)0x1);
}

static void test_truncated_everywhere(void **state)
{
        size_t len;
        uint8_t *d = build_dump(&len);

        (void)state;
        /* Every prefix: an error or a partial log, never a crash (ASan watches). */
        for (size_t cut = 0; cut < len; cut += (cut < 512 ? 1 : 61)) {
                uint8_t *copy = malloc(cut ? cut : 1);
                struct wb_vmcore *v = NULL;
                struct wb_diag diag;
                struct log log = { .text = "" };

                memcpy(copy, d, cut);
                if (open_mem(copy, cut, &v, &diag) == 0) {
                        (void)wb_vmcore_dmesg(v, collect, &log, &diag);
                        wb_vmcore_free(v);
                }
                free(copy);
        }
        free(d);
}

static void test_corrupted(void **state)
{
        size_t len;
        uint8_t *d = build_dump(&len);

        (void)state;
        /* Every byte of the headers, notes and ring buffer flipped in turn. */
        for (size_t i = 0; i < len; i += (i < 0x400 ? 1 : 7)) {
                for (int flip = 0; flip < 2; flip++) {
                        uint8_t saved = d[i];
                        struct wb_vmcore *v = NULL;
                        struct wb_diag diag;
                        struct log log = { .text = "" };

                        d[i] = flip ? (uint8_t)~saved : 0xff;
                        if (open_mem(d, len, &v, &diag) == 0) {
                                (void)wb_vmcore_dmesg(v, collect, &log, &diag);
                                assert_true(log.n <= 4);
                                wb_vmcore_free(v);
                        }
                        d[i] = saved;
                }
        }
        free(d);
}

static void test_old_kernel(void **state)
{
        size_t len;
        uint8_t *d = build_dump(&len);
        char *p = memmem(d, len, "SYMBOL(prb)", 11);
        struct wb_vmcore *v = NULL;
        struct wb_diag diag;
        struct log log = { .text = "" };

        (void)state;
        /* Without the lockless ring buffer's symbols: said plainly. */
        memcpy(p, "SYMBOL(xyz)", 11);
        assert_int_equal(open_mem(d, len, &v, &diag), 0);
        assert_int_equal(wb_vmcore_dmesg(v, collect, &log, &diag), -ENOENT);
        assert_non_null(strstr(diag.reason, "5.10"));
        wb_vmcore_free(v);
        free(d);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_dmesg),
                cmocka_unit_test(test_not_dumps),
                cmocka_unit_test(test_truncated_everywhere),
                cmocka_unit_test(test_corrupted),
                cmocka_unit_test(test_old_kernel),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
