// SPDX-License-Identifier: MIT
/*
 * Loading, unloading and executing through the seam: the exact arguments
 * the kernel would get, and that nothing reaches it when a check fails.
 * Every call goes to the fake seam (fake_sys.c), never to the kernel.
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

#include <linux/kexec.h>

#include <warmboot/ctx.h>
#include <warmboot/error.h>
#include <warmboot/image.h>
#include <warmboot/load.h>
#include <warmboot/plan.h>

#include "fake_sys.h"
#include "fixtures.h"

/* sizeof(struct boot_params): the command line follows it in its segment. */
#define BOOT_PARAMS_SIZE 4096

struct fixture {
        char *root;
        char *kernel;           /* a good bzImage */
        char *initrd;
        struct fake_sys fake;
        struct wb_ctx ctx;
        struct wb_load *load;
        struct wb_diag diag;
        int fds_before;
};

static int setup(void **state)
{
        struct fixture *fx = calloc(1, sizeof(*fx));

        assert_non_null(fx);
        fx->fds_before = fx_count_fds();
        fx->root = fx_mkdtemp();
        fx_system(fx->root);
        fx->kernel = fx_bzimage_write(fx->root, "/boot/vmlinuz", NULL);
        fx->initrd = fx_write_str(fx->root, "/boot/initrd.img", "070701 pretend initramfs\n");
        fake_sys_init(&fx->fake, fx->root);
        fx->ctx = (struct wb_ctx) { .root = fx->root, .sys = &fx->fake.sys };
        *state = fx;
        return 0;
}

static int teardown(void **state)
{
        struct fixture *fx = *state;

        wb_load_free(fx->load);
        fake_sys_clear(&fx->fake);
        free(fx->kernel);
        free(fx->initrd);
        fx_rmtree(fx->root);
        /* Every failure path must have closed what it opened. */
        assert_int_equal(fx_count_fds(), fx->fds_before);
        free(fx);
        return 0;
}

static int prepare(struct fixture *fx, const struct wb_load_request *req)
{
        wb_load_free(fx->load);
        fx->load = NULL;
        memset(&fx->diag, 0, sizeof(fx->diag));
        return wb_load_prepare(&fx->ctx, req, &fx->load, &fx->diag);
}

/* fd referred to the file at path when the fake saw it. */
static void assert_same_file(const struct stat *seen, const char *path)
{
        struct stat st;

        assert_int_equal(stat(path, &st), 0);
        assert_int_equal(seen->st_ino, st.st_ino);
        assert_int_equal(seen->st_dev, st.st_dev);
}

static void expect_prepare_failure(struct fixture *fx, const struct wb_load_request *req, int want_err,
                                   const char *want_path, const char *want_reason)
{
        size_t calls_before = fx->fake.ncalls;
        int r = prepare(fx, req);

        if (r != want_err || !strstr(fx->diag.reason, want_reason))
                fail_msg("got %d '%s', want %d with '%s'", r, fx->diag.reason, want_err, want_reason);
        assert_string_equal(fx->diag.path, want_path);
        assert_null(fx->load);
        /* Preparing never calls the kernel, least of all when it fails. */
        assert_int_equal(fx->fake.ncalls, calls_before);
}

static void test_load_with_initrd_and_cmdline(void **state)
{
        struct fixture *fx = *state;
        const char *cmdline = "root=/dev/vda1 ro console=ttyS0";
        const struct fake_call *c;
        bool loaded = true;

        assert_int_equal(prepare(fx, &(struct wb_load_request) {
                                         .kernel_path = fx->kernel,
                                         .initrd_path = fx->initrd,
                                         .cmdline = cmdline,
                                 }), 0);
        assert_int_equal(fx->fake.ncalls, 0);
        assert_int_equal(fx->load->syscall, WB_SYSCALL_FILE);
        assert_false(fx->load->crash);
        assert_true(fx->load->initrd_fd >= 0);
        assert_string_equal(fx->load->initrd_path, fx->initrd);
        assert_string_equal(fx->load->cmdline, cmdline);
        assert_int_equal(fx->load->cmdline_len, strlen(cmdline) + 1);
        assert_int_equal(fx->load->file_flags, 0);

        assert_int_equal(wb_kexec_loaded(&fx->ctx, false, &loaded, &fx->diag), 0);
        assert_false(loaded);
        assert_int_equal(wb_load_commit(&fx->ctx, fx->load, &fx->diag), 0);
        assert_int_equal(fx->fake.ncalls, 1);
        c = fake_sys_call(&fx->fake, FAKE_KEXEC_FILE_LOAD, 0);
        assert_true(c->kernel_stat_ok);
        assert_same_file(&c->kernel_st, fx->kernel);
        assert_true(c->initrd_stat_ok);
        assert_same_file(&c->initrd_st, fx->initrd);
        /* cmdline_len counts the NUL, and the NUL is there. */
        assert_int_equal(c->cmdline_len, strlen(cmdline) + 1);
        assert_memory_equal(c->cmdline, cmdline, strlen(cmdline) + 1);
        assert_int_equal(c->flags, 0);

        assert_int_equal(wb_kexec_loaded(&fx->ctx, false, &loaded, &fx->diag), 0);
        assert_true(loaded);
}

