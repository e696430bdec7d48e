// SPDX-License-Identifier: MIT
/*
 * kexec(8) end to end: kexec_run with the fake seam and a fixture root,
 * its output captured. Checks what reaches the "kernel", in which order,
 * the exit status and every byte printed.
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

#include "cli/kexec.h"
#include "fake_sys.h"
#include "fixtures.h"

/* FX_PROC_CMDLINE as --reuse-cmdline gives it: without BOOT_IMAGE= and the newline. */
#define REUSED "root=/dev/vda1 ro crashkernel=256M console=ttyS0"
#define REUSED_CRASH "root=/dev/vda1 ro console=ttyS0"

#define MAX_ARGS 16

struct fixture {
        char *root;
        char *kernel;           /* a good bzImage */
        char *initrd;
        char *missing;          /* a path that does not exist */
        char *dir;
        char *empty;
        char *junk;             /* a file that is no kernel */
        char *long_cmdline;     /* "--command-line=" and one byte over the image's kexec_file_load limit */
        char *huge_append;      /* "--append=" and more than WB_CMDLINE_MAX */
        struct fake_sys fake;
        struct wb_ctx ctx;
        int status;
        char *out, *err;
        char trace[FAKE_TRACE_MAX];
};

static int setup(void **state)
{
        struct fixture *fx = calloc(1, sizeof(*fx));
        size_t n;

        assert_non_null(fx);
        fx->root = fx_mkdtemp();
        fx_system(fx->root);
        fx->kernel = fx_bzimage_write(fx->root, "/boot/vmlinuz-6.1.0-56-cloud-amd64", NULL);
        fx->initrd = fx_write_str(fx->root, "/boot/initrd.img-6.1.0-56-cloud-amd64", "070701 initramfs\n");
        fx->missing = fx_path(fx->root, "/boot/vmlinuz-missing");
        fx->dir = fx_mkdir(fx->root, "/boot/grub");
        fx->empty = fx_write(fx->root, "/boot/empty", "", 0);
        fx->junk = fx_write_str(fx->root, "/boot/config-6.1.0", "CONFIG_KEXEC=y\n");

        /* The synthetic image has cmdline_size 2047: kexec_file_load takes 2016 bytes. */
        n = strlen("--command-line=");
        fx->long_cmdline = malloc(n + 2017 + 1);
        assert_non_null(fx->long_cmdline);
        memcpy(fx->long_cmdline, "--command-line=", n);
        memset(fx->long_cmdline + n, 'c', 2017);
        fx->long_cmdline[n + 2017] = '\0';
        n = strlen("--append=");
        fx->huge_append = malloc(n + 65537 + 1);
        assert_non_null(fx->huge_append);
        memcpy(fx->huge_append, "--append=", n);
        memset(fx->huge_append + n, 'a', 65537);
        fx->huge_append[n + 65537] = '\0';

        /* The fake writes kexec_loaded/kexec_crash_loaded as the kernel would. */
        fake_sys_init(&fx->fake, fx->root);
        fx->ctx = (struct wb_ctx) { .root = fx->root, .sys = &fx->fake.sys };
        *state = fx;
        return 0;
}

static int teardown(void **state)
{
        struct fixture *fx = *state;

        fake_sys_clear(&fx->fake);
        free(fx->out);
        free(fx->err);
        free(fx->kernel);
        free(fx->initrd);
        free(fx->missing);
        free(fx->dir);
        free(fx->empty);
        free(fx->junk);
        free(fx->long_cmdline);
        free(fx->huge_append);
        fx_rmtree(fx->root);
        free(fx);
        return 0;
}

/* Runs "kexec ARGS..." (NULL-terminated); fills status, out, err and trace. */
static int run_argv(struct fixture *fx, const char *const *args)
{
        char *argv[MAX_ARGS + 2];
        size_t out_len, err_len;
        FILE *out, *err;
        int argc = 0;

        argv[argc++] = "kexec";
        for (; *args; args++) {
                assert_true(argc <= MAX_ARGS);
                argv[argc++] = (char *)*args;
        }
        argv[argc] = NULL;

        fake_sys_clear(&fx->fake);
        free(fx->out);
        free(fx->err);
        fx->out = fx->err = NULL;
        out = open_memstream(&fx->out, &out_len);
        err = open_memstream(&fx->err, &err_len);
        assert_non_null(out);
        assert_non_null(err);
        fx->status = kexec_run(argc, argv, &fx->ctx, out, err);
        assert_int_equal(fclose(out), 0);
        assert_int_equal(fclose(err), 0);
        fake_sys_trace(&fx->fake, fx->trace, sizeof(fx->trace));
        return fx->status;
}

