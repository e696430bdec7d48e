// SPDX-License-Identifier: MIT
/*
 * warmboot(8) end to end: warmboot_run with the fake seam and a fixture
 * root of a Debian system, its output captured. Checks status text and
 * JSON in each state, what reaches the "kernel" and the init system, in
 * which order, and the exit status.
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
#include <unistd.h>

#include <linux/kexec.h>

#include <warmboot/ctx.h>

#include "cli/warmboot.h"
#include "fake_sys.h"
#include "fixtures.h"

#define REL "6.1.0-56-cloud-amd64"
#define KERNEL "/boot/vmlinuz-" REL
#define INITRD "/boot/initrd.img-" REL
/* FX_PROC_CMDLINE without BOOT_IMAGE= and the newline. */
#define REUSED "root=/dev/vda1 ro crashkernel=256M console=ttyS0"

#define MAX_ARGS 16

struct fixture {
        char *root;
        struct fake_sys fake;
        struct wb_ctx ctx;
        int status;
        char *out, *err;
        char trace[FAKE_TRACE_MAX];
};

static int setup(void **state)
{
        struct fixture *fx = calloc(1, sizeof(*fx));

        assert_non_null(fx);
        fx->root = fx_mkdtemp();
        fx_system(fx->root);
        free(fx_bzimage_write(fx->root, KERNEL, NULL));
        fx_put(fx->root, INITRD, "070701 initramfs\n");
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
        fx_rmtree(fx->root);
        free(fx);
        return 0;
}

static int run(struct fixture *fx, ...) __attribute__((sentinel));

/* Runs "warmboot ARGS..." (NULL-terminated); fills status, out, err and trace. */
static int run(struct fixture *fx, ...)
{
        char *argv[MAX_ARGS + 2];
        size_t out_len, err_len;
        FILE *out, *err;
        int argc = 0;
        const char *a;
        va_list ap;

        argv[argc++] = "warmboot";
        va_start(ap, fx);
        while ((a = va_arg(ap, const char *))) {
                assert_true(argc <= MAX_ARGS);
                argv[argc++] = (char *)a;
        }
        va_end(ap);
        argv[argc] = NULL;

        fake_sys_clear(&fx->fake);
        free(fx->out);
        free(fx->err);
        out = open_memstream(&fx->out, &out_len);
        err = open_memstream(&fx->err, &err_len);
        assert_non_null(out);
        assert_non_null(err);
        fx->status = warmboot_run(argc, argv, &fx->ctx, REL, out, err);
        assert_int_equal(fclose(out), 0);
        assert_int_equal(fclose(err), 0);
        fake_sys_trace(&fx->fake, fx->trace, sizeof(fx->trace));
        return fx->status;
}

static void rm_root(const struct fixture *fx, const char *rel)
{
        char *p = fx_path(fx->root, rel);

        assert_int_equal(unlink(p), 0);
        free(p);
}

static void enable(struct fixture *fx)
{
        fx_put(fx->root, "/etc/warmboot.conf", "ENABLED=yes\n");
}

static void assert_one_error_line(const struct fixture *fx, const char *want)
{
        assert_int_equal(fx->status, 1);
        assert_string_equal(fx->err, want);
        assert_string_equal(fx->out, "");
}

/* ---- status ---- */