static void test_load_bare(void **state)
{
        struct fixture *fx = *state;
        const struct fake_call *c;

        assert_int_equal(prepare(fx, &(struct wb_load_request) { .kernel_path = fx->kernel }), 0);
        assert_int_equal(fx->load->initrd_fd, -1);
        assert_null(fx->load->initrd_path);
        assert_int_equal(wb_load_commit(&fx->ctx, fx->load, &fx->diag), 0);
        c = fake_sys_call(&fx->fake, FAKE_KEXEC_FILE_LOAD, 0);
        assert_same_file(&c->kernel_st, fx->kernel);
        assert_int_equal(c->initrd_fd, -1);
        assert_false(c->initrd_stat_ok);
        /* No command line is "" with its NUL: length 0 makes bzImage64 write before its buffer. */
        assert_non_null(c->cmdline);
        assert_int_equal(c->cmdline_len, 1);
        assert_int_equal(c->cmdline[0], '\0');
        assert_int_equal(c->flags, KEXEC_FILE_NO_INITRAMFS);

        /* An empty string is the same as none. */
        fake_sys_clear(&fx->fake);
        assert_int_equal(prepare(fx, &(struct wb_load_request) { .kernel_path = fx->kernel, .cmdline = "" }), 0);
        assert_int_equal(wb_load_commit(&fx->ctx, fx->load, &fx->diag), 0);
        c = fake_sys_call(&fx->fake, FAKE_KEXEC_FILE_LOAD, 0);
        assert_int_equal(c->cmdline_len, 1);
        assert_int_equal(c->cmdline[0], '\0');
}

static void test_load_explicit_file_syscall_and_type(void **state)
{
        struct fixture *fx = *state;

        assert_int_equal(prepare(fx, &(struct wb_load_request) {
                                         .kernel_path = fx->kernel,
                                         .syscall = WB_SYSCALL_FILE,
                                         .type = "bzImage64",
                                 }), 0);
        assert_int_equal(fx->load->syscall, WB_SYSCALL_FILE);
        assert_int_equal(wb_load_commit(&fx->ctx, fx->load, &fx->diag), 0);
        assert_int_equal(fake_sys_count(&fx->fake, FAKE_KEXEC_FILE_LOAD), 1);

        expect_prepare_failure(fx, &(struct wb_load_request) { .kernel_path = fx->kernel, .type = "uImage" },
                               -EINVAL, fx->kernel, "unknown image type 'uImage'");
}

static void test_crash_load(void **state)
{
        struct fixture *fx = *state;
        const struct fake_call *c;
        bool loaded;

        assert_int_equal(prepare(fx, &(struct wb_load_request) {
                                         .kernel_path = fx->kernel,
                                         .initrd_path = fx->initrd,
                                         .cmdline = "root=/dev/vda1 irqpoll nr_cpus=1",
                                         .crash = true,
                                 }), 0);
        assert_true(fx->load->crash);
        assert_int_equal(wb_load_commit(&fx->ctx, fx->load, &fx->diag), 0);
        c = fake_sys_call(&fx->fake, FAKE_KEXEC_FILE_LOAD, 0);
        assert_int_equal(c->flags, KEXEC_FILE_ON_CRASH);
        assert_same_file(&c->initrd_st, fx->initrd);
        assert_int_equal(wb_kexec_loaded(&fx->ctx, true, &loaded, &fx->diag), 0);
        assert_true(loaded);
        assert_int_equal(wb_kexec_loaded(&fx->ctx, false, &loaded, &fx->diag), 0);
        assert_false(loaded);

        fake_sys_clear(&fx->fake);
        assert_int_equal(prepare(fx, &(struct wb_load_request) { .kernel_path = fx->kernel, .crash = true }), 0);
        assert_int_equal(wb_load_commit(&fx->ctx, fx->load, &fx->diag), 0);
        c = fake_sys_call(&fx->fake, FAKE_KEXEC_FILE_LOAD, 0);
        assert_int_equal(c->flags, KEXEC_FILE_ON_CRASH | KEXEC_FILE_NO_INITRAMFS);
}

static void test_crash_without_reservation(void **state)
{
        struct fixture *fx = *state;
        const struct wb_load_request req = { .kernel_path = fx->kernel, .crash = true };
        char *p;

        fx_put(fx->root, "/sys/kernel/kexec_crash_size", "0\n");
        expect_prepare_failure(fx, &req, -EADDRNOTAVAIL, fx->kernel, "crashkernel=");
        assert_string_equal(fx->diag.reason,
                            "no memory is reserved for a crash kernel; boot the running kernel with crashkernel=SIZE (e.g. crashkernel=256M) on its command line");
        /* Checked first: even a missing image is not looked at. */
        expect_prepare_failure(fx, &(struct wb_load_request) { .kernel_path = "/nonexistent", .crash = true },
                               -EADDRNOTAVAIL, "/nonexistent", "crashkernel=");

        /* A kernel without crash support has no file at all. */
        p = fx_path(fx->root, "/sys/kernel/kexec_crash_size");
        assert_int_equal(remove(p), 0);
        free(p);
        expect_prepare_failure(fx, &req, -ENOENT, "/sys/kernel/kexec_crash_size",
                               "missing: this kernel has no crash kernel support (CONFIG_CRASH_DUMP)");

        /* A normal load does not care about the reservation. */
        assert_int_equal(prepare(fx, &(struct wb_load_request) { .kernel_path = fx->kernel }), 0);
}

/* Makes a string of n 'x' (malloc'd). */
static char *cmdline_of(size_t n)
{
        char *s = malloc(n + 1);

        assert_non_null(s);
        memset(s, 'x', n);
        s[n] = '\0';
        return s;
}