static int run(struct fixture *fx, ...) __attribute__((sentinel));

static int run(struct fixture *fx, ...)
{
        const char *args[MAX_ARGS + 1];
        size_t n = 0;
        va_list ap;

        va_start(ap, fx);
        while ((args[n] = va_arg(ap, const char *))) {
                assert_true(n < MAX_ARGS);
                n++;
        }
        va_end(ap);
        return run_argv(fx, args);
}

/* "--initrd=PATH" and the like, in a buffer the caller keeps. */
static const char *opt(char *buf, size_t size, const char *name, const char *value)
{
        snprintf(buf, size, "%s=%s", name, value);
        return buf;
}

static char *read_root(const struct fixture *fx, const char *rel)
{
        char *text = fx_read(fx->root, rel);

        assert_non_null(text);
        return text;
}

static void assert_file(const struct fixture *fx, const char *rel, const char *want)
{
        char *text = read_root(fx, rel);

        assert_string_equal(text, want);
        free(text);
}

/* Exactly one line on stderr, starting "kexec: ", nothing on stdout. */
static void assert_one_error_line(const struct fixture *fx)
{
        const char *nl = strchr(fx->err, '\n');

        if (strncmp(fx->err, "kexec: ", 7) != 0 || !nl || nl[1] != '\0')
                fail_msg("want one \"kexec: \" line on stderr, got '%s'", fx->err);
        assert_string_equal(fx->out, "");
}

static void assert_same_file(const struct stat *seen, const char *path)
{
        struct stat st;

        assert_int_equal(stat(path, &st), 0);
        assert_int_equal(seen->st_ino, st.st_ino);
        assert_int_equal(seen->st_dev, st.st_dev);
}

static void test_seed_load(void **state)
{
        struct fixture *fx = *state;
        const struct fake_call *c;
        char initrd[4096];

        assert_int_equal(run(fx, "-l", opt(initrd, sizeof(initrd), "--initrd", fx->initrd),
                             "--reuse-cmdline", fx->kernel, NULL), 0);
        assert_string_equal(fx->out, "");
        assert_string_equal(fx->err, "");
        /* kexec-tools syncs after a load (-l leaves do_sync set). */
        assert_string_equal(fx->trace, "kexec_file_load,sync");
        c = fake_sys_call(&fx->fake, FAKE_KEXEC_FILE_LOAD, 0);
        assert_same_file(&c->kernel_st, fx->kernel);
        assert_same_file(&c->initrd_st, fx->initrd);
        assert_string_equal(c->cmdline, REUSED);
        assert_int_equal(c->cmdline_len, strlen(REUSED) + 1);
        assert_int_equal(c->flags, 0);
        assert_file(fx, "/sys/kernel/kexec_loaded", "1\n");
        assert_file(fx, "/sys/kernel/kexec_crash_loaded", "0\n");

        /* Then the second seed line boots it (the fake's reboot fails, so it comes back). */
        assert_int_equal(run(fx, "-e", NULL), 1);
        assert_string_equal(fx->trace, "sync,ifdown,reboot");
        assert_string_equal(fx->err, "kexec: reboot into the loaded kernel failed: Invalid argument\n");
        assert_string_equal(fx->out, "");
}

/* The same with the image first and the initrd as a separate argument. */
static void test_seed_load_permuted(void **state)
{
        struct fixture *fx = *state;
        const struct fake_call *c;

        assert_int_equal(run(fx, fx->kernel, "--reuse-cmdline", "-l", "--initrd", fx->initrd, NULL), 0);
        assert_string_equal(fx->trace, "kexec_file_load,sync");
        c = fake_sys_call(&fx->fake, FAKE_KEXEC_FILE_LOAD, 0);
        assert_same_file(&c->initrd_st, fx->initrd);
        assert_string_equal(c->cmdline, REUSED);
}

static void test_crash_load(void **state)
{
        struct fixture *fx = *state;
        const struct fake_call *c;
        char initrd[4096];

        assert_int_equal(run(fx, "-p", "-l", opt(initrd, sizeof(initrd), "--initrd", fx->initrd),
                             "--reuse-cmdline", fx->kernel, NULL), 0);
        assert_string_equal(fx->err, "");
        /* -p clears do_sync, and -l after it does not set it again. */
        assert_string_equal(fx->trace, "kexec_file_load");
        c = fake_sys_call(&fx->fake, FAKE_KEXEC_FILE_LOAD, 0);
        assert_string_equal(c->cmdline, REUSED_CRASH);
        assert_int_equal(c->flags, KEXEC_FILE_ON_CRASH);
        assert_file(fx, "/sys/kernel/kexec_crash_loaded", "1\n");
        assert_file(fx, "/sys/kernel/kexec_loaded", "0\n");

        /* Unloading it touches only the panic kernel. */
        assert_int_equal(run(fx, "-p", "-u", NULL), 0);
        assert_string_equal(fx->trace, "kexec_file_load");
        c = fake_sys_call(&fx->fake, FAKE_KEXEC_FILE_LOAD, 0);
        assert_int_equal(c->flags, KEXEC_FILE_UNLOAD | KEXEC_FILE_ON_CRASH);
        assert_int_equal(c->kernel_fd, -1);
        assert_file(fx, "/sys/kernel/kexec_crash_loaded", "0\n");
}

