// SPDX-License-Identifier: MIT
/*
 * kexec's command line, option for option as kexec-tools 2.0.32 reads it
 * (kexec/kexec.h KEXEC_OPTIONS and the x86 arch options), so that scripts
 * written for it mean the same here. Options warmboot does not implement
 * are recognised and refused by name, never ignored.
 */

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"

enum {
        OPT_MEM_MIN = 256,
        OPT_MEM_MAX,
        OPT_REUSE_INITRD,
        OPT_LOAD_PRESERVE_CONTEXT,
        OPT_LOAD_JUMP_BACK_HELPER,
        OPT_ENTRY,
        OPT_PRINT_CKR_SIZE,
        OPT_LOAD_LIVE_UPDATE,
        OPT_EXEC_LIVE_UPDATE,
        OPT_HOTPLUG,
        OPT_NO_CMA,
        OPT_FORCE_DTB,
        OPT_DRY_RUN,            /* warmboot's own */
        OPT_VERIFY,             /* warmboot's own */
        /* x86 options */
        OPT_RESET_VGA,
        OPT_SERIAL,
        OPT_SERIAL_BAUD,
        OPT_CONSOLE_VGA,
        OPT_CONSOLE_SERIAL,
        OPT_ELF32_CORE,
        OPT_ELF64_CORE,
        OPT_PASS_MEMMAP_CMDLINE,
        OPT_NOEFI,
        OPT_REUSE_VIDEO_TYPE,
        /* image options: they only go with a load */
        OPT_FIRST_IMAGE_OPTION,
        OPT_COMMAND_LINE = OPT_FIRST_IMAGE_OPTION,
        OPT_APPEND,
        OPT_REUSE_CMDLINE,
        OPT_INITRD,
        OPT_ARGS_ELF,
        OPT_ARGS_LINUX,
        OPT_ARGS_NONE,
        OPT_MODULE,
        OPT_REAL_MODE,
        OPT_ENTRY_32BIT,
        OPT_DTB,
};

