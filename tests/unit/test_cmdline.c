// SPDX-License-Identifier: MIT
/*
 * Command line editing: wb_cmdline_remove (word removal with the
 * kernel's quoting rules), wb_cmdline_reuse (/proc/cmdline for
 * --reuse-cmdline) and wb_cmdline_join (--command-line + --append).
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <warmboot/cmdline.h>
#include <warmboot/ctx.h>
#include <warmboot/error.h>

#include "fixtures.h"

static const struct {
        const char *in;
        const char *name;
        const char *want;
} remove_cases[] = {
        { "BOOT_IMAGE=/boot/vmlinuz root=/dev/vda1 ro", "BOOT_IMAGE", "root=/dev/vda1 ro" },
        { "root=/dev/vda1 BOOT_IMAGE=/boot/vmlinuz ro", "BOOT_IMAGE", "root=/dev/vda1 ro" },
        { "root=/dev/vda1 ro BOOT_IMAGE=/boot/vmlinuz", "BOOT_IMAGE", "root=/dev/vda1 ro" },
        { "BOOT_IMAGE=/boot/vmlinuz", "BOOT_IMAGE", "" },
        { "BOOT_IMAGE=a BOOT_IMAGE=b", "BOOT_IMAGE", "" },
        /* A quote that opens the word: the kernel still reads the name BOOT_IMAGE. */
        { "root=/dev/vda1 \"BOOT_IMAGE=/boot/my kernel\" ro", "BOOT_IMAGE", "root=/dev/vda1 ro" },
        /* Every crashkernel= goes, as a capture kernel must not reserve any of them. */
        { "crashkernel=256M,high root=/dev/vda1 crashkernel=72M,low quiet", "crashkernel",
          "root=/dev/vda1 quiet" },
        { "crashkernel=256M,high crashkernel=72M,low", "crashkernel", "" },
        /* Quotes protect blanks, in the words kept and in the words removed. */
        { "foo=\"a b\" BOOT_IMAGE=x", "BOOT_IMAGE", "foo=\"a b\"" },
        { "BOOT_IMAGE=\"/boot/my kernel\" ro", "BOOT_IMAGE", "ro" },
        { "a=\"BOOT_IMAGE=x y\" ro", "BOOT_IMAGE", "a=\"BOOT_IMAGE=x y\" ro" },
        /* An unterminated quote runs to the end, as in the kernel's next_arg(). */
        { "a=\"b c BOOT_IMAGE=x", "BOOT_IMAGE", "a=\"b c BOOT_IMAGE=x" },
        /* Only the name before '=' counts, not words that contain it. */
        { "xBOOT_IMAGE=1 BOOT_IMAGEx=2 BOOT_IMAGE=3", "BOOT_IMAGE", "xBOOT_IMAGE=1 BOOT_IMAGEx=2" },
        { "crashkernel_foo=1 foo.crashkernel=2", "crashkernel", "crashkernel_foo=1 foo.crashkernel=2" },
        { "boot_image=x", "BOOT_IMAGE", "boot_image=x" },
        /* A bare flag with that name and an empty value are that word too. */
        { "BOOT_IMAGE quiet", "BOOT_IMAGE", "quiet" },
        { "quiet BOOT_IMAGE=", "BOOT_IMAGE", "quiet" },
        /* Tabs, newlines and repeated blanks become one blank; ends are trimmed. */
        { "root=/dev/vda1\tBOOT_IMAGE=x\tquiet\n", "BOOT_IMAGE", "root=/dev/vda1 quiet" },
        { "  a   b  \n", "zz", "a b" },
        { "a\r\n", "zz", "a" },
        { "BOOT_IMAGE=x\n", "BOOT_IMAGE", "" },
        { "", "BOOT_IMAGE", "" },
        { " \t\n", "BOOT_IMAGE", "" },
        /* Values with '=' in them stay whole. */
        { "root=PARTUUID=1234-01 BOOT_IMAGE=(hd0,gpt2)/vmlinuz", "BOOT_IMAGE", "root=PARTUUID=1234-01" },
};