static void test_unload(void **state)
{
        struct fixture *fx = *state;

        fx_put(fx->root, "/sys/kernel/kexec_loaded", "1\n");
        assert_int_equal(run(fx, "-u", NULL), 0);
        assert_string_equal(fx->out, "");
        assert_string_equal(fx->err, "");
        /* -u clears do_sync: nothing else happens. */
        assert_string_equal(fx->trace, "kexec_file_load");
        assert_int_equal(fake_sys_call(&fx->fake, FAKE_KEXEC_FILE_LOAD, 0)->flags, KEXEC_FILE_UNLOAD);
        assert_file(fx, "/sys/kernel/kexec_loaded", "0\n");

        assert_int_equal(run(fx, "-c", "-u", NULL), 0);
        assert_string_equal(fx->trace, "kexec_load");
        assert_int_equal(fake_sys_call(&fx->fake, FAKE_KEXEC_LOAD, 0)->nr_segments, 0);

        /* A kernel without kexec_file_load: the automatic choice falls back. */
        fx->fake.kexec_file_load_ret = -ENOSYS;
        assert_int_equal(run(fx, "-u", NULL), 0);
        assert_string_equal(fx->trace, "kexec_file_load,kexec_load");
        assert_int_equal(run(fx, "-s", "-u", NULL), 1);
        assert_string_equal(fx->trace, "kexec_file_load");
        assert_string_equal(fx->err,
                            "kexec: cannot unload the loaded kernel: this kernel has no kexec_file_load (built without CONFIG_KEXEC_FILE); try kexec_load (-c)\n");
}

/* -u then -l: kexec-tools unloads first, then loads. */
static void test_unload_then_load(void **state)
{
        struct fixture *fx = *state;

        assert_int_equal(run(fx, "-u", "-l", fx->kernel, NULL), 0);
        assert_string_equal(fx->trace, "kexec_file_load,kexec_file_load");
        assert_int_equal(fake_sys_call(&fx->fake, FAKE_KEXEC_FILE_LOAD, 0)->flags, KEXEC_FILE_UNLOAD);
        assert_int_equal(fake_sys_call(&fx->fake, FAKE_KEXEC_FILE_LOAD, 1)->flags, KEXEC_FILE_NO_INITRAMFS);
        assert_file(fx, "/sys/kernel/kexec_loaded", "1\n");
}

static void test_status(void **state)
{
        struct fixture *fx = *state;
        char *p;

        for (int normal = 0; normal <= 1; normal++) {
                for (int crash = 0; crash <= 1; crash++) {
                        fx_put(fx->root, "/sys/kernel/kexec_loaded", normal ? "1\n" : "0\n");
                        fx_put(fx->root, "/sys/kernel/kexec_crash_loaded", crash ? "1\n" : "0\n");
                        /* Without -l, -S asks about the panic kernel, as kexec-tools does. */
                        assert_int_equal(run(fx, "-S", NULL), crash);
                        assert_string_equal(fx->out, "");
                        assert_string_equal(fx->err, "");
                        assert_string_equal(fx->trace, "");
                        assert_int_equal(run(fx, "--status", NULL), crash);
                        assert_int_equal(run(fx, "-p", "-S", NULL), crash);
                        assert_int_equal(run(fx, "-l", "-S", NULL), normal);
                        assert_int_equal(run(fx, "-S", "-l", NULL), normal);
                        assert_int_equal(run(fx, "-p", "-l", "-S", NULL), crash);
                        assert_string_equal(fx->trace, "");
                }
        }

        /* A kernel without kexec: neither "loaded" nor "not loaded". */
        p = fx_path(fx->root, "/sys/kernel/kexec_crash_loaded");
        assert_int_equal(remove(p), 0);
        free(p);
        assert_int_equal(run(fx, "-S", NULL), 2);
        assert_one_error_line(fx);
        assert_string_equal(fx->err,
                            "kexec: /sys/kernel/kexec_crash_loaded: missing: this kernel has no kexec support (CONFIG_KEXEC_CORE)\n");
}

