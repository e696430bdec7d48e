// SPDX-License-Identifier: MIT
/*
 * /etc/warmboot.conf and /etc/default/kexec (include/warmboot/config.h),
 * and the state files (include/warmboot/state.h), over fixture roots.
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
#include <sys/stat.h>

#include <warmboot/config.h>
#include <warmboot/ctx.h>
#include <warmboot/error.h>
#include <warmboot/state.h>

#include "fixtures.h"

/* What kexec-tools' postinst writes on Debian 12 (from its debconf answers). */
#define DEBIAN_DEFAULT_KEXEC \
        "# Defaults for kexec initscript\n" \
        "# sourced by /etc/init.d/kexec and /etc/init.d/kexec-load\n\n" \
        "# Load a kexec kernel (true/false)\nLOAD_KEXEC=true\n\n" \
        "# Kernel and initrd image\nKERNEL_IMAGE=\"/vmlinuz\"\nINITRD=\"/initrd.img\"\n\n" \
        "# If empty, use current /proc/cmdline\nAPPEND=\"\"\n\n" \
        "# Load the default kernel from grub config (true/false)\nUSE_GRUB_CONFIG=false\n"

struct fixture {
        char *root;
        struct wb_ctx ctx;
        struct wb_diag diag;
        struct wb_config cfg;
        bool loaded;
};

static int setup(void **state)
{
        struct fixture *fx = calloc(1, sizeof(*fx));

        assert_non_null(fx);
        fx->root = fx_mkdtemp();
        fx->ctx = (struct wb_ctx) { .root = fx->root };
        *state = fx;
        return 0;
}

static int teardown(void **state)
{
        struct fixture *fx = *state;

        if (fx->loaded)
                wb_config_release(&fx->cfg);
        fx_rmtree(fx->root);
        free(fx);
        return 0;
}

static int load(struct fixture *fx)
{
        int r;

        if (fx->loaded)
                wb_config_release(&fx->cfg);
        fx->loaded = false;
        memset(&fx->diag, 0, sizeof(fx->diag));
        r = wb_config_load(&fx->ctx, &fx->cfg, &fx->diag);
        fx->loaded = r == 0;
        return r;
}

static void test_parse_line(void **state)
{
        static const struct {
                const char *line, *name, *value;
        } good[] = {
                { "ENABLED=yes", "ENABLED", "yes" },
                { "  KERNEL=newest  # the highest", "KERNEL", "newest" },
                { "export APPEND=quiet", "APPEND", "quiet" },
                { "APPEND='quiet splash'", "APPEND", "quiet splash" },
                { "CMDLINE=\"root=/dev/sda1 \\\"x\\\" \\\\ $HOME\"", "CMDLINE", "root=/dev/sda1 \"x\" \\ $HOME" },
                { "CMDLINE=a'b c'\"d\"e", "CMDLINE", "ab cde" },
                { "APPEND=a\\ b", "APPEND", "a b" },
                { "APPEND=", "APPEND", "" },
                { "APPEND=\"\"", "APPEND", "" },
                { "A_1=x#y", "A_1", "x#y" },
                { "KERNEL=current\r", "KERNEL", "current" },
        };
        static const char *const bad[] = {
                "this is junk", "KERNEL = newest", "ENABLED=yes please", "APPEND='open",
                "APPEND=\"open", "APPEND=$(cat /etc/x)", "APPEND=`id`", "A=b; reboot", "1A=b",
                "=x", "APPEND=x\\",
        };
        char *name, *value;

        (void)state;
        for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
                if (wb_config_parse_line(good[i].line, &name, &value) != 0)
                        fail_msg("not parsed: %s", good[i].line);
                assert_string_equal(name, good[i].name);
                assert_string_equal(value, good[i].value);
                free(name);
                free(value);
        }
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
                if (wb_config_parse_line(bad[i], &name, &value) != -EINVAL)
                        fail_msg("parsed: %s", bad[i]);
        assert_int_equal(wb_config_parse_line("   # comment", &name, &value), 0);
        assert_null(name);
        assert_int_equal(wb_config_parse_line("", &name, &value), 0);
        assert_null(name);
}

