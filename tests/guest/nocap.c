// SPDX-License-Identifier: MIT
/*
 * nocap PROG ARGS...: runs PROG as root without CAP_SYS_BOOT, for the
 * badinput guest scenario ("a kexec without the right to load"). Root
 * keeps every file permission, so the failure is the kernel's EPERM and
 * nothing else. Busybox's setpriv cannot drop from the bounding set.
 *
 * The capability leaves the bounding set (so that execve cannot give it
 * back to root) and this process's sets, then PROG is executed. Built
 * static with musl-gcc by tests/guest/scenarios/badinput/host.sh.
 */

#include <stdint.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#define CAP_SYS_BOOT 22                         /* include/uapi/linux/capability.h */
#define LINUX_CAPABILITY_VERSION_3 0x20080522

struct cap_header {
        uint32_t version;
        int pid;
};

struct cap_data {
        uint32_t effective, permitted, inheritable;
};

int main(int argc, char **argv)
{
        struct cap_header hdr = { LINUX_CAPABILITY_VERSION_3, 0 };
        struct cap_data data[2];
        const uint32_t bit = UINT32_C(1) << CAP_SYS_BOOT;

        if (argc < 2) {
                fprintf(stderr, "usage: nocap PROG [ARGS...]\n");
                return 2;
        }
        if (prctl(PR_CAPBSET_DROP, CAP_SYS_BOOT, 0, 0, 0) < 0) {
                perror("nocap: PR_CAPBSET_DROP");
                return 127;
        }
        if (syscall(SYS_capget, &hdr, data) < 0) {
                perror("nocap: capget");
                return 127;
        }
        data[0].effective &= ~bit;
        data[0].permitted &= ~bit;
        data[0].inheritable &= ~bit;
        if (syscall(SYS_capset, &hdr, data) < 0) {
                perror("nocap: capset");
                return 127;
        }
        execvp(argv[1], argv + 1);
        perror(argv[1]);
        return 127;
}