static void test_cmdline_limits(void **state)
{
        struct fixture *fx = *state;
        /* The image says cmdline_size 2047; kexec_file_load takes 2047 - 31 = 2016 bytes. */
        char *at_limit = cmdline_of(2016);
        char *over = cmdline_of(2017);
        char *over_image = cmdline_of(2048);
        char *over_all = cmdline_of(65537);
        const struct fake_call *c;

        /* -s: one byte over kexec_file_load's limit is refused before the kernel. */
        expect_prepare_failure(fx, &(struct wb_load_request) {
                                       .kernel_path = fx->kernel, .cmdline = over, .syscall = WB_SYSCALL_FILE },
                               -E2BIG, fx->kernel, "command line too long");
        assert_string_equal(fx->diag.reason,
                            "command line too long: 2017 bytes, at most 2016 on kexec_file_load (the image's limit of 2047 less what the kernel keeps for elfcorehdr=)");
        /* The crash load has the same limit (the kernel keeps the room for every load). */
        expect_prepare_failure(fx, &(struct wb_load_request) {
                                       .kernel_path = fx->kernel, .cmdline = over, .crash = true,
                                       .syscall = WB_SYSCALL_FILE },
                               -E2BIG, fx->kernel, "command line too long");
        /* Over the image's own limit, no syscall will do. */
        for (int sc = WB_SYSCALL_AUTO; sc <= WB_SYSCALL_CLASSIC; sc++)
                expect_prepare_failure(fx, &(struct wb_load_request) {
                                               .kernel_path = fx->kernel, .cmdline = over_image,
                                               .syscall = (enum wb_syscall)sc },
                                       -E2BIG, fx->kernel, "command line too long: 2048 bytes, this kernel takes at most 2047");
        expect_prepare_failure(fx, &(struct wb_load_request) { .kernel_path = fx->kernel, .cmdline = over_all },
                               -E2BIG, fx->kernel, "command line too long: 65537 bytes");

        /* Exactly at the limit: kexec_file_load, with the NUL counted. */
        assert_int_equal(prepare(fx, &(struct wb_load_request) { .kernel_path = fx->kernel, .cmdline = at_limit }), 0);
        assert_int_equal(fx->load->syscall, WB_SYSCALL_FILE);
        assert_int_equal(wb_load_commit(&fx->ctx, fx->load, &fx->diag), 0);
        c = fake_sys_call(&fx->fake, FAKE_KEXEC_FILE_LOAD, 0);
        assert_int_equal(c->cmdline_len, 2017);
        assert_memory_equal(c->cmdline, at_limit, 2017);

        /* One over, automatic: kexec_load takes up to the image's limit, so it goes there. */
        fake_sys_clear(&fx->fake);
        assert_int_equal(prepare(fx, &(struct wb_load_request) { .kernel_path = fx->kernel, .cmdline = over }), 0);
        assert_int_equal(fx->load->syscall, WB_SYSCALL_CLASSIC);
        assert_int_equal(wb_load_commit(&fx->ctx, fx->load, &fx->diag), 0);
        assert_int_equal(fx->fake.ncalls, 1);
        c = fake_sys_call(&fx->fake, FAKE_KEXEC_LOAD, 0);
        /* The zero page's segment carries the line right after its 4 KiB, with the NUL. */
        assert_non_null(fake_segment_with(c, BOOT_PARAMS_SIZE, over, 2018));

        free(at_limit);
        free(over);
        free(over_image);
        free(over_all);
}

static void test_initrd_problems(void **state)
{
        struct fixture *fx = *state;
        char *missing = fx_path(fx->root, "/boot/missing.img");
        char *dir = fx_mkdir(fx->root, "/boot/initrd.d");
        char *empty = fx_write(fx->root, "/boot/empty.img", "", 0);

        expect_prepare_failure(fx, &(struct wb_load_request) { .kernel_path = fx->kernel, .initrd_path = missing },
                               -ENOENT, missing, "cannot open: No such file or directory");
        expect_prepare_failure(fx, &(struct wb_load_request) { .kernel_path = fx->kernel, .initrd_path = dir },
                               -EISDIR, dir, "is a directory, not an initrd file");
        expect_prepare_failure(fx, &(struct wb_load_request) { .kernel_path = fx->kernel, .initrd_path = empty },
                               -EINVAL, empty, "initrd is empty");
        expect_prepare_failure(fx, &(struct wb_load_request) { .kernel_path = fx->kernel, .initrd_path = "/dev/null" },
                               -EINVAL, "/dev/null", "not a regular file");
        free(missing);
        free(dir);
        free(empty);
}

static void test_kernel_problems(void **state)
{
        struct fixture *fx = *state;
        char *missing = fx_path(fx->root, "/boot/missing");
        char *junk = fx_write_str(fx->root, "/boot/junk", "not a kernel at all\n");
        struct img_bzimage spec;
        char *old;

        expect_prepare_failure(fx, &(struct wb_load_request) { .kernel_path = NULL },
                               -EINVAL, "", "no kernel image given");
        expect_prepare_failure(fx, &(struct wb_load_request) { .kernel_path = missing, .initrd_path = fx->initrd },
                               -ENOENT, missing, "cannot open: No such file or directory");
        expect_prepare_failure(fx, &(struct wb_load_request) { .kernel_path = junk },
                               -ENOEXEC, junk, "not a kernel image warmboot knows");

        /* A kernel kexec_file_load's bzImage64 loader would refuse is refused before the kernel sees it. */
        img_bzimage_default(&spec);
        spec.version = 0x020b;
        old = fx_bzimage_write(fx->root, "/boot/old", &spec);
        expect_prepare_failure(fx, &(struct wb_load_request) { .kernel_path = old, .syscall = WB_SYSCALL_FILE },
                               -ENOEXEC, old,
                               "kexec_file_load cannot load it: kexec_file_load needs boot protocol 2.12 or newer");
        free(old);
        free(missing);
        free(junk);
}

/* Index of the segment named name in plan; fails the test when there is none. */
static size_t plan_index(const struct wb_plan *plan, const char *name)
{
        for (size_t i = 0; i < plan->n; i++)
                if (strcmp(plan->names[i], name) == 0)
                        return i;
        fail_msg("no %s segment in the plan", name);
        return 0;
}