static void test_status_ready(void **state)
{
        struct fixture *fx = *state;

        enable(fx);
        assert_int_equal(run(fx, "status", NULL), 0);
        assert_string_equal(fx->out,
                            "next reboot:  kexec\n"
                            "kernel:       " KERNEL " (running kernel " REL ")\n"
                            "initrd:       " INITRD "\n"
                            "command line: " REUSED "\n"
                            "syscall:      kexec_file_load\n"
                            "enabled:      yes (/etc/warmboot.conf)\n"
                            "loaded now:   no\n"
                            "panic kernel: not loaded\n");
        assert_string_equal(fx->err, "");
        assert_string_equal(fx->trace, "");

        assert_int_equal(run(fx, "status", "--json", NULL), 0);
        assert_string_equal(fx->out,
                            "{\"enabled\":true,\"next_reboot\":\"kexec\",\"reason\":null,"
                            "\"kernel\":\"" KERNEL "\",\"initrd\":\"" INITRD "\",\"cmdline\":\"" REUSED "\","
                            "\"syscall\":\"kexec_file_load\",\"kernel_source\":\"running kernel " REL "\","
                            "\"lockdown\":\"none\",\"loaded\":false,\"crash_loaded\":false,\"cold_pending\":false,"
                            "\"this_boot\":null,\"type_of_loader\":null}\n");
}

/* How this boot started, from the boot protocol's type_of_loader (boot_params 0x210). */
static void test_status_this_boot(void **state)
{
        struct fixture *fx = *state;
        uint8_t bp[4096] = { 0 };

        enable(fx);
        bp[0x210] = 0xd0;       /* boot loader ID 0xD: kexec */
        free(fx_write(fx->root, "/sys/kernel/boot_params/data", bp, sizeof(bp)));
        assert_int_equal(run(fx, "status", NULL), 0);
        assert_non_null(strstr(fx->out, "panic kernel: not loaded\nthis boot:    kexec (type_of_loader 0xd0)\n"));
        assert_int_equal(run(fx, "status", "--json", NULL), 0);
        assert_non_null(strstr(fx->out, ",\"this_boot\":\"kexec\",\"type_of_loader\":208}\n"));

        bp[0x210] = 0x72;       /* GRUB 2 */
        free(fx_write(fx->root, "/sys/kernel/boot_params/data", bp, sizeof(bp)));
        assert_int_equal(run(fx, "status", NULL), 0);
        assert_non_null(strstr(fx->out, "this boot:    firmware (type_of_loader 0x72)\n"));
        assert_int_equal(run(fx, "status", "--json", NULL), 0);
        assert_non_null(strstr(fx->out, ",\"this_boot\":\"firmware\",\"type_of_loader\":114}\n"));

        /* Cut short (or unreadable without root): unknown, and not shown. */
        free(fx_write(fx->root, "/sys/kernel/boot_params/data", bp, 0x210));
        assert_int_equal(run(fx, "status", NULL), 0);
        assert_null(strstr(fx->out, "this boot:"));
}

static void test_status_disabled(void **state)
{
        struct fixture *fx = *state;

        fx_put(fx->root, "/sys/kernel/kexec_loaded", "1\n");
        fx_put(fx->root, "/sys/kernel/kexec_crash_loaded", "1\n");
        assert_int_equal(run(fx, "status", NULL), 0);
        assert_string_equal(fx->out,
                            "next reboot:  firmware\n"
                            "because:      warmboot is disabled (the default); \"warmboot enable\" turns kexec reboots on\n"
                            "kernel:       " KERNEL " (running kernel " REL ")\n"
                            "initrd:       " INITRD "\n"
                            "command line: " REUSED "\n"
                            "syscall:      kexec_file_load\n"
                            "enabled:      no (default)\n"
                            "loaded now:   yes\n"
                            "panic kernel: loaded\n");
        fx_put(fx->root, "/etc/warmboot.conf", "ENABLED=no\n");
        assert_int_equal(run(fx, "status", "--json", NULL), 0);
        assert_non_null(strstr(fx->out, "{\"enabled\":false,\"next_reboot\":\"firmware\",\"reason\":"
                                        "\"warmboot is disabled (ENABLED=no in /etc/warmboot.conf); "
                                        "\\\"warmboot enable\\\" turns kexec reboots on\","));
        assert_non_null(strstr(fx->out, "\"loaded\":true,\"crash_loaded\":true,\"cold_pending\":false,"));
}

