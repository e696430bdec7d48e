// SPDX-License-Identifier: MIT
/*
 * wb_explain_kexec_error: every errno the kernel's kexec paths return
 * becomes a reason a user can act on, and EPERM, which the kernel uses
 * for four causes, is told apart from the system's state (fixture files
 * under the context's root).
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

#include <warmboot/ctx.h>
#include <warmboot/error.h>

#include "fixtures.h"

#define GENERIC_EPERM \
        "operation not permitted (kexec needs CAP_SYS_BOOT, and can be disabled by sysctl kernel.kexec_load_disabled or by lockdown)"
#define DISABLED \
        "kexec is disabled on this system (sysctl kernel.kexec_load_disabled=1, which stays set until the next boot)"
#define NO_CAP "permission denied: loading a kernel needs root (the CAP_SYS_BOOT capability)"
#define LOCKDOWN_FILE(mode) \
        "the kernel is locked down (" mode ") and refused the load; only a kernel signed with a trusted key can be loaded"
#define LOCKDOWN_CLASSIC(mode) \
        "the kernel is locked down (" mode "), which forbids kexec_load; use kexec_file_load (-s) with a signed kernel"

struct fixture {
        char *root;
        struct wb_ctx ctx;
};

static int setup(void **state)
{
        struct fixture *fx = calloc(1, sizeof(*fx));

        assert_non_null(fx);
        fx->root = fx_mkdtemp();
        fx_system(fx->root);
        /* Explaining only reads files: no seam. */
        fx->ctx = (struct wb_ctx) { .root = fx->root };
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

static const char *explain(const struct fixture *fx, int err, enum wb_syscall sc, bool crash,
                           char *buf, size_t size)
{
        const char *r = wb_explain_kexec_error(&fx->ctx, err, sc, crash, buf, size);

        /* The answer is always the caller's buffer. */
        assert_ptr_equal(r, buf);
        return r;
}

static const struct {
        int err;
        enum wb_syscall syscall;
        bool crash;
        const char *want;
} errno_cases[] = {
        { -ENOSYS, WB_SYSCALL_FILE, false,
          "this kernel has no kexec_file_load (built without CONFIG_KEXEC_FILE); try kexec_load (-c)" },
        { -ENOSYS, WB_SYSCALL_AUTO, false,
          "this kernel has no kexec_file_load (built without CONFIG_KEXEC_FILE); try kexec_load (-c)" },
        { -ENOSYS, WB_SYSCALL_CLASSIC, false,
          "this kernel has no kexec_load (built without CONFIG_KEXEC)" },
        { -ENOEXEC, WB_SYSCALL_FILE, false,
          "the running kernel's kexec_file_load does not accept this image (it takes 64-bit relocatable bzImages, boot protocol 2.12 or newer)" },
        { -ENOEXEC, WB_SYSCALL_CLASSIC, false, "the running kernel refused the image" },
        { -EKEYREJECTED, WB_SYSCALL_FILE, false,
          "the kernel rejected the image's signature: this kernel only loads images signed by a key it trusts (Secure Boot, lockdown or CONFIG_KEXEC_SIG_FORCE), and refuses kexec_load as well" },
        { -ENOKEY, WB_SYSCALL_FILE, false,
          "the image is not signed by a key the kernel knows, and this kernel only loads signed images (Secure Boot, lockdown or CONFIG_KEXEC_SIG_FORCE)" },
        { -EBADMSG, WB_SYSCALL_FILE, false,
          "the image's signature is malformed, and this kernel only loads signed images (Secure Boot, lockdown or CONFIG_KEXEC_SIG_FORCE)" },
        { -ENOPKG, WB_SYSCALL_FILE, false,
          "the kernel cannot check the image's signature (a hash or signature algorithm is missing from it), and it only loads signed images" },
        { -EBUSY, WB_SYSCALL_FILE, false, "another kexec load or a reboot is under way; try again" },
        { -EBUSY, WB_SYSCALL_CLASSIC, true, "another kexec load or a reboot is under way; try again" },
        { -ENOMEM, WB_SYSCALL_FILE, false, "not enough free memory for the new kernel and its initrd" },
        { -ENOMEM, WB_SYSCALL_FILE, true,
          "the crash kernel and its initrd do not fit in the crashkernel= reservation; reserve more memory or use a smaller initrd" },
        { -EADDRNOTAVAIL, WB_SYSCALL_FILE, false, "no free physical memory range fits the new kernel" },
        { -EADDRNOTAVAIL, WB_SYSCALL_FILE, true,
          "no room for the crash kernel: is memory reserved with crashkernel=, and is it large enough?" },
        { -EINVAL, WB_SYSCALL_FILE, false,
          "the kernel refused the arguments (often a command line too long for this kernel, or a flag it does not know)" },
        { -EINVAL, WB_SYSCALL_CLASSIC, false, "the kernel refused the segment list" },
        { -EFBIG, WB_SYSCALL_FILE, false, "the kernel or initrd is too large for the kernel to read" },
        { -E2BIG, WB_SYSCALL_FILE, false, "the kernel or initrd is too large for the kernel to read" },
        /* Anything else names the syscall and the errno. */
        { -EIO, WB_SYSCALL_FILE, false, "kexec_file_load failed: Input/output error" },
        { -EIO, WB_SYSCALL_CLASSIC, false, "kexec_load failed: Input/output error" },
        /* Automatic means kexec_file_load here, as in every other branch. */
        { -EIO, WB_SYSCALL_AUTO, false, "kexec_file_load failed: Input/output error" },
        { -ETXTBSY, WB_SYSCALL_FILE, false, "kexec_file_load failed: Text file busy" },
        /* On a healthy system EPERM has no particular cause to name. */
        { -EPERM, WB_SYSCALL_FILE, false, GENERIC_EPERM },
        { -EPERM, WB_SYSCALL_CLASSIC, true, GENERIC_EPERM },
};

