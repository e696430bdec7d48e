// SPDX-License-Identifier: MIT
/*
 * The one file that calls the kernel for kexec, reboot, sync and network
 * interfaces, and that runs other programs (the init system's reboot).
 * Everything else reaches these through struct wb_sys, so that tests can
 * put recorders in their place.
 */

#include <errno.h>
#include <spawn.h>
#include <fcntl.h>
#include <net/if.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/kexec.h>
#include <linux/reboot.h>

#include <warmboot/sys.h>

#include "util.h"

/* Numbers from arch/x86/entry/syscalls/syscall_64.tbl, for old libc headers. */
#ifndef SYS_kexec_file_load
#define SYS_kexec_file_load 320
#endif
#ifndef SYS_kexec_load
#define SYS_kexec_load 246
#endif

/* Most segments kexec_load(2) takes (include/uapi/linux/kexec.h). */
#ifndef KEXEC_SEGMENT_MAX
#define KEXEC_SEGMENT_MAX 16
#endif

static int linux_kexec_file_load(void *data, int kernel_fd, int initrd_fd,
                                 const char *cmdline, unsigned long cmdline_len,
                                 unsigned long flags)
{
        (void)data;
        if (syscall(SYS_kexec_file_load, kernel_fd, initrd_fd, cmdline_len, cmdline, flags) < 0)
                return -errno;
        return 0;
}

static int linux_kexec_load(void *data, uint64_t entry, const struct wb_segment *segments,
                            size_t nr_segments, unsigned long flags)
{
        struct kexec_segment ks[KEXEC_SEGMENT_MAX];

        (void)data;
        if (nr_segments > KEXEC_SEGMENT_MAX)
                return -E2BIG;
        for (size_t i = 0; i < nr_segments; i++) {
                ks[i].buf = segments[i].buf;
                ks[i].bufsz = segments[i].bufsz;
                /* NOLINTNEXTLINE(performance-no-int-to-ptr): the ABI's physical address in a pointer field */
                ks[i].mem = (const void *)(uintptr_t)segments[i].mem;
                ks[i].memsz = (size_t)segments[i].memsz;
        }
        if (syscall(SYS_kexec_load, (unsigned long)entry, (unsigned long)nr_segments,
                    nr_segments ? ks : NULL, flags) < 0)
                return -errno;
        return 0;
}

static int linux_reboot_kexec(void *data)
{
        (void)data;
        syscall(SYS_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2,
                LINUX_REBOOT_CMD_KEXEC, NULL);
        return -errno;
}

static void linux_sync(void *data)
{
        (void)data;
        sync();
}

static int linux_ifdown(void *data)
{
        struct if_nameindex *ifs, *it;
        int fd, r = 0;

        (void)data;
        ifs = if_nameindex();
        if (!ifs)
                return -errno;
        fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd < 0) {
                r = -errno;
                goto out;
        }
        for (it = ifs; it->if_name; it++) {
                size_t len = strlen(it->if_name);
                struct ifreq ifr;

                memset(&ifr, 0, sizeof(ifr));
                if (len >= sizeof(ifr.ifr_name))
                        continue;
                memcpy(ifr.ifr_name, it->if_name, len + 1);
                if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
                        continue;
                /* Loopback stays: nothing outside the machine talks through it. */
                if ((ifr.ifr_flags & IFF_LOOPBACK) || !(ifr.ifr_flags & IFF_UP))
                        continue;
                ifr.ifr_flags &= ~IFF_UP;
                if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0 && r == 0)
                        r = -errno;
        }
        close(fd);
out:
        if_freenameindex(ifs);
        return r;
}

static int linux_shutdown_reboot(void *data)
{
        /* Where kexec-tools looks for shutdown(8), in its order. */
        static const char *const paths[] = { "/sbin/shutdown", "/etc/shutdown", "/bin/shutdown" };
        char *const argv[] = { "shutdown", "-r", "now", NULL };

        (void)data;
        for (size_t i = 0; i < WB_ARRAY_SIZE(paths); i++)
                execv(paths[i], argv);
        return -errno;
}

static int linux_run(void *data, const char *const *argv)
{
        pid_t pid;
        int r, status;

        (void)data;
        /* posix_spawnp takes char *const[]: it does not change the strings. */
        r = posix_spawnp(&pid, argv[0], NULL, NULL, (char *const *)argv, environ);
        if (r != 0)
                return -r;
        while (waitpid(pid, &status, 0) < 0)
                if (errno != EINTR)
                        return -errno;
        if (WIFEXITED(status))
                return WEXITSTATUS(status);
        return -ECHILD;
}

static const struct wb_sys_ops linux_ops = {
        .kexec_file_load = linux_kexec_file_load,
        .kexec_load = linux_kexec_load,
        .reboot_kexec = linux_reboot_kexec,
        .sync = linux_sync,
        .ifdown = linux_ifdown,
        .shutdown_reboot = linux_shutdown_reboot,
        .run = linux_run,
};

const struct wb_sys wb_sys_linux = {
        .ops = &linux_ops,
        .data = NULL,
};