/* -c: warmboot places the segments itself and kexec_load gets exactly that plan. */
static void test_classic_load(void **state)
{
        struct fixture *fx = *state;
        const char *cmdline = "root=/dev/vda1 console=ttyS0";
        const struct wb_plan *plan;
        const struct fake_call *c;
        uint8_t *image;
        size_t image_len, k, b, p;
        bool loaded;

        assert_int_equal(prepare(fx, &(struct wb_load_request) {
                                         .kernel_path = fx->kernel,
                                         .initrd_path = fx->initrd,
                                         .cmdline = cmdline,
                                         .syscall = WB_SYSCALL_CLASSIC,
                                 }), 0);
        assert_int_equal(fx->fake.ncalls, 0);
        assert_int_equal(fx->load->syscall, WB_SYSCALL_CLASSIC);
        plan = wb_load_plan(fx->load);
        assert_non_null(plan);
        k = plan_index(plan, "kernel");
        b = plan_index(plan, "boot parameters");
        p = plan_index(plan, "purgatory");
        plan_index(plan, "initrd");
        /* Purgatory goes last: its parameters describe all the others. */
        assert_int_equal(p, plan->n - 1);

        assert_int_equal(wb_load_commit(&fx->ctx, fx->load, &fx->diag), 0);
        assert_int_equal(fx->fake.ncalls, 1);
        c = fake_sys_call(&fx->fake, FAKE_KEXEC_LOAD, 0);
        assert_int_equal(c->flags, KEXEC_ARCH_X86_64);
        assert_int_equal(c->entry, plan->entry);
        assert_int_equal(c->nr_segments, plan->n);
        for (size_t i = 0; i < plan->n; i++) {
                assert_int_equal(c->segments[i].mem, plan->segments[i].mem);
                assert_int_equal(c->segments[i].memsz, plan->segments[i].memsz);
                assert_int_equal(c->segments[i].bufsz, plan->segments[i].bufsz);
                /* kexec_load wants page-aligned segments, inside RAM below 1 GiB here. */
                assert_int_equal(c->segments[i].mem % 4096, 0);
                assert_int_equal(c->segments[i].memsz % 4096, 0);
                assert_true(c->segments[i].bufsz <= c->segments[i].memsz);
                assert_true(c->segments[i].mem >= 0x1000);
                assert_true(c->segments[i].mem + c->segments[i].memsz <= 0x3ffe0000);
                for (size_t j = 0; j < i; j++)
                        assert_true(c->segments[j].mem + c->segments[j].memsz <= c->segments[i].mem ||
                                    c->segments[i].mem + c->segments[i].memsz <= c->segments[j].mem);
        }
        /* The entry is purgatory's. */
        assert_in_range(c->entry, c->segments[p].mem, c->segments[p].mem + c->segments[p].memsz - 1);
        /* The kernel segment is the image's protected-mode part, byte for byte. */
        image = fx_bzimage_build(NULL, &image_len);
        assert_int_equal(c->segments[k].bufsz, image_len - 3 * 512);
        assert_memory_equal(c->segments[k].bytes, image + 3 * 512, image_len - 3 * 512);
        free(image);
        /* The initrd's bytes, and the command line after the zero page. */
        assert_non_null(fake_segment_with(c, 0, "070701 pretend initramfs\n", 25));
        assert_true(c->segments[b].bufsz >= BOOT_PARAMS_SIZE + strlen(cmdline) + 1);
        assert_memory_equal(c->segments[b].bytes + BOOT_PARAMS_SIZE, cmdline, strlen(cmdline) + 1);
        /* No kexec_file_load at all. */
        assert_int_equal(fake_sys_count(&fx->fake, FAKE_KEXEC_FILE_LOAD), 0);
        assert_int_equal(wb_kexec_loaded(&fx->ctx, false, &loaded, &fx->diag), 0);
        assert_true(loaded);
}

static void test_classic_problems(void **state)
{
        struct fixture *fx = *state;
        struct img_bzimage spec;
        char *p, *old;

        /* A kernel without a 64-bit entry point. */
        img_bzimage_default(&spec);
        spec.version = 0x020b;
        old = fx_bzimage_write(fx->root, "/boot/old", &spec);
        expect_prepare_failure(fx, &(struct wb_load_request) { .kernel_path = old, .syscall = WB_SYSCALL_CLASSIC },
                               -ENOEXEC, old,
                               "kexec_load enters kernels through the 64-bit entry point, which this one lacks (XLF_KERNEL_64)");
        /* Automatic: neither syscall can, and both reasons are said. */
        expect_prepare_failure(fx, &(struct wb_load_request) { .kernel_path = old },
                               -ENOEXEC, old,
                               "kexec_file_load needs boot protocol 2.12 or newer; and kexec_load enters kernels through the 64-bit entry point");
        free(old);

        /* No memory map to place the segments in. */
        p = fx_path(fx->root, "/proc/iomem");
        assert_int_equal(remove(p), 0);
        free(p);
        expect_prepare_failure(fx, &(struct wb_load_request) { .kernel_path = fx->kernel, .syscall = WB_SYSCALL_CLASSIC },
                               -ENOENT, "/proc/iomem", "cannot read the memory map: No such file or directory");
        /* kexec_file_load needs none. */
        assert_int_equal(prepare(fx, &(struct wb_load_request) { .kernel_path = fx->kernel }), 0);
        assert_int_equal(fx->load->syscall, WB_SYSCALL_FILE);
}

/*
 * Automatic: a kexec_file_load the kernel lacks or whose loader refuses
 * the image is retried with kexec_load; other refusals are the answer.
 */