static const struct option long_options[] = {
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, 'v' },
        { "force", no_argument, NULL, 'f' },
        { "no-checks", no_argument, NULL, 'i' },
        { "no-ifdown", no_argument, NULL, 'x' },
        { "no-sync", no_argument, NULL, 'y' },
        { "load", no_argument, NULL, 'l' },
        { "unload", no_argument, NULL, 'u' },
        { "exec", no_argument, NULL, 'e' },
        { "exec-live-update", no_argument, NULL, OPT_EXEC_LIVE_UPDATE },
        { "load-preserve-context", no_argument, NULL, OPT_LOAD_PRESERVE_CONTEXT },
        { "load-jump-back-helper", no_argument, NULL, OPT_LOAD_JUMP_BACK_HELPER },
        { "load-live-update", no_argument, NULL, OPT_LOAD_LIVE_UPDATE },
        { "entry", required_argument, NULL, OPT_ENTRY },
        { "type", required_argument, NULL, 't' },
        { "load-panic", no_argument, NULL, 'p' },
        { "mem-min", required_argument, NULL, OPT_MEM_MIN },
        { "mem-max", required_argument, NULL, OPT_MEM_MAX },
        { "reuseinitrd", no_argument, NULL, OPT_REUSE_INITRD },
        { "kexec-file-syscall", no_argument, NULL, 's' },
        { "kexec-syscall", no_argument, NULL, 'c' },
        { "kexec-syscall-auto", no_argument, NULL, 'a' },
        { "debug", no_argument, NULL, 'd' },
        { "status", no_argument, NULL, 'S' },
        { "print-ckr-size", no_argument, NULL, OPT_PRINT_CKR_SIZE },
        { "hotplug", no_argument, NULL, OPT_HOTPLUG },
        { "no-cma", no_argument, NULL, OPT_NO_CMA },
        { "force-dtb", no_argument, NULL, OPT_FORCE_DTB },
        { "dry-run", no_argument, NULL, OPT_DRY_RUN },
        { "verify", required_argument, NULL, OPT_VERIFY },
        { "reset-vga", no_argument, NULL, OPT_RESET_VGA },
        { "serial", required_argument, NULL, OPT_SERIAL },
        { "serial-baud", required_argument, NULL, OPT_SERIAL_BAUD },
        { "console-vga", no_argument, NULL, OPT_CONSOLE_VGA },
        { "console-serial", no_argument, NULL, OPT_CONSOLE_SERIAL },
        { "elf32-core-headers", no_argument, NULL, OPT_ELF32_CORE },
        { "elf64-core-headers", no_argument, NULL, OPT_ELF64_CORE },
        { "pass-memmap-cmdline", no_argument, NULL, OPT_PASS_MEMMAP_CMDLINE },
        { "noefi", no_argument, NULL, OPT_NOEFI },
        { "reuse-video-type", no_argument, NULL, OPT_REUSE_VIDEO_TYPE },
        { "command-line", required_argument, NULL, OPT_COMMAND_LINE },
        { "append", required_argument, NULL, OPT_APPEND },
        { "reuse-cmdline", no_argument, NULL, OPT_REUSE_CMDLINE },
        { "initrd", required_argument, NULL, OPT_INITRD },
        { "ramdisk", required_argument, NULL, OPT_INITRD },
        { "args-elf", no_argument, NULL, OPT_ARGS_ELF },
        { "args-linux", no_argument, NULL, OPT_ARGS_LINUX },
        { "args-none", no_argument, NULL, OPT_ARGS_NONE },
        { "module", required_argument, NULL, OPT_MODULE },
        { "real-mode", no_argument, NULL, OPT_REAL_MODE },
        { "entry-32bit", no_argument, NULL, OPT_ENTRY_32BIT },
        { "dtb", required_argument, NULL, OPT_DTB },
        { NULL, 0, NULL, 0 },
};

/* kexec-tools' KEXEC_OPT_STR; the leading ':' reports a missing argument apart. */
static const char short_options[] = ":hvdfixyluet:pscaS";

static const char *long_name(int val)
{
        for (const struct option *o = long_options; o->name; o++)
                if (o->val == val)
                        return o->name;
        return "?";
}

void kexec_usage(FILE *out)
{
        fputs("Usage: kexec [OPTION]... [KERNEL]\n"
              "Load a Linux kernel and reboot into it without the firmware (warmboot's kexec,\n"
              "a drop-in replacement for kexec-tools' kexec).\n"
              "\n"
              "Actions:\n"
              "  -l, --load             load KERNEL for a later kexec -e\n"
              "  -p, --load-panic       load KERNEL as the panic (crash) kernel\n"
              "  -u, --unload           unload the loaded kernel (with -p: the panic kernel)\n"
              "  -e, --exec             reboot into the loaded kernel now, without shutdown\n"
              "  -f, --force            load KERNEL and reboot into it at once, without shutdown\n"
              "  -S, --status           exit 1 if a kernel is loaded, 0 if not: the panic\n"
              "                         kernel, or the normal one with -l\n"
              "      --print-ckr-size   print the size of the crashkernel= reservation\n"
              "  KERNEL alone           load it, then run shutdown -r now\n"
              "\n"
              "Load options:\n"
              "      --initrd=FILE      the initrd (also --ramdisk=FILE)\n"
              "      --reuse-cmdline    use the running kernel's command line, without\n"
              "                         BOOT_IMAGE= (and crashkernel= for -p)\n"
              "      --command-line=S   use S as the command line (replaces --reuse-cmdline)\n"
              "      --append=S         add S to the command line\n"
              "  -t, --type=TYPE        image type instead of probing (bzImage, elf-x86_64)\n"
              "  -s, --kexec-file-syscall  use kexec_file_load(2) only\n"
              "  -c, --kexec-syscall       use kexec_load(2) only: warmboot places the\n"
              "                            segments and its purgatory verifies them\n"
              "  -a, --kexec-syscall-auto  kexec_file_load, falling back to kexec_load when\n"
              "                            the kernel lacks it or refuses the image (default)\n"
              "  -i, --no-checks        kexec_load: purgatory does not verify the segments\n"
              "      --verify=ALG       kexec_load: how purgatory verifies them: crc32c\n"
              "                         (default: 4 CRC32C lanes, against corruption),\n"
              "                         sha256 (slower), none (as -i)\n"
              "      --console-serial   kexec_load: purgatory reports on a serial port\n"
              "      --serial=PORT      that port: ttyS0..ttyS3 or an I/O port (ttyS0)\n"
              "      --serial-baud=N    set the port to N baud first (default: as it is)\n"
              "\n"
              "Other options:\n"
              "  -x, --no-ifdown        do not bring network interfaces down before -e/-f\n"
              "  -y, --no-sync          do not sync filesystems before -e/-f\n"
              "  -d, --debug            explain each step on standard error\n"
              "      --dry-run          check and plan a load (-l/-p), print the plan, and\n"
              "                         call nothing: no load, unload or reboot\n"
              "  -h, --help             show this help\n"
              "  -v, --version          show the version\n"
              "\n"
              "Options of kexec-tools that warmboot does not implement are refused by name.\n"
              "Errors are one line \"kexec: FILE: reason\" and exit status 1; a kernel loaded\n"
              "before stays loaded. See kexec(8).\n", out);
}