static void test_exec_nothing_loaded(void **state)
{
        struct fixture *fx = *state;

        assert_int_equal(run(fx, "-e", NULL), 1);
        assert_string_equal(fx->err, "kexec: nothing has been loaded; load a kernel first with kexec -l KERNEL\n");
        assert_string_equal(fx->out, "");
        /* Not even a sync: nothing happens at all. */
        assert_string_equal(fx->trace, "");

        /* A loaded panic kernel is not something -e can boot. */
        fx_put(fx->root, "/sys/kernel/kexec_crash_loaded", "1\n");
        assert_int_equal(run(fx, "-e", NULL), 1);
        assert_string_equal(fx->trace, "");
}

static void test_exec(void **state)
{
        struct fixture *fx = *state;
        static const struct {
                const char *args[4];
                const char *trace;
        } cases[] = {
                { { "-e", NULL }, "sync,ifdown,reboot" },
                { { "--exec", NULL }, "sync,ifdown,reboot" },
                { { "-e", "-x", NULL }, "sync,reboot" },
                { { "-e", "-y", NULL }, "ifdown,reboot" },
                { { "-e", "-x", "-y", NULL }, "reboot" },
                { { "-x", "-y", "-e", NULL }, "reboot" },
        };

        fx_put(fx->root, "/sys/kernel/kexec_loaded", "1\n");
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                assert_int_equal(run_argv(fx, cases[i].args), 1);
                assert_string_equal(fx->trace, cases[i].trace);
                assert_string_equal(fx->err, "kexec: reboot into the loaded kernel failed: Invalid argument\n");
                assert_string_equal(fx->out, "");
        }
        fx->fake.reboot_ret = -EPERM;
        assert_int_equal(run(fx, "-e", NULL), 1);
        assert_string_equal(fx->err, "kexec: reboot into the loaded kernel failed: Operation not permitted\n");
}

/* "kexec KERNEL": load, then a clean reboot through shutdown(8). */
static void test_bare_image(void **state)
{
        struct fixture *fx = *state;
        const struct fake_call *c;

        assert_int_equal(run(fx, fx->kernel, NULL), 1);
        assert_string_equal(fx->trace, "kexec_file_load,shutdown");
        c = fake_sys_call(&fx->fake, FAKE_KEXEC_FILE_LOAD, 0);
        assert_int_equal(c->cmdline_len, 1);
        assert_int_equal(c->flags, KEXEC_FILE_NO_INITRAMFS);
        /* The fake's shutdown fails as a missing /sbin/shutdown would. */
        assert_string_equal(fx->err, "kexec: cannot run shutdown -r now: No such file or directory\n");
        assert_string_equal(fx->out, "");

        /* If the kernel does not show the image as loaded, no shutdown happens. */
        fx_put(fx->root, "/sys/kernel/kexec_loaded", "0\n");
        fx->fake.root = NULL;
        assert_int_equal(run(fx, fx->kernel, NULL), 1);
        assert_string_equal(fx->trace, "kexec_file_load");
        assert_string_equal(fx->err, "kexec: nothing has been loaded; load a kernel first with kexec -l KERNEL\n");
}

static void test_force(void **state)
{
        struct fixture *fx = *state;
        char initrd[4096];

        assert_int_equal(run(fx, "-f", opt(initrd, sizeof(initrd), "--initrd", fx->initrd),
                             "--append=quiet", fx->kernel, NULL), 1);
        assert_string_equal(fx->trace, "kexec_file_load,sync,ifdown,reboot");
        assert_string_equal(fake_sys_call(&fx->fake, FAKE_KEXEC_FILE_LOAD, 0)->cmdline, "quiet");
        assert_string_equal(fx->err, "kexec: reboot into the loaded kernel failed: Invalid argument\n");

        assert_int_equal(run(fx, "-f", "-x", "-y", fx->kernel, NULL), 1);
        assert_string_equal(fx->trace, "kexec_file_load,reboot");
}