static void test_status_image_deleted(void **state)
{
        struct fixture *fx = *state;
        char *p = fx_path(fx->root, KERNEL);

        fx_put(fx->root, "/etc/warmboot.conf", "ENABLED=yes\nKERNEL=" KERNEL "\n");
        assert_int_equal(unlink(p), 0);
        free(p);
        assert_int_equal(run(fx, "status", NULL), 0);
        assert_string_equal(fx->out,
                            "next reboot:  firmware\n"
                            "because:      " KERNEL ": cannot open: No such file or directory\n"
                            "kernel:       " KERNEL " (the configured image)\n"
                            "initrd:       " INITRD "\n"
                            "command line: " REUSED "\n"
                            "enabled:      yes (/etc/warmboot.conf)\n"
                            "loaded now:   no\n"
                            "panic kernel: not loaded\n");
        /* KERNEL=current with no image at all: nothing to boot. */
        enable(fx);
        assert_int_equal(run(fx, "status", "--json", NULL), 0);
        assert_non_null(strstr(fx->out, "\"next_reboot\":\"firmware\",\"reason\":\"no kernel to boot: "
                                        KERNEL ": no image for the running kernel " REL));
        assert_non_null(strstr(fx->out, "\"kernel\":null,\"initrd\":null,\"cmdline\":null,\"syscall\":null,"));
}

static void test_status_sysctl_disabled(void **state)
{
        struct fixture *fx = *state;

        enable(fx);
        fx_put(fx->root, "/proc/sys/kernel/kexec_load_disabled", "1\n");
        assert_int_equal(run(fx, "status", NULL), 0);
        assert_non_null(strstr(fx->out, "next reboot:  firmware\nbecause:      kexec is disabled "
                                        "(sysctl kernel.kexec_load_disabled=1, which stays set until the next boot)\n"));
        /* Loaded before it was disabled: that kernel is what the reboot boots. */
        fx_put(fx->root, "/sys/kernel/kexec_loaded", "1\n");
        assert_int_equal(run(fx, "status", "--json", NULL), 0);
        assert_non_null(strstr(fx->out, "\"next_reboot\":\"kexec\",\"reason\":\"kexec is disabled (sysctl "
                                        "kernel.kexec_load_disabled=1): the kernel loaded now is the one the "
                                        "reboot boots; it cannot be replaced\""));
}

static void test_status_lockdown(void **state)
{
        struct fixture *fx = *state;

        enable(fx);
        fx_put(fx->root, "/sys/kernel/security/lockdown", "none [integrity] confidentiality\n");
        assert_int_equal(run(fx, "status", NULL), 0);
        assert_non_null(strstr(fx->out, "next reboot:  kexec\nnote:         the kernel is locked down (integrity): "
                                        "only kexec_file_load can load, and only an image signed by a key the "
                                        "kernel trusts; the signature is checked at load time\n"));
        /* SYSCALL=classic cannot work under lockdown. */
        fx_put(fx->root, "/etc/warmboot.conf", "ENABLED=yes\nSYSCALL=classic\n");
        assert_int_equal(run(fx, "status", "--json", NULL), 0);
        assert_non_null(strstr(fx->out, "\"next_reboot\":\"firmware\",\"reason\":\"the kernel is locked down "
                                        "(integrity), which forbids kexec_load: only kexec_file_load with a "
                                        "signed kernel can load (SYSCALL=file)\""));
        assert_non_null(strstr(fx->out, "\"syscall\":\"kexec_load\""));
        assert_non_null(strstr(fx->out, "\"lockdown\":\"integrity\""));
}

