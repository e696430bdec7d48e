// SPDX-License-Identifier: MIT
/*
 * kexec_options_parse(): every command line must mean what it means to
 * kexec-tools 2.0.32 (kexec/kexec.c main() and the x86 bzImage options),
 * since scripts and systemd units call kexec with those.
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

#include "cli/options.h"

#define KERNEL "/boot/vmlinuz-6.1.0-56-cloud-amd64"
#define INITRD "/boot/initrd.img-6.1.0-56-cloud-amd64"

#define MAX_ARGS 16

/* The kexec_opts a command line must give; fields left out must be false or NULL. */
struct parse_case {
        const char *name;
        const char *argv[MAX_ARGS];     /* without "kexec"; NULL-terminated */
        struct kexec_opts want;
};

/*
 * The do_* flags spelled out per case, as kexec-tools' main() leaves them:
 * it starts from do_load, do_shutdown and do_sync set, and each option
 * rewrites some of them.
 */
static const struct parse_case cases[] = {
        /* The seed command lines. */
        { "seed: -l --initrd --reuse-cmdline",
          { "-l", "--initrd=" INITRD, "--reuse-cmdline", KERNEL },
          { .do_load = true, .do_sync = true, .has_opt_load = true, .image = KERNEL,
            .initrd = INITRD, .reuse_cmdline = true } },
        { "seed: -e", { "-e" },
          { .do_exec = true, .do_sync = true, .do_ifdown = true } },
        { "-e -x: no ifdown", { "-e", "-x" },
          { .do_exec = true, .do_sync = true } },
        { "-e -y: no sync", { "-e", "-y" },
          { .do_exec = true, .do_ifdown = true } },
        { "-e -x -y", { "-e", "-x", "-y" },
          { .do_exec = true } },
        /* -x and -y are applied after the loop: their place does not matter. */
        { "-x -y -e", { "-x", "-y", "-e" },
          { .do_exec = true } },
        { "--exec --no-ifdown --no-sync", { "--exec", "--no-ifdown", "--no-sync" },
          { .do_exec = true } },
        { "-u", { "-u" },
          { .do_unload = true } },
        { "--unload", { "--unload" },
          { .do_unload = true } },
        { "-p -u: crash unload", { "-p", "-u" },
          { .do_unload = true, .crash = true } },
        /* -l after -p keeps the panic flag and -p's do_sync = 0. */
        { "seed: -p -l crash load",
          { "-p", "-l", "--initrd=" INITRD, "--reuse-cmdline", KERNEL },
          { .do_load = true, .has_opt_load = true, .crash = true, .image = KERNEL,
            .initrd = INITRD, .reuse_cmdline = true } },
        { "-l -p: crash load", { "-l", "-p", KERNEL },
          { .do_load = true, .has_opt_load = true, .crash = true, .image = KERNEL } },
        { "-p alone: crash load", { "-p", KERNEL },
          { .do_load = true, .crash = true, .image = KERNEL } },
        { "--load-panic", { "--load-panic", KERNEL },
          { .do_load = true, .crash = true, .image = KERNEL } },
        { "-pl cluster", { "-pl", KERNEL },
          { .do_load = true, .has_opt_load = true, .crash = true, .image = KERNEL } },
        { "bare image: load then shutdown", { KERNEL },
          { .do_load = true, .do_shutdown = true, .do_sync = true, .image = KERNEL } },
        { "-f: load then exec, no shutdown", { "-f", KERNEL },
          { .do_load = true, .do_exec = true, .do_sync = true, .do_ifdown = true, .image = KERNEL } },
        { "--force -x -y", { "--force", "-x", "-y", KERNEL },
          { .do_load = true, .do_exec = true, .image = KERNEL } },
        /* -S asks about the panic kernel unless -l; the CLI reads crash || !has_opt_load. */
        { "-S", { "-S" },
          { .do_status = true } },
        { "--status", { "--status" },
          { .do_status = true } },
        { "-l -S", { "-l", "-S" },
          { .do_status = true, .has_opt_load = true } },
        { "-p -S", { "-p", "-S" },
          { .do_status = true, .crash = true } },
        { "-S -e: status wins", { "-S", "-e" },
          { .do_status = true } },
        { "-s", { "-s", "-l", KERNEL },
          { .do_load = true, .do_sync = true, .has_opt_load = true, .image = KERNEL,
            .syscall = WB_SYSCALL_FILE } },
        { "-c", { "-c", "-l", KERNEL },
          { .do_load = true, .do_sync = true, .has_opt_load = true, .image = KERNEL,
            .syscall = WB_SYSCALL_CLASSIC } },
        { "-a", { "-a", "-l", KERNEL },
          { .do_load = true, .do_sync = true, .has_opt_load = true, .image = KERNEL,
            .syscall = WB_SYSCALL_AUTO } },
        { "-s then -a: the last one wins", { "-s", "-a", "-l", KERNEL },
          { .do_load = true, .do_sync = true, .has_opt_load = true, .image = KERNEL,
            .syscall = WB_SYSCALL_AUTO } },
        { "--kexec-file-syscall", { "--kexec-file-syscall", "-l", KERNEL },
          { .do_load = true, .do_sync = true, .has_opt_load = true, .image = KERNEL,
            .syscall = WB_SYSCALL_FILE } },
        { "--kexec-syscall", { "--kexec-syscall", "-l", KERNEL },
          { .do_load = true, .do_sync = true, .has_opt_load = true, .image = KERNEL,
            .syscall = WB_SYSCALL_CLASSIC } },
        { "--ramdisk= is --initrd=", { "-l", "--ramdisk=" INITRD, KERNEL },
          { .do_load = true, .do_sync = true, .has_opt_load = true, .image = KERNEL,
            .initrd = INITRD } },
        { "--command-line= and --append=",
          { "-l", "--command-line=root=/dev/vda1 ro", "--append=quiet", KERNEL },
          { .do_load = true, .do_sync = true, .has_opt_load = true, .image = KERNEL,
            .command_line = "root=/dev/vda1 ro", .append = "quiet" } },
        { "--append alone, separate argument", { "-l", "--append", "console=ttyS0", KERNEL },
          { .do_load = true, .do_sync = true, .has_opt_load = true, .image = KERNEL,
            .append = "console=ttyS0" } },
        { "-t bzImage", { "-t", "bzImage", "-l", KERNEL },
          { .do_load = true, .do_sync = true, .has_opt_load = true, .image = KERNEL,
            .type = "bzImage" } },
        { "-tbzImage", { "-tbzImage", "-l", KERNEL },
          { .do_load = true, .do_sync = true, .has_opt_load = true, .image = KERNEL,
            .type = "bzImage" } },
        { "--type=bzImage64", { "--type=bzImage64", "-l", KERNEL },
          { .do_load = true, .do_sync = true, .has_opt_load = true, .image = KERNEL,
            .type = "bzImage64" } },
        { "--type bzImage64", { "--type", "bzImage64", "-l", KERNEL },
          { .do_load = true, .do_sync = true, .has_opt_load = true, .image = KERNEL,
            .type = "bzImage64" } },
        { "--initrd FILE separate", { "-l", "--initrd", INITRD, KERNEL },
          { .do_load = true, .do_sync = true, .has_opt_load = true, .image = KERNEL,
            .initrd = INITRD } },
        { "--ramdisk FILE separate", { "--ramdisk", INITRD, "--load", KERNEL },
          { .do_load = true, .do_sync = true, .has_opt_load = true, .image = KERNEL,
            .initrd = INITRD } },
        /* getopt_long permutes: the image may come first. */
        { "image before the options", { KERNEL, "-l", "--initrd=" INITRD, "--reuse-cmdline" },
          { .do_load = true, .do_sync = true, .has_opt_load = true, .image = KERNEL,
            .initrd = INITRD, .reuse_cmdline = true } },
        { "image between the options", { "-p", KERNEL, "--initrd", INITRD },
          { .do_load = true, .crash = true, .image = KERNEL, .initrd = INITRD } },
        { "-- ends the options", { "-l", "--", KERNEL },
          { .do_load = true, .do_sync = true, .has_opt_load = true, .image = KERNEL } },
        { "an image named like an option after --", { "-l", "--", "-weird" },
          { .do_load = true, .do_sync = true, .has_opt_load = true, .image = "-weird" } },
        /* Long options may be abbreviated while unambiguous, as with getopt_long. */
        { "--init= abbreviation", { "-l", "--init=" INITRD, KERNEL },
          { .do_load = true, .do_sync = true, .has_opt_load = true, .image = KERNEL,
            .initrd = INITRD } },
        { "-d -i", { "-d", "-i", "-l", KERNEL },
          { .do_load = true, .do_sync = true, .has_opt_load = true, .image = KERNEL,
            .debug = true, .no_checks = true, .verify = WB_VERIFY_NONE } },
        { "--debug --no-checks", { "--debug", "--no-checks", "-l", KERNEL },
          { .do_load = true, .do_sync = true, .has_opt_load = true, .image = KERNEL,
            .debug = true, .no_checks = true, .verify = WB_VERIFY_NONE } },
        /* Purgatory's check (warmboot's own option); the last of -i and --verify= counts. */
        { "--verify=crc32c", { "--verify=crc32c", "-c", "-l", KERNEL },
          { .do_load = true, .do_sync = true, .has_opt_load = true, .image = KERNEL,
            .syscall = WB_SYSCALL_CLASSIC, .verify = WB_VERIFY_CRC32C } },
        { "--verify sha256", { "--verify", "sha256", "-l", KERNEL },
          { .do_load = true, .do_sync = true, .has_opt_load = true, .image = KERNEL,
            .verify = WB_VERIFY_SHA256 } },
        { "--verify=none is -i", { "--verify=none", "-l", KERNEL },
          { .do_load = true, .do_sync = true, .has_opt_load = true, .image = KERNEL,
            .no_checks = true, .verify = WB_VERIFY_NONE } },
        { "-i then --verify=sha256", { "-i", "--verify=sha256", "-l", KERNEL },
          { .do_load = true, .do_sync = true, .has_opt_load = true, .image = KERNEL,
            .verify = WB_VERIFY_SHA256 } },
        { "--verify=sha256 then -i", { "--verify=sha256", "-i", "-l", KERNEL },
          { .do_load = true, .do_sync = true, .has_opt_load = true, .image = KERNEL,
            .no_checks = true, .verify = WB_VERIFY_NONE } },
        /* Purgatory's serial console, for kexec_load (kexec-tools' x86 options). */
        { "--console-serial --serial=ttyS1 --serial-baud=115200",
          { "--console-serial", "--serial=ttyS1", "--serial-baud=115200", "-c", "-l", KERNEL },
          { .do_load = true, .do_sync = true, .has_opt_load = true, .image = KERNEL,
            .syscall = WB_SYSCALL_CLASSIC, .console_serial = true, .serial_port = 0x2f8,
            .serial_baud = 115200 } },
        { "--serial PORT separate, in hex", { "--serial", "0x3e8", "--console-serial", "-l", KERNEL },
          { .do_load = true, .do_sync = true, .has_opt_load = true, .image = KERNEL,
            .console_serial = true, .serial_port = 0x3e8 } },
        /* Naming a port is asking for messages on it. */
        { "--serial=ttyS3 without --console-serial", { "--serial=ttyS3", "-l", KERNEL },
          { .do_load = true, .do_sync = true, .has_opt_load = true, .image = KERNEL,
            .console_serial = true, .serial_port = 0x2e8 } },
        { "--console-serial alone: ttyS0", { "--console-serial", "-l", KERNEL },
          { .do_load = true, .do_sync = true, .has_opt_load = true, .image = KERNEL,
            .console_serial = true, .serial_port = 0x3f8 } },
        { "--serial-baud=50", { "--serial-baud=50", "-l", KERNEL },
          { .do_load = true, .do_sync = true, .has_opt_load = true, .image = KERNEL,
            .serial_baud = 50 } },
        /* warmboot's own: plan the load and print it, call nothing. */
        { "--dry-run", { "--dry-run", "-l", KERNEL },
          { .do_load = true, .do_sync = true, .has_opt_load = true, .image = KERNEL, .dry_run = true } },
        /* -u then -l: kexec-tools unloads, then loads. */
        { "-u -l", { "-u", "-l", KERNEL },
          { .do_load = true, .do_unload = true, .has_opt_load = true, .image = KERNEL } },
        /* An image given to a command that loads nothing is kept, not refused. */
        { "-e IMAGE", { "-e", KERNEL },
          { .do_exec = true, .do_sync = true, .do_ifdown = true, .image = KERNEL } },
        /* -h, -v and --print-ckr-size end the parse's checks early. */
        { "-h", { "-h" },
          { .do_load = true, .do_shutdown = true, .do_sync = true, .help = true } },
        { "--help with load options", { "--help", "-e", "--initrd=x" },
          { .do_exec = true, .do_sync = true, .do_ifdown = true, .help = true, .initrd = "x" } },
        { "-v", { "-v" },
          { .do_load = true, .do_shutdown = true, .do_sync = true, .version = true } },
        { "--version", { "--version" },
          { .do_load = true, .do_shutdown = true, .do_sync = true, .version = true } },
        { "--print-ckr-size", { "--print-ckr-size" },
          { .do_load = true, .do_shutdown = true, .do_sync = true, .print_ckr_size = true } },
};

