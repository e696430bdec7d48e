/* SPDX-License-Identifier: MIT */
#ifndef WARMBOOT_CHOOSE_INT_H
#define WARMBOOT_CHOOSE_INT_H

/* Shared by choose.c, grub.c and bls.c; not part of the public headers. */

#include <stdbool.h>
#include <stddef.h>

struct wb_ctx;
struct wb_diag;

/* Largest grub.cfg we read: generated ones are tens of KiB. */
#define WB_GRUB_CFG_MAX (UINT64_C(1) << 20)
/* grubenv is one 1 KiB block (grub-editenv); a little room for hand-made ones. */
#define WB_GRUBENV_MAX 65536
/* One BLS entry file; real ones are a few hundred bytes. */
#define WB_BLS_ENTRY_MAX 65536
/* Variables kept from grubenv and grub.cfg's "set". */
#define WB_GRUB_MAX_VARS 128

/* One boot loader entry, grub's menuentry or a BLS type #1 entry. */
struct wb_boot_entry {
        char *id;               /* grub: --id; BLS: file name without .conf and boot counter */
        char *title;
        char *version;          /* BLS "version"; NULL when not given */
        char *machine_id;
        char *sort_key;
        char *image;            /* "linux" path as written; NULL: boots no Linux kernel */
        char *initrd;           /* the first initrd that is not CPU microcode, as written; NULL: none */
        char *options;          /* the kernel's arguments; NULL: none */
        char *boot_dir;         /* folder the paths are relative to ("" when unknown) */
        char *file;             /* where the entry was read, for messages */
        bool bad;               /* BLS boot counting: no tries left */
};

void wb_boot_entry_clear(struct wb_boot_entry *e);

/* Moves src into dst (dst cleared first); src is left empty. */
void wb_boot_entry_move(struct wb_boot_entry *dst, struct wb_boot_entry *src);

/* True when an initrd path names an early CPU microcode archive (intel-ucode.img, ...). */
bool wb_is_microcode(const char *path);

/* A variable table: grubenv, then grub.cfg's "set". */
struct wb_vars {
        size_t n;
        char *name[WB_GRUB_MAX_VARS];
        char *value[WB_GRUB_MAX_VARS];
};

void wb_vars_clear(struct wb_vars *v);
/* NULL when unset. */
const char *wb_vars_get(const struct wb_vars *v, const char *name);
/* Sets or replaces; 0, -E2BIG when the table is full, -ENOMEM. */
int wb_vars_set(struct wb_vars *v, const char *name, const char *value);

/*
 * Reads a grubenv (path under ctx->root) into vars; a missing file is an
 * empty environment. Returns 0 or a negative errno with diag filled.
 */
int wb_grubenv_read(const struct wb_ctx *ctx, const char *path, struct wb_vars *vars,
                    struct wb_diag *diag);

/*
 * Expands $name and ${name} in text from vars (unset ones are empty, as
 * in grub). Returns 0 and *ret (malloc'd), -EINVAL for a "${" without its
 * "}", -E2BIG past WB_CMDLINE_MAX, -ENOMEM.
 */
int wb_vars_expand(const struct wb_vars *vars, const char *text, char **ret);

/* The Boot Loader Spec entries found under ctx->root, in the spec's menu order. */
struct wb_bls_list {
        size_t n;
        struct wb_boot_entry *entries;
};

/*
 * Reads every entry of /boot/loader/entries, /efi/loader/entries and
 * /boot/efi/loader/entries and sorts them as systemd-boot does. Returns 0
 * (possibly with n == 0) or a negative errno with diag filled.
 */
int wb_bls_load(const struct wb_ctx *ctx, struct wb_bls_list *ret, struct wb_diag *diag);

void wb_bls_list_free(struct wb_bls_list *list);

/*
 * The default entry of list: systemd-boot's LoaderEntryOneShot then
 * LoaderEntryDefault EFI variables, then loader.conf's "default" glob,
 * else the first. Returns its index, or -ENOENT for an empty list.
 */
int wb_bls_default(const struct wb_ctx *ctx, const struct wb_bls_list *list);

/*
 * Parses the text of one BLS entry file named name (file: its path, for
 * messages) whose paths are relative to boot_dir. Returns 0 and *ret, or
 * a negative errno (-EINVAL, -ENOMEM).
 */
int wb_bls_parse(const char *text, const char *name, const char *file, const char *boot_dir,
                 struct wb_boot_entry *ret);

/*
 * grub's default entry from grub.cfg and grubenv (/boot/grub or
 * /boot/grub2 under ctx->root). Returns 0 and *ret, or a negative errno
 * with diag filled (-ENOENT: no grub.cfg; -EINVAL: the default entry is a
 * submenu or boots no Linux kernel, or grub.cfg is malformed).
 */
int wb_grub_default(const struct wb_ctx *ctx, struct wb_boot_entry *ret, struct wb_diag *diag);

#endif