/* Which kexec-tools options are known to us but not implemented. */
static bool unsupported(int opt)
{
        switch (opt) {
        case OPT_MEM_MIN: case OPT_MEM_MAX: case OPT_REUSE_INITRD:
        case OPT_LOAD_PRESERVE_CONTEXT: case OPT_LOAD_JUMP_BACK_HELPER:
        case OPT_ENTRY: case OPT_LOAD_LIVE_UPDATE: case OPT_EXEC_LIVE_UPDATE:
        case OPT_HOTPLUG: case OPT_NO_CMA: case OPT_FORCE_DTB:
        case OPT_RESET_VGA: case OPT_CONSOLE_VGA:
        case OPT_ELF32_CORE: case OPT_ELF64_CORE: case OPT_PASS_MEMMAP_CMDLINE:
        case OPT_NOEFI: case OPT_REUSE_VIDEO_TYPE:
        case OPT_ARGS_ELF: case OPT_ARGS_LINUX: case OPT_ARGS_NONE:
        case OPT_MODULE: case OPT_REAL_MODE: case OPT_ENTRY_32BIT: case OPT_DTB:
                return true;
        default:
                return false;
        }
}

/* The legacy PC COM ports' I/O bases, in kexec-tools' order for ttyS0..ttyS3. */
#define SERIAL_TTYS0 0x3f8
static const uint16_t serial_ports[] = { SERIAL_TTYS0, 0x2f8, 0x3e8, 0x2e8 };
/* The 16550's divisor latch gives 115200 / divisor baud. */
#define SERIAL_MAX_BAUD 115200u
#define SERIAL_MIN_BAUD 50u

static int parse_serial_port(const char *arg, uint16_t *ret)
{
        unsigned long v;
        char *end;

        if (strncmp(arg, "ttyS", 4) == 0 && arg[4] >= '0' && arg[4] <= '3' && arg[5] == '\0') {
                *ret = serial_ports[arg[4] - '0'];
                return 0;
        }
        errno = 0;
        v = strtoul(arg, &end, 0);
        if (errno || end == arg || *end || v == 0 || v > 0xfff8)
                return -EINVAL;
        *ret = (uint16_t)v;
        return 0;
}