/* -c: the segments warmboot placed go to kexec_load; purgatory's options reach it. */
static void test_classic(void **state)
{
        struct fixture *fx = *state;
        const struct fake_call *c;
        char initrd[4096];

        assert_int_equal(run(fx, "-c", "-l", opt(initrd, sizeof(initrd), "--initrd", fx->initrd),
                             "--append=console=ttyS0", fx->kernel, NULL), 0);
        assert_string_equal(fx->err, "");
        assert_string_equal(fx->trace, "kexec_load,sync");
        c = fake_sys_call(&fx->fake, FAKE_KEXEC_LOAD, 0);
        assert_int_equal(c->flags, KEXEC_ARCH_X86_64);
        /* Kernel, initrd, zero page with the command line, purgatory. */
        assert_int_equal(c->nr_segments, 4);
        assert_non_null(fake_segment_with(c, 0, "070701 initramfs\n", 17));
        assert_non_null(fake_segment_with(c, 4096, "console=ttyS0", 14));
        assert_file(fx, "/sys/kernel/kexec_loaded", "1\n");

        /* -i and the serial console change purgatory's bytes, not the segment list. */
        assert_int_equal(run(fx, "-c", "-i", "--console-serial", "--serial=ttyS1", "-l", fx->kernel, NULL), 0);
        assert_string_equal(fx->trace, "kexec_load,sync");
        assert_int_equal(fake_sys_call(&fx->fake, FAKE_KEXEC_LOAD, 0)->nr_segments, 3);
        assert_string_equal(fx->err, "");
}

/* Automatic: what kexec_file_load cannot take goes to kexec_load. */
static void test_auto_fallback(void **state)
{
        struct fixture *fx = *state;

        /* A command line within the image's limit but over kexec_file_load's. */
        assert_int_equal(run(fx, "-l", fx->long_cmdline, fx->kernel, NULL), 0);
        assert_string_equal(fx->trace, "kexec_load,sync");
        assert_non_null(fake_segment_with(fake_sys_call(&fx->fake, FAKE_KEXEC_LOAD, 0), 4096,
                                          fx->long_cmdline + strlen("--command-line="), 2018));

        /* The running kernel's loader refuses the image. */
        fx->fake.kexec_file_load_ret = -ENOEXEC;
        assert_int_equal(run(fx, "-l", "--reuse-cmdline", fx->kernel, NULL), 0);
        assert_string_equal(fx->trace, "kexec_file_load,kexec_load,sync");
        assert_string_equal(fx->err, "");

        /* -s: no fallback, and the explanation. */
        assert_int_equal(run(fx, "-s", "-l", fx->kernel, NULL), 1);
        assert_string_equal(fx->trace, "kexec_file_load");
        assert_one_error_line(fx);
        assert_non_null(strstr(fx->err, "kexec_file_load does not accept this image"));
}

/* --dry-run: everything is checked and planned, the plan printed, and the kernel never called. */
static void test_dry_run(void **state)
{
        struct fixture *fx = *state;
        char initrd[4096], want[8192];
        size_t segments = 0;

        assert_int_equal(run(fx, "--dry-run", "-l", opt(initrd, sizeof(initrd), "--initrd", fx->initrd),
                             "--reuse-cmdline", fx->kernel, NULL), 0);
        assert_string_equal(fx->trace, "");
        assert_string_equal(fx->err, "");
        snprintf(want, sizeof(want), "kernel: %s (bzImage)\ninitrd: %s\ncommand line: \"" REUSED "\"\n",
                 fx->kernel, fx->initrd);
        assert_true(strncmp(fx->out, want, strlen(want)) == 0);
        assert_non_null(strstr(fx->out, "syscall: kexec_file_load"));
        assert_file(fx, "/sys/kernel/kexec_loaded", "0\n");

        /* The kexec_load plan, segment by segment. */
        assert_int_equal(run(fx, "--dry-run", "-c", "-l", fx->kernel, NULL), 0);
        assert_string_equal(fx->trace, "");
        assert_non_null(strstr(fx->out, "syscall: kexec_load, entry 0x"));
        for (const char *l = fx->out; (l = strstr(l, "\nsegment ")); l++)
                segments++;
        assert_int_equal(segments, 3);

        /* Bare image, -f, -p: no shutdown, no reboot, no load. */
        assert_int_equal(run(fx, "--dry-run", fx->kernel, NULL), 0);
        assert_string_equal(fx->trace, "");
        assert_int_equal(run(fx, "--dry-run", "-f", fx->kernel, NULL), 0);
        assert_string_equal(fx->trace, "");
        assert_int_equal(run(fx, "--dry-run", "-p", fx->kernel, NULL), 0);
        assert_string_equal(fx->trace, "");
        assert_non_null(strstr(fx->out, "panic kernel"));

        /* The same checks as a load, the same one-line errors. */
        assert_int_equal(run(fx, "--dry-run", "-l", fx->missing, NULL), 1);
        assert_one_error_line(fx);
        assert_string_equal(fx->trace, "");
        assert_int_equal(run(fx, "--dry-run", "-e", NULL), 1);
        assert_one_error_line(fx);
        assert_string_equal(fx->err, "kexec: --dry-run goes with a load (-l, -p or -f)\n");
        fx_put(fx->root, "/sys/kernel/kexec_loaded", "1\n");
        assert_int_equal(run(fx, "--dry-run", "-u", NULL), 1);
        assert_string_equal(fx->trace, "");
}

