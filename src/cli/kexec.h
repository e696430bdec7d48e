/* SPDX-License-Identifier: MIT */
#ifndef WARMBOOT_CLI_KEXEC_H
#define WARMBOOT_CLI_KEXEC_H

#include <stdio.h>

struct wb_ctx;

#define WARMBOOT_VERSION "0.1.0"

/*
 * The whole kexec command: parses argv, calls the library with ctx (its
 * sys seam and root), prints to out and err. Returns the exit status.
 */
int kexec_run(int argc, char **argv, const struct wb_ctx *ctx, FILE *out, FILE *err);

#endif
