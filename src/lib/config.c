// SPDX-License-Identifier: MIT
/*
 * /etc/warmboot.conf and Debian's /etc/default/kexec. Both look like
 * shell scripts and the second one is one (kexec-tools' init scripts
 * source it); warmboot never runs them, it reads the simple KEY=value
 * assignments and reports every other line as a warning.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <warmboot/config.h>
#include <warmboot/ctx.h>
#include <warmboot/error.h>

#include "util.h"

static const char template_text[] =
        "# /etc/warmboot.conf: kexec reboots by default (warmboot(8)).\n"
        "# Shell-like KEY=value lines; '#' starts a comment; quotes are optional.\n"
        "# Settings here win over Debian kexec-tools' /etc/default/kexec.\n"
        "\n"
        "# yes: reboots go straight into the chosen kernel (kexec); no: through the firmware.\n"
        "# Set with \"warmboot enable\" and \"warmboot disable\".\n"
        "ENABLED=no\n"
        "\n"
        "# Which kernel: current (the running kernel's, or the one installed since boot),\n"
        "# newest (highest /boot/vmlinuz-*), grub-default (grub's default entry),\n"
        "# bls (the default Boot Loader Spec entry), or /path/to/image.\n"
        "#KERNEL=current\n"
        "\n"
        "# Its initrd: auto (the one that goes with the kernel), none, or /path/to/initrd.\n"
        "#INITRD=auto\n"
        "\n"
        "# Command line: reuse (/proc/cmdline without BOOT_IMAGE=, or the boot entry's own)\n"
        "# or a whole command line.\n"
        "#CMDLINE=reuse\n"
        "\n"
        "# Words added to the command line.\n"
        "#APPEND=\"\"\n"
        "\n"
        "# Kernel interface: auto (kexec_file_load, falling back to kexec_load),\n"
        "# file (kexec_file_load only: lockdown, signed kernels) or classic (kexec_load).\n"
        "#SYSCALL=auto\n";

const char *wb_config_template(void)
{
        return template_text;
}

const char *wb_kernel_policy_name(enum wb_kernel_policy policy)
{
        switch (policy) {
        case WB_KERNEL_CURRENT:
                return "current";
        case WB_KERNEL_NEWEST:
                return "newest";
        case WB_KERNEL_GRUB:
                return "grub-default";
        case WB_KERNEL_BLS:
                return "bls";
        case WB_KERNEL_PATH:
                break;
        }
        return "path";
}

const char *wb_config_source_name(enum wb_config_source source)
{
        switch (source) {
        case WB_SOURCE_DEBIAN:
                return WB_CONFIG_DEBIAN_PATH;
        case WB_SOURCE_WARMBOOT:
                return WB_CONFIG_PATH;
        case WB_SOURCE_DEFAULT:
                break;
        }
        return "default";
}

int wb_config_init(struct wb_config *cfg)
{
        memset(cfg, 0, sizeof(*cfg));
        cfg->append = strdup("");
        return cfg->append ? 0 : -ENOMEM;
}

void wb_config_release(struct wb_config *cfg)
{
        if (!cfg)
                return;
        free(cfg->kernel_path);
        free(cfg->initrd_path);
        free(cfg->cmdline);
        free(cfg->append);
        cfg->kernel_path = cfg->initrd_path = cfg->cmdline = cfg->append = NULL;
}

static bool is_blank(char c)
{
        return c == ' ' || c == '\t' || c == '\r';
}

static bool is_name_start(char c)
{
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

static bool is_name_char(char c)
{
        return is_name_start(c) || (c >= '0' && c <= '9');
}

int wb_config_parse_line(const char *line, char **ret_name, char **ret_value)
{
        const char *p = line, *name;
        size_t name_len, n = 0;
        char *value, *out_name;

        while (is_blank(*p))
                p++;
        if (*p == '\0' || *p == '\n' || *p == '#') {
                *ret_name = NULL;
                *ret_value = NULL;
                return 0;
        }
        if (strncmp(p, "export", 6) == 0 && is_blank(p[6])) {
                p += 6;
                while (is_blank(*p))
                        p++;
        }
        if (!is_name_start(*p))
                return -EINVAL;
        name = p;
        while (is_name_char(*p))
                p++;
        name_len = (size_t)(p - name);
        if (*p != '=')
                return -EINVAL;
        p++;
        /* The value is never longer than the rest of the line. */
        value = malloc(strlen(p) + 1);
        if (!value)
                return -ENOMEM;
        while (*p && *p != '\n' && !is_blank(*p)) {
                if (*p == '\'') {
                        const char *end = strchr(p + 1, '\'');

                        if (!end)
                                goto invalid;
                        memcpy(value + n, p + 1, (size_t)(end - p - 1));
                        n += (size_t)(end - p - 1);
                        p = end + 1;
                } else if (*p == '"') {
                        for (p++; *p != '"'; p++) {
                                if (*p == '\0')
                                        goto invalid;
                                /* In double quotes a backslash only escapes these (POSIX). */
                                if (*p == '\\' && p[1] && strchr("\"\\$`", p[1]))
                                        p++;
                                value[n++] = *p;
                        }
                        p++;
                } else if (*p == '\\') {
                        if (p[1] == '\0' || p[1] == '\n')
                                goto invalid;   /* a continuation line: not ours to join */
                        value[n++] = p[1];
                        p += 2;
                } else if (*p == ';' || *p == '&' || *p == '|' || *p == '<' || *p == '>' ||
                           *p == '(' || *p == ')' || *p == '`') {
                        /* Shell syntax, a command or a substitution: not a plain assignment. */
                        goto invalid;
                } else {
                        value[n++] = *p++;
                }
        }
        value[n] = '\0';
        while (is_blank(*p))
                p++;
        if (*p != '\0' && *p != '\n' && *p != '#')
                goto invalid;   /* "KEY=a b" runs b with KEY set: not an assignment */
        out_name = strndup(name, name_len);
        if (!out_name) {
                free(value);
                return -ENOMEM;
        }
        *ret_name = out_name;
        *ret_value = value;
        return 0;