static void test_status_cold_and_no_kexec(void **state)
{
        struct fixture *fx = *state;
        char *p;

        enable(fx);
        fx_put(fx->root, "/run/warmboot/cold", "");
        assert_int_equal(run(fx, "status", NULL), 0);
        assert_non_null(strstr(fx->out, "next reboot:  firmware\n"
                                        "because:      a one-shot cold reboot is pending (warmboot cold)\n"));
        assert_non_null(strstr(fx->out, "cold reboot:  pending\n"));
        assert_int_equal(run(fx, "status", "--json", NULL), 0);
        assert_non_null(strstr(fx->out, "\"cold_pending\":true,"));

        p = fx_path(fx->root, "/run/warmboot/cold");
        assert_int_equal(unlink(p), 0);
        free(p);
        p = fx_path(fx->root, "/sys/kernel/kexec_loaded");
        assert_int_equal(unlink(p), 0);
        free(p);
        assert_int_equal(run(fx, "status", NULL), 0);
        assert_non_null(strstr(fx->out, "because:      the running kernel has no kexec support (no /sys/kernel/kexec_loaded)\n"));
        assert_non_null(strstr(fx->out, "loaded now:   no (no kexec support)\n"));
}

static void test_status_json_escapes(void **state)
{
        struct fixture *fx = *state;

        fx_put(fx->root, "/etc/warmboot.conf", "ENABLED=yes\nCMDLINE='a\"b\\c\ttab \xc3\xa9 \xff'\n");
        assert_int_equal(run(fx, "status", "--json", NULL), 0);
        assert_non_null(strstr(fx->out, "\"cmdline\":\"a\\\"b\\\\c\\ttab \xc3\xa9 \\ufffd\""));
}

static void test_status_bad_config(void **state)
{
        struct fixture *fx = *state;

        fx_put(fx->root, "/etc/warmboot.conf", "ENABLED=yes\nKERNEL=latest\n");
        assert_int_equal(run(fx, "status", NULL), 1);
        assert_one_error_line(fx, "warmboot: /etc/warmboot.conf:2: KERNEL=latest: want current, newest, "
                                  "grub-default, bls or an absolute path\n");
        /* Unknown keys are warnings on stderr; status goes on. */
        fx_put(fx->root, "/etc/warmboot.conf", "ENABLED=yes\nFOO=1\n");
        assert_int_equal(run(fx, "status", NULL), 0);
        assert_string_equal(fx->err, "warmboot: warning: /etc/warmboot.conf:2: unknown key FOO, ignored\n");
}

/* ---- load, unload ---- */

static void test_load(void **state)
{
        struct fixture *fx = *state;
        const struct fake_call *c;
        struct stat st;
        char *p;

        /* load does not ask whether warmboot is enabled: the user asked for it. */
        assert_int_equal(run(fx, "load", NULL), 0);
        assert_string_equal(fx->trace, "kexec_file_load");
        c = fake_sys_call(&fx->fake, FAKE_KEXEC_FILE_LOAD, 0);
        assert_int_equal(c->flags, 0);
        assert_int_equal(c->cmdline_len, strlen(REUSED) + 1);
        assert_string_equal(c->cmdline, REUSED);
        assert_true(c->kernel_stat_ok);
        assert_true(c->initrd_stat_ok);
        p = fx_path(fx->root, KERNEL);
        assert_int_equal(stat(p, &st), 0);
        free(p);
        assert_int_equal(c->kernel_st.st_ino, st.st_ino);
        p = fx_path(fx->root, INITRD);
        assert_int_equal(stat(p, &st), 0);
        free(p);
        assert_int_equal(c->initrd_st.st_ino, st.st_ino);
        assert_string_equal(fx->out, "loaded " KERNEL " (running kernel " REL ") with kexec_file_load\n");
        assert_string_equal(fx->err, "");

        /* Options replace the configured values for this load. */
        fx_put(fx->root, "/etc/warmboot.conf", "APPEND=quiet\n");
        assert_int_equal(run(fx, "load", "--initrd=none", "--command-line=root=/dev/sdb1", "--append=x=1", NULL), 0);
        c = fake_sys_call(&fx->fake, FAKE_KEXEC_FILE_LOAD, 0);
        assert_int_equal(c->flags, KEXEC_FILE_NO_INITRAMFS);
        assert_string_equal(c->cmdline, "root=/dev/sdb1 x=1");
        assert_int_equal(run(fx, "load", NULL), 0);
        assert_string_equal(fake_sys_call(&fx->fake, FAKE_KEXEC_FILE_LOAD, 0)->cmdline, REUSED " quiet");
}

