/* SPDX-License-Identifier: MIT */
#ifndef WARMBOOT_CTX_H
#define WARMBOOT_CTX_H

#include <stdarg.h>

struct wb_sys;

/*
 * The debug hook: the library never prints; it hands each debug line
 * (no trailing newline) to this function when one is set.
 */
typedef void (*wb_log_fn)(void *userdata, const char *line);

/*
 * Everything a library call needs from its caller. There is no global
 * state: each call gets the context it runs in.
 *
 * root: folder that stands for "/" when the library reads /proc and /sys
 *       (NULL or "" means the real root); tests point it at fixtures.
 * sys:  the seam through which the kernel is called (src/lib/sys.c has
 *       the real one); NULL is allowed for calls that never reach the
 *       kernel.
 */
struct wb_ctx {
        const char *root;
        const struct wb_sys *sys;
        wb_log_fn log;
        void *log_data;
};

/* Formats one debug line and hands it to ctx->log, if any. */
void wb_debug(const struct wb_ctx *ctx, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));

#endif
