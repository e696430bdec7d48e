// SPDX-License-Identifier: MIT
/* Small helpers every part of the library uses: debug hook, diagnostics, file reads. */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <warmboot/ctx.h>
#include <warmboot/error.h>

#include "util.h"

void wb_debug(const struct wb_ctx *ctx, const char *fmt, ...)
{
        char line[1024];
        va_list ap;

        if (!ctx || !ctx->log)
                return;
        va_start(ap, fmt);
        vsnprintf(line, sizeof(line), fmt, ap);
        va_end(ap);
        ctx->log(ctx->log_data, line);
}

/* In parentheses: not the static analyzer's macro of the same name (error.h). */
int (wb_diag_set)(struct wb_diag *diag, int err, const char *path, const char *fmt, ...)
{
        if (diag) {
                va_list ap;

                snprintf(diag->path, sizeof(diag->path), "%s", path ? path : "");
                va_start(ap, fmt);
                vsnprintf(diag->reason, sizeof(diag->reason), fmt, ap);
                va_end(ap);
        }
        return err > 0 ? -err : err;
}

const char *wb_syscall_name(enum wb_syscall syscall)
{
        switch (syscall) {
        case WB_SYSCALL_FILE:
                return "kexec_file_load";
        case WB_SYSCALL_CLASSIC:
                return "kexec_load";
        case WB_SYSCALL_AUTO:
                break;
        }
        return "automatic";
}

int wb_root_path(const struct wb_ctx *ctx, const char *path, char *buf, size_t size)
{
        const char *root = ctx && ctx->root ? ctx->root : "";
        int n = snprintf(buf, size, "%s%s", root, path);

        if (n < 0 || (size_t)n >= size)
                return -ENAMETOOLONG;
        return 0;
}

/* Opens path under ctx->root for reading; the fd, or a negative errno. */
static int open_under_root(const struct wb_ctx *ctx, const char *path)
{
        char full[4096];
        int fd, r;

        r = wb_root_path(ctx, path, full, sizeof(full));
        if (r < 0)
                return r;
        /* O_NONBLOCK: a FIFO where a file should be reads as empty instead of blocking open(). */
        fd = open(full, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
        return fd < 0 ? -errno : fd;
}

int wb_read_text(const struct wb_ctx *ctx, const char *path, size_t max,
                 char **ret, size_t *ret_len)
{
        char *buf = NULL;
        size_t len = 0, cap = max < 4096 ? max : 4096;
        int fd, r;

        fd = open_under_root(ctx, path);
        if (fd < 0)
                return fd;
        /*
         * /proc and /sys files report no size: read until EOF, into a buffer
         * that grows as needed (files are small; max is 1 MiB for some).
         */
        buf = malloc(cap + 1);
        if (!buf) {
                r = -ENOMEM;
                goto out_close;
        }
        for (;;) {
                ssize_t n;

                if (len == cap && cap < max) {
                        size_t grown = cap > max / 2 ? max : cap * 2;
                        char *bigger = realloc(buf, grown + 1);

                        if (!bigger) {
                                r = -ENOMEM;
                                goto out_free;
                        }
                        buf = bigger;
                        cap = grown;
                }
                if (len == max) {
                        char extra;

                        n = read(fd, &extra, 1);
                        if (n < 0 && errno == EINTR)
                                continue;
                        if (n != 0) {
                                r = n < 0 ? -errno : -EFBIG;
                                goto out_free;
                        }
                        break;
                }
                n = read(fd, buf + len, cap - len);
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        r = -errno;
                        goto out_free;
                }
                if (n == 0)
                        break;
                len += (size_t)n;
        }
        buf[len] = '\0';
        close(fd);
        *ret = buf;
        if (ret_len)
                *ret_len = len;
        return 0;

out_free:
        free(buf);
out_close:
        close(fd);
        return r;
}

int wb_read_prefix(const struct wb_ctx *ctx, const char *path, void *buf, size_t size, size_t *ret_len)
{
        size_t len = 0;
        int fd, r;

        fd = open_under_root(ctx, path);
        if (fd < 0)
                return fd;
        while (len < size) {
                ssize_t n = read(fd, (char *)buf + len, size - len);

                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0) {
                        r = -errno;
                        close(fd);
                        return r;
                }
                if (n == 0)
                        break;
                len += (size_t)n;
        }
        close(fd);
        *ret_len = len;
        return 0;
}

int wb_read_u64(const struct wb_ctx *ctx, const char *path, uint64_t *ret)
{
        unsigned long long v;
        char *text, *end;
        int r;

        r = wb_read_text(ctx, path, 64, &text, NULL);
        if (r < 0)
                return r;
        errno = 0;
        /* NOLINTNEXTLINE(clang-analyzer-core.CallAndMessage): set when wb_read_text() returns 0 */
        v = strtoull(text, &end, 0);
        if (errno || end == text || (*end != '\0' && *end != '\n')) {
                free(text);
                return -EINVAL;
        }
        free(text);
        *ret = v;
        return 0;
}
