/* SPDX-License-Identifier: MIT */
#ifndef WB_TEST_FAKE_SYS_H
#define WB_TEST_FAKE_SYS_H

/*
 * A recorder in place of the real kernel (struct wb_sys). Every test
 * goes through one of these: the real seam, wb_sys_linux, can load
 * kernels and reboot the machine the tests run on.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include <warmboot/sys.h>

enum fake_op {
        FAKE_NONE = 0,
        FAKE_KEXEC_FILE_LOAD,
        FAKE_KEXEC_LOAD,
        FAKE_REBOOT_KEXEC,
        FAKE_SYNC,
        FAKE_IFDOWN,
        FAKE_SHUTDOWN_REBOOT,
        FAKE_RUN,
};

/* KEXEC_SEGMENT_MAX: more segments than the kernel takes are recorded as an error. */
#define FAKE_MAX_SEGMENTS 16

/* One call as the library made it. */
struct fake_call {
        enum fake_op op;
        /* kexec_file_load */
        int kernel_fd, initrd_fd;
        /*
         * What the fds referred to at the time of the call (fstat); the
         * library closes them afterwards, so they cannot be looked at later.
         */
        bool kernel_stat_ok, initrd_stat_ok;
        struct stat kernel_st, initrd_st;
        char *cmdline;                  /* copy of cmdline_len bytes; NULL when NULL was passed */
        unsigned long cmdline_len;
        unsigned long flags;            /* both syscalls */
        char *argv;                     /* run: the words joined by one blank (malloc'd) */
        /* kexec_load */
        uint64_t entry;
        size_t nr_segments;
        bool segments_null;
        /*
         * The segments as given, each with a copy of its bytes (buf points
         * into memory the library frees after the call).
         */
        struct fake_segment {
                uint64_t mem;
                uint64_t memsz;
                size_t bufsz;
                uint8_t *bytes;         /* bufsz bytes, NULL when bufsz is 0 */
        } segments[FAKE_MAX_SEGMENTS];
};

#define FAKE_MAX_CALLS 16

struct fake_sys {
        struct wb_sys sys;              /* what goes into wb_ctx.sys */
        /*
         * When set, a successful load or unload writes 1 or 0 into
         * ROOT/sys/kernel/kexec_loaded or kexec_crash_loaded, as the kernel's
         * own files would change.
         */
        const char *root;
        /*
         * As the kernel does: a panic kernel load frees the panic kernel
         * loaded before, then fails (with the *_ret below), leaving none.
         */
        bool failed_crash_load_unloads;
        /* What each call returns: 0 or a negative errno. */
        int kexec_file_load_ret;
        int kexec_load_ret;
        int reboot_ret;                 /* the real one returns only on failure */
        int ifdown_ret;
        int shutdown_ret;               /* likewise */
        int run_ret;                    /* the program's exit status or a negative errno */
        size_t ncalls;
        struct fake_call calls[FAKE_MAX_CALLS];
};

/*
 * Loads and unloads succeed, ifdown succeeds, reboot fails with -EINVAL
 * and shutdown with -ENOENT (the calls that would not return if they
 * worked); run records the program and reports exit status 0.
 */
void fake_sys_init(struct fake_sys *f, const char *root);

/* Frees what the recorded calls hold and forgets them. */
void fake_sys_clear(struct fake_sys *f);

/* How many calls of op were made. */
size_t fake_sys_count(const struct fake_sys *f, enum fake_op op);

/* The n-th call (0-based) of op; fails the test when there is none. */
const struct fake_call *fake_sys_call(const struct fake_sys *f, enum fake_op op, size_t n);

/*
 * The first segment of a kexec_load call holding len bytes equal to
 * bytes at offset off; NULL when none does.
 */
const struct fake_segment *fake_segment_with(const struct fake_call *c, size_t off,
                                             const void *bytes, size_t len);

/* Name of op, for messages. */
const char *fake_op_name(enum fake_op op);

/*
 * The ops of all calls, in order, as one string such as
 * "kexec_file_load,sync", to compare call sequences at once. Writes into
 * buf (always NUL-terminated) and returns it.
 */
#define FAKE_TRACE_MAX 512
const char *fake_sys_trace(const struct fake_sys *f, char *buf, size_t size);

#endif
