/* SPDX-License-Identifier: MIT */
#ifndef WARMBOOT_CLI_WARMBOOT_OPTIONS_H
#define WARMBOOT_CLI_WARMBOOT_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <warmboot/error.h>

enum warmboot_cmd {
        WB_CMD_NONE = 0,
        WB_CMD_ENABLE,
        WB_CMD_DISABLE,
        WB_CMD_STATUS,
        WB_CMD_LOAD,
        WB_CMD_UNLOAD,
        WB_CMD_COLD,
        WB_CMD_REBOOT,
        WB_CMD_KERNEL_INSTALLED,
        WB_CMD_KERNEL_REMOVED,
};

/* What a warmboot command line asks for. */
struct warmboot_opts {
        enum warmboot_cmd cmd;
        bool help, version, debug;
        bool json;              /* status --json */
        bool if_enabled;        /* load --if-enabled */
        bool no_reboot;         /* cold --no-reboot */
        const char *kernel;     /* load --kernel */
        const char *initrd;     /* load --initrd ("none": no initrd) */
        const char *append;     /* load --append */
        const char *command_line; /* load --command-line */
        bool has_syscall;
        enum wb_syscall syscall; /* load --syscall */
        const char *kversion;   /* kernel-installed/-removed VERSION */
        const char *kimage;     /* and IMAGE (may be NULL) */
};

/*
 * Parses argv: global options, one command and its options, in any order.
 * Returns 0 and *ret, or -EINVAL with a one-line message (no "warmboot: "
 * prefix) in err.
 */
int warmboot_options_parse(int argc, char **argv, struct warmboot_opts *ret, char *err, size_t errlen);

/* Prints the --help text. */
void warmboot_usage(FILE *out);

/* The command's name, e.g. "status". */
const char *warmboot_cmd_name(enum warmboot_cmd cmd);

#endif
