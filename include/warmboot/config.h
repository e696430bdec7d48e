/* SPDX-License-Identifier: MIT */
#ifndef WARMBOOT_CONFIG_H
#define WARMBOOT_CONFIG_H

/*
 * warmboot's policy: /etc/warmboot.conf, over Debian kexec-tools'
 * /etc/default/kexec so that its users keep their settings. Both are
 * read under ctx->root; shell-like KEY=value lines, never executed.
 */

#include <stdbool.h>

#include <warmboot/choose.h>
#include <warmboot/error.h>

struct wb_ctx;

#define WB_CONFIG_PATH "/etc/warmboot.conf"
#define WB_CONFIG_DEBIAN_PATH "/etc/default/kexec"

/* Largest configuration file we read: real ones are a few hundred bytes. */
#define WB_CONFIG_MAX_SIZE 65536
/* Longest line, value included. */
#define WB_CONFIG_MAX_LINE 8192
/* Warnings kept; later ones are counted, not kept. */
#define WB_CONFIG_MAX_WARNINGS 16

/* Where a setting came from. */
enum wb_config_source {
        WB_SOURCE_DEFAULT = 0,
        WB_SOURCE_DEBIAN,       /* /etc/default/kexec */
        WB_SOURCE_WARMBOOT,     /* /etc/warmboot.conf */
};

/* The settings; strings are malloc'd and owned by the struct. */
struct wb_config {
        bool enabled;                   /* ENABLED=yes|no, LOAD_KEXEC=true|false */
        enum wb_kernel_policy kernel;   /* KERNEL= */
        char *kernel_path;              /* KERNEL=/path */
        enum wb_initrd_policy initrd;   /* INITRD= */
        char *initrd_path;
        char *cmdline;                  /* CMDLINE=; NULL: reuse */
        char *append;                   /* APPEND=; never NULL after wb_config_init */
        enum wb_syscall syscall;        /* SYSCALL= */
        enum wb_config_source enabled_source;
        enum wb_config_source kernel_source;
        enum wb_config_source initrd_source;
        /* Lines that were ignored, as "FILE:LINE: reason". */
        size_t nwarnings;               /* all of them, kept or not */
        char warnings[WB_CONFIG_MAX_WARNINGS][WB_DIAG_REASON_MAX];
};

/*
 * Sets the defaults: disabled, KERNEL=current, INITRD=auto,
 * CMDLINE=reuse, APPEND empty, SYSCALL=auto. Returns 0 or -ENOMEM.
 */
int wb_config_init(struct wb_config *cfg);

/* Frees the strings; the struct itself is the caller's. NULL is fine. */
void wb_config_release(struct wb_config *cfg);

/*
 * Applies the text of a warmboot.conf (path names it in messages) over
 * cfg. Comments, blank lines, junk and unknown keys are warnings in cfg.
 * Returns 0, or -EINVAL with diag ("PATH:LINE: ...") for a known key with
 * a value it does not take, -EFBIG for a line above WB_CONFIG_MAX_LINE,
 * -ENOMEM. cfg may be partly changed on failure.
 */
int wb_config_parse(struct wb_config *cfg, const char *text, const char *path,
                    struct wb_diag *diag);

/*
 * Applies the text of Debian's /etc/default/kexec over cfg:
 * LOAD_KEXEC=true|false, KERNEL_IMAGE, INITRD ("" means none), APPEND (a
 * whole command line there; "" means reuse /proc/cmdline) and
 * USE_GRUB_CONFIG=true (grub's default entry). Other keys are the
 * script's and ignored silently. Same returns as wb_config_parse().
 */
int wb_config_parse_debian(struct wb_config *cfg, const char *text, const char *path,
                           struct wb_diag *diag);

/*
 * Reads the configuration under ctx->root: defaults, then
 * /etc/default/kexec, then /etc/warmboot.conf; either may be missing.
 * Returns 0 and fills *ret_cfg (release it with wb_config_release), or a
 * negative errno with diag naming the file. *ret_cfg is untouched on
 * failure.
 */
int wb_config_load(const struct wb_ctx *ctx, struct wb_config *ret_cfg, struct wb_diag *diag);

/*
 * Sets ENABLED= in /etc/warmboot.conf under ctx->root, keeping every
 * other line and comment; creates the file from the documented template
 * when it is missing. The file is replaced atomically (a temporary file
 * in /etc, then rename), with the mode of the old one. Returns 0 or a
 * negative errno with diag filled.
 */
int wb_config_set_enabled(const struct wb_ctx *ctx, bool enabled, struct wb_diag *diag);

/* The template /etc/warmboot.conf starts from, with ENABLED= as given. */
const char *wb_config_template(void);

/* "current", "newest", "grub-default", "bls" or "path". */
const char *wb_kernel_policy_name(enum wb_kernel_policy policy);

/* "default", "/etc/default/kexec" or "/etc/warmboot.conf". */
const char *wb_config_source_name(enum wb_config_source source);

/*
 * Parses one shell-like assignment line: optional "export ", NAME, '=',
 * a value of unquoted, 'single' or "double" quoted parts (backslash
 * escapes outside single quotes; no $ expansion), then optional blanks
 * and a # comment. Blank and comment lines give 0 with *ret_name NULL.
 * Returns 0 with *ret_name and *ret_value (malloc'd, free both), or
 * -EINVAL (not an assignment we understand) or -ENOMEM. Used for every
 * KEY=value file warmboot reads.
 */
int wb_config_parse_line(const char *line, char **ret_name, char **ret_value);

#endif
