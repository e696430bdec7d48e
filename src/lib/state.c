// SPDX-License-Identifier: MIT
/*
 * The policy front end's memory (the one-shot cold flag, the kernel
 * installed since boot) and what the running kernel says about kexec.
 * Files only, all under ctx->root.
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
#include <warmboot/load.h>
#include <warmboot/state.h>

#include "util.h"
#include "x86/boot.h"

/* Largest next-kernel record we read: three short lines. */
#define WB_STATE_RECORD_MAX 4096
/* Longest kernel version we record: uname's release field is 65 bytes (utsname). */
#define WB_STATE_VERSION_MAX 64
/* boot_id is a UUID: 36 characters. */
#define WB_BOOT_ID_LEN 36

static bool exists(const struct wb_ctx *ctx, const char *path)
{
        char full[4096];
        struct stat st;

        return wb_root_path(ctx, path, full, sizeof(full)) == 0 && lstat(full, &st) == 0;
}

int wb_state_cold_pending(const struct wb_ctx *ctx, bool *ret_pending, struct wb_diag *diag)
{
        (void)diag;
        *ret_pending = exists(ctx, WB_STATE_COLD_PATH) || exists(ctx, WB_STATE_DEBIAN_COLD_PATH);
        return 0;
}

/* mkdir -p of the folders of path (a path on the system) under root. */
static int make_parents(const struct wb_ctx *ctx, const char *path, struct wb_diag *diag)
{
        char full[4096];
        size_t skip;
        int r;

        r = wb_root_path(ctx, path, full, sizeof(full));
        if (r < 0)
                return wb_diag_set(diag, r, path, "path too long");
        skip = strlen(full) - strlen(path);
        for (char *s = full + skip + 1; (s = strchr(s, '/')); s++) {
                *s = '\0';
                if (mkdir(full, 0755) < 0 && errno != EEXIST) {
                        r = errno;
                        return wb_diag_set(diag, r, full + skip, "cannot create: %s", strerror(r));
                }
                *s = '/';
        }
        return 0;
}

/* Writes text as path under root, through a temporary file and rename. */
static int write_file(const struct wb_ctx *ctx, const char *path, const char *text,
                      struct wb_diag *diag)
{
        char full[4096], tmp[4096];
        size_t len = strlen(text);
        FILE *f;
        int fd, r;

        r = make_parents(ctx, path, diag);
        if (r < 0)
                return r;
        r = wb_root_path(ctx, path, full, sizeof(full));
        if (r < 0 || snprintf(tmp, sizeof(tmp), "%s.XXXXXX", full) >= (int)sizeof(tmp))
                return wb_diag_set(diag, ENAMETOOLONG, path, "path too long");
        fd = mkstemp(tmp);
        if (fd < 0)
                return wb_diag_set(diag, errno, path, "cannot create: %s", strerror(errno));
        f = fdopen(fd, "w");
        if (!f) {
                r = wb_diag_set(diag, errno, path, "cannot write: %s", strerror(errno));
                close(fd);
                goto fail;
        }
        if (fwrite(text, 1, len, f) != len || fchmod(fd, 0644) < 0 || fflush(f) != 0) {
                r = wb_diag_set(diag, errno ? errno : EIO, path, "cannot write: %s",
                                strerror(errno ? errno : EIO));
                fclose(f);
                goto fail;
        }
        if (fclose(f) != 0) {
                r = wb_diag_set(diag, errno, path, "cannot write: %s", strerror(errno));
                goto fail;
        }
        if (rename(tmp, full) < 0) {
                r = wb_diag_set(diag, errno, path, "cannot replace: %s", strerror(errno));
                goto fail;
        }
        return 0;

fail:
        unlink(tmp);
        return r;
}

static int remove_file(const struct wb_ctx *ctx, const char *path, struct wb_diag *diag)
{
        char full[4096];
        int r;

        r = wb_root_path(ctx, path, full, sizeof(full));
        if (r < 0)
                return wb_diag_set(diag, r, path, "path too long");
        if (unlink(full) < 0 && errno != ENOENT)
                return wb_diag_set(diag, errno, path, "cannot remove: %s", strerror(errno));
        return 0;
}

int wb_state_set_cold(const struct wb_ctx *ctx, struct wb_diag *diag)
{
        wb_debug(ctx, "arming the one-shot cold reboot: %s", WB_STATE_COLD_PATH);
        return write_file(ctx, WB_STATE_COLD_PATH,
                          "The next reboot goes through the firmware (warmboot cold).\n", diag);
}