invalid:
        free(value);
        return -EINVAL;
}

static void warn(struct wb_config *cfg, const char *path, unsigned lineno, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));

static void warn(struct wb_config *cfg, const char *path, unsigned lineno, const char *fmt, ...)
{
        size_t size = sizeof(cfg->warnings[0]);

        /* Past the last slot, only counted: not even a pointer to where one would be. */
        if (cfg->nwarnings < WB_CONFIG_MAX_WARNINGS) {
                char *line = cfg->warnings[cfg->nwarnings];
                int n = snprintf(line, size, "%s:%u: ", path, lineno);

                if (n >= 0 && (size_t)n < size) {
                        va_list ap;

                        va_start(ap, fmt);
                        vsnprintf(line + n, size - (size_t)n, fmt, ap);
                        va_end(ap);
                }
        }
        cfg->nwarnings++;
}

/* Replaces *slot with a copy of value. */
static int set_string(char **slot, const char *value)
{
        char *copy = strdup(value);

        if (!copy)
                return -ENOMEM;
        free(*slot);
        *slot = copy;
        return 0;
}

static int parse_bool(const char *value, const char *yes, const char *no, bool *ret)
{
        if (strcmp(value, yes) == 0) {
                *ret = true;
                return 0;
        }
        if (strcmp(value, no) == 0) {
                *ret = false;
                return 0;
        }
        return -EINVAL;
}