static void test_defaults(void **state)
{
        struct fixture *fx = *state;

        assert_int_equal(load(fx), 0);
        assert_false(fx->cfg.enabled);
        assert_int_equal(fx->cfg.kernel, WB_KERNEL_CURRENT);
        assert_int_equal(fx->cfg.initrd, WB_INITRD_AUTO);
        assert_null(fx->cfg.cmdline);
        assert_string_equal(fx->cfg.append, "");
        assert_int_equal(fx->cfg.syscall, WB_SYSCALL_AUTO);
        assert_int_equal(fx->cfg.enabled_source, WB_SOURCE_DEFAULT);
        assert_int_equal(fx->cfg.nwarnings, 0);
}

static void test_every_key(void **state)
{
        struct fixture *fx = *state;

        fx_put(fx->root, WB_CONFIG_PATH,
               "# comment\n\nENABLED=yes\nKERNEL=/boot/bzImage # mine\nINITRD='/boot/my initrd.img'\n"
               "CMDLINE=\"root=/dev/sda1 ro\"\nAPPEND=quiet\nSYSCALL=file\n");
        assert_int_equal(load(fx), 0);
        assert_true(fx->cfg.enabled);
        assert_int_equal(fx->cfg.enabled_source, WB_SOURCE_WARMBOOT);
        assert_int_equal(fx->cfg.kernel, WB_KERNEL_PATH);
        assert_string_equal(fx->cfg.kernel_path, "/boot/bzImage");
        assert_int_equal(fx->cfg.initrd, WB_INITRD_PATH);
        assert_string_equal(fx->cfg.initrd_path, "/boot/my initrd.img");
        assert_string_equal(fx->cfg.cmdline, "root=/dev/sda1 ro");
        assert_string_equal(fx->cfg.append, "quiet");
        assert_int_equal(fx->cfg.syscall, WB_SYSCALL_FILE);

        /* The last assignment wins, as in a shell; named policies clear the path. */
        fx_put(fx->root, WB_CONFIG_PATH,
               "KERNEL=/x\nKERNEL=grub-default\nINITRD=none\nCMDLINE=x\nCMDLINE=reuse\nSYSCALL=classic\n"
               "ENABLED=true\nENABLED=no\n");
        assert_int_equal(load(fx), 0);
        assert_false(fx->cfg.enabled);
        assert_int_equal(fx->cfg.kernel, WB_KERNEL_GRUB);
        assert_null(fx->cfg.kernel_path);
        assert_int_equal(fx->cfg.initrd, WB_INITRD_NONE);
        assert_null(fx->cfg.cmdline);
        assert_int_equal(fx->cfg.syscall, WB_SYSCALL_CLASSIC);
}

static void test_warnings(void **state)
{
        struct fixture *fx = *state;

        fx_put(fx->root, WB_CONFIG_PATH, "ENABLED=yes\nthis is junk\nFOO=bar\nKERNEL=newest\n");
        assert_int_equal(load(fx), 0);
        assert_true(fx->cfg.enabled);
        assert_int_equal(fx->cfg.kernel, WB_KERNEL_NEWEST);
        assert_int_equal(fx->cfg.nwarnings, 2);
        assert_string_equal(fx->cfg.warnings[0], "/etc/warmboot.conf:2: not a KEY=value line, ignored");
        assert_string_equal(fx->cfg.warnings[1], "/etc/warmboot.conf:3: unknown key FOO, ignored");
}

static void test_bad_values(void **state)
{
        static const struct {
                const char *text, *reason;
        } cases[] = {
                { "ENABLED=maybe\n", "ENABLED=maybe: want yes or no" },
                { "\nKERNEL=vmlinuz\n", "KERNEL=vmlinuz: want current, newest, grub-default, bls or an absolute path" },
                { "INITRD=initrd.img\n", "INITRD=initrd.img: want auto, none or an absolute path" },
                { "SYSCALL=fast\n", "SYSCALL=fast: want auto, file or classic" },
        };
        static const char *const paths[] = {
                "/etc/warmboot.conf:1", "/etc/warmboot.conf:2", "/etc/warmboot.conf:1", "/etc/warmboot.conf:1",
        };
        struct fixture *fx = *state;

        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                fx_put(fx->root, WB_CONFIG_PATH, cases[i].text);
                assert_int_equal(load(fx), -EINVAL);
                assert_string_equal(fx->diag.path, paths[i]);
                assert_string_equal(fx->diag.reason, cases[i].reason);
        }
}