/* Options of kexec-tools 2.0.32 that warmboot knows and refuses by name. */
static const struct {
        const char *arg;
        const char *extra;      /* a separate argument, or NULL */
        const char *want;
} unsupported_cases[] = {
        { "--load-preserve-context", NULL, "--load-preserve-context is not supported" },
        { "--load-jump-back-helper", NULL, "--load-jump-back-helper is not supported" },
        { "--load-live-update", NULL, "--load-live-update is not supported" },
        { "--exec-live-update", NULL, "--exec-live-update is not supported" },
        { "--mem-min=1", NULL, "--mem-min is not supported" },
        { "--mem-max=0x1000", NULL, "--mem-max is not supported" },
        { "--mem-min", "1", "--mem-min is not supported" },
        { "--entry=0x1000", NULL, "--entry is not supported" },
        { "--reuseinitrd", NULL, "--reuseinitrd is not supported" },
        { "--hotplug", NULL, "--hotplug is not supported" },
        { "--no-cma", NULL, "--no-cma is not supported" },
        { "--force-dtb", NULL, "--force-dtb is not supported" },
        { "--dtb=x", NULL, "--dtb is not supported" },
        { "--reset-vga", NULL, "--reset-vga is not supported" },
        { "--console-vga", NULL, "--console-vga is not supported" },
        { "--elf32-core-headers", NULL, "--elf32-core-headers is not supported" },
        { "--elf64-core-headers", NULL, "--elf64-core-headers is not supported" },
        { "--pass-memmap-cmdline", NULL, "--pass-memmap-cmdline is not supported" },
        { "--noefi", NULL, "--noefi is not supported" },
        { "--reuse-video-type", NULL, "--reuse-video-type is not supported" },
        { "--args-elf", NULL, "--args-elf is not supported" },
        { "--args-linux", NULL, "--args-linux is not supported" },
        { "--args-none", NULL, "--args-none is not supported" },
        { "--module=m", NULL, "--module is not supported" },
        { "--real-mode", NULL, "--real-mode is not supported" },
        { "--entry-32bit", NULL, "--entry-32bit is not supported" },
};