static void test_load_errors(void **state)
{
        struct fixture *fx = *state;

        assert_int_equal(run(fx, "load", "--kernel=/boot/vmlinuz-gone", NULL), 1);
        assert_one_error_line(fx, "warmboot: /boot/vmlinuz-gone: cannot open: No such file or directory\n");
        assert_string_equal(fx->trace, "");
        fx->fake.kexec_file_load_ret = -EPERM;
        fx_put(fx->root, "/proc/sys/kernel/kexec_load_disabled", "1\n");
        assert_int_equal(run(fx, "load", "--syscall=file", NULL), 1);
        assert_one_error_line(fx, "warmboot: " KERNEL ": kexec is disabled on this system (sysctl "
                                  "kernel.kexec_load_disabled=1, which stays set until the next boot)\n");
}

static void test_load_if_enabled(void **state)
{
        struct fixture *fx = *state;
        const struct fake_call *c;

        /* Disabled, nothing loaded: nothing at all. */
        assert_int_equal(run(fx, "load", "--if-enabled", NULL), 0);
        assert_string_equal(fx->trace, "");
        assert_string_equal(fx->out, "not loading: warmboot is disabled; the reboot goes through the firmware\n");
        /* Disabled with a kernel loaded: unloaded, so that the reboot goes through the firmware. */
        fx_put(fx->root, "/sys/kernel/kexec_loaded", "1\n");
        assert_int_equal(run(fx, "load", "--if-enabled", NULL), 0);
        assert_string_equal(fx->trace, "kexec_file_load");
        c = fake_sys_call(&fx->fake, FAKE_KEXEC_FILE_LOAD, 0);
        assert_int_equal(c->flags, KEXEC_FILE_UNLOAD);
        assert_int_equal(c->kernel_fd, -1);
        /* Enabled but a cold reboot is pending: the same. */
        enable(fx);
        fx_put(fx->root, "/sys/kernel/kexec_loaded", "1\n");
        fx_put(fx->root, "/run/warmboot/cold", "");
        assert_int_equal(run(fx, "load", "--if-enabled", NULL), 0);
        assert_string_equal(fx->trace, "kexec_file_load");
        assert_int_equal(fake_sys_call(&fx->fake, FAKE_KEXEC_FILE_LOAD, 0)->flags, KEXEC_FILE_UNLOAD);
        assert_string_equal(fx->out, "not loading: a cold reboot is pending (warmboot cold); the reboot goes through the firmware\n");
        /* Enabled: loaded. */
        rm_root(fx, "/run/warmboot/cold");
        assert_int_equal(run(fx, "load", "--if-enabled", NULL), 0);
        assert_string_equal(fx->trace, "kexec_file_load");
        assert_int_equal(fake_sys_call(&fx->fake, FAKE_KEXEC_FILE_LOAD, 0)->flags, 0);
        /* Enabled but the load fails: the kernel loaded before is unloaded, the error reported. */
        fx_put(fx->root, "/sys/kernel/kexec_loaded", "1\n");
        assert_int_equal(run(fx, "load", "--if-enabled", "--kernel=/boot/vmlinuz-gone", NULL), 1);
        assert_string_equal(fx->trace, "kexec_file_load");
        assert_int_equal(fake_sys_call(&fx->fake, FAKE_KEXEC_FILE_LOAD, 0)->flags, KEXEC_FILE_UNLOAD);
        assert_string_equal(fx->err, "warmboot: /boot/vmlinuz-gone: cannot open: No such file or directory\n");
        /* The kernel refuses the load: the old one stays out too (its unload fails here as well). */
        fx->fake.kexec_file_load_ret = -ENOMEM;
        fx_put(fx->root, "/sys/kernel/kexec_loaded", "0\n");
        assert_int_equal(run(fx, "load", "--if-enabled", "--syscall=file", NULL), 1);
        assert_string_equal(fx->trace, "kexec_file_load");
        assert_string_equal(fx->err, "warmboot: " KERNEL ": not enough free memory for the new kernel and its initrd\n");
}

