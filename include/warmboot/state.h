/* SPDX-License-Identifier: MIT */
#ifndef WARMBOOT_STATE_H
#define WARMBOOT_STATE_H

/*
 * What the policy front end remembers between commands, and what it
 * reads of the running system, all under ctx->root:
 *
 *   /run/warmboot/cold              one-shot: the next reboot goes through
 *                                   the firmware (gone at the next boot:
 *                                   /run is a tmpfs)
 *   /no-kexec-reboot                kexec-tools' Debian flag, same meaning
 *   /var/lib/warmboot/next-kernel   the kernel installed since boot
 *                                   (VERSION=, IMAGE=, BOOT_ID=)
 */

#include <stdbool.h>

struct wb_ctx;
struct wb_diag;

#define WB_STATE_COLD_PATH "/run/warmboot/cold"
#define WB_STATE_DEBIAN_COLD_PATH "/no-kexec-reboot"
#define WB_STATE_NEXT_KERNEL_PATH "/var/lib/warmboot/next-kernel"
/* Changes at each boot, kexec ones included (drivers/char/random.c). */
#define WB_STATE_BOOT_ID_PATH "/proc/sys/kernel/random/boot_id"

/*
 * Whether a one-shot cold reboot is armed (either flag file). Returns 0
 * and *ret_pending, or a negative errno with diag filled.
 */
int wb_state_cold_pending(const struct wb_ctx *ctx, bool *ret_pending, struct wb_diag *diag);

/* Arms the one-shot cold reboot. Returns 0 or a negative errno with diag filled. */
int wb_state_set_cold(const struct wb_ctx *ctx, struct wb_diag *diag);

/* Disarms it (both flags). Returns 0 or a negative errno with diag filled. */
int wb_state_clear_cold(const struct wb_ctx *ctx, struct wb_diag *diag);

/*
 * Records that kernel version was installed (image: its path on the
 * system, may be NULL), with this boot's id, so that KERNEL=current
 * chooses it until the next boot. Returns 0 or a negative errno with diag
 * filled; -EINVAL for a version with blanks, '/' or control characters.
 */
int wb_state_kernel_installed(const struct wb_ctx *ctx, const char *version,
                              const char *image, struct wb_diag *diag);

/*
 * Forgets the record when it names version. Returns 0 (also when there
 * was no record or it names another version) or a negative errno with
 * diag filled.
 */
int wb_state_kernel_removed(const struct wb_ctx *ctx, const char *version,
                            struct wb_diag *diag);

/*
 * The kernel installed since this boot: 0 with *ret_version and
 * *ret_image (malloc'd; image NULL when not recorded), or -ENOENT when
 * there is none, or the record is from another boot. Other negative
 * errnos for unreadable or malformed records, with diag filled.
 */
int wb_state_next_kernel(const struct wb_ctx *ctx, char **ret_version, char **ret_image,
                         struct wb_diag *diag);

/* What the running kernel says about kexec. */
struct wb_kexec_state {
        bool supported;         /* /sys/kernel/kexec_loaded exists */
        bool loaded;            /* a kernel is loaded for kexec -e */
        bool crash_loaded;      /* a panic kernel is loaded */
        bool load_disabled;     /* sysctl kernel.kexec_load_disabled=1 */
        bool locked_down;       /* lockdown integrity or confidentiality */
        char lockdown[32];      /* the lockdown mode, "" when there is no LSM file */
        /*
         * How this boot was started: the x86 boot protocol's type_of_loader
         * byte (boot_params offset 0x210) as /sys/kernel/boot_params/data
         * (root only) shows it, -1 when unknown. Boot loader ID 0xD (0xd0)
         * is kexec, both the kernel's kexec_file_load and warmboot's
         * kexec_load write it; anything else is a firmware boot.
         */
        int this_boot_loader;
        bool this_boot_kexec;   /* this_boot_loader says kexec */
};

/* Reads it. Returns 0 and *ret, or a negative errno with diag filled. */
int wb_kexec_state_read(const struct wb_ctx *ctx, struct wb_kexec_state *ret, struct wb_diag *diag);

#endif