/* One KEY=value of warmboot.conf. 1 when the key is not ours. */
static int apply_warmboot(struct wb_config *cfg, const char *name, const char *value,
                          const char *where, struct wb_diag *diag)
{
        if (strcmp(name, "ENABLED") == 0) {
                bool on;

                /* yes/no as documented; true/false and 1/0 as a shell user would guess. */
                if (parse_bool(value, "yes", "no", &on) < 0 && parse_bool(value, "true", "false", &on) < 0 &&
                    parse_bool(value, "1", "0", &on) < 0)
                        return wb_diag_set(diag, EINVAL, where, "ENABLED=%s: want yes or no", value);
                cfg->enabled = on;
                cfg->enabled_source = WB_SOURCE_WARMBOOT;
                return 0;
        }
        if (strcmp(name, "KERNEL") == 0) {
                static const enum wb_kernel_policy named[] = {
                        WB_KERNEL_CURRENT, WB_KERNEL_NEWEST, WB_KERNEL_GRUB, WB_KERNEL_BLS,
                };

                for (size_t i = 0; i < WB_ARRAY_SIZE(named); i++) {
                        if (strcmp(value, wb_kernel_policy_name(named[i])) == 0) {
                                cfg->kernel = named[i];
                                cfg->kernel_source = WB_SOURCE_WARMBOOT;
                                free(cfg->kernel_path);
                                cfg->kernel_path = NULL;
                                return 0;
                        }
                }
                if (value[0] != '/')
                        return wb_diag_set(diag, EINVAL, where,
                                           "KERNEL=%s: want current, newest, grub-default, bls or an absolute path",
                                           value);
                cfg->kernel = WB_KERNEL_PATH;
                cfg->kernel_source = WB_SOURCE_WARMBOOT;
                return set_string(&cfg->kernel_path, value);
        }
        if (strcmp(name, "INITRD") == 0) {
                cfg->initrd_source = WB_SOURCE_WARMBOOT;
                if (strcmp(value, "auto") == 0 || strcmp(value, "none") == 0) {
                        cfg->initrd = value[0] == 'a' ? WB_INITRD_AUTO : WB_INITRD_NONE;
                        free(cfg->initrd_path);
                        cfg->initrd_path = NULL;
                        return 0;
                }
                if (value[0] != '/')
                        return wb_diag_set(diag, EINVAL, where, "INITRD=%s: want auto, none or an absolute path",
                                           value);
                cfg->initrd = WB_INITRD_PATH;
                return set_string(&cfg->initrd_path, value);
        }
        if (strcmp(name, "CMDLINE") == 0) {
                if (strcmp(value, "reuse") == 0) {
                        free(cfg->cmdline);
                        cfg->cmdline = NULL;
                        return 0;
                }
                return set_string(&cfg->cmdline, value);
        }
        if (strcmp(name, "APPEND") == 0)
                return set_string(&cfg->append, value);
        if (strcmp(name, "SYSCALL") == 0) {
                if (strcmp(value, "auto") == 0)
                        cfg->syscall = WB_SYSCALL_AUTO;
                else if (strcmp(value, "file") == 0)
                        cfg->syscall = WB_SYSCALL_FILE;
                else if (strcmp(value, "classic") == 0)
                        cfg->syscall = WB_SYSCALL_CLASSIC;
                else
                        return wb_diag_set(diag, EINVAL, where, "SYSCALL=%s: want auto, file or classic", value);
                return 0;
        }
        return 1;
}

