/* SPDX-License-Identifier: MIT */
#ifndef WARMBOOT_UTIL_H
#define WARMBOOT_UTIL_H

/* Helpers shared inside the library; not part of the public headers. */

#include <stddef.h>
#include <stdint.h>

struct wb_ctx;

#define WB_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Little-endian loads from a buffer whose bounds the caller checked. */
static inline uint16_t wb_le16(const uint8_t *p)
{
        return (uint16_t)(p[0] | (p[1] << 8));
}

static inline uint32_t wb_le32(const uint8_t *p)
{
        return (uint32_t)p[0] | ((uint32_t)p[1] << 8) |
               ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static inline uint64_t wb_le64(const uint8_t *p)
{
        return (uint64_t)wb_le32(p) | ((uint64_t)wb_le32(p + 4) << 32);
}

static inline void wb_put_le16(uint8_t *p, uint16_t v)
{
        p[0] = (uint8_t)v;
        p[1] = (uint8_t)(v >> 8);
}

static inline void wb_put_le32(uint8_t *p, uint32_t v)
{
        wb_put_le16(p, (uint16_t)v);
        wb_put_le16(p + 2, (uint16_t)(v >> 16));
}

static inline void wb_put_le64(uint8_t *p, uint64_t v)
{
        wb_put_le32(p, (uint32_t)v);
        wb_put_le32(p + 4, (uint32_t)(v >> 32));
}

struct wb_diag;

/* What a file handed to warmboot must be, and how to name it in messages. */
struct wb_file_rules {
        uint64_t max;           /* largest size accepted */
        const char *noun;       /* "file", "initrd" */
        const char *a_noun;     /* "a file", "an initrd file" */
        int empty_err;          /* errno for an empty file */
        const char *limit_by;   /* who sets max: "warmboot accepts" */
};

/*
 * Opens path read-only and checks it against rules: a regular file, not
 * empty, at most rules->max bytes. Returns 0, *ret_fd and *ret_size, or a
 * negative errno with diag naming path and the reason.
 */
int wb_open_checked(const char *path, const struct wb_file_rules *rules, int *ret_fd,
                    uint64_t *ret_size, struct wb_diag *diag);

/*
 * Reads the first bytes of a file under ctx->root, at most size of them,
 * such as the ELF header of /proc/kcore. Returns 0 and *ret_len, or a
 * negative errno.
 */
int wb_read_prefix(const struct wb_ctx *ctx, const char *path, void *buf, size_t size, size_t *ret_len);

/*
 * Reads a small text file such as /proc/cmdline, found under ctx->root,
 * whole (at most max bytes, or -EFBIG). Returns 0 and *ret (malloc'd,
 * NUL-terminated, *ret_len bytes without the NUL when ret_len is not
 * NULL) or a negative errno.
 */
int wb_read_text(const struct wb_ctx *ctx, const char *path, size_t max,
                 char **ret, size_t *ret_len);

/*
 * Reads a file holding one unsigned number (decimal, or 0x hex), such as
 * /sys/kernel/kexec_loaded. Returns 0 and *ret or a negative errno
 * (-EINVAL when the text is not a number).
 */
int wb_read_u64(const struct wb_ctx *ctx, const char *path, uint64_t *ret);

/* Joins ctx->root and an absolute path into buf. Returns 0 or -ENAMETOOLONG. */
int wb_root_path(const struct wb_ctx *ctx, const char *path, char *buf, size_t size);

#endif