static void test_errnos(void **state)
{
        struct fixture *fx = *state;
        char buf[WB_DIAG_REASON_MAX];

        for (size_t i = 0; i < sizeof(errno_cases) / sizeof(errno_cases[0]); i++) {
                const char *got = explain(fx, errno_cases[i].err, errno_cases[i].syscall,
                                          errno_cases[i].crash, buf, sizeof(buf));

                if (strcmp(got, errno_cases[i].want) != 0)
                        fail_msg("errno %d (%s, crash %d): got '%s', want '%s'", -errno_cases[i].err,
                                 wb_syscall_name(errno_cases[i].syscall), errno_cases[i].crash,
                                 got, errno_cases[i].want);
        }
}

/* A small buffer gets a cut, NUL-terminated line. */
static void test_small_buffer(void **state)
{
        struct fixture *fx = *state;
        char buf[17];

        memset(buf, 'X', sizeof(buf));
        explain(fx, -EBUSY, WB_SYSCALL_FILE, false, buf, sizeof(buf));
        assert_string_equal(buf, "another kexec lo");
        memset(buf, 'X', sizeof(buf));
        explain(fx, -EPERM, WB_SYSCALL_FILE, false, buf, sizeof(buf));
        assert_int_equal(strlen(buf), sizeof(buf) - 1);
        memset(buf, 'X', sizeof(buf));
        explain(fx, -EIO, WB_SYSCALL_FILE, false, buf, sizeof(buf));
        assert_int_equal(strlen(buf), sizeof(buf) - 1);
}

static void expect_eperm(const struct fixture *fx, enum wb_syscall sc, bool crash, const char *want)
{
        char buf[WB_DIAG_REASON_MAX];

        explain(fx, -EPERM, sc, crash, buf, sizeof(buf));
        if (strcmp(buf, want) != 0)
                fail_msg("EPERM (%s, crash %d): got '%s', want '%s'", wb_syscall_name(sc), crash, buf, want);
}

static void test_eperm_disabled(void **state)
{
        struct fixture *fx = *state;

        fx_put(fx->root, "/proc/sys/kernel/kexec_load_disabled", "1\n");
        expect_eperm(fx, WB_SYSCALL_FILE, false, DISABLED);
        expect_eperm(fx, WB_SYSCALL_CLASSIC, true, DISABLED);
        /* It is the first cause looked at: it wins over all the others. */
        fx_put(fx->root, "/proc/self/status", "Name:\tkexec\nCapEff:\t0000000000000000\n");
        fx_put(fx->root, "/sys/kernel/security/lockdown", "none [integrity] confidentiality\n");
        fx_put(fx->root, "/proc/sys/kernel/kexec_load_limit_reboot", "0\n");
        expect_eperm(fx, WB_SYSCALL_FILE, false, DISABLED);
}

static void test_eperm_no_capability(void **state)
{
        struct fixture *fx = *state;

        fx_put(fx->root, "/proc/self/status",
               "Name:\tkexec\nUid:\t1000\t1000\t1000\t1000\nCapInh:\t0000000000000000\n"
               "CapPrm:\t0000000000000000\nCapEff:\t0000000000000000\nCapBnd:\t000001ffffffffff\n");
        expect_eperm(fx, WB_SYSCALL_FILE, false, NO_CAP);
        expect_eperm(fx, WB_SYSCALL_CLASSIC, true, NO_CAP);

        /* Every capability but CAP_SYS_BOOT (bit 22). */
        fx_put(fx->root, "/proc/self/status", "Name:\tkexec\nCapEff:\t000001ffffbfffff\n");
        expect_eperm(fx, WB_SYSCALL_FILE, false, NO_CAP);

        /* CAP_SYS_BOOT alone is enough. */
        fx_put(fx->root, "/proc/self/status", "Name:\tkexec\nCapEff:\t0000000000400000\n");
        expect_eperm(fx, WB_SYSCALL_FILE, false, GENERIC_EPERM);

        /* CapEff must be the effective set, not the bounding set next to it. */
        fx_put(fx->root, "/proc/self/status",
               "Name:\tkexec\nCapBnd:\t0000000000000000\nCapEff:\t0000000000400000\n");
        expect_eperm(fx, WB_SYSCALL_FILE, false, GENERIC_EPERM);
}