/* One KEY=value of /etc/default/kexec. 1 when the key is not one warmboot reads. */
static int apply_debian(struct wb_config *cfg, const char *name, const char *value,
                        const char *where, struct wb_diag *diag)
{
        bool on;

        if (strcmp(name, "LOAD_KEXEC") == 0) {
                if (parse_bool(value, "true", "false", &on) < 0 && parse_bool(value, "yes", "no", &on) < 0)
                        return wb_diag_set(diag, EINVAL, where, "LOAD_KEXEC=%s: want true or false", value);
                cfg->enabled = on;
                cfg->enabled_source = WB_SOURCE_DEBIAN;
                return 0;
        }
        if (strcmp(name, "KERNEL_IMAGE") == 0) {
                /* USE_GRUB_CONFIG=true replaces KERNEL_IMAGE in kexec-load's do_stop. */
                if (cfg->kernel == WB_KERNEL_GRUB && cfg->kernel_source == WB_SOURCE_DEBIAN)
                        return 0;
                if (value[0] == '\0')
                        return 0;
                if (value[0] != '/')
                        return wb_diag_set(diag, EINVAL, where, "KERNEL_IMAGE=%s: want an absolute path", value);
                cfg->kernel = WB_KERNEL_PATH;
                cfg->kernel_source = WB_SOURCE_DEBIAN;
                return set_string(&cfg->kernel_path, value);
        }
        if (strcmp(name, "INITRD") == 0) {
                if (cfg->kernel == WB_KERNEL_GRUB && cfg->kernel_source == WB_SOURCE_DEBIAN)
                        return 0;
                free(cfg->initrd_path);
                cfg->initrd_path = NULL;
                /* kexec-load runs kexec without --initrd when INITRD is empty. */
                if (value[0] == '\0') {
                        cfg->initrd = WB_INITRD_NONE;
                        cfg->initrd_source = WB_SOURCE_DEBIAN;
                        return 0;
                }
                cfg->initrd = WB_INITRD_PATH;
                cfg->initrd_source = WB_SOURCE_DEBIAN;
                return set_string(&cfg->initrd_path, value);
        }
        if (strcmp(name, "APPEND") == 0) {
                /* There APPEND is the whole command line (kexec-tools' --append on x86); empty: /proc/cmdline. */
                free(cfg->cmdline);
                cfg->cmdline = NULL;
                return value[0] ? set_string(&cfg->cmdline, value) : 0;
        }
        if (strcmp(name, "USE_GRUB_CONFIG") == 0) {
                if (parse_bool(value, "true", "false", &on) < 0)
                        return wb_diag_set(diag, EINVAL, where, "USE_GRUB_CONFIG=%s: want true or false", value);
                if (on) {
                        cfg->kernel = WB_KERNEL_GRUB;
                        cfg->kernel_source = WB_SOURCE_DEBIAN;
                        free(cfg->kernel_path);
                        cfg->kernel_path = NULL;
                        /* The grub entry brings its initrd and command line. */
                        cfg->initrd = WB_INITRD_AUTO;
                        free(cfg->initrd_path);
                        cfg->initrd_path = NULL;
                        free(cfg->cmdline);
                        cfg->cmdline = NULL;
                }
                return 0;
        }
        return 1;
}

typedef int (*apply_fn)(struct wb_config *cfg, const char *name, const char *value,
                        const char *where, struct wb_diag *diag);

static int parse_text(struct wb_config *cfg, const char *text, const char *path, bool debian,
                      struct wb_diag *diag)
{
        apply_fn apply = debian ? apply_debian : apply_warmboot;
        char line[WB_CONFIG_MAX_LINE + 1];
        char where[WB_DIAG_PATH_MAX];
        unsigned lineno = 0;
        const char *p = text;

        while (*p) {
                const char *nl = strchr(p, '\n');
                size_t len = nl ? (size_t)(nl - p) : strlen(p);
                char *name = NULL, *value = NULL;
                int r;

                lineno++;
                if (len > WB_CONFIG_MAX_LINE)
                        return wb_diag_set(diag, EFBIG, path, "line %u is longer than %d bytes", lineno,
                                           WB_CONFIG_MAX_LINE);
                memcpy(line, p, len);
                line[len] = '\0';
                p += len + (nl ? 1 : 0);
                snprintf(where, sizeof(where), "%s:%u", path, lineno);

                r = wb_config_parse_line(line, &name, &value);
                if (r == -ENOMEM)
                        return wb_diag_set(diag, ENOMEM, path, "out of memory");
                if (r < 0) {
                        /* The Debian file is a script: its other lines are none of our business. */
                        if (!debian)
                                warn(cfg, path, lineno, "not a KEY=value line, ignored");
                        continue;
                }
                if (!name)
                        continue;
                r = apply(cfg, name, value, where, diag);
                if (r > 0 && !debian)
                        warn(cfg, path, lineno, "unknown key %s, ignored", name);
                free(name);
                free(value);
                if (r < 0)
                        return r;
        }
        return 0;
}

int wb_config_parse(struct wb_config *cfg, const char *text, const char *path, struct wb_diag *diag)
{
        return parse_text(cfg, text, path, false, diag);
}

int wb_config_parse_debian(struct wb_config *cfg, const char *text, const char *path,
                           struct wb_diag *diag)
{
        return parse_text(cfg, text, path, true, diag);
}