static void test_remove_table(void **state)
{
        (void)state;
        for (size_t i = 0; i < sizeof(remove_cases) / sizeof(remove_cases[0]); i++) {
                char *line = strdup(remove_cases[i].in);

                assert_non_null(line);
                wb_cmdline_remove(line, remove_cases[i].name);
                if (strcmp(line, remove_cases[i].want) != 0)
                        fail_msg("remove %s from '%s': got '%s', want '%s'", remove_cases[i].name,
                                 remove_cases[i].in, line, remove_cases[i].want);
                free(line);
        }
}

/* Removal works in place and never writes past the original NUL. */
static void test_remove_in_place(void **state)
{
        char buf[32];

        (void)state;
        memset(buf, '#', sizeof(buf));
        strcpy(buf, "a BOOT_IMAGE=b c");
        wb_cmdline_remove(buf, "BOOT_IMAGE");
        assert_string_equal(buf, "a c");
        assert_int_equal(buf[17], '#');
}

struct fixture {
        char *root;
        struct wb_ctx ctx;
        char log[4096];
};

static void collect_log(void *userdata, const char *line)
{
        struct fixture *fx = userdata;
        size_t used = strlen(fx->log);

        snprintf(fx->log + used, sizeof(fx->log) - used, "%s\n", line);
}

static int setup(void **state)
{
        struct fixture *fx = calloc(1, sizeof(*fx));

        assert_non_null(fx);
        fx->root = fx_mkdtemp();
        /* Nothing here reaches the kernel: no seam at all. */
        fx->ctx = (struct wb_ctx) { .root = fx->root, .sys = NULL, .log = collect_log, .log_data = fx };
        *state = fx;
        return 0;
}

static int teardown(void **state)
{
        struct fixture *fx = *state;

        fx_rmtree(fx->root);
        free(fx);
        return 0;
}

static void test_reuse(void **state)
{
        struct fixture *fx = *state;
        struct wb_diag diag = { .path = "" };
        char *line = NULL;

        fx_put(fx->root, "/proc/cmdline",
               "BOOT_IMAGE=/boot/vmlinuz-6.1.0-56-cloud-amd64 root=/dev/vda1 ro crashkernel=256M,high crashkernel=72M,low quiet\n");
        assert_int_equal(wb_cmdline_reuse(&fx->ctx, false, &line, &diag), 0);
        /* The trailing newline of /proc/cmdline is gone with BOOT_IMAGE=; crashkernel= stays. */
        assert_string_equal(line, "root=/dev/vda1 ro crashkernel=256M,high crashkernel=72M,low quiet");
        free(line);
        assert_non_null(strstr(fx->log, "reused command line: \"root=/dev/vda1 ro"));

        assert_int_equal(wb_cmdline_reuse(&fx->ctx, true, &line, &diag), 0);
        assert_string_equal(line, "root=/dev/vda1 ro quiet");
        free(line);
}

static void test_reuse_plain(void **state)
{
        struct fixture *fx = *state;
        char *line = NULL;

        /* What a system without a boot loader's BOOT_IMAGE= has (QEMU -append). */
        fx_put(fx->root, "/proc/cmdline", "console=ttyS0 panic=-1\n");
        assert_int_equal(wb_cmdline_reuse(&fx->ctx, true, &line, NULL), 0);
        assert_string_equal(line, "console=ttyS0 panic=-1");
        free(line);

        fx_put(fx->root, "/proc/cmdline", "\n");
        assert_int_equal(wb_cmdline_reuse(&fx->ctx, false, &line, NULL), 0);
        assert_string_equal(line, "");
        free(line);

        fx_put(fx->root, "/proc/cmdline", "");
        assert_int_equal(wb_cmdline_reuse(&fx->ctx, false, &line, NULL), 0);
        assert_string_equal(line, "");
        free(line);
}

static void test_reuse_missing(void **state)
{
        struct fixture *fx = *state;
        struct wb_diag diag = { .path = "" };
        char *line = (char *)"untouched";

        assert_int_equal(wb_cmdline_reuse(&fx->ctx, false, &line, &diag), -ENOENT);
        assert_string_equal(diag.path, "/proc/cmdline");
        assert_string_equal(diag.reason,
                            "cannot read the running kernel's command line: No such file or directory");
        assert_string_equal(line, "untouched");
}