static void test_eperm_lockdown(void **state)
{
        struct fixture *fx = *state;

        fx_put(fx->root, "/sys/kernel/security/lockdown", "none [integrity] confidentiality\n");
        /* kexec_file_load can still take signed kernels; kexec_load never. */
        expect_eperm(fx, WB_SYSCALL_FILE, false, LOCKDOWN_FILE("integrity"));
        expect_eperm(fx, WB_SYSCALL_AUTO, false, LOCKDOWN_FILE("integrity"));
        expect_eperm(fx, WB_SYSCALL_CLASSIC, false, LOCKDOWN_CLASSIC("integrity"));
        expect_eperm(fx, WB_SYSCALL_FILE, true, LOCKDOWN_FILE("integrity"));

        fx_put(fx->root, "/sys/kernel/security/lockdown", "none integrity [confidentiality]\n");
        expect_eperm(fx, WB_SYSCALL_FILE, false, LOCKDOWN_FILE("confidentiality"));
        expect_eperm(fx, WB_SYSCALL_CLASSIC, false, LOCKDOWN_CLASSIC("confidentiality"));

        /* Not locked down, and a lockdown file without a selection means nothing. */
        fx_put(fx->root, "/sys/kernel/security/lockdown", "[none] integrity confidentiality\n");
        expect_eperm(fx, WB_SYSCALL_CLASSIC, false, GENERIC_EPERM);
        fx_put(fx->root, "/sys/kernel/security/lockdown", "none integrity confidentiality\n");
        expect_eperm(fx, WB_SYSCALL_CLASSIC, false, GENERIC_EPERM);
        fx_put(fx->root, "/sys/kernel/security/lockdown", "");
        expect_eperm(fx, WB_SYSCALL_CLASSIC, false, GENERIC_EPERM);
}

/* EACCES: IMA's Secure Boot policy refuses every kexec_load (seen in the secureboot guest test). */
static void test_eacces(void **state)
{
        struct fixture *fx = *state;
        char buf[WB_DIAG_REASON_MAX];

        fx_put(fx->root, "/sys/kernel/security/lockdown", "none [integrity] confidentiality\n");
        assert_string_equal(explain(fx, -EACCES, WB_SYSCALL_CLASSIC, false, buf, sizeof(buf)),
                            "the kernel is locked down (integrity), and its IMA policy refuses kexec_load, whose kernel it cannot appraise; use kexec_file_load (-s) with a signed kernel");
        assert_string_equal(explain(fx, -EACCES, WB_SYSCALL_FILE, false, buf, sizeof(buf)),
                            "a security module of the kernel (IMA appraisal, SELinux, ...) refused the image");
        assert_string_equal(explain(fx, -EACCES, WB_SYSCALL_AUTO, true, buf, sizeof(buf)),
                            "a security module of the kernel (IMA appraisal, SELinux, ...) refused the image");
        fx_put(fx->root, "/sys/kernel/security/lockdown", "[none] integrity confidentiality\n");
        assert_string_equal(explain(fx, -EACCES, WB_SYSCALL_CLASSIC, false, buf, sizeof(buf)),
                            "the kernel's IMA policy (or another security module) refuses kexec_load, whose kernel it cannot appraise; use kexec_file_load (-s)");
}

static void test_eperm_load_limit(void **state)
{
        struct fixture *fx = *state;

        fx_put(fx->root, "/proc/sys/kernel/kexec_load_limit_reboot", "0\n");
        expect_eperm(fx, WB_SYSCALL_FILE, false, "no more loads are allowed (sysctl kernel.kexec_load_limit_reboot is 0)");
        /* That limit is for normal loads only: a panic load has its own. */
        expect_eperm(fx, WB_SYSCALL_FILE, true, GENERIC_EPERM);

        fx_put(fx->root, "/proc/sys/kernel/kexec_load_limit_panic", "0\n");
        expect_eperm(fx, WB_SYSCALL_FILE, true, "no more loads are allowed (sysctl kernel.kexec_load_limit_panic is 0)");

        /* -1 (the default) and positive values leave loads allowed. */
        fx_put(fx->root, "/proc/sys/kernel/kexec_load_limit_reboot", "-1\n");
        expect_eperm(fx, WB_SYSCALL_FILE, false, GENERIC_EPERM);
        fx_put(fx->root, "/proc/sys/kernel/kexec_load_limit_reboot", "3\n");
        expect_eperm(fx, WB_SYSCALL_FILE, false, GENERIC_EPERM);
}