/* Reads a config file under root; 0 with *ret NULL when it does not exist. */
static int read_config(const struct wb_ctx *ctx, const char *path, char **ret, struct wb_diag *diag)
{
        size_t len;
        int r = wb_read_text(ctx, path, WB_CONFIG_MAX_SIZE, ret, &len);

        if (r == -ENOENT) {
                *ret = NULL;
                return 0;
        }
        if (r == -EFBIG)
                return wb_diag_set(diag, r, path, "larger than %d bytes", WB_CONFIG_MAX_SIZE);
        if (r < 0)
                return wb_diag_set(diag, r, path, "cannot read: %s", strerror(-r));
        if (strlen(*ret) != len) {
                free(*ret);
                return wb_diag_set(diag, EINVAL, path, "not a text file");
        }
        return 0;
}

int wb_config_load(const struct wb_ctx *ctx, struct wb_config *ret_cfg, struct wb_diag *diag)
{
        struct wb_config cfg;
        char *text = NULL;
        int r;

        r = wb_config_init(&cfg);
        if (r < 0)
                return wb_diag_set(diag, r, WB_CONFIG_PATH, "out of memory");
        r = read_config(ctx, WB_CONFIG_DEBIAN_PATH, &text, diag);
        if (r < 0)
                goto fail;
        if (text) {
                wb_debug(ctx, "reading %s (kexec-tools' settings)", WB_CONFIG_DEBIAN_PATH);
                r = wb_config_parse_debian(&cfg, text, WB_CONFIG_DEBIAN_PATH, diag);
                free(text);
                text = NULL;
                if (r < 0)
                        goto fail;
        }
        r = read_config(ctx, WB_CONFIG_PATH, &text, diag);
        if (r < 0)
                goto fail;
        if (text) {
                wb_debug(ctx, "reading %s", WB_CONFIG_PATH);
                r = wb_config_parse(&cfg, text, WB_CONFIG_PATH, diag);
                free(text);
                if (r < 0)
                        goto fail;
        }
        /*
         * Debian's INITRD goes with its KERNEL_IMAGE: when warmboot.conf
         * chooses the kernel and says nothing of the initrd, the chosen
         * kernel's own initrd is the one to boot.
         */
        if (cfg.kernel_source == WB_SOURCE_WARMBOOT && cfg.initrd_source == WB_SOURCE_DEBIAN) {
                wb_debug(ctx, "%s's INITRD goes with its KERNEL_IMAGE, which %s overrides: INITRD=auto",
                         WB_CONFIG_DEBIAN_PATH, WB_CONFIG_PATH);
                cfg.initrd = WB_INITRD_AUTO;
                free(cfg.initrd_path);
                cfg.initrd_path = NULL;
                cfg.initrd_source = WB_SOURCE_DEFAULT;
        }
        for (size_t i = 0; i < cfg.nwarnings && i < WB_CONFIG_MAX_WARNINGS; i++)
                wb_debug(ctx, "config: %s", cfg.warnings[i]);
        *ret_cfg = cfg;
        return 0;

fail:
        wb_config_release(&cfg);
        return r;
}

/* True when line assigns ENABLED (as wb_config_parse_line reads it). */
static bool is_enabled_line(const char *line, size_t len)
{
        char buf[WB_CONFIG_MAX_LINE + 1];
        char *name = NULL, *value = NULL;
        bool yes;

        if (len > WB_CONFIG_MAX_LINE)
                return false;
        memcpy(buf, line, len);
        buf[len] = '\0';
        if (wb_config_parse_line(buf, &name, &value) < 0)
                return false;
        yes = name && strcmp(name, "ENABLED") == 0;
        free(name);
        free(value);
        return yes;
}

/*
 * The new text: text with each ENABLED= line replaced by the new one (the
 * first kept in place, the others dropped: a later one would win), or the
 * line added at the end when there is none.
 */