static void test_cmdline_options(void **state)
{
        struct fixture *fx = *state;
        static const struct {
                const char *args[5];
                const char *want;
        } cases[] = {
                { { "-l", "--reuse-cmdline", "--append=quiet", NULL }, REUSED " quiet" },
                { { "-l", "--append=quiet", "--reuse-cmdline", NULL }, REUSED " quiet" },
                { { "-l", "--command-line=root=/dev/sda2", NULL }, "root=/dev/sda2" },
                { { "-l", "--command-line=root=/dev/sda2", "--append=single", NULL }, "root=/dev/sda2 single" },
                { { "-p", "--reuse-cmdline", "--append=irqpoll nr_cpus=1", NULL }, REUSED_CRASH " irqpoll nr_cpus=1" },
                { { "-l", NULL }, "" },
        };

        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                const char *args[7];
                const struct fake_call *c;
                size_t n = 0;

                for (; cases[i].args[n]; n++)
                        args[n] = cases[i].args[n];
                args[n++] = fx->kernel;
                args[n] = NULL;
                assert_int_equal(run_argv(fx, args), 0);
                c = fake_sys_call(&fx->fake, FAKE_KEXEC_FILE_LOAD, 0);
                assert_string_equal(c->cmdline, cases[i].want);
                assert_int_equal(c->cmdline_len, strlen(cases[i].want) + 1);
        }
}

static void test_print_ckr_size(void **state)
{
        struct fixture *fx = *state;
        char *p;

        assert_int_equal(run(fx, "--print-ckr-size", NULL), 0);
        assert_string_equal(fx->out, "268435456\n");
        assert_string_equal(fx->err, "");
        assert_string_equal(fx->trace, "");

        fx_put(fx->root, "/sys/kernel/kexec_crash_size", "0\n");
        assert_int_equal(run(fx, "--print-ckr-size", NULL), 0);
        assert_string_equal(fx->out, "0\n");

        p = fx_path(fx->root, "/sys/kernel/kexec_crash_size");
        assert_int_equal(remove(p), 0);
        free(p);
        assert_int_equal(run(fx, "--print-ckr-size", NULL), 1);
        assert_one_error_line(fx);
        assert_string_equal(fx->err,
                            "kexec: /sys/kernel/kexec_crash_size: missing: this kernel has no crash kernel support (CONFIG_CRASH_DUMP)\n");
}

static void test_version_and_help(void **state)
{
        struct fixture *fx = *state;

        assert_int_equal(run(fx, "-v", NULL), 0);
        assert_string_equal(fx->out, "kexec (warmboot) " WARMBOOT_VERSION "\n");
        assert_string_equal(fx->err, "");
        assert_int_equal(run(fx, "--version", NULL), 0);
        assert_string_equal(fx->out, "kexec (warmboot) " WARMBOOT_VERSION "\n");

        assert_int_equal(run(fx, "-h", NULL), 0);
        assert_true(strncmp(fx->out, "Usage: kexec ", 13) == 0);
        assert_string_equal(fx->err, "");
        /* Help wins over everything else on the line, and does nothing. */
        assert_int_equal(run(fx, "--help", "-e", NULL), 0);
        assert_true(strncmp(fx->out, "Usage: kexec ", 13) == 0);
        assert_string_equal(fx->trace, "");
}

static void test_debug(void **state)
{
        struct fixture *fx = *state;
        const char *line;

        assert_int_equal(run(fx, "-d", "-l", "--reuse-cmdline", fx->kernel, NULL), 0);
        assert_string_equal(fx->out, "");
        assert_true(strlen(fx->err) > 0);
        /* Every line is a debug line. */
        for (line = fx->err; *line; line = strchr(line, '\n') + 1) {
                if (strncmp(line, "kexec: debug: ", 14) != 0)
                        fail_msg("not a debug line: '%.*s'", (int)strcspn(line, "\n"), line);
                assert_non_null(strchr(line, '\n'));
        }
        assert_non_null(strstr(fx->err, "kexec: debug: command line: \"" REUSED "\"\n"));
        assert_non_null(strstr(fx->err, "using kexec_file_load"));
}