int wb_state_clear_cold(const struct wb_ctx *ctx, struct wb_diag *diag)
{
        int r;

        r = remove_file(ctx, WB_STATE_COLD_PATH, diag);
        if (r < 0)
                return r;
        return remove_file(ctx, WB_STATE_DEBIAN_COLD_PATH, diag);
}

/* This boot's id, "" when unknown. */
static void boot_id(const struct wb_ctx *ctx, char *buf, size_t size)
{
        char *text;
        size_t len;

        buf[0] = '\0';
        if (wb_read_text(ctx, WB_STATE_BOOT_ID_PATH, 128, &text, &len) < 0)
                return;
        if (len >= WB_BOOT_ID_LEN && size > WB_BOOT_ID_LEN) {
                memcpy(buf, text, WB_BOOT_ID_LEN);
                buf[WB_BOOT_ID_LEN] = '\0';
        }
        free(text);
}

/* A version is one word of printable characters, no '/': it names files. */
static bool valid_version(const char *v)
{
        size_t n = strlen(v);

        if (n == 0 || n > WB_STATE_VERSION_MAX || strcmp(v, ".") == 0 || strcmp(v, "..") == 0)
                return false;
        for (size_t i = 0; i < n; i++)
                if (v[i] <= ' ' || v[i] > '~' || v[i] == '/' || v[i] == '\'' || v[i] == '"' || v[i] == '\\')
                        return false;
        return true;
}

static bool valid_path(const char *p)
{
        size_t n = strlen(p);

        if (n == 0 || n >= WB_DIAG_PATH_MAX || p[0] != '/')
                return false;
        for (size_t i = 0; i < n; i++)
                if ((unsigned char)p[i] < ' ' || p[i] == '\'' || p[i] == 0x7f)
                        return false;
        return true;
}

int wb_state_kernel_installed(const struct wb_ctx *ctx, const char *version, const char *image,
                              struct wb_diag *diag)
{
        char id[WB_BOOT_ID_LEN + 1];
        char text[WB_STATE_RECORD_MAX];

        if (!valid_version(version))
                return wb_diag_set(diag, EINVAL, NULL, "'%s' is not a kernel version", version);
        if (image && !valid_path(image))
                return wb_diag_set(diag, EINVAL, image, "not an absolute path to a kernel image");
        boot_id(ctx, id, sizeof(id));
        /* Single quotes: the values can hold nothing that needs escaping (checked above). */
        snprintf(text, sizeof(text),
                 "# Written by warmboot kernel-installed: KERNEL=current boots this kernel\n"
                 "# until the next boot.\nVERSION='%s'\n%s%s%s%s%s%s",
                 version, image ? "IMAGE='" : "", image ? image : "", image ? "'\n" : "",
                 id[0] ? "BOOT_ID='" : "", id, id[0] ? "'\n" : "");
        wb_debug(ctx, "recording kernel %s in %s", version, WB_STATE_NEXT_KERNEL_PATH);
        return write_file(ctx, WB_STATE_NEXT_KERNEL_PATH, text, diag);
}

struct record {
        char *version;
        char *image;
        char *boot_id;
};

static void record_free(struct record *rec)
{
        free(rec->version);
        free(rec->image);
        free(rec->boot_id);
}

/* Reads the record; -ENOENT when there is none. */
static int read_record(const struct wb_ctx *ctx, struct record *rec, struct wb_diag *diag)
{
        const char *path = WB_STATE_NEXT_KERNEL_PATH;
        char *text, *line, *save = NULL;
        int r;

        memset(rec, 0, sizeof(*rec));
        r = wb_read_text(ctx, path, WB_STATE_RECORD_MAX, &text, NULL);
        if (r == -ENOENT)
                return r;
        if (r < 0)
                return wb_diag_set(diag, r, path, "cannot read: %s", strerror(-r));
        for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                char *name, *value;
                char **slot = NULL;

                if (wb_config_parse_line(line, &name, &value) < 0 || !name)
                        continue;
                if (strcmp(name, "VERSION") == 0)
                        slot = &rec->version;
                else if (strcmp(name, "IMAGE") == 0)
                        slot = &rec->image;
                else if (strcmp(name, "BOOT_ID") == 0)
                        slot = &rec->boot_id;
                free(name);
                if (slot) {
                        free(*slot);
                        *slot = value;
                } else {
                        free(value);
                }
        }
        free(text);
        if (!rec->version || !valid_version(rec->version) || (rec->image && !valid_path(rec->image))) {
                record_free(rec);
                return wb_diag_set(diag, EINVAL, path, "malformed: want VERSION=release and IMAGE=/path");
        }
        return 0;
}