static char *rewrite_enabled(const char *text, bool enabled)
{
        const char *line_text = enabled ? "ENABLED=yes" : "ENABLED=no";
        size_t size = strlen(text) + strlen(line_text) + 2;
        char *out = malloc(size + 1), *o = out;
        bool done = false;
        const char *p = text;

        if (!out)
                return NULL;
        while (*p) {
                const char *nl = strchr(p, '\n');
                size_t len = nl ? (size_t)(nl - p) : strlen(p);

                if (is_enabled_line(p, len)) {
                        if (!done) {
                                o += sprintf(o, "%s\n", line_text);
                                done = true;
                        }
                } else {
                        memcpy(o, p, len);
                        o += len;
                        *o++ = '\n';
                }
                p += len + (nl ? 1 : 0);
        }
        if (!done)
                o += sprintf(o, "%s\n", line_text);
        *o = '\0';
        return out;
}

/* Writes text to path (a real path) through a temporary file and rename. */
static int replace_file(const char *path, const char *text, mode_t mode, struct wb_diag *diag,
                        const char *shown)
{
        char tmp[4096];
        size_t len = strlen(text), done = 0;
        int fd, r;

        if (snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path) >= (int)sizeof(tmp))
                return wb_diag_set(diag, ENAMETOOLONG, shown, "path too long");
        fd = mkstemp(tmp);
        if (fd < 0)
                return wb_diag_set(diag, errno, shown, "cannot create a temporary file next to it: %s",
                                   strerror(errno));
        while (done < len) {
                ssize_t n = write(fd, text + done, len - done);

                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0) {
                        r = wb_diag_set(diag, errno, shown, "cannot write: %s", strerror(errno));
                        goto fail;
                }
                done += (size_t)n;
        }
        /* The new contents reach the disk before the name points at them. */
        if (fchmod(fd, mode) < 0 || fsync(fd) < 0) {
                r = wb_diag_set(diag, errno, shown, "cannot write: %s", strerror(errno));
                goto fail;
        }
        if (close(fd) < 0) {
                fd = -1;
                r = wb_diag_set(diag, errno, shown, "cannot write: %s", strerror(errno));
                goto fail;
        }
        fd = -1;
        if (rename(tmp, path) < 0) {
                r = wb_diag_set(diag, errno, shown, "cannot replace: %s", strerror(errno));
                goto fail;
        }
        return 0;

fail:
        if (fd >= 0)
                close(fd);
        unlink(tmp);
        return r;
}

/* A config file's usual mode: readable by all, like /etc/default/kexec. */
#define WB_CONFIG_MODE 0644

int wb_config_set_enabled(const struct wb_ctx *ctx, bool enabled, struct wb_diag *diag)
{
        char full[4096], dir[4096];
        char *old = NULL, *text = NULL;
        mode_t mode = WB_CONFIG_MODE;
        struct stat st;
        int r;

        r = wb_root_path(ctx, WB_CONFIG_PATH, full, sizeof(full));
        if (r < 0)
                return wb_diag_set(diag, r, WB_CONFIG_PATH, "path too long");
        r = read_config(ctx, WB_CONFIG_PATH, &old, diag);
        if (r < 0)
                return r;
        if (old) {
                if (stat(full, &st) == 0)
                        mode = st.st_mode & 07777;
                text = rewrite_enabled(old, enabled);
        } else {
                wb_debug(ctx, "%s is missing: writing it from the template", WB_CONFIG_PATH);
                /* /etc exists on any real system; a fixture root may lack it. */
                r = wb_root_path(ctx, "/etc", dir, sizeof(dir));
                if (r == 0 && mkdir(dir, 0755) < 0 && errno != EEXIST)
                        return wb_diag_set(diag, errno, "/etc", "cannot create: %s", strerror(errno));
                text = rewrite_enabled(template_text, enabled);
        }
        if (!text) {
                r = wb_diag_set(diag, ENOMEM, WB_CONFIG_PATH, "out of memory");
                goto out;
        }
        r = replace_file(full, text, mode, diag, WB_CONFIG_PATH);
        if (r == 0)
                wb_debug(ctx, "%s: ENABLED=%s", WB_CONFIG_PATH, enabled ? "yes" : "no");
out:
        free(old);
        free(text);
        return r;
}