/* The kernel refuses: one line naming the image and the reason; nothing else happens. */
static void test_kernel_refuses(void **state)
{
        struct fixture *fx = *state;

        fx_put(fx->root, "/proc/sys/kernel/kexec_load_disabled", "1\n");
        fx->fake.kexec_file_load_ret = -EPERM;
        assert_int_equal(run(fx, "-l", fx->kernel, NULL), 1);
        assert_one_error_line(fx);
        assert_true(strncmp(fx->err + 7, fx->kernel, strlen(fx->kernel)) == 0);
        assert_string_equal(fx->err + 7 + strlen(fx->kernel),
                            ": kexec is disabled on this system (sysctl kernel.kexec_load_disabled=1, which stays set until the next boot)\n");
        /* No sync after a failed load, and what was loaded stays so. */
        assert_string_equal(fx->trace, "kexec_file_load");
        assert_file(fx, "/sys/kernel/kexec_loaded", "0\n");

        /* -f: no reboot after a failed load. */
        assert_int_equal(run(fx, "-f", fx->kernel, NULL), 1);
        assert_string_equal(fx->trace, "kexec_file_load");
        assert_one_error_line(fx);
}

enum tweak {
        TWEAK_NONE,
        TWEAK_NO_CRASH_RESERVATION,
        TWEAK_NO_PROC_CMDLINE,
        TWEAK_NO_IOMEM,
};

/*
 * Command lines that fail before the kernel is called. "@K" and the like
 * stand for the fixture's files, in the arguments and in the message.
 */
static const struct {
        const char *name;
        enum tweak tweak;
        const char *args[6];
        const char *want;       /* the whole of stderr; "*" at the end: a prefix */
} error_cases[] = {
        { "unknown option", TWEAK_NONE, { "--frobnicate", "-l", "@K" },
          "kexec: unknown option '--frobnicate' (see kexec --help)\n" },
        { "missing argument", TWEAK_NONE, { "-l", "@K", "--initrd" },
          "kexec: option '--initrd' needs an argument\n" },
        { "-l without image", TWEAK_NONE, { "-l" },
          "kexec: no kernel image given (kexec -l KERNEL)\n" },
        { "nothing at all", TWEAK_NONE, { NULL },
          "kexec: no kernel image given (kexec -l KERNEL)\n" },
        { "two images", TWEAK_NONE, { "-l", "@K", "@I" },
          "kexec: unexpected argument '@I' after the kernel image\n" },
        { "unsupported option", TWEAK_NONE, { "--mem-min=0x1000000", "-l", "@K" },
          "kexec: --mem-min is not supported\n" },
        { "unsupported option, preserve-context", TWEAK_NONE, { "--load-preserve-context", "@K" },
          "kexec: --load-preserve-context is not supported\n" },
        { "initrd with -e", TWEAK_NONE, { "-e", "--initrd=@I" },
          "kexec: --initrd only goes with a load (-l, -p, -f or a KERNEL alone)\n" },
        { "missing kernel", TWEAK_NONE, { "-l", "@MISSING" },
          "kexec: @MISSING: cannot open: No such file or directory\n" },
        { "missing kernel, bare", TWEAK_NONE, { "@MISSING" },
          "kexec: @MISSING: cannot open: No such file or directory\n" },
        { "missing kernel, -f", TWEAK_NONE, { "-f", "@MISSING" },
          "kexec: @MISSING: cannot open: No such file or directory\n" },
        { "missing initrd", TWEAK_NONE, { "-l", "--initrd=@MISSING", "@K" },
          "kexec: @MISSING: cannot open: No such file or directory\n" },
        { "directory as initrd", TWEAK_NONE, { "-l", "--initrd=@DIR", "@K" },
          "kexec: @DIR: is a directory, not an initrd file\n" },
        { "empty initrd", TWEAK_NONE, { "-l", "--initrd=@EMPTY", "@K" },
          "kexec: @EMPTY: initrd is empty\n" },
        { "directory as kernel", TWEAK_NONE, { "-l", "@DIR" },
          "kexec: @DIR: is a directory, not a file\n" },
        { "empty kernel", TWEAK_NONE, { "-l", "@EMPTY" },
          "kexec: @EMPTY: file is empty\n" },
        { "not a kernel", TWEAK_NONE, { "-l", "@JUNK" },
          "kexec: @JUNK: not a kernel image warmboot knows (tried: *" },
        { "not a kernel, -p", TWEAK_NONE, { "-p", "@JUNK" },
          "kexec: @JUNK: not a kernel image warmboot knows (tried: *" },
        { "unknown type", TWEAK_NONE, { "-t", "uImage", "-l", "@K" },
          "kexec: @K: unknown image type 'uImage' (known: bzImage*" },
        { "command line over kexec_file_load's limit, -s", TWEAK_NONE, { "-s", "-l", "@LONG", "@K" },
          "kexec: @K: command line too long: 2017 bytes, at most 2016 on kexec_file_load*" },
        { "command line over everything", TWEAK_NONE, { "-l", "@HUGE", "@K" },
          "kexec: @K: command line too long: more than 65536 bytes\n" },
        { "crash load without crashkernel=", TWEAK_NO_CRASH_RESERVATION, { "-p", "@K" },
          "kexec: @K: no memory is reserved for a crash kernel; boot the running kernel with crashkernel=SIZE (e.g. crashkernel=256M) on its command line\n" },
        { "--reuse-cmdline without /proc/cmdline", TWEAK_NO_PROC_CMDLINE, { "-l", "--reuse-cmdline", "@K" },
          "kexec: /proc/cmdline: cannot read the running kernel's command line: No such file or directory\n" },
        { "-c without a memory map", TWEAK_NO_IOMEM, { "-c", "-l", "@K" },
          "kexec: /proc/iomem: cannot read the memory map: No such file or directory\n" },
};