static void test_auto_fallback(void **state)
{
        struct fixture *fx = *state;
        static const int falls_back[] = { -ENOSYS, -EOPNOTSUPP, -ENOEXEC, -EINVAL };
        static const int final[] = { -EPERM, -EKEYREJECTED, -EBUSY, -ENOMEM };
        char trace[FAKE_TRACE_MAX];
        char want[WB_DIAG_REASON_MAX];

        for (size_t i = 0; i < sizeof(falls_back) / sizeof(falls_back[0]); i++) {
                fake_sys_clear(&fx->fake);
                fx->fake.kexec_file_load_ret = falls_back[i];
                assert_int_equal(prepare(fx, &(struct wb_load_request) {
                                                 .kernel_path = fx->kernel, .initrd_path = fx->initrd }), 0);
                assert_int_equal(fx->load->syscall, WB_SYSCALL_FILE);
                assert_null(wb_load_plan(fx->load));
                assert_int_equal(wb_load_commit(&fx->ctx, fx->load, &fx->diag), 0);
                assert_string_equal(fake_sys_trace(&fx->fake, trace, sizeof(trace)), "kexec_file_load,kexec_load");
                assert_int_equal(fx->load->syscall, WB_SYSCALL_CLASSIC);
                assert_non_null(wb_load_plan(fx->load));
                assert_int_equal(fake_sys_call(&fx->fake, FAKE_KEXEC_LOAD, 0)->nr_segments,
                                 wb_load_plan(fx->load)->n);

                /* -s: no second try. */
                fake_sys_clear(&fx->fake);
                assert_int_equal(prepare(fx, &(struct wb_load_request) {
                                                 .kernel_path = fx->kernel, .syscall = WB_SYSCALL_FILE }), 0);
                assert_int_equal(wb_load_commit(&fx->ctx, fx->load, &fx->diag), falls_back[i]);
                assert_string_equal(fake_sys_trace(&fx->fake, trace, sizeof(trace)), "kexec_file_load");
        }

        for (size_t i = 0; i < sizeof(final) / sizeof(final[0]); i++) {
                fake_sys_clear(&fx->fake);
                fx->fake.kexec_file_load_ret = final[i];
                assert_int_equal(prepare(fx, &(struct wb_load_request) { .kernel_path = fx->kernel }), 0);
                assert_int_equal(wb_load_commit(&fx->ctx, fx->load, &fx->diag), final[i]);
                assert_string_equal(fake_sys_trace(&fx->fake, trace, sizeof(trace)), "kexec_file_load");
                wb_explain_kexec_error(&fx->ctx, final[i], WB_SYSCALL_FILE, false, want, sizeof(want));
                assert_string_equal(fx->diag.reason, want);
                assert_string_equal(fx->diag.path, fx->kernel);
        }

        /* A panic kernel is retried too: kexec_load places it in the reservation. */
        for (size_t i = 0; i < sizeof(falls_back) / sizeof(falls_back[0]); i++) {
                const struct fake_call *c;

                fake_sys_clear(&fx->fake);
                fx->fake.kexec_file_load_ret = falls_back[i];
                assert_int_equal(prepare(fx, &(struct wb_load_request) {
                                                 .kernel_path = fx->kernel, .crash = true }), 0);
                assert_int_equal(wb_load_commit(&fx->ctx, fx->load, &fx->diag), 0);
                assert_string_equal(fake_sys_trace(&fx->fake, trace, sizeof(trace)), "kexec_file_load,kexec_load");
                c = fake_sys_call(&fx->fake, FAKE_KEXEC_LOAD, 0);
                assert_int_equal(c->flags, KEXEC_ARCH_X86_64 | KEXEC_ON_CRASH);
        }

        /* Both refuse: both reasons, against the kernel. */
        fake_sys_clear(&fx->fake);
        fx->fake.kexec_file_load_ret = -ENOSYS;
        fx->fake.kexec_load_ret = -EBUSY;
        assert_int_equal(prepare(fx, &(struct wb_load_request) { .kernel_path = fx->kernel }), 0);
        assert_int_equal(wb_load_commit(&fx->ctx, fx->load, &fx->diag), -EBUSY);
        assert_string_equal(fx->diag.path, fx->kernel);
        assert_string_equal(fx->diag.reason,
                            "kexec_file_load failed (this kernel has no kexec_file_load (built without CONFIG_KEXEC_FILE); try kexec_load (-c)), and so did kexec_load: another kexec load or a reboot is under way; try again");
        assert_string_equal(fake_sys_trace(&fx->fake, trace, sizeof(trace)), "kexec_file_load,kexec_load");
}

/* What the kernel says becomes the explanation, against the kernel's path; nothing changes. */
static void test_kernel_errors(void **state)
{
        struct fixture *fx = *state;
        static const int errs[] = { -EPERM, -ENOEXEC, -EKEYREJECTED, -EBUSY, -ENOMEM, -EINVAL, -EIO };

        for (int crash = 0; crash <= 1; crash++) {
                for (size_t i = 0; i < sizeof(errs) / sizeof(errs[0]); i++) {
                        char want[WB_DIAG_REASON_MAX];
                        bool loaded = true;

                        /* -s: the automatic choice would retry some of these with kexec_load. */
                        assert_int_equal(prepare(fx, &(struct wb_load_request) {
                                                         .kernel_path = fx->kernel, .crash = crash,
                                                         .syscall = WB_SYSCALL_FILE }), 0);
                        fx->fake.kexec_file_load_ret = errs[i];
                        assert_int_equal(wb_load_commit(&fx->ctx, fx->load, &fx->diag), errs[i]);
                        wb_explain_kexec_error(&fx->ctx, errs[i], WB_SYSCALL_FILE, crash, want, sizeof(want));
                        assert_string_equal(fx->diag.reason, want);
                        assert_string_equal(fx->diag.path, fx->kernel);
                        assert_int_equal(wb_kexec_loaded(&fx->ctx, crash, &loaded, &fx->diag), 0);
                        assert_false(loaded);
                }
        }
        assert_int_equal(fake_sys_count(&fx->fake, FAKE_KEXEC_FILE_LOAD), 2 * sizeof(errs) / sizeof(errs[0]));

        /* EPERM's explanation comes from the fixture's state. */
        fx_put(fx->root, "/proc/sys/kernel/kexec_load_disabled", "1\n");
        assert_int_equal(prepare(fx, &(struct wb_load_request) { .kernel_path = fx->kernel }), 0);
        fx->fake.kexec_file_load_ret = -EPERM;
        assert_int_equal(wb_load_commit(&fx->ctx, fx->load, &fx->diag), -EPERM);
        assert_string_equal(fx->diag.reason,
                            "kexec is disabled on this system (sysctl kernel.kexec_load_disabled=1, which stays set until the next boot)");
}