static void test_limits(void **state)
{
        struct fixture *fx = *state;
        char *big = malloc(WB_CONFIG_MAX_SIZE + 2);

        assert_non_null(big);
        /* A line past the limit. */
        memset(big, 'a', WB_CONFIG_MAX_LINE + 1);
        memcpy(big, "APPEND=", 7);
        big[WB_CONFIG_MAX_LINE + 1] = '\0';
        fx_put(fx->root, WB_CONFIG_PATH, big);
        assert_int_equal(load(fx), -EFBIG);
        assert_string_equal(fx->diag.path, WB_CONFIG_PATH);
        /* A file past the limit. */
        memset(big, '#', WB_CONFIG_MAX_SIZE + 1);
        big[WB_CONFIG_MAX_SIZE + 1] = '\0';
        fx_put(fx->root, WB_CONFIG_PATH, big);
        assert_int_equal(load(fx), -EFBIG);
        free(big);
        /* NUL bytes: not a text file. */
        free(fx_write(fx->root, WB_CONFIG_PATH, "ENABLED=yes\0\n", 13));
        assert_int_equal(load(fx), -EINVAL);
}

static void test_debian_alone(void **state)
{
        struct fixture *fx = *state;

        fx_put(fx->root, WB_CONFIG_DEBIAN_PATH, DEBIAN_DEFAULT_KEXEC);
        assert_int_equal(load(fx), 0);
        assert_true(fx->cfg.enabled);
        assert_int_equal(fx->cfg.enabled_source, WB_SOURCE_DEBIAN);
        assert_int_equal(fx->cfg.kernel, WB_KERNEL_PATH);
        assert_string_equal(fx->cfg.kernel_path, "/vmlinuz");
        assert_int_equal(fx->cfg.initrd, WB_INITRD_PATH);
        assert_string_equal(fx->cfg.initrd_path, "/initrd.img");
        assert_null(fx->cfg.cmdline);
        /* A sourced script: its other lines are not warned about. */
        assert_int_equal(fx->cfg.nwarnings, 0);

        /* APPEND there is the whole line; an empty INITRD means none; grub replaces the image. */
        fx_put(fx->root, WB_CONFIG_DEBIAN_PATH,
               "LOAD_KEXEC=false\nKERNEL_IMAGE=/boot/vmlinuz\nINITRD=\"\"\nAPPEND=\"root=/dev/sda1 quiet\"\n"
               "if [ -f /etc/x ]; then . /etc/x; fi\n");
        assert_int_equal(load(fx), 0);
        assert_false(fx->cfg.enabled);
        assert_int_equal(fx->cfg.initrd, WB_INITRD_NONE);
        assert_string_equal(fx->cfg.cmdline, "root=/dev/sda1 quiet");
        assert_string_equal(fx->cfg.append, "");

        fx_put(fx->root, WB_CONFIG_DEBIAN_PATH, "LOAD_KEXEC=true\nKERNEL_IMAGE=/vmlinuz\nINITRD=/initrd.img\n"
               "USE_GRUB_CONFIG=true\n");
        assert_int_equal(load(fx), 0);
        assert_int_equal(fx->cfg.kernel, WB_KERNEL_GRUB);
        assert_int_equal(fx->cfg.initrd, WB_INITRD_AUTO);

        fx_put(fx->root, WB_CONFIG_DEBIAN_PATH, "LOAD_KEXEC=perhaps\n");
        assert_int_equal(load(fx), -EINVAL);
        assert_string_equal(fx->diag.path, "/etc/default/kexec:1");
}