int wb_state_kernel_removed(const struct wb_ctx *ctx, const char *version, struct wb_diag *diag)
{
        struct record rec;
        bool same;
        int r;

        r = read_record(ctx, &rec, NULL);
        if (r == -ENOENT)
                return 0;
        /* A malformed record helps nobody: a removal is a fine time to drop it. */
        same = r < 0 || strcmp(rec.version, version) == 0;
        if (r == 0)
                record_free(&rec);
        if (!same) {
                wb_debug(ctx, "%s names another kernel than %s: kept", WB_STATE_NEXT_KERNEL_PATH, version);
                return 0;
        }
        wb_debug(ctx, "kernel %s removed: forgetting %s", version, WB_STATE_NEXT_KERNEL_PATH);
        return remove_file(ctx, WB_STATE_NEXT_KERNEL_PATH, diag);
}

int wb_state_next_kernel(const struct wb_ctx *ctx, char **ret_version, char **ret_image,
                         struct wb_diag *diag)
{
        char id[WB_BOOT_ID_LEN + 1];
        struct record rec;
        int r;

        r = read_record(ctx, &rec, diag);
        if (r < 0)
                return r;
        boot_id(ctx, id, sizeof(id));
        /* Recorded in another boot: that kernel is the running one now, or was passed over. */
        if (rec.boot_id && id[0] && strcmp(rec.boot_id, id) != 0) {
                wb_debug(ctx, "%s: kernel %s was installed before this boot: ignored",
                         WB_STATE_NEXT_KERNEL_PATH, rec.version);
                record_free(&rec);
                return -ENOENT;
        }
        free(rec.boot_id);
        *ret_version = rec.version;
        *ret_image = rec.image;
        return 0;
}

/* The bracketed mode of /sys/kernel/security/lockdown ("none [integrity] confidentiality"). */
static void read_lockdown(const struct wb_ctx *ctx, char *mode, size_t size)
{
        char *text, *open, *close;

        mode[0] = '\0';
        if (wb_read_text(ctx, "/sys/kernel/security/lockdown", 256, &text, NULL) < 0)
                return;
        open = strchr(text, '[');
        close = open ? strchr(open, ']') : NULL;
        if (open && close) {
                *close = '\0';
                snprintf(mode, size, "%s", open + 1);
        }
        free(text);
}

/* type_of_loader of this boot, -1 when /sys/kernel/boot_params/data is not readable. */
static int read_boot_loader(const struct wb_ctx *ctx)
{
        uint8_t bp[WB_X86_HDR_TYPE_OF_LOADER + 1];
        size_t n;

        if (wb_read_prefix(ctx, "/sys/kernel/boot_params/data", bp, sizeof(bp), &n) < 0 || n < sizeof(bp))
                return -1;
        return bp[WB_X86_HDR_TYPE_OF_LOADER];
}

int wb_kexec_state_read(const struct wb_ctx *ctx, struct wb_kexec_state *ret, struct wb_diag *diag)
{
        struct wb_kexec_state st;
        uint64_t v;
        int r;

        memset(&st, 0, sizeof(st));
        r = wb_kexec_loaded(ctx, false, &st.loaded, diag);
        if (r < 0 && r != -ENOENT)
                return r;
        st.supported = r == 0;
        if (st.supported) {
                /* Without CONFIG_CRASH_DUMP there is no such file: no panic kernel then. */
                if (wb_kexec_loaded(ctx, true, &st.crash_loaded, NULL) < 0)
                        st.crash_loaded = false;
        }
        st.load_disabled = wb_read_u64(ctx, "/proc/sys/kernel/kexec_load_disabled", &v) == 0 && v;
        read_lockdown(ctx, st.lockdown, sizeof(st.lockdown));
        st.locked_down = st.lockdown[0] && strcmp(st.lockdown, "none") != 0;
        st.this_boot_loader = read_boot_loader(ctx);
        /* The high nibble is the boot loader ID; the low one its version. */
        st.this_boot_kexec = st.this_boot_loader >= 0 &&
                             ((unsigned int)st.this_boot_loader & 0xf0u) == WB_X86_LOADER_KEXEC;
        *ret = st;
        return 0;
}
