/* SPDX-License-Identifier: MIT */
#ifndef WARMBOOT_CLI_OPTIONS_H
#define WARMBOOT_CLI_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <warmboot/error.h>
#include <warmboot/load.h>

/*
 * What a kexec command line asks for. The do_* flags follow kexec-tools'
 * main() so that every combination of options means what it meant there.
 */
struct kexec_opts {
        bool do_load, do_exec, do_shutdown, do_sync, do_ifdown, do_unload, do_status;
        bool has_opt_load;      /* -l was given (-S then asks about the normal kernel) */
        bool crash;             /* -p: the panic kernel */
        bool debug, no_checks, help, version, print_ckr_size;
        bool dry_run;           /* plan and print, call nothing */
        enum wb_verify verify;  /* --verify=, -i: how purgatory checks (kexec_load) */
        enum wb_syscall syscall;
        const char *type;       /* -t */
        const char *image;
        const char *initrd;
        const char *append;
        const char *command_line;
        bool reuse_cmdline;
        bool console_serial;    /* purgatory reports on serial_port */
        uint16_t serial_port;
        uint32_t serial_baud;   /* 0: leave the UART as it is */
        const char *load_option; /* first option that only goes with a load */
};

/*
 * Parses argv as kexec-tools 2.0.32 does. Returns 0 and *ret, or -EINVAL
 * with a one-line message (no "kexec: " prefix) in err.
 */
int kexec_options_parse(int argc, char **argv, struct kexec_opts *ret, char *err, size_t errlen);

/* Prints the --help text. */
void kexec_usage(FILE *out);

#endif
