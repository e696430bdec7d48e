/* SPDX-License-Identifier: MIT */
#ifndef WARMBOOT_ERROR_H
#define WARMBOOT_ERROR_H

#include <stdbool.h>
#include <stddef.h>

struct wb_ctx;

/* Longest reason we keep; longer ones are cut. */
#define WB_DIAG_REASON_MAX 512
#define WB_DIAG_PATH_MAX 4096

/*
 * What went wrong, for a human: the file at fault (may be empty when no
 * file is) and one line of reason without a trailing newline. Library
 * calls that can fail for reasons a user must see fill one of these
 * alongside their negative errno; the CLI prints "kexec: PATH: REASON".
 */
struct wb_diag {
        char path[WB_DIAG_PATH_MAX];
        char reason[WB_DIAG_REASON_MAX];
};

/*
 * Records path and a printf-style reason in diag (NULL diag is a no-op).
 * Returns -err when err > 0 and err otherwise, so that callers can write
 * "return wb_diag_set(diag, -EINVAL, path, ...)".
 */
int wb_diag_set(struct wb_diag *diag, int err, const char *path,
                const char *fmt, ...) __attribute__((format(printf, 4, 5)));

#ifdef __clang_analyzer__
/*
 * Only for clang's static analyzer (make lint), which cannot see into
 * util.c: what wb_diag_set() returns is negative. Without this it takes
 * every "return wb_diag_set(...)" for a possible success and reports the
 * caller's unset outputs. Builds never see this.
 */
#define wb_diag_set(...) __extension__ ({ int wb_diag_r_ = wb_diag_set(__VA_ARGS__); \
                                           wb_diag_r_ < 0 ? wb_diag_r_ : -1; })
#endif

/* Which kernel interface an operation went through. */
enum wb_syscall {
        WB_SYSCALL_AUTO = 0,    /* kexec_file_load, falling back to kexec_load */
        WB_SYSCALL_FILE,        /* kexec_file_load(2) */
        WB_SYSCALL_CLASSIC,     /* kexec_load(2) */
};

/* "kexec_file_load", "kexec_load" or "automatic". */
const char *wb_syscall_name(enum wb_syscall syscall);

/*
 * Explains a negative errno returned by a kexec syscall in user terms.
 * For -EPERM it looks at the system (sysctl kernel.kexec_load_disabled,
 * /sys/kernel/security/lockdown, CAP_SYS_BOOT in /proc/self/status, all
 * under ctx->root) to say which of the causes it is. Writes a line into
 * buf (always NUL-terminated) and returns buf.
 */
const char *wb_explain_kexec_error(const struct wb_ctx *ctx, int err,
                                   enum wb_syscall syscall, bool crash,
                                   char *buf, size_t size);

#endif