static void test_unload(void **state)
{
        struct fixture *fx = *state;

        assert_int_equal(run(fx, "unload", NULL), 0);
        assert_string_equal(fx->trace, "kexec_file_load");
        assert_int_equal(fake_sys_call(&fx->fake, FAKE_KEXEC_FILE_LOAD, 0)->flags, KEXEC_FILE_UNLOAD);
}

/* ---- cold, reboot ---- */

static void test_cold(void **state)
{
        struct fixture *fx = *state;
        char *flag;

        enable(fx);
        /* systemd is PID 1: systemctl reboot; a loaded kernel is unloaded first. */
        free(fx_mkdir(fx->root, "/run/systemd/system"));
        fx_put(fx->root, "/sys/kernel/kexec_loaded", "1\n");
        assert_int_equal(run(fx, "cold", NULL), 0);
        assert_string_equal(fx->trace, "kexec_file_load,run");
        assert_int_equal(fake_sys_call(&fx->fake, FAKE_KEXEC_FILE_LOAD, 0)->flags, KEXEC_FILE_UNLOAD);
        assert_string_equal(fake_sys_call(&fx->fake, FAKE_RUN, 0)->argv, "systemctl reboot");
        flag = fx_read(fx->root, "/run/warmboot/cold");
        assert_non_null(flag);
        free(flag);
        /* The policy is unchanged. */
        flag = fx_read(fx->root, "/etc/warmboot.conf");
        assert_string_equal(flag, "ENABLED=yes\n");
        free(flag);
}

static void test_cold_sysv_and_no_reboot(void **state)
{
        struct fixture *fx = *state;

        /* No /run/systemd/system: reboot(8); nothing loaded: no unload. */
        assert_int_equal(run(fx, "cold", NULL), 0);
        assert_string_equal(fx->trace, "run");
        assert_string_equal(fake_sys_call(&fx->fake, FAKE_RUN, 0)->argv, "reboot");
        assert_int_equal(run(fx, "cold", "--no-reboot", NULL), 0);
        assert_string_equal(fx->trace, "");
        assert_string_equal(fx->out, "the next reboot goes through the firmware, once\n");
        /* The init system's reboot failing is an error. */
        fx->fake.run_ret = 1;
        assert_int_equal(run(fx, "cold", NULL), 1);
        assert_string_equal(fx->err, "warmboot: reboot failed (exit status 1)\n");
        fx->fake.run_ret = -ENOENT;
        assert_int_equal(run(fx, "cold", NULL), 1);
        assert_string_equal(fx->err, "warmboot: cannot run reboot: No such file or directory\n");
}

static void test_reboot(void **state)
{
        struct fixture *fx = *state;
        char *flag;

        enable(fx);
        free(fx_mkdir(fx->root, "/run/systemd/system"));
        fx_put(fx->root, "/run/warmboot/cold", "");
        assert_int_equal(run(fx, "reboot", NULL), 0);
        /* Loaded, then the init system reboots; the armed cold reboot is disarmed. */
        assert_string_equal(fx->trace, "kexec_file_load,run");
        assert_int_equal(fake_sys_call(&fx->fake, FAKE_KEXEC_FILE_LOAD, 0)->flags, 0);
        assert_string_equal(fake_sys_call(&fx->fake, FAKE_RUN, 0)->argv, "systemctl reboot");
        flag = fx_read(fx->root, "/run/warmboot/cold");
        assert_null(flag);
        /* A failed load: no reboot. */
        fx->fake.kexec_file_load_ret = -EKEYREJECTED;
        assert_int_equal(run(fx, "reboot", NULL), 1);
        assert_string_equal(fx->trace, "kexec_file_load");
        assert_non_null(strstr(fx->err, "rejected the image's signature"));
}