/* The kernel unloads the panic kernel before a panic load it then refuses: said, not hidden. */
static void test_crash_load_refused_loses_old(void **state)
{
        struct fixture *fx = *state;
        const char *gone = "; the panic kernel loaded before is gone too (the kernel unloads it before any panic kernel load)";
        char want[WB_DIAG_REASON_MAX];
        bool loaded = true;

        fx_put(fx->root, "/sys/kernel/security/lockdown", "none [integrity] confidentiality\n");
        fx->fake.failed_crash_load_unloads = true;
        fx->fake.kexec_file_load_ret = -EPERM;

        /* Nothing loaded before: nothing to say. */
        assert_int_equal(prepare(fx, &(struct wb_load_request) { .kernel_path = fx->kernel, .crash = true }), 0);
        assert_int_equal(wb_load_commit(&fx->ctx, fx->load, &fx->diag), -EPERM);
        assert_string_equal(fx->diag.reason,
                            "the kernel is locked down (integrity) and refused the load; only a kernel signed with a trusted key can be loaded");

        /* Loaded before, gone after. */
        fx_put(fx->root, "/sys/kernel/kexec_crash_loaded", "1\n");
        assert_int_equal(prepare(fx, &(struct wb_load_request) { .kernel_path = fx->kernel, .crash = true }), 0);
        assert_int_equal(wb_load_commit(&fx->ctx, fx->load, &fx->diag), -EPERM);
        snprintf(want, sizeof(want), "%s%s",
                 "the kernel is locked down (integrity) and refused the load; only a kernel signed with a trusted key can be loaded",
                 gone);
        assert_string_equal(fx->diag.reason, want);
        assert_int_equal(wb_kexec_loaded(&fx->ctx, true, &loaded, &fx->diag), 0);
        assert_false(loaded);

        /* Loaded before and still there (kexec_load refuses before it frees anything): nothing to add. */
        fx->fake.failed_crash_load_unloads = false;
        fx_put(fx->root, "/sys/kernel/kexec_crash_loaded", "1\n");
        assert_int_equal(prepare(fx, &(struct wb_load_request) { .kernel_path = fx->kernel, .crash = true }), 0);
        assert_int_equal(wb_load_commit(&fx->ctx, fx->load, &fx->diag), -EPERM);
        assert_null(strstr(fx->diag.reason, "gone"));

        /* The same on kexec_load, when the kernel did free it. */
        fx->fake.failed_crash_load_unloads = true;
        fx->fake.kexec_load_ret = -ENOMEM;
        assert_int_equal(prepare(fx, &(struct wb_load_request) { .kernel_path = fx->kernel, .crash = true,
                                                                .syscall = WB_SYSCALL_CLASSIC }), 0);
        assert_int_equal(wb_load_commit(&fx->ctx, fx->load, &fx->diag), -ENOMEM);
        assert_non_null(strstr(fx->diag.reason, gone));
}

static void test_unload_file(void **state)
{
        struct fixture *fx = *state;
        const struct fake_call *c;
        bool loaded;

        fx_put(fx->root, "/sys/kernel/kexec_loaded", "1\n");
        assert_int_equal(wb_unload(&fx->ctx, false, WB_SYSCALL_FILE, &fx->diag), 0);
        assert_int_equal(fx->fake.ncalls, 1);
        c = fake_sys_call(&fx->fake, FAKE_KEXEC_FILE_LOAD, 0);
        assert_int_equal(c->kernel_fd, -1);
        assert_int_equal(c->initrd_fd, -1);
        assert_int_equal(c->cmdline_len, 0);
        assert_null(c->cmdline);
        assert_int_equal(c->flags, KEXEC_FILE_UNLOAD);
        assert_int_equal(wb_kexec_loaded(&fx->ctx, false, &loaded, &fx->diag), 0);
        assert_false(loaded);

        fake_sys_clear(&fx->fake);
        assert_int_equal(wb_unload(&fx->ctx, true, WB_SYSCALL_FILE, &fx->diag), 0);
        c = fake_sys_call(&fx->fake, FAKE_KEXEC_FILE_LOAD, 0);
        assert_int_equal(c->flags, KEXEC_FILE_UNLOAD | KEXEC_FILE_ON_CRASH);

        /* Automatic takes kexec_file_load when the kernel has it. */
        fake_sys_clear(&fx->fake);
        assert_int_equal(wb_unload(&fx->ctx, true, WB_SYSCALL_AUTO, &fx->diag), 0);
        assert_int_equal(fx->fake.ncalls, 1);
        assert_int_equal(fake_sys_call(&fx->fake, FAKE_KEXEC_FILE_LOAD, 0)->flags,
                         KEXEC_FILE_UNLOAD | KEXEC_FILE_ON_CRASH);
}