/* Lockdown is looked at before the load limits. */
static void test_eperm_order(void **state)
{
        struct fixture *fx = *state;

        fx_put(fx->root, "/proc/sys/kernel/kexec_load_limit_reboot", "0\n");
        fx_put(fx->root, "/sys/kernel/security/lockdown", "none [integrity] confidentiality\n");
        expect_eperm(fx, WB_SYSCALL_FILE, false, LOCKDOWN_FILE("integrity"));
        fx_put(fx->root, "/proc/self/status", "Name:\tkexec\nCapEff:\t0000000000000000\n");
        expect_eperm(fx, WB_SYSCALL_FILE, false, NO_CAP);
}

/* With none of the files (a kernel without these features, or an empty root): the generic line. */
static void test_eperm_nothing_set(void **state)
{
        char *empty = fx_mkdtemp();
        struct wb_ctx ctx = { .root = empty };
        char buf[WB_DIAG_REASON_MAX];

        (void)state;
        wb_explain_kexec_error(&ctx, -EPERM, WB_SYSCALL_FILE, false, buf, sizeof(buf));
        assert_string_equal(buf, GENERIC_EPERM);
        wb_explain_kexec_error(&ctx, -EPERM, WB_SYSCALL_CLASSIC, true, buf, sizeof(buf));
        assert_string_equal(buf, GENERIC_EPERM);
        fx_rmtree(empty);
}

/* Unreadable values are not causes: garbage in the sysctl files is ignored. */
static void test_eperm_garbage(void **state)
{
        struct fixture *fx = *state;

        fx_put(fx->root, "/proc/sys/kernel/kexec_load_disabled", "yes\n");
        fx_put(fx->root, "/proc/self/status", "Name:\tkexec\nCapEff:\tzzzz\n");
        fx_put(fx->root, "/proc/sys/kernel/kexec_load_limit_reboot", "none\n");
        expect_eperm(fx, WB_SYSCALL_FILE, false, GENERIC_EPERM);
}

static void test_syscall_names(void **state)
{
        (void)state;
        assert_string_equal(wb_syscall_name(WB_SYSCALL_FILE), "kexec_file_load");
        assert_string_equal(wb_syscall_name(WB_SYSCALL_CLASSIC), "kexec_load");
        assert_string_equal(wb_syscall_name(WB_SYSCALL_AUTO), "automatic");
}

static void test_diag_set(void **state)
{
        struct wb_diag diag;
        char long_reason[WB_DIAG_REASON_MAX * 2];

        (void)state;
        /* Positive or negative errno in, negative out. */
        assert_int_equal(wb_diag_set(&diag, EINVAL, "/x", "bad %d", 7), -EINVAL);
        assert_string_equal(diag.path, "/x");
        assert_string_equal(diag.reason, "bad 7");
        assert_int_equal(wb_diag_set(&diag, -ENOENT, NULL, "gone"), -ENOENT);
        assert_string_equal(diag.path, "");
        assert_int_equal(wb_diag_set(NULL, EIO, "/x", "nowhere"), -EIO);

        memset(long_reason, 'r', sizeof(long_reason) - 1);
        long_reason[sizeof(long_reason) - 1] = '\0';
        wb_diag_set(&diag, EIO, NULL, "%s", long_reason);
        assert_int_equal(strlen(diag.reason), WB_DIAG_REASON_MAX - 1);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test_setup_teardown(test_errnos, setup, teardown),
                cmocka_unit_test_setup_teardown(test_small_buffer, setup, teardown),
                cmocka_unit_test_setup_teardown(test_eperm_disabled, setup, teardown),
                cmocka_unit_test_setup_teardown(test_eperm_no_capability, setup, teardown),
                cmocka_unit_test_setup_teardown(test_eperm_lockdown, setup, teardown),
                cmocka_unit_test_setup_teardown(test_eacces, setup, teardown),
                cmocka_unit_test_setup_teardown(test_eperm_load_limit, setup, teardown),
                cmocka_unit_test_setup_teardown(test_eperm_order, setup, teardown),
                cmocka_unit_test(test_eperm_nothing_set),
                cmocka_unit_test_setup_teardown(test_eperm_garbage, setup, teardown),
                cmocka_unit_test(test_syscall_names),
                cmocka_unit_test(test_diag_set),
        };

        return cmocka_run_group_tests_name("explain", tests, NULL, NULL);
}