static const char *token(const struct fixture *fx, const char *name, size_t *len)
{
        static const char *const names[] = { "@MISSING", "@DIR", "@EMPTY", "@JUNK", "@LONG", "@HUGE", "@K", "@I" };
        const char *const values[] = { fx->missing, fx->dir, fx->empty, fx->junk, fx->long_cmdline,
                                       fx->huge_append, fx->kernel, fx->initrd };

        for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
                if (strncmp(name, names[i], strlen(names[i])) == 0) {
                        *len = strlen(names[i]);
                        return values[i];
                }
        return NULL;
}

/* text with every "@TOKEN" replaced; malloc'd. */
static char *expand(const struct fixture *fx, const char *text)
{
        char *s = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&s, &len);

        assert_non_null(f);
        while (*text) {
                size_t n;
                const char *value = *text == '@' ? token(fx, text, &n) : NULL;

                if (value) {
                        fputs(value, f);
                        text += n;
                } else {
                        fputc(*text++, f);
                }
        }
        assert_int_equal(fclose(f), 0);
        return s;
}

static void test_errors(void **state)
{
        struct fixture *fx = *state;

        for (size_t i = 0; i < sizeof(error_cases) / sizeof(error_cases[0]); i++) {
                char *args[7] = { NULL };
                char *want = expand(fx, error_cases[i].want);
                size_t want_len = strlen(want);
                bool prefix = want_len && want[want_len - 1] == '*';
                char *p;

                fx_system(fx->root);
                if (error_cases[i].tweak == TWEAK_NO_CRASH_RESERVATION) {
                        fx_put(fx->root, "/sys/kernel/kexec_crash_size", "0\n");
                } else if (error_cases[i].tweak != TWEAK_NONE) {
                        p = fx_path(fx->root, error_cases[i].tweak == TWEAK_NO_IOMEM ?
                                    "/proc/iomem" : "/proc/cmdline");
                        assert_int_equal(remove(p), 0);
                        free(p);
                }
                for (size_t a = 0; error_cases[i].args[a]; a++)
                        args[a] = expand(fx, error_cases[i].args[a]);

                run_argv(fx, (const char *const *)args);
                if (fx->status != 1)
                        fail_msg("%s: exit status %d, want 1 (stderr '%s')", error_cases[i].name,
                                 fx->status, fx->err);
                assert_one_error_line(fx);
                if (prefix ? strncmp(fx->err, want, want_len - 1) != 0 : strcmp(fx->err, want) != 0)
                        fail_msg("%s: stderr '%s', want '%s'", error_cases[i].name, fx->err, want);
                /* Validation failed: the kernel was never called, not even for a sync. */
                if (fx->fake.ncalls)
                        fail_msg("%s: calls made: %s", error_cases[i].name, fx->trace);
                assert_file(fx, "/sys/kernel/kexec_loaded", "0\n");

                for (size_t a = 0; args[a]; a++)
                        free(args[a]);
                free(want);
        }
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
        const struct CMUnitTest tests[] = {
                T(test_seed_load),
                T(test_seed_load_permuted),
                T(test_crash_load),
                T(test_unload),
                T(test_unload_then_load),
                T(test_status),
                T(test_exec_nothing_loaded),
                T(test_exec),
                T(test_bare_image),
                T(test_force),
                T(test_cmdline_options),
                T(test_classic),
                T(test_auto_fallback),
                T(test_dry_run),
                T(test_print_ckr_size),
                T(test_version_and_help),
                T(test_debug),
                T(test_kernel_refuses),
                T(test_errors),
        };
#undef T

        return cmocka_run_group_tests_name("cli", tests, NULL, NULL);
}