static void test_unload_fallback(void **state)
{
        struct fixture *fx = *state;
        const struct fake_call *c;
        char trace[FAKE_TRACE_MAX];

        /* A kernel without kexec_file_load: automatic falls back to kexec_load with no segments. */
        fx->fake.kexec_file_load_ret = -ENOSYS;
        for (int crash = 0; crash <= 1; crash++) {
                fake_sys_clear(&fx->fake);
                assert_int_equal(wb_unload(&fx->ctx, crash, WB_SYSCALL_AUTO, &fx->diag), 0);
                assert_string_equal(fake_sys_trace(&fx->fake, trace, sizeof(trace)), "kexec_file_load,kexec_load");
                c = fake_sys_call(&fx->fake, FAKE_KEXEC_LOAD, 0);
                assert_int_equal(c->entry, 0);
                assert_int_equal(c->nr_segments, 0);
                assert_true(c->segments_null);
                assert_int_equal(c->flags, crash ? KEXEC_ON_CRASH : 0);
        }

        /* -s means kexec_file_load only: no fallback. */
        fake_sys_clear(&fx->fake);
        assert_int_equal(wb_unload(&fx->ctx, false, WB_SYSCALL_FILE, &fx->diag), -ENOSYS);
        assert_string_equal(fake_sys_trace(&fx->fake, trace, sizeof(trace)), "kexec_file_load");
        assert_string_equal(fx->diag.reason,
                            "cannot unload the loaded kernel: this kernel has no kexec_file_load (built without CONFIG_KEXEC_FILE); try kexec_load (-c)");
        assert_string_equal(fx->diag.path, "");

        /* Only ENOSYS falls back: any other refusal is the answer. */
        fake_sys_clear(&fx->fake);
        fx->fake.kexec_file_load_ret = -EPERM;
        fx_put(fx->root, "/sys/kernel/security/lockdown", "none [integrity] confidentiality\n");
        assert_int_equal(wb_unload(&fx->ctx, true, WB_SYSCALL_AUTO, &fx->diag), -EPERM);
        assert_string_equal(fake_sys_trace(&fx->fake, trace, sizeof(trace)), "kexec_file_load");
        assert_string_equal(fx->diag.reason,
                            "cannot unload the panic kernel: the kernel is locked down (integrity) and refused the load; only a kernel signed with a trusted key can be loaded");

        /* Neither syscall: the last one's explanation. */
        fake_sys_clear(&fx->fake);
        fx->fake.kexec_file_load_ret = -ENOSYS;
        fx->fake.kexec_load_ret = -ENOSYS;
        assert_int_equal(wb_unload(&fx->ctx, true, WB_SYSCALL_AUTO, &fx->diag), -ENOSYS);
        assert_string_equal(fx->diag.reason,
                            "cannot unload the panic kernel: this kernel has no kexec_load (built without CONFIG_KEXEC)");

        fake_sys_clear(&fx->fake);
        fx->fake.kexec_file_load_ret = -EIO;
        assert_int_equal(wb_unload(&fx->ctx, false, WB_SYSCALL_AUTO, &fx->diag), -EIO);
        assert_string_equal(fx->diag.reason, "cannot unload the loaded kernel: kexec_file_load failed: Input/output error");
}

static void test_unload_classic(void **state)
{
        struct fixture *fx = *state;
        const struct fake_call *c;
        char trace[FAKE_TRACE_MAX];
        bool loaded;

        fx_put(fx->root, "/sys/kernel/kexec_crash_loaded", "1\n");
        assert_int_equal(wb_unload(&fx->ctx, true, WB_SYSCALL_CLASSIC, &fx->diag), 0);
        assert_string_equal(fake_sys_trace(&fx->fake, trace, sizeof(trace)), "kexec_load");
        c = fake_sys_call(&fx->fake, FAKE_KEXEC_LOAD, 0);
        assert_int_equal(c->nr_segments, 0);
        assert_true(c->segments_null);
        assert_int_equal(c->flags, KEXEC_ON_CRASH);
        assert_int_equal(wb_kexec_loaded(&fx->ctx, true, &loaded, &fx->diag), 0);
        assert_false(loaded);

        fake_sys_clear(&fx->fake);
        assert_int_equal(wb_unload(&fx->ctx, false, WB_SYSCALL_CLASSIC, &fx->diag), 0);
        assert_int_equal(fake_sys_call(&fx->fake, FAKE_KEXEC_LOAD, 0)->flags, 0);

        fake_sys_clear(&fx->fake);
        fx->fake.kexec_load_ret = -EPERM;
        fx_put(fx->root, "/sys/kernel/security/lockdown", "none [integrity] confidentiality\n");
        assert_int_equal(wb_unload(&fx->ctx, false, WB_SYSCALL_CLASSIC, &fx->diag), -EPERM);
        assert_string_equal(fx->diag.reason,
                            "cannot unload the loaded kernel: the kernel is locked down (integrity), which forbids kexec_load; use kexec_file_load (-s) with a signed kernel");
}