static void test_warmboot_wins(void **state)
{
        struct fixture *fx = *state;

        fx_put(fx->root, WB_CONFIG_DEBIAN_PATH, DEBIAN_DEFAULT_KEXEC);
        fx_put(fx->root, WB_CONFIG_PATH, "ENABLED=no\nKERNEL=newest\n");
        assert_int_equal(load(fx), 0);
        assert_false(fx->cfg.enabled);
        assert_int_equal(fx->cfg.enabled_source, WB_SOURCE_WARMBOOT);
        assert_int_equal(fx->cfg.kernel, WB_KERNEL_NEWEST);
        /* Debian's INITRD went with its KERNEL_IMAGE: the newest kernel's own initrd now. */
        assert_int_equal(fx->cfg.initrd, WB_INITRD_AUTO);
        assert_null(fx->cfg.initrd_path);

        /* Keys warmboot.conf does not set stay Debian's. */
        fx_put(fx->root, WB_CONFIG_PATH, "APPEND=quiet\n");
        assert_int_equal(load(fx), 0);
        assert_true(fx->cfg.enabled);
        assert_string_equal(fx->cfg.kernel_path, "/vmlinuz");
        assert_string_equal(fx->cfg.initrd_path, "/initrd.img");
        assert_string_equal(fx->cfg.append, "quiet");
}

static void test_set_enabled_creates(void **state)
{
        struct fixture *fx = *state;
        char *text;

        assert_int_equal(wb_config_set_enabled(&fx->ctx, true, &fx->diag), 0);
        text = fx_read(fx->root, WB_CONFIG_PATH);
        assert_non_null(text);
        /* The template with its ENABLED line set; every other key commented out. */
        assert_non_null(strstr(text, "\nENABLED=yes\n"));
        assert_null(strstr(text, "ENABLED=no"));
        assert_non_null(strstr(text, "#KERNEL=current\n"));
        free(text);
        assert_int_equal(load(fx), 0);
        assert_true(fx->cfg.enabled);
        assert_int_equal(fx->cfg.nwarnings, 0);
        assert_int_equal(wb_config_set_enabled(&fx->ctx, false, &fx->diag), 0);
        assert_int_equal(load(fx), 0);
        assert_false(fx->cfg.enabled);
}

static void test_set_enabled_keeps_lines(void **state)
{
        struct fixture *fx = *state;
        struct stat st;
        char *text, *path;

        path = fx_write_str(fx->root, WB_CONFIG_PATH,
                            "# mine\nKERNEL=newest   # keep this\n  ENABLED=\"no\"  # was off\n#ENABLED=yes\n"
                            "junk line\nENABLED=no\nAPPEND=quiet");
        assert_int_equal(chmod(path, 0600), 0);
        assert_int_equal(wb_config_set_enabled(&fx->ctx, true, &fx->diag), 0);
        text = fx_read(fx->root, WB_CONFIG_PATH);
        assert_string_equal(text, "# mine\nKERNEL=newest   # keep this\nENABLED=yes\n#ENABLED=yes\n"
                                  "junk line\nAPPEND=quiet\n");
        free(text);
        assert_int_equal(stat(path, &st), 0);
        assert_int_equal(st.st_mode & 07777, 0600);
        free(path);

        /* No ENABLED line: one is added at the end. */
        fx_put(fx->root, WB_CONFIG_PATH, "KERNEL=bls\n");
        assert_int_equal(wb_config_set_enabled(&fx->ctx, false, &fx->diag), 0);
        text = fx_read(fx->root, WB_CONFIG_PATH);
        assert_string_equal(text, "KERNEL=bls\nENABLED=no\n");
        free(text);
}

static void test_cold_flag(void **state)
{
        struct fixture *fx = *state;
        bool pending = true;

        assert_int_equal(wb_state_cold_pending(&fx->ctx, &pending, &fx->diag), 0);
        assert_false(pending);
        assert_int_equal(wb_state_set_cold(&fx->ctx, &fx->diag), 0);
        assert_int_equal(wb_state_cold_pending(&fx->ctx, &pending, &fx->diag), 0);
        assert_true(pending);
        assert_int_equal(wb_state_clear_cold(&fx->ctx, &fx->diag), 0);
        assert_int_equal(wb_state_cold_pending(&fx->ctx, &pending, &fx->diag), 0);
        assert_false(pending);
        /* kexec-tools' own one-shot flag means the same. */
        fx_put(fx->root, "/no-kexec-reboot", "");
        assert_int_equal(wb_state_cold_pending(&fx->ctx, &pending, &fx->diag), 0);
        assert_true(pending);
        assert_int_equal(wb_state_clear_cold(&fx->ctx, &fx->diag), 0);
        assert_int_equal(wb_state_cold_pending(&fx->ctx, &pending, &fx->diag), 0);
        assert_false(pending);
}