/* Command lines that must fail, with the exact message. */
static const struct {
        const char *name;
        const char *argv[MAX_ARGS];
        const char *want;
} error_cases[] = {
        { "--verify= an unknown check", { "--verify=md5", "-l", KERNEL },
          "--verify=md5: not crc32c, sha256 or none" },
        { "--verify without its argument", { "-l", KERNEL, "--verify" },
          "option '--verify' needs an argument" },
        { "unknown long option", { "--frobnicate", "-l", KERNEL },
          "unknown option '--frobnicate' (see kexec --help)" },
        { "unknown long option with a value", { "--frobnicate=3" },
          "unknown option '--frobnicate' (see kexec --help)" },
        { "unknown short option", { "-z" },
          "unknown option '-z' (see kexec --help)" },
        { "unknown short option in a cluster", { "-lz", KERNEL },
          "unknown option '-z' (see kexec --help)" },
        /* Not "--initrd": the option at fault is in the element being scanned. */
        { "unknown short option mid-cluster after a long option",
          { "--initrd=" INITRD, "-zl", KERNEL },
          "unknown option '-z' (see kexec --help)" },
        { "ambiguous abbreviation", { "--re", KERNEL },
          "unknown option '--re' (see kexec --help)" },
        { "a value for an option that takes none", { "--load=x", KERNEL },
          "option '--load' takes no argument" },
        { "--initrd at the end", { "-l", KERNEL, "--initrd" },
          "option '--initrd' needs an argument" },
        { "--ramdisk at the end", { "-l", KERNEL, "--ramdisk" },
          "option '--ramdisk' needs an argument" },
        { "-t at the end", { "-l", KERNEL, "-t" },
          "option '-t' needs an argument" },
        { "-t at the end of a cluster", { KERNEL, "-lt" },
          "option '-t' needs an argument" },
        { "--type at the end", { "-l", KERNEL, "--type" },
          "option '--type' needs an argument" },
        { "--command-line at the end", { "-l", KERNEL, "--command-line" },
          "option '--command-line' needs an argument" },
        { "--initrd with -e", { "-e", "--initrd=x" },
          "--initrd only goes with a load (-l, -p, -f or a KERNEL alone)" },
        { "--initrd before -e", { "--initrd=x", "-e" },
          "--initrd only goes with a load (-l, -p, -f or a KERNEL alone)" },
        { "--ramdisk with -u: named as --initrd", { "-u", "--ramdisk=x" },
          "--initrd only goes with a load (-l, -p, -f or a KERNEL alone)" },
        { "--reuse-cmdline with -u", { "-u", "--reuse-cmdline" },
          "--reuse-cmdline only goes with a load (-l, -p, -f or a KERNEL alone)" },
        { "--append with -p -u", { "-p", "-u", "--append=x" },
          "--append only goes with a load (-l, -p, -f or a KERNEL alone)" },
        { "--command-line with -e", { "--command-line=x", "-e" },
          "--command-line only goes with a load (-l, -p, -f or a KERNEL alone)" },
        { "-l without an image", { "-l" },
          "no kernel image given (kexec -l KERNEL)" },
        { "-p without an image", { "-p", "--initrd=x" },
          "no kernel image given (kexec -l KERNEL)" },
        { "-f without an image", { "-f" },
          "no kernel image given (kexec -l KERNEL)" },
        { "nothing at all", { NULL },
          "no kernel image given (kexec -l KERNEL)" },
        { "two images", { "-l", KERNEL, "/boot/other" },
          "unexpected argument '/boot/other' after the kernel image" },
        { "two images, bare", { KERNEL, "/boot/other" },
          "unexpected argument '/boot/other' after the kernel image" },
        { "--serial=ttyS4", { "--serial=ttyS4", "-l", KERNEL },
          "--serial=ttyS4: not ttyS0..ttyS3 or an I/O port number" },
        { "--serial=0", { "--serial=0", "-l", KERNEL },
          "--serial=0: not ttyS0..ttyS3 or an I/O port number" },
        { "--serial=com1", { "--serial", "com1", "-l", KERNEL },
          "--serial=com1: not ttyS0..ttyS3 or an I/O port number" },
        { "--serial-baud=49", { "--serial-baud=49", "-l", KERNEL },
          "--serial-baud=49: not a baud rate (50 to 115200)" },
        { "--serial-baud=115201", { "--serial-baud=115201", "-l", KERNEL },
          "--serial-baud=115201: not a baud rate (50 to 115200)" },
        { "--serial-baud=fast", { "--serial-baud=fast", "-l", KERNEL },
          "--serial-baud=fast: not a baud rate (50 to 115200)" },
        { "--serial at the end", { "-l", KERNEL, "--serial" },
          "option '--serial' needs an argument" },
};