static void test_kexec_loaded(void **state)
{
        struct fixture *fx = *state;
        static const struct {
                const char *text;
                int want_r;
                bool want;
        } cases[] = {
                { "0\n", 0, false }, { "1\n", 0, true }, { "1", 0, true }, { "0x1\n", 0, true },
                { "", -EINVAL, false }, { "yes\n", -EINVAL, false }, { "1 2\n", -EINVAL, false },
        };

        for (int crash = 0; crash <= 1; crash++) {
                const char *file = crash ? "/sys/kernel/kexec_crash_loaded" : "/sys/kernel/kexec_loaded";
                const char *other = crash ? "/sys/kernel/kexec_loaded" : "/sys/kernel/kexec_crash_loaded";
                char *p;

                for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                        bool loaded = !cases[i].want;

                        fx_put(fx->root, file, cases[i].text);
                        /* The other file says the opposite, so reading the wrong one shows. */
                        fx_put(fx->root, other, cases[i].want ? "0\n" : "1\n");
                        assert_int_equal(wb_kexec_loaded(&fx->ctx, crash, &loaded, &fx->diag), cases[i].want_r);
                        if (cases[i].want_r == 0) {
                                assert_int_equal(loaded, cases[i].want);
                        } else {
                                assert_string_equal(fx->diag.path, file);
                                assert_string_equal(fx->diag.reason, "cannot read: Invalid argument");
                        }
                }
                p = fx_path(fx->root, file);
                assert_int_equal(remove(p), 0);
                free(p);
                assert_int_equal(wb_kexec_loaded(&fx->ctx, crash, &(bool) { false }, &fx->diag), -ENOENT);
                assert_string_equal(fx->diag.path, file);
                assert_string_equal(fx->diag.reason, "missing: this kernel has no kexec support (CONFIG_KEXEC_CORE)");
        }
        assert_int_equal(fx->fake.ncalls, 0);
}

static void test_crash_size(void **state)
{
        struct fixture *fx = *state;
        uint64_t size = 1;
        char *p;

        assert_int_equal(wb_crash_size(&fx->ctx, &size, &fx->diag), 0);
        assert_int_equal(size, FX_CRASH_SIZE);
        fx_put(fx->root, "/sys/kernel/kexec_crash_size", "0\n");
        assert_int_equal(wb_crash_size(&fx->ctx, &size, &fx->diag), 0);
        assert_int_equal(size, 0);
        fx_put(fx->root, "/sys/kernel/kexec_crash_size", "17179869184\n");
        assert_int_equal(wb_crash_size(&fx->ctx, &size, &fx->diag), 0);
        assert_int_equal(size, UINT64_C(17179869184));
        fx_put(fx->root, "/sys/kernel/kexec_crash_size", "lots\n");
        assert_int_equal(wb_crash_size(&fx->ctx, &size, &fx->diag), -EINVAL);
        assert_string_equal(fx->diag.path, "/sys/kernel/kexec_crash_size");
        assert_string_equal(fx->diag.reason, "cannot read: Invalid argument");
        p = fx_path(fx->root, "/sys/kernel/kexec_crash_size");
        assert_int_equal(remove(p), 0);
        free(p);
        assert_int_equal(wb_crash_size(&fx->ctx, &size, &fx->diag), -ENOENT);
        assert_string_equal(fx->diag.reason, "missing: this kernel has no crash kernel support (CONFIG_CRASH_DUMP)");
        assert_int_equal(fx->fake.ncalls, 0);
}

static void test_exec(void **state)
{
        struct fixture *fx = *state;
        static const struct {
                bool sync, ifdown;
                const char *trace;
        } cases[] = {
                { true, true, "sync,ifdown,reboot" },
                { false, true, "ifdown,reboot" },
                { true, false, "sync,reboot" },
                { false, false, "reboot" },
        };
        char trace[FAKE_TRACE_MAX];

        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                fake_sys_clear(&fx->fake);
                memset(&fx->diag, 0, sizeof(fx->diag));
                assert_int_equal(wb_exec(&fx->ctx, &(struct wb_exec_options) {
                                                 .sync = cases[i].sync, .ifdown = cases[i].ifdown },
                                         &fx->diag), -EINVAL);
                assert_string_equal(fake_sys_trace(&fx->fake, trace, sizeof(trace)), cases[i].trace);
                assert_string_equal(fx->diag.reason, "reboot into the loaded kernel failed: Invalid argument");
                assert_string_equal(fx->diag.path, "");
        }

        /* An interface that will not go down does not stop the reboot. */
        fake_sys_clear(&fx->fake);
        fx->fake.ifdown_ret = -EPERM;
        fx->fake.reboot_ret = -EPERM;
        assert_int_equal(wb_exec(&fx->ctx, &(struct wb_exec_options) { .sync = true, .ifdown = true },
                                 &fx->diag), -EPERM);
        assert_string_equal(fake_sys_trace(&fx->fake, trace, sizeof(trace)), "sync,ifdown,reboot");
        assert_string_equal(fx->diag.reason, "reboot into the loaded kernel failed: Operation not permitted");

        /* A reboot that "returns" without an error is still a failure. */
        fake_sys_clear(&fx->fake);
        fx->fake.reboot_ret = 0;
        assert_int_equal(wb_exec(&fx->ctx, &(struct wb_exec_options) { 0 }, &fx->diag), -EIO);
        assert_string_equal(fx->diag.reason, "reboot into the loaded kernel failed: Input/output error");
}

/* Freeing is safe on anything prepare can leave behind. */
static void test_free_null(void **state)
{
        (void)state;
        wb_load_free(NULL);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
        const struct CMUnitTest tests[] = {
                T(test_load_with_initrd_and_cmdline),
                T(test_load_bare),
                T(test_load_explicit_file_syscall_and_type),
                T(test_crash_load),
                T(test_crash_without_reservation),
                T(test_cmdline_limits),
                T(test_initrd_problems),
                T(test_kernel_problems),
                T(test_classic_load),
                T(test_classic_problems),
                T(test_auto_fallback),
                T(test_kernel_errors),
                T(test_crash_load_refused_loses_old),
                T(test_unload_file),
                T(test_unload_fallback),
                T(test_unload_classic),
                T(test_kexec_loaded),
                T(test_crash_size),
                T(test_exec),
                cmocka_unit_test(test_free_null),
        };
#undef T

        return cmocka_run_group_tests_name("load", tests, NULL, NULL);
}