static void test_reuse_too_long(void **state)
{
        struct fixture *fx = *state;
        struct wb_diag diag = { .path = "" };
        char *text = malloc(WB_CMDLINE_MAX + 2);
        char *line = NULL;

        assert_non_null(text);
        memset(text, 'a', WB_CMDLINE_MAX + 1);
        text[WB_CMDLINE_MAX + 1] = '\0';
        fx_put(fx->root, "/proc/cmdline", text);
        assert_int_equal(wb_cmdline_reuse(&fx->ctx, false, &line, &diag), -EFBIG);
        assert_null(line);
        assert_string_equal(diag.path, "/proc/cmdline");

        /* Exactly WB_CMDLINE_MAX is still read whole. */
        text[WB_CMDLINE_MAX] = '\0';
        fx_put(fx->root, "/proc/cmdline", text);
        assert_int_equal(wb_cmdline_reuse(&fx->ctx, false, &line, &diag), 0);
        assert_int_equal(strlen(line), WB_CMDLINE_MAX);
        free(line);
        free(text);
}

static const struct {
        const char *base, *append, *want;
} join_cases[] = {
        { NULL, NULL, "" },
        { "a", NULL, "a" },
        { NULL, "b", "b" },
        { "a", "b", "a b" },
        { "", "b", "b" },
        { "a", "", "a" },
        { "", "", "" },
        { "root=/dev/vda1 ro", "console=ttyS0 quiet", "root=/dev/vda1 ro console=ttyS0 quiet" },
        /* Joining does not edit the parts: their own blanks stay. */
        { "a ", " b", "a   b" },
};

static void test_join_table(void **state)
{
        (void)state;
        for (size_t i = 0; i < sizeof(join_cases) / sizeof(join_cases[0]); i++) {
                char *s = NULL;

                assert_int_equal(wb_cmdline_join(join_cases[i].base, join_cases[i].append, &s), 0);
                if (strcmp(s, join_cases[i].want) != 0)
                        fail_msg("join('%s', '%s'): got '%s', want '%s'",
                                 join_cases[i].base ? join_cases[i].base : "(null)",
                                 join_cases[i].append ? join_cases[i].append : "(null)",
                                 s, join_cases[i].want);
                free(s);
        }
}

/* Returns a malloc'd string of n times c. */
static char *repeat(char c, size_t n)
{
        char *s = malloc(n + 1);

        assert_non_null(s);
        memset(s, c, n);
        s[n] = '\0';
        return s;
}

static void test_join_limit(void **state)
{
        char *max = repeat('a', WB_CMDLINE_MAX);
        char *over = repeat('a', WB_CMDLINE_MAX + 1);
        char *half = repeat('b', WB_CMDLINE_MAX / 2);
        char *s = NULL;
        char *sentinel = (char *)"untouched";

        (void)state;
        assert_int_equal(wb_cmdline_join(max, NULL, &s), 0);
        assert_int_equal(strlen(s), WB_CMDLINE_MAX);
        free(s);
        assert_int_equal(wb_cmdline_join(NULL, max, &s), 0);
        free(s);

        s = sentinel;
        assert_int_equal(wb_cmdline_join(over, NULL, &s), -E2BIG);
        assert_int_equal(wb_cmdline_join(NULL, over, &s), -E2BIG);
        /* MAX/2 + 1 + MAX/2: one over, counting the joining blank. */
        assert_int_equal(wb_cmdline_join(half, half, &s), -E2BIG);
        assert_ptr_equal(s, sentinel);

        /* One character less, and it fits exactly. */
        half[WB_CMDLINE_MAX / 2 - 1] = '\0';
        assert_int_equal(wb_cmdline_join(half, max + WB_CMDLINE_MAX / 2, &s), 0);
        assert_int_equal(strlen(s), WB_CMDLINE_MAX);
        assert_int_equal(s[WB_CMDLINE_MAX / 2 - 1], ' ');
        free(s);

        free(max);
        free(over);
        free(half);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_remove_table),
                cmocka_unit_test(test_remove_in_place),
                cmocka_unit_test_setup_teardown(test_reuse, setup, teardown),
                cmocka_unit_test_setup_teardown(test_reuse_plain, setup, teardown),
                cmocka_unit_test_setup_teardown(test_reuse_missing, setup, teardown),
                cmocka_unit_test_setup_teardown(test_reuse_too_long, setup, teardown),
                cmocka_unit_test(test_join_table),
                cmocka_unit_test(test_join_limit),
        };

        return cmocka_run_group_tests_name("cmdline", tests, NULL, NULL);
}