static void test_next_kernel_record(void **state)
{
        struct fixture *fx = *state;
        char *version = NULL, *image = NULL, *text;

        assert_int_equal(wb_state_next_kernel(&fx->ctx, &version, &image, &fx->diag), -ENOENT);
        fx_put(fx->root, WB_STATE_BOOT_ID_PATH, "5b6c2e8a-1111-4222-8333-944455556666\n");
        assert_int_equal(wb_state_kernel_installed(&fx->ctx, "6.1.0-10-amd64", "/boot/vmlinuz-6.1.0-10-amd64",
                                                   &fx->diag), 0);
        text = fx_read(fx->root, WB_STATE_NEXT_KERNEL_PATH);
        assert_non_null(strstr(text, "\nVERSION='6.1.0-10-amd64'\nIMAGE='/boot/vmlinuz-6.1.0-10-amd64'\n"
                                     "BOOT_ID='5b6c2e8a-1111-4222-8333-944455556666'\n"));
        free(text);
        assert_int_equal(wb_state_next_kernel(&fx->ctx, &version, &image, &fx->diag), 0);
        assert_string_equal(version, "6.1.0-10-amd64");
        assert_string_equal(image, "/boot/vmlinuz-6.1.0-10-amd64");
        free(version);
        free(image);

        /* Malformed records are reported, and a removal drops them. */
        fx_put(fx->root, WB_STATE_NEXT_KERNEL_PATH, "IMAGE=/boot/x\n");
        assert_int_equal(wb_state_next_kernel(&fx->ctx, &version, &image, &fx->diag), -EINVAL);
        assert_string_equal(fx->diag.path, WB_STATE_NEXT_KERNEL_PATH);
        assert_int_equal(wb_state_kernel_removed(&fx->ctx, "6.1.0-10-amd64", &fx->diag), 0);
        assert_int_equal(wb_state_next_kernel(&fx->ctx, &version, &image, &fx->diag), -ENOENT);
        assert_int_equal(wb_state_kernel_installed(&fx->ctx, "6.1", "relative/path", &fx->diag), -EINVAL);
}

static void test_kexec_state(void **state)
{
        struct fixture *fx = *state;
        struct wb_kexec_state st;

        /* No kexec in the kernel at all. */
        assert_int_equal(wb_kexec_state_read(&fx->ctx, &st, &fx->diag), 0);
        assert_false(st.supported);
        fx_system(fx->root);
        fx_put(fx->root, "/sys/kernel/kexec_crash_loaded", "1\n");
        fx_put(fx->root, "/proc/sys/kernel/kexec_load_disabled", "1\n");
        fx_put(fx->root, "/sys/kernel/security/lockdown", "none [integrity] confidentiality\n");
        assert_int_equal(wb_kexec_state_read(&fx->ctx, &st, &fx->diag), 0);
        assert_true(st.supported);
        assert_false(st.loaded);
        assert_true(st.crash_loaded);
        assert_true(st.load_disabled);
        assert_true(st.locked_down);
        assert_string_equal(st.lockdown, "integrity");
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_parse_line),
                cmocka_unit_test_setup_teardown(test_defaults, setup, teardown),
                cmocka_unit_test_setup_teardown(test_every_key, setup, teardown),
                cmocka_unit_test_setup_teardown(test_warnings, setup, teardown),
                cmocka_unit_test_setup_teardown(test_bad_values, setup, teardown),
                cmocka_unit_test_setup_teardown(test_limits, setup, teardown),
                cmocka_unit_test_setup_teardown(test_debian_alone, setup, teardown),
                cmocka_unit_test_setup_teardown(test_warmboot_wins, setup, teardown),
                cmocka_unit_test_setup_teardown(test_set_enabled_creates, setup, teardown),
                cmocka_unit_test_setup_teardown(test_set_enabled_keeps_lines, setup, teardown),
                cmocka_unit_test_setup_teardown(test_cold_flag, setup, teardown),
                cmocka_unit_test_setup_teardown(test_next_kernel_record, setup, teardown),
                cmocka_unit_test_setup_teardown(test_kexec_state, setup, teardown),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
