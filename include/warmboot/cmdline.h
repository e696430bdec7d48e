/* SPDX-License-Identifier: MIT */
#ifndef WARMBOOT_CMDLINE_H
#define WARMBOOT_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>

struct wb_ctx;
struct wb_diag;

/* Longest command line we accept from anywhere: far above any kernel's. */
#define WB_CMDLINE_MAX 65536

/*
 * Removes every word whose name (the part before '=') is name from line,
 * in place. Words are separated by blanks; double quotes protect blanks,
 * as the kernel's own parser does. Leading, trailing and repeated blanks
 * are squeezed out of what remains.
 */
void wb_cmdline_remove(char *line, const char *name);

/*
 * The running kernel's command line, as --reuse-cmdline wants it: read
 * from /proc/cmdline under ctx->root, with BOOT_IMAGE= dropped (it names
 * the old image) and, for a crash kernel, crashkernel= too (a capture
 * kernel must not reserve memory again). Returns 0 and *ret (malloc'd),
 * or a negative errno with diag filled.
 */
int wb_cmdline_reuse(const struct wb_ctx *ctx, bool crash, char **ret,
                     struct wb_diag *diag);

/*
 * Joins the parts of a command line: base (the reused line or the one
 * given with --command-line; may be NULL) then append (may be NULL), one
 * blank between. Returns 0 and *ret (malloc'd, possibly ""), -ENOMEM, or
 * -E2BIG when the result is longer than WB_CMDLINE_MAX.
 */
int wb_cmdline_join(const char *base, const char *append, char **ret);

#endif