static void test_reboot_disabled(void **state)
{
        struct fixture *fx = *state;

        fx_put(fx->root, "/sys/kernel/kexec_loaded", "1\n");
        assert_int_equal(run(fx, "reboot", NULL), 0);
        assert_string_equal(fx->out, "warmboot is disabled: rebooting through the firmware\n");
        assert_string_equal(fx->trace, "kexec_file_load,run");
        assert_int_equal(fake_sys_call(&fx->fake, FAKE_KEXEC_FILE_LOAD, 0)->flags, KEXEC_FILE_UNLOAD);
        assert_string_equal(fake_sys_call(&fx->fake, FAKE_RUN, 0)->argv, "reboot");
}

/* ---- enable, disable, kernel hooks ---- */

static void test_enable_disable(void **state)
{
        struct fixture *fx = *state;

        assert_int_equal(run(fx, "enable", NULL), 0);
        assert_string_equal(fx->out, "kexec reboots enabled (/etc/warmboot.conf); see warmboot status\n");
        assert_int_equal(run(fx, "status", "--json", NULL), 0);
        assert_non_null(strstr(fx->out, "{\"enabled\":true,\"next_reboot\":\"kexec\""));
        assert_int_equal(run(fx, "disable", NULL), 0);
        assert_int_equal(run(fx, "status", "--json", NULL), 0);
        assert_non_null(strstr(fx->out, "{\"enabled\":false,\"next_reboot\":\"firmware\""));
        assert_string_equal(fx->trace, "");
}

static void test_kernel_hooks(void **state)
{
        struct fixture *fx = *state;

        enable(fx);
        free(fx_bzimage_write(fx->root, "/boot/vmlinuz-6.1.0-57-cloud-amd64", NULL));
        fx_put(fx->root, "/boot/initrd.img-6.1.0-57-cloud-amd64", "new\n");
        assert_int_equal(run(fx, "kernel-installed", "6.1.0-57-cloud-amd64", "/boot/vmlinuz-6.1.0-57-cloud-amd64",
                             NULL), 0);
        assert_string_equal(fx->out, "");
        assert_int_equal(run(fx, "status", NULL), 0);
        assert_non_null(strstr(fx->out, "kernel:       /boot/vmlinuz-6.1.0-57-cloud-amd64 "
                                        "(kernel 6.1.0-57-cloud-amd64, installed since boot)\n"
                                        "initrd:       /boot/initrd.img-6.1.0-57-cloud-amd64\n"));
        assert_int_equal(run(fx, "kernel-removed", "6.1.0-57-cloud-amd64", NULL), 0);
        assert_int_equal(run(fx, "status", NULL), 0);
        assert_non_null(strstr(fx->out, "kernel:       " KERNEL " (running kernel " REL ")\n"));
        assert_int_equal(run(fx, "kernel-installed", "bad version", NULL), 1);
        assert_one_error_line(fx, "warmboot: 'bad version' is not a kernel version\n");
}

/* ---- the command line itself ---- */