static int parse_baud(const char *arg, uint32_t *ret)
{
        unsigned long v;
        char *end;

        errno = 0;
        v = strtoul(arg, &end, 10);
        if (errno || end == arg || *end || v < SERIAL_MIN_BAUD || v > SERIAL_MAX_BAUD)
                return -EINVAL;
        *ret = (uint32_t)v;
        return 0;
}

/*
 * The option getopt_long() just stopped at, as the user wrote it: the
 * long form from argv (without any "=value"), or the short letter.
 * optind_before is optind before that getopt_long() call: a long option
 * is always consumed whole, so it is argv[optind_now - 1], at or after
 * optind_before; a short one may stop inside a cluster ("-zl"), where
 * optind_now still points at the cluster and argv[optind_now - 1] is an
 * older element, maybe an unrelated "--initrd=...".
 */
static const char *option_as_written(char **argv, int optind_before, int optind_now,
                                     int optopt_now, char *buf, size_t size)
{
        const char *arg = optind_now > 0 && optind_now - 1 >= optind_before ?
                argv[optind_now - 1] : NULL;

        if (arg && strncmp(arg, "--", 2) == 0)
                snprintf(buf, size, "%.*s", (int)strcspn(arg, "="), arg);
        else
                snprintf(buf, size, "-%c", optopt_now > 0 && optopt_now < 128 ? optopt_now : '?');
        return buf;
}

/* True for "--name" when name is one of our long options without an argument. */
static bool takes_no_argument(const char *written)
{
        if (strncmp(written, "--", 2) != 0)
                return false;
        for (const struct option *o = long_options; o->name; o++)
                if (strcmp(o->name, written + 2) == 0)
                        return o->has_arg == no_argument;
        return false;
}