/* Copies args behind "kexec" into argv (getopt_long permutes the array, not the strings). */
static int make_argv(const char *const *args, char **argv)
{
        int argc = 0;

        argv[argc++] = "kexec";
        for (; *args; args++) {
                assert_true(argc < MAX_ARGS);
                argv[argc++] = (char *)*args;
        }
        argv[argc] = NULL;
        return argc;
}

static bool str_same(const char *a, const char *b)
{
        return a == b || (a && b && strcmp(a, b) == 0);
}

static const char *show(const char *s)
{
        return s ? s : "(null)";
}

/* Compares every field; fails naming the case and each field that differs. */
static void check_opts(const char *name, const struct kexec_opts *got,
                       const struct kexec_opts *want)
{
        char diff[2048];
        size_t used = 0;

#define FLAG(f)                                                                          \
        if (got->f != want->f)                                                           \
                used += (size_t)snprintf(diff + used, sizeof(diff) - used, " " #f "=%d(want %d)", \
                                         got->f, want->f)
#define STR(f)                                                                           \
        if (!str_same(got->f, want->f))                                                  \
                used += (size_t)snprintf(diff + used, sizeof(diff) - used, " " #f "=%s(want %s)", \
                                         show(got->f), show(want->f))
        diff[0] = '\0';
        FLAG(do_load); FLAG(do_exec); FLAG(do_shutdown); FLAG(do_sync); FLAG(do_ifdown);
        FLAG(do_unload); FLAG(do_status); FLAG(has_opt_load); FLAG(crash); FLAG(debug);
        FLAG(no_checks); FLAG(help); FLAG(version); FLAG(print_ckr_size); FLAG(reuse_cmdline);
        FLAG(syscall); FLAG(console_serial); FLAG(serial_port); FLAG(serial_baud); FLAG(dry_run);
        FLAG(verify);
        STR(type); STR(image); STR(initrd); STR(append); STR(command_line); STR(load_option);
#undef FLAG
#undef STR
        if (used)
                fail_msg("%s:%s", name, diff);
}

