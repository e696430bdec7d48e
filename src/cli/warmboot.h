/* SPDX-License-Identifier: MIT */
#ifndef WARMBOOT_CLI_WARMBOOT_H
#define WARMBOOT_CLI_WARMBOOT_H

#include <stdio.h>

struct wb_ctx;

/*
 * The whole warmboot command: parses argv, calls the library with ctx
 * (its sys seam and root), prints to out and err. release is the running
 * kernel's (uname -r; NULL when unknown). Returns the exit status.
 */
int warmboot_run(int argc, char **argv, const struct wb_ctx *ctx, const char *release,
                 FILE *out, FILE *err);

#endif
