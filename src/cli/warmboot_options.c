// SPDX-License-Identifier: MIT
/*
 * warmboot's command line: "warmboot [-d] COMMAND [OPTIONS]". Options may
 * come before or after the command (getopt permutes); each is checked
 * against the command it goes with, so that a misplaced one is an error,
 * never ignored.
 */

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "warmboot_options.h"

enum {
        OPT_JSON = 256,
        OPT_KERNEL,
        OPT_INITRD,
        OPT_APPEND,
        OPT_COMMAND_LINE,
        OPT_IF_ENABLED,
        OPT_NO_REBOOT,
        OPT_SYSCALL,
};

static const struct option long_options[] = {
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, 'v' },
        { "debug", no_argument, NULL, 'd' },
        { "json", no_argument, NULL, OPT_JSON },
        { "kernel", required_argument, NULL, OPT_KERNEL },
        { "initrd", required_argument, NULL, OPT_INITRD },
        { "append", required_argument, NULL, OPT_APPEND },
        { "command-line", required_argument, NULL, OPT_COMMAND_LINE },
        { "if-enabled", no_argument, NULL, OPT_IF_ENABLED },
        { "no-reboot", no_argument, NULL, OPT_NO_REBOOT },
        { "syscall", required_argument, NULL, OPT_SYSCALL },
        { NULL, 0, NULL, 0 },
};

/* The leading ':' reports a missing argument apart from an unknown option. */
static const char short_options[] = ":hvd";

static const struct {
        const char *name;
        enum warmboot_cmd cmd;
        int min_args, max_args;
} commands[] = {
        { "enable", WB_CMD_ENABLE, 0, 0 },
        { "disable", WB_CMD_DISABLE, 0, 0 },
        { "status", WB_CMD_STATUS, 0, 0 },
        { "load", WB_CMD_LOAD, 0, 0 },
        { "unload", WB_CMD_UNLOAD, 0, 0 },
        { "cold", WB_CMD_COLD, 0, 0 },
        { "reboot", WB_CMD_REBOOT, 0, 0 },
        { "kernel-installed", WB_CMD_KERNEL_INSTALLED, 1, 2 },
        { "kernel-removed", WB_CMD_KERNEL_REMOVED, 1, 2 },
};

const char *warmboot_cmd_name(enum warmboot_cmd cmd)
{
        for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
                if (commands[i].cmd == cmd)
                        return commands[i].name;
        return "?";
}

void warmboot_usage(FILE *out)
{
        fputs("Usage: warmboot [-d] COMMAND [OPTION]...\n"
              "Make reboots kexec reboots: straight into the next kernel, without the firmware.\n"
              "\n"
              "Commands:\n"
              "  status [--json]        what the next reboot will be: kexec or firmware, into\n"
              "                         which kernel, initrd and command line, and if not, why\n"
              "  enable                 make reboots kexec reboots (ENABLED=yes in /etc/warmboot.conf)\n"
              "  disable                make reboots go through the firmware again (ENABLED=no)\n"
              "  load                   choose the kernel and load it now\n"
              "      --kernel=FILE      this image instead of the configured choice\n"
              "      --initrd=FILE      this initrd (\"none\": no initrd)\n"
              "      --command-line=S   this command line instead of the configured one\n"
              "      --append=S         these words instead of the configured APPEND\n"
              "      --syscall=S        auto, file (kexec_file_load) or classic (kexec_load)\n"
              "      --if-enabled       do nothing when disabled or a cold reboot is pending,\n"
              "                         but unload any loaded kernel (for shutdown hooks)\n"
              "  unload                 unload the loaded kernel\n"
              "  reboot                 load the chosen kernel and reboot through the init\n"
              "                         system into it (a firmware reboot when disabled)\n"
              "  cold [--no-reboot]     one reboot through the firmware now, policy unchanged;\n"
              "                         --no-reboot only arms it for the next reboot\n"
              "  kernel-installed VERSION [IMAGE]\n"
              "                         (kernel hooks) boot VERSION next with KERNEL=current\n"
              "  kernel-removed VERSION [IMAGE]\n"
              "                         (kernel hooks) forget VERSION if it was to boot next\n"
              "\n"
              "Options:\n"
              "  -d, --debug            explain each step on standard error\n"
              "  -h, --help             show this help\n"
              "  -v, --version          show the version\n"
              "\n"
              "Settings: /etc/warmboot.conf (ENABLED, KERNEL, INITRD, CMDLINE, APPEND, SYSCALL),\n"
              "over Debian kexec-tools' /etc/default/kexec. Errors are one line\n"
              "\"warmboot: FILE: reason\" and exit status 1. See warmboot(8).\n", out);
}

