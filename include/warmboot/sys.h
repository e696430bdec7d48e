/* SPDX-License-Identifier: MIT */
#ifndef WARMBOOT_SYS_H
#define WARMBOOT_SYS_H

#include <stdint.h>
#include <stddef.h>

/*
 * One segment for kexec_load(2): bytes [buf, buf + bufsz) copied to
 * physical memory [mem, mem + memsz), the rest of which is zeroed.
 * Same layout as struct kexec_segment of <linux/kexec.h>.
 */
struct wb_segment {
        const void *buf;
        size_t bufsz;
        uint64_t mem;
        uint64_t memsz;
};

/*
 * The seam between warmboot and the running kernel. Everything that can
 * change the machine goes through these functions: src/lib/sys.c holds
 * the real ones (wb_sys_linux), tests put recorders in their place.
 * Each returns 0 or a negative errno.
 */
struct wb_sys_ops {
        int (*kexec_file_load)(void *data, int kernel_fd, int initrd_fd,
                               const char *cmdline, unsigned long cmdline_len,
                               unsigned long flags);
        int (*kexec_load)(void *data, uint64_t entry,
                          const struct wb_segment *segments, size_t nr_segments,
                          unsigned long flags);
        /* reboot(LINUX_REBOOT_CMD_KEXEC); returns only on failure. */
        int (*reboot_kexec)(void *data);
        void (*sync)(void *data);
        /* Brings every network interface but loopback down. */
        int (*ifdown)(void *data);
        /* Runs "shutdown -r now"; returns only on failure. */
        int (*shutdown_reboot)(void *data);
        /*
         * Runs argv (argv[0] looked up in PATH, NULL-terminated) and waits
         * for it: how warmboot asks the init system to reboot ("systemctl
         * reboot", "reboot"). Returns its exit status (0..255) or a
         * negative errno when it could not be run or was killed.
         */
        int (*run)(void *data, const char *const *argv);
};

struct wb_sys {
        const struct wb_sys_ops *ops;
        void *data;
};

/* The real kernel. */
extern const struct wb_sys wb_sys_linux;

#endif