static void test_usage_errors(void **state)
{
        struct fixture *fx = *state;

        assert_int_equal(run(fx, NULL), 1);
        assert_one_error_line(fx, "warmboot: no command given; see warmboot --help\n");
        assert_int_equal(run(fx, "frobnicate", NULL), 1);
        assert_one_error_line(fx, "warmboot: unknown command 'frobnicate'; see warmboot --help\n");
        assert_int_equal(run(fx, "load", "--json", NULL), 1);
        assert_one_error_line(fx, "warmboot: --json goes with warmboot status\n");
        assert_int_equal(run(fx, "status", "--kernel=/x", NULL), 1);
        assert_one_error_line(fx, "warmboot: --kernel goes with warmboot load\n");
        assert_int_equal(run(fx, "reboot", "--no-reboot", NULL), 1);
        assert_one_error_line(fx, "warmboot: --no-reboot goes with warmboot cold\n");
        assert_int_equal(run(fx, "status", "extra", NULL), 1);
        assert_one_error_line(fx, "warmboot: unexpected argument 'extra'\n");
        assert_int_equal(run(fx, "kernel-installed", NULL), 1);
        assert_one_error_line(fx, "warmboot: kernel-installed needs a kernel version: warmboot kernel-installed VERSION [IMAGE]\n");
        assert_int_equal(run(fx, "load", "--syscall=fast", NULL), 1);
        assert_one_error_line(fx, "warmboot: --syscall=fast: want auto, file or classic\n");
        assert_int_equal(run(fx, "load", "--kernel", NULL), 1);
        assert_one_error_line(fx, "warmboot: option --kernel needs an argument\n");
        assert_int_equal(run(fx, "--bogus", NULL), 1);
        assert_one_error_line(fx, "warmboot: unknown option --bogus; see warmboot --help\n");
        assert_string_equal(fx->trace, "");
}

static void test_help_version_debug(void **state)
{
        struct fixture *fx = *state;

        assert_int_equal(run(fx, "--help", NULL), 0);
        assert_non_null(strstr(fx->out, "Usage: warmboot [-d] COMMAND [OPTION]...\n"));
        assert_int_equal(run(fx, "-v", NULL), 0);
        assert_string_equal(fx->out, "warmboot 0.1.0\n");
        enable(fx);
        assert_int_equal(run(fx, "-d", "status", NULL), 0);
        assert_non_null(strstr(fx->err, "warmboot: debug: reading /etc/warmboot.conf\n"));
        assert_non_null(strstr(fx->err, "warmboot: debug: chosen: running kernel " REL));
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test_setup_teardown(test_status_ready, setup, teardown),
                cmocka_unit_test_setup_teardown(test_status_disabled, setup, teardown),
                cmocka_unit_test_setup_teardown(test_status_this_boot, setup, teardown),
                cmocka_unit_test_setup_teardown(test_status_image_deleted, setup, teardown),
                cmocka_unit_test_setup_teardown(test_status_sysctl_disabled, setup, teardown),
                cmocka_unit_test_setup_teardown(test_status_lockdown, setup, teardown),
                cmocka_unit_test_setup_teardown(test_status_cold_and_no_kexec, setup, teardown),
                cmocka_unit_test_setup_teardown(test_status_json_escapes, setup, teardown),
                cmocka_unit_test_setup_teardown(test_status_bad_config, setup, teardown),
                cmocka_unit_test_setup_teardown(test_load, setup, teardown),
                cmocka_unit_test_setup_teardown(test_load_errors, setup, teardown),
                cmocka_unit_test_setup_teardown(test_load_if_enabled, setup, teardown),
                cmocka_unit_test_setup_teardown(test_unload, setup, teardown),
                cmocka_unit_test_setup_teardown(test_cold, setup, teardown),
                cmocka_unit_test_setup_teardown(test_cold_sysv_and_no_reboot, setup, teardown),
                cmocka_unit_test_setup_teardown(test_reboot, setup, teardown),
                cmocka_unit_test_setup_teardown(test_reboot_disabled, setup, teardown),
                cmocka_unit_test_setup_teardown(test_enable_disable, setup, teardown),
                cmocka_unit_test_setup_teardown(test_kernel_hooks, setup, teardown),
                cmocka_unit_test_setup_teardown(test_usage_errors, setup, teardown),
                cmocka_unit_test_setup_teardown(test_help_version_debug, setup, teardown),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