static int bad(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int bad(char *err, size_t errlen, const char *fmt, ...)
{
        va_list ap;

        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
        return -EINVAL;
}

int warmboot_options_parse(int argc, char **argv, struct warmboot_opts *ret, char *err, size_t errlen)
{
        struct warmboot_opts o;
        const char *load_opt = NULL, *json_opt = NULL, *cold_opt = NULL;
        int c, nargs;

        memset(&o, 0, sizeof(o));
        optind = 0;     /* a full reset of GNU getopt, for callers that parse twice */
        opterr = 0;
        while ((c = getopt_long(argc, argv, short_options, long_options, NULL)) != -1) {
                switch (c) {
                case 'h':
                        o.help = true;
                        break;
                case 'v':
                        o.version = true;
                        break;
                case 'd':
                        o.debug = true;
                        break;
                case OPT_JSON:
                        o.json = true;
                        json_opt = "--json";
                        break;
                case OPT_KERNEL:
                        o.kernel = optarg;
                        load_opt = "--kernel";
                        break;
                case OPT_INITRD:
                        o.initrd = optarg;
                        load_opt = "--initrd";
                        break;
                case OPT_APPEND:
                        o.append = optarg;
                        load_opt = "--append";
                        break;
                case OPT_COMMAND_LINE:
                        o.command_line = optarg;
                        load_opt = "--command-line";
                        break;
                case OPT_IF_ENABLED:
                        o.if_enabled = true;
                        load_opt = "--if-enabled";
                        break;
                case OPT_SYSCALL:
                        if (strcmp(optarg, "auto") == 0)
                                o.syscall = WB_SYSCALL_AUTO;
                        else if (strcmp(optarg, "file") == 0)
                                o.syscall = WB_SYSCALL_FILE;
                        else if (strcmp(optarg, "classic") == 0)
                                o.syscall = WB_SYSCALL_CLASSIC;
                        else
                                return bad(err, errlen, "--syscall=%s: want auto, file or classic", optarg);
                        o.has_syscall = true;
                        load_opt = "--syscall";
                        break;
                case OPT_NO_REBOOT:
                        o.no_reboot = true;
                        cold_opt = "--no-reboot";
                        break;
                case ':':
                        return bad(err, errlen, "option %s needs an argument", argv[optind - 1]);
                default:
                        return bad(err, errlen, "unknown option %s; see warmboot --help", argv[optind - 1]);
                }
        }
        if (o.help || o.version) {
                *ret = o;
                return 0;
        }
        if (optind >= argc)
                return bad(err, errlen, "no command given; see warmboot --help");
        for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
                if (strcmp(argv[optind], commands[i].name) == 0)
                        o.cmd = commands[i].cmd;
        if (o.cmd == WB_CMD_NONE)
                return bad(err, errlen, "unknown command '%s'; see warmboot --help", argv[optind]);
        nargs = argc - optind - 1;
        for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
                if (commands[i].cmd != o.cmd)
                        continue;
                if (nargs < commands[i].min_args)
                        return bad(err, errlen, "%s needs a kernel version: warmboot %s VERSION [IMAGE]",
                                   commands[i].name, commands[i].name);
                if (nargs > commands[i].max_args)
                        return bad(err, errlen, "unexpected argument '%s'", argv[optind + 1 + commands[i].max_args]);
        }
        if (nargs >= 1)
                o.kversion = argv[optind + 1];
        if (nargs >= 2)
                o.kimage = argv[optind + 2];
        if (load_opt && o.cmd != WB_CMD_LOAD)
                return bad(err, errlen, "%s goes with warmboot load", load_opt);
        if (json_opt && o.cmd != WB_CMD_STATUS)
                return bad(err, errlen, "%s goes with warmboot status", json_opt);
        if (cold_opt && o.cmd != WB_CMD_COLD)
                return bad(err, errlen, "%s goes with warmboot cold", cold_opt);
        *ret = o;
        return 0;
}