static void test_parse_table(void **state)
{
        (void)state;
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                const struct parse_case *c = &cases[i];
                struct kexec_opts got, want = c->want;
                char *argv[MAX_ARGS + 2];
                char msg[256] = "";
                int argc = make_argv(c->argv, argv);
                int r;

                /* Purgatory's port is ttyS0 unless --serial names another. */
                if (!want.serial_port)
                        want.serial_port = 0x3f8;
                r = kexec_options_parse(argc, argv, &got, msg, sizeof(msg));
                if (r != 0)
                        fail_msg("%s: parse failed: %s", c->name, msg);
                /* Which load option came first is test_load_option_first's business. */
                got.load_option = want.load_option = NULL;
                check_opts(c->name, &got, &want);
        }
}

static void expect_error(const char *name, const char *const *args, const char *want)
{
        struct kexec_opts got;
        char *argv[MAX_ARGS + 2];
        char msg[256] = "";
        int argc = make_argv(args, argv);
        int r;

        r = kexec_options_parse(argc, argv, &got, msg, sizeof(msg));
        if (r != -EINVAL)
                fail_msg("%s: returned %d, want -EINVAL (message '%s')", name, r, msg);
        if (strcmp(msg, want) != 0)
                fail_msg("%s: message '%s', want '%s'", name, msg, want);
}

