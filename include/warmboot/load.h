/* SPDX-License-Identifier: MIT */
#ifndef WARMBOOT_LOAD_H
#define WARMBOOT_LOAD_H

#include <stdbool.h>
#include <stdint.h>

#include <warmboot/error.h>
#include <warmboot/plan.h>

struct wb_ctx;
struct wb_file;
struct wb_kernel;
/* The kexec_load side of a load: opaque, made by wb_load_prepare() or a fallback. */
struct wb_classic;

/* How purgatory checks the segments on the kexec_load path (--verify=). */
enum wb_verify {
        WB_VERIFY_DEFAULT = 0,          /* CRC32C, 4 lanes */
        WB_VERIFY_CRC32C,               /* 4 interleaved CRC32C lanes: corruption, not attackers */
        WB_VERIFY_SHA256,               /* SHA-256: slower */
        WB_VERIFY_NONE,                 /* no check (-i) */
};

/* What the user asked to load. */
struct wb_load_request {
        const char *kernel_path;
        const char *initrd_path;        /* NULL: no initrd */
        const char *cmdline;            /* NULL: empty command line */
        const char *type;               /* image format name (-t), NULL: probe */
        bool crash;                     /* the panic kernel (-p) */
        enum wb_syscall syscall;
        /* kexec_load only: what purgatory does before it enters the kernel. */
        bool no_verify;                 /* skip the segment digest check (-i): as WB_VERIFY_NONE */
        enum wb_verify verify;          /* which check; no_verify wins */
        uint16_t serial_port;           /* report on this 16550 port; 0: silent */
        uint32_t serial_baud;           /* program it to this rate first; 0: leave it */
};

/*
 * A load that has been checked and planned, ready for the kernel: the
 * files are open, the command line is final and the syscall is chosen.
 * Nothing in it has touched the kernel yet.
 */
struct wb_load {
        struct wb_load_request req;     /* as asked; the strings are the caller's */
        enum wb_syscall syscall;        /* the one chosen */
        bool crash;
        struct wb_file *kernel_file;
        struct wb_kernel *kernel;
        int initrd_fd;                  /* -1: none */
        char *initrd_path;
        char *cmdline;
        unsigned long cmdline_len;      /* with its NUL */
        unsigned long file_flags;       /* KEXEC_FILE_* */
        /* kexec_load: the segments, purgatory last, and what they point into. */
        struct wb_classic *classic;
};


/*
 * Checks everything that can be checked without the kernel's help and
 * plans the load: the image format and its header, the initrd, the
 * command line against the image's limit, the crashkernel= reservation
 * for a panic kernel. Returns 0 and *ret_load, or a negative errno with
 * diag naming the file and the reason.
 */
int wb_load_prepare(const struct wb_ctx *ctx, const struct wb_load_request *req,
                    struct wb_load **ret_load, struct wb_diag *diag);

/*
 * Hands a prepared load to the kernel through ctx->sys. With the automatic
 * choice, a kexec_file_load the kernel lacks (ENOSYS, EOPNOTSUPP) or whose
 * loader refuses the image (ENOEXEC, EINVAL) is retried with kexec_load,
 * planned then; signature refusals are not retried (lockdown refuses
 * kexec_load as well) but explained. On failure the kernel loaded before
 * stays loaded and diag explains the errno; except a panic kernel, which
 * the kernel itself unloads before any panic kernel load: when it is gone,
 * diag says so. Returns 0 or a negative errno.
 */
int wb_load_commit(const struct wb_ctx *ctx, struct wb_load *load,
                   struct wb_diag *diag);

/* The kexec_load(2) plan of a load, NULL on the kexec_file_load path. */
const struct wb_plan *wb_load_plan(const struct wb_load *load);

/* Closes and frees; NULL is fine. */
void wb_load_free(struct wb_load *load);

/*
 * Unloads the normal (crash false) or panic kernel. Returns 0 or a
 * negative errno with diag filled.
 */
int wb_unload(const struct wb_ctx *ctx, bool crash, enum wb_syscall syscall,
              struct wb_diag *diag);

/*
 * Whether a normal or panic kernel is loaded, from
 * /sys/kernel/kexec_loaded or kexec_crash_loaded. Returns 0 and
 * *ret_loaded, or a negative errno with diag filled.
 */
int wb_kexec_loaded(const struct wb_ctx *ctx, bool crash, bool *ret_loaded,
                    struct wb_diag *diag);

/*
 * Size in bytes of the crashkernel= reservation (0 when there is none),
 * from /sys/kernel/kexec_crash_size. Returns 0 and *ret_size, or a
 * negative errno with diag filled.
 */
int wb_crash_size(const struct wb_ctx *ctx, uint64_t *ret_size,
                  struct wb_diag *diag);

/* How to leave the running kernel. */
struct wb_exec_options {
        bool sync;      /* sync(2) the filesystems first */
        bool ifdown;    /* bring network interfaces down first */
};

/*
 * Jumps into the loaded kernel: sync, ifdown, reboot(LINUX_REBOOT_CMD_KEXEC).
 * Returns only on failure: a negative errno with diag filled.
 */
int wb_exec(const struct wb_ctx *ctx, const struct wb_exec_options *opts,
            struct wb_diag *diag);

#endif
