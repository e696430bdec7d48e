/* SPDX-License-Identifier: MIT */
#ifndef WARMBOOT_CHOOSE_H
#define WARMBOOT_CHOOSE_H

/*
 * Which kernel the next kexec reboot boots: the policy front end's choice
 * of image, initrd and command line from what is installed under
 * ctx->root (/boot, grub.cfg, Boot Loader Spec entries). Reading only:
 * nothing here calls the kernel.
 */

#include <stdbool.h>

#include <warmboot/error.h>

struct wb_ctx;
struct wb_load;

/* How the kernel is chosen (KERNEL= of warmboot.conf). */
enum wb_kernel_policy {
        WB_KERNEL_CURRENT = 0,  /* the running kernel's, or the one installed since boot */
        WB_KERNEL_NEWEST,       /* the highest version of /boot/vmlinuz-* */
        WB_KERNEL_GRUB,         /* grub's default entry (grubenv, grub.cfg) */
        WB_KERNEL_BLS,          /* the default Boot Loader Spec entry */
        WB_KERNEL_PATH,         /* a given image */
};

/* How the initrd is chosen (INITRD=). */
enum wb_initrd_policy {
        WB_INITRD_AUTO = 0,     /* the chosen kernel's own */
        WB_INITRD_NONE,
        WB_INITRD_PATH,
};

/* Most candidates looked at in one folder or one grub.cfg. */
#define WB_CHOOSE_MAX_ENTRIES 256

/* What to choose. Paths are as seen on the system, found under ctx->root. */
struct wb_choose_request {
        enum wb_kernel_policy kernel;
        const char *kernel_path;        /* WB_KERNEL_PATH */
        enum wb_initrd_policy initrd;
        const char *initrd_path;        /* WB_INITRD_PATH */
        const char *cmdline;            /* NULL: reuse /proc/cmdline, or the chosen entry's own */
        const char *append;             /* added to the command line; NULL or "": nothing */
        /*
         * The running kernel's release (uname -r) for WB_KERNEL_CURRENT;
         * the library never asks uname itself, so that tests can pass one.
         */
        const char *release;
};

/*
 * A choice. kernel and initrd are paths on the system (not under
 * ctx->root); initrd is NULL for none. source says in words where the
 * choice came from ("running kernel 6.1.0-9-amd64", "grub entry
 * 'Debian GNU/Linux'", ...); version is the kernel's release when known,
 * else NULL.
 */
struct wb_choice {
        char *kernel;
        char *initrd;
        char *cmdline;
        char *source;
        char *version;
};

/*
 * Chooses the kernel, initrd and command line req asks for. The image
 * need not exist for the call to succeed when it was named by a policy
 * that points at one file (a grub entry, a BLS entry, KERNEL=/path): the
 * caller finds out when it prepares the load. Returns 0 and *ret_choice
 * (free with wb_choice_free), or a negative errno with diag naming the
 * file and the reason: -ENOENT when nothing fits (no image for the
 * running kernel, no vmlinuz-*, no grub.cfg, no BLS entry), -EINVAL for a
 * default entry that boots no Linux kernel or a malformed file, -EFBIG or
 * -E2BIG past the size limits, -ENOMEM.
 */
int wb_choose(const struct wb_ctx *ctx, const struct wb_choose_request *req,
              struct wb_choice **ret_choice, struct wb_diag *diag);

/* Frees; NULL is fine. */
void wb_choice_free(struct wb_choice *choice);

/*
 * Checks and plans the load of a choice with wb_load_prepare(): its files
 * are opened under ctx->root (relative paths as they are). Nothing is
 * handed to the kernel. On failure diag names the file as seen on the
 * system. Returns 0 and *ret_load (free with wb_load_free), or the
 * negative errno of wb_load_prepare().
 */
int wb_choice_prepare(const struct wb_ctx *ctx, const struct wb_choice *choice,
                      enum wb_syscall syscall, struct wb_load **ret_load,
                      struct wb_diag *diag);

/*
 * Compares two version strings as dpkg does (and close to rpmvercmp):
 * runs of digits numerically, everything else character by character
 * with letters before other characters and '~' before anything, even the
 * end. 6.1.0-9 < 6.1.0-10 < 6.10.0-1. Returns <0, 0 or >0.
 */
int wb_version_compare(const char *a, const char *b);

/*
 * The release string a bzImage carries in its setup header (the
 * kernel_version field of Documentation/arch/x86/boot.rst), up to its
 * first blank: "6.6.1-arch1-1" for an Arch kernel. path is under
 * ctx->root. Returns 0 and *ret (malloc'd), -ENOENT/-EACCES/... when the
 * file cannot be read, -ENOEXEC when it is not a bzImage or carries no
 * version.
 */
int wb_image_release(const struct wb_ctx *ctx, const char *path, char **ret);

#endif