static void test_errors(void **state)
{
        (void)state;
        for (size_t i = 0; i < sizeof(error_cases) / sizeof(error_cases[0]); i++)
                expect_error(error_cases[i].name, error_cases[i].argv, error_cases[i].want);
}

static void test_unsupported(void **state)
{
        (void)state;
        for (size_t i = 0; i < sizeof(unsupported_cases) / sizeof(unsupported_cases[0]); i++) {
                const char *args[] = { "-l", unsupported_cases[i].arg,
                                       unsupported_cases[i].extra, NULL, NULL };

                /* With a separate argument, the image goes after it. */
                if (unsupported_cases[i].extra)
                        args[3] = KERNEL;
                else
                        args[2] = KERNEL;
                expect_error(unsupported_cases[i].arg, args, unsupported_cases[i].want);
        }
}

/* Unsupported options are refused even where kexec-tools would only print usage. */
static void test_unsupported_alone(void **state)
{
        static const char *const args[] = { "--load-preserve-context", NULL };

        (void)state;
        expect_error("alone", args, "--load-preserve-context is not supported");
}

/* The first option that only goes with a load is the one named. */
static void test_load_option_first(void **state)
{
        static const char *const args[] = { "-e", "--append=a", "--initrd=x", NULL };
        static const char *const args2[] = { "-l", "--initrd", "x", "--reuse-cmdline", KERNEL, NULL };
        struct kexec_opts got;
        char *argv[MAX_ARGS + 2];
        char msg[256];
        int argc;

        (void)state;
        expect_error("append first", args, "--append only goes with a load (-l, -p, -f or a KERNEL alone)");
        argc = make_argv(args2, argv);
        assert_int_equal(kexec_options_parse(argc, argv, &got, msg, sizeof(msg)), 0);
        assert_string_equal(got.load_option, "initrd");
}