int kexec_options_parse(int argc, char **argv, struct kexec_opts *ret, char *err, size_t errlen)
{
        /* kexec-tools' starting state: a bare KERNEL loads, then shuts down. */
        struct kexec_opts o = {
                .do_load = true,
                .do_shutdown = true,
                .do_sync = true,
                .syscall = WB_SYSCALL_AUTO,
                .serial_port = SERIAL_TTYS0,
        };
        bool skip_sync = false, skip_ifdown = false;
        char word[64];

        opterr = 0;
        optind = 0;     /* 0, not 1: full re-initialisation in glibc and musl alike */
        for (;;) {
                int optind_before = optind;
                int opt = getopt_long(argc, argv, short_options, long_options, NULL);

                if (opt == -1)
                        break;
                if (unsupported(opt)) {
                        snprintf(err, errlen, "--%s is not supported", long_name(opt));
                        return -EINVAL;
                }
                if (opt >= OPT_FIRST_IMAGE_OPTION && !o.load_option)
                        o.load_option = long_name(opt);
                switch (opt) {
                case 'h':
                        o.help = true;
                        break;
                case 'v':
                        o.version = true;
                        break;
                case 'd':
                        o.debug = true;
                        break;
                case 'x':
                        skip_ifdown = true;
                        break;
                case 'y':
                        skip_sync = true;
                        break;
                case 'f':
                        o.do_load = true;
                        o.do_shutdown = false;
                        o.do_sync = true;
                        o.do_ifdown = true;
                        o.do_exec = true;
                        break;
                case 'l':
                        o.has_opt_load = true;
                        o.do_load = true;
                        o.do_exec = false;
                        o.do_shutdown = false;
                        break;
                case 'u':
                        o.do_load = false;
                        o.do_shutdown = false;
                        o.do_sync = false;
                        o.do_unload = true;
                        break;
                case 'e':
                        o.do_load = false;
                        o.do_shutdown = false;
                        o.do_sync = true;
                        o.do_ifdown = true;
                        o.do_exec = true;
                        break;
                case 't':
                        o.type = optarg;
                        break;
                case 'p':
                        /* -l after -p keeps the panic flag, as in kexec-tools. */
                        o.do_load = true;
                        o.do_exec = false;
                        o.do_shutdown = false;
                        o.do_sync = false;
                        o.crash = true;
                        break;
                case 's':
                        o.syscall = WB_SYSCALL_FILE;
                        break;
                case 'c':
                        o.syscall = WB_SYSCALL_CLASSIC;
                        break;
                case 'a':
                        o.syscall = WB_SYSCALL_AUTO;
                        break;
                case 'i':
                        o.no_checks = true;
                        o.verify = WB_VERIFY_NONE;
                        break;
                case OPT_VERIFY:
                        if (strcmp(optarg, "crc32c") == 0) {
                                o.verify = WB_VERIFY_CRC32C;
                        } else if (strcmp(optarg, "sha256") == 0) {
                                o.verify = WB_VERIFY_SHA256;
                        } else if (strcmp(optarg, "none") == 0) {
                                o.verify = WB_VERIFY_NONE;
                        } else {
                                snprintf(err, errlen, "--verify=%s: not crc32c, sha256 or none", optarg);
                                return -EINVAL;
                        }
                        /* The last of -i and --verify= counts. */
                        o.no_checks = o.verify == WB_VERIFY_NONE;
                        break;
                case 'S':
                        o.do_status = true;
                        break;
                case OPT_CONSOLE_SERIAL:
                        o.console_serial = true;
                        break;
                case OPT_SERIAL:
                        if (parse_serial_port(optarg, &o.serial_port) < 0) {
                                snprintf(err, errlen, "--serial=%s: not ttyS0..ttyS3 or an I/O port number", optarg);
                                return -EINVAL;
                        }
                        /* Naming a port asks for messages on it. */
                        o.console_serial = true;
                        break;
                case OPT_SERIAL_BAUD:
                        if (parse_baud(optarg, &o.serial_baud) < 0) {
                                snprintf(err, errlen, "--serial-baud=%s: not a baud rate (50 to 115200)", optarg);
                                return -EINVAL;
                        }
                        break;
                case OPT_PRINT_CKR_SIZE:
                        o.print_ckr_size = true;
                        break;
                case OPT_DRY_RUN:
                        o.dry_run = true;
                        break;
                case OPT_COMMAND_LINE:
                        o.command_line = optarg;
                        break;
                case OPT_APPEND:
                        o.append = optarg;
                        break;
                case OPT_REUSE_CMDLINE:
                        o.reuse_cmdline = true;
                        break;
                case OPT_INITRD:
                        o.initrd = optarg;
                        break;
                case ':':
                        snprintf(err, errlen, "option '%s' needs an argument",
                                 option_as_written(argv, optind_before, optind, optopt, word, sizeof(word)));
                        return -EINVAL;
                case '?':
                default:
                        option_as_written(argv, optind_before, optind, optopt, word, sizeof(word));
                        if (takes_no_argument(word))
                                snprintf(err, errlen, "option '%s' takes no argument", word);
                        else
                                snprintf(err, errlen, "unknown option '%s' (see kexec --help)", word);
                        return -EINVAL;
                }
        }
        if (skip_ifdown)
                o.do_ifdown = false;
        if (skip_sync)
                o.do_sync = false;
        if (o.do_status) {
                o.do_load = o.do_unload = o.do_shutdown = false;
                o.do_sync = o.do_ifdown = o.do_exec = false;
        }
        if (o.help || o.version || o.print_ckr_size) {
                *ret = o;
                return 0;
        }
        if (o.load_option && !o.do_load) {
                snprintf(err, errlen, "--%s only goes with a load (-l, -p, -f or a KERNEL alone)",
                         o.load_option);
                return -EINVAL;
        }
        if (optind < argc)
                o.image = argv[optind++];
        if (o.do_load && optind < argc) {
                snprintf(err, errlen, "unexpected argument '%s' after the kernel image", argv[optind]);
                return -EINVAL;
        }
        if (o.do_load && !o.image) {
                snprintf(err, errlen, "no kernel image given (kexec -l KERNEL)");
                return -EINVAL;
        }
        *ret = o;
        return 0;
}