/*
 * getopt keeps state between calls (optind, and glibc's position inside
 * a cluster of short options); the parser must reset it each time, or a
 * second parse in the same process (tests, a library caller) goes wrong.
 */
static void test_parse_twice(void **state)
{
        static const char *const first[] = { "-e", "-x", NULL };
        static const char *const second[] = { "-l", "--initrd=" INITRD, KERNEL, NULL };
        /* Stops in the middle of "-zlp", leaving glibc's cluster pointer inside it. */
        static const char *const broken[] = { "-zlp", KERNEL, NULL };
        struct kexec_opts got;
        char *argv[MAX_ARGS + 2];
        char msg[256];
        int argc;

        (void)state;
        for (int round = 0; round < 2; round++) {
                argc = make_argv(first, argv);
                assert_int_equal(kexec_options_parse(argc, argv, &got, msg, sizeof(msg)), 0);
                assert_true(got.do_exec);
                assert_false(got.do_ifdown);
                assert_true(got.do_sync);
                assert_null(got.image);

                argc = make_argv(second, argv);
                assert_int_equal(kexec_options_parse(argc, argv, &got, msg, sizeof(msg)), 0);
                assert_true(got.do_load);
                assert_false(got.do_exec);
                /* -x from the first parse must not leak into this one. */
                assert_false(got.do_ifdown);
                assert_string_equal(got.image, KERNEL);
                assert_string_equal(got.initrd, INITRD);

                argc = make_argv(broken, argv);
                assert_int_equal(kexec_options_parse(argc, argv, &got, msg, sizeof(msg)), -EINVAL);
                assert_string_equal(msg, "unknown option '-z' (see kexec --help)");
        }
        /* After the broken parse, a fresh one sees its own first option. */
        argc = make_argv(second, argv);
        assert_int_equal(kexec_options_parse(argc, argv, &got, msg, sizeof(msg)), 0);
        assert_false(got.crash);
        assert_true(got.has_opt_load);
}

/* The message is cut to the buffer, never written past it. */
static void test_small_message_buffer(void **state)
{
        static const char *const args[] = { "--reset-vga", NULL };
        struct kexec_opts got;
        char *argv[MAX_ARGS + 2];
        char msg[12];
        int argc = make_argv(args, argv);

        (void)state;
        memset(msg, 'X', sizeof(msg));
        assert_int_equal(kexec_options_parse(argc, argv, &got, msg, sizeof(msg)), -EINVAL);
        assert_string_equal(msg, "--reset-vga");
}

/* The arguments given stay where they were: the result points into argv. */
static void test_result_points_into_argv(void **state)
{
        static const char *const args[] = { "-l", "--initrd", INITRD, KERNEL, NULL };
        struct kexec_opts got;
        char *argv[MAX_ARGS + 2];
        char msg[64];
        int argc = make_argv(args, argv);

        (void)state;
        assert_int_equal(kexec_options_parse(argc, argv, &got, msg, sizeof(msg)), 0);
        assert_ptr_equal(got.initrd, args[2]);
        assert_ptr_equal(got.image, args[3]);
}

static void test_usage(void **state)
{
        char *text = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&text, &len);

        (void)state;
        assert_non_null(f);
        kexec_usage(f);
        fclose(f);
        assert_true(strncmp(text, "Usage: kexec ", 13) == 0);
        /* Every action and load option the parser takes is documented. */
        assert_non_null(strstr(text, "--reuse-cmdline"));
        assert_non_null(strstr(text, "--initrd=FILE"));
        assert_non_null(strstr(text, "--print-ckr-size"));
        assert_non_null(strstr(text, "--status"));
        assert_int_equal(text[len - 1], '\n');
        free(text);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_parse_table),
                cmocka_unit_test(test_errors),
                cmocka_unit_test(test_unsupported),
                cmocka_unit_test(test_unsupported_alone),
                cmocka_unit_test(test_load_option_first),
                cmocka_unit_test(test_parse_twice),
                cmocka_unit_test(test_small_message_buffer),
                cmocka_unit_test(test_result_points_into_argv),
                cmocka_unit_test(test_usage),
        };

        return cmocka_run_group_tests_name("options", tests, NULL, NULL);
}
