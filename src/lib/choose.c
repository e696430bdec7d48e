// SPDX-License-Identifier: MIT
/*
 * Choosing the kernel of the next kexec reboot from what is installed:
 * the running kernel's files, the newest vmlinuz-*, grub's default entry
 * or the default Boot Loader Spec entry. Everything is read under
 * ctx->root; nothing calls the kernel.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <warmboot/cmdline.h>
#include <warmboot/choose.h>
#include <warmboot/ctx.h>
#include <warmboot/error.h>
#include <warmboot/load.h>
#include <warmboot/state.h>

#include "choose_int.h"
#include "util.h"

/*
 * The x86 setup header (Documentation/arch/x86/boot.rst): "HdrS" at 0x202,
 * the protocol version at 0x206, and at 0x20e (since 2.00) kernel_version,
 * the offset less 0x200 of a NUL-terminated version string.
 */
#define WB_HDR_MAGIC_OFFSET 0x202
#define WB_HDR_MAGIC "HdrS"
#define WB_HDR_VERSION_OFFSET 0x206
#define WB_HDR_KERNEL_VERSION_OFFSET 0x20e
#define WB_HDR_KERNEL_VERSION_BASE 0x200
/* The version string sits in the setup code, well inside its first 32 KiB (setup_sects <= 64). */
#define WB_HDR_READ_MAX 65536
/* Longest release we keep: utsname's release field is 65 bytes with its NUL. */
#define WB_RELEASE_MAX 64
/* Entries of /boot looked at; a /boot of thousands of files is not one we understand. */
#define WB_BOOT_DIR_MAX_SCAN 4096

/* Where images live, besides /boot: Fedora also keeps one per module folder. */
#define WB_BOOT "/boot"

void wb_choice_free(struct wb_choice *choice)
{
        if (!choice)
                return;
        free(choice->kernel);
        free(choice->initrd);
        free(choice->cmdline);
        free(choice->source);
        free(choice->version);
        free(choice);
}

/* A regular file (symlinks followed) at path under root. */
static bool is_file(const struct wb_ctx *ctx, const char *path)
{
        char full[4096];
        struct stat st;

        return wb_root_path(ctx, path, full, sizeof(full)) == 0 && stat(full, &st) == 0 &&
               S_ISREG(st.st_mode);
}

int wb_image_release(const struct wb_ctx *ctx, const char *path, char **ret)
{
        char full[4096];
        uint8_t *buf;
        size_t len = 0, off, n;
        int fd, r;

        r = wb_root_path(ctx, path, full, sizeof(full));
        if (r < 0)
                return r;
        fd = open(full, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        buf = malloc(WB_HDR_READ_MAX);
        if (!buf) {
                close(fd);
                return -ENOMEM;
        }
        while (len < WB_HDR_READ_MAX) {
                ssize_t got = read(fd, buf + len, WB_HDR_READ_MAX - len);

                if (got < 0 && errno == EINTR)
                        continue;
                if (got <= 0) {
                        r = got < 0 ? -errno : 0;
                        break;
                }
                len += (size_t)got;
        }
        close(fd);
        if (r < 0)
                goto out;
        r = -ENOEXEC;
        if (len < WB_HDR_KERNEL_VERSION_OFFSET + 2 ||
            memcmp(buf + WB_HDR_MAGIC_OFFSET, WB_HDR_MAGIC, 4) != 0 ||
            wb_le16(buf + WB_HDR_VERSION_OFFSET) < 0x0200 ||
            wb_le16(buf + WB_HDR_KERNEL_VERSION_OFFSET) == 0)
                goto out;
        off = WB_HDR_KERNEL_VERSION_BASE + wb_le16(buf + WB_HDR_KERNEL_VERSION_OFFSET);
        if (off >= len)
                goto out;
        /* "6.1.0-9-amd64 (debian-kernel@lists.debian.org) #1 SMP ...": the release is the first word. */
        for (n = 0; off + n < len && n <= WB_RELEASE_MAX; n++) {
                uint8_t c = buf[off + n];

                if (c == '\0' || c == ' ')
                        break;
                if (c < ' ' || c > '~' || c == '/')
                        goto out;
        }
        if (n == 0 || n > WB_RELEASE_MAX || off + n >= len)
                goto out;
        *ret = strndup((const char *)buf + off, n);
        r = *ret ? 0 : -ENOMEM;
out:
        free(buf);
        return r;
}

/* The names in /boot (under root) that start with "vmlinuz-" and are images. */
struct names {
        size_t n;
        char *name[WB_CHOOSE_MAX_ENTRIES];
};

static void names_free(struct names *l)
{
        for (size_t i = 0; i < l->n; i++)
                free(l->name[i]);
        l->n = 0;
}

static bool ends_with(const char *s, const char *suffix)
{
        size_t a = strlen(s), b = strlen(suffix);

        return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* vmlinuz-* that are kernels: not backups, signatures, checksums or rescue images. */
static bool is_image_name(const char *name)
{
        static const char *const skip_suffixes[] = { ".old", ".sig", ".bak", ".hmac", ".sha256", "~" };

        if (strncmp(name, "vmlinuz-", 8) != 0 || name[8] == '\0')
                return false;
        for (size_t i = 0; i < WB_ARRAY_SIZE(skip_suffixes); i++)
                if (ends_with(name, skip_suffixes[i]))
                        return false;
        /* dpkg's leftovers (.dpkg-old, .dpkg-tmp, ...), dracut's generic rescue images. */
        return !strstr(name, ".dpkg-") && !strstr(name, "-rescue-");
}

static int list_images(const struct wb_ctx *ctx, struct names *ret, struct wb_diag *diag)
{
        char full[4096], rel[512];
        struct dirent *de;
        size_t scanned = 0;
        DIR *d;
        int r = 0;

        ret->n = 0;
        if (wb_root_path(ctx, WB_BOOT, full, sizeof(full)) < 0)
                return wb_diag_set(diag, ENAMETOOLONG, WB_BOOT, "path too long");
        d = opendir(full);
        if (!d)
                return wb_diag_set(diag, errno, WB_BOOT, "cannot list: %s", strerror(errno));
        while ((de = readdir(d))) {
                if (++scanned > WB_BOOT_DIR_MAX_SCAN) {
                        r = wb_diag_set(diag, E2BIG, WB_BOOT, "more than %d files", WB_BOOT_DIR_MAX_SCAN);
                        break;
                }
                if (!is_image_name(de->d_name) || strlen(de->d_name) > 255)
                        continue;
                snprintf(rel, sizeof(rel), "%s/%s", WB_BOOT, de->d_name);
                if (!is_file(ctx, rel))
                        continue;
                if (ret->n >= WB_CHOOSE_MAX_ENTRIES) {
                        r = wb_diag_set(diag, E2BIG, WB_BOOT, "more than %d kernel images",
                                        WB_CHOOSE_MAX_ENTRIES);
                        break;
                }
                ret->name[ret->n] = strdup(de->d_name);
                if (!ret->name[ret->n]) {
                        r = wb_diag_set(diag, ENOMEM, WB_BOOT, "out of memory");
                        break;
                }
                ret->n++;
        }
        closedir(d);
        if (r < 0)
                names_free(ret);
        return r;
}

/*
 * The initrd that goes with image DIR/vmlinuz-SUFFIX: Debian's
 * initrd.img-SUFFIX, Fedora's and Arch's initramfs-SUFFIX.img, SUSE's
 * initrd-SUFFIX. *ret is NULL when there is none.
 */
static int initrd_for(const struct wb_ctx *ctx, const char *dir, const char *suffix, char **ret)
{
        static const char *const patterns[][2] = {
                { "initrd.img-", "" }, { "initramfs-", ".img" }, { "initrd-", ".img" },
                { "initrd-", "" }, { "initramfs-", "" },
        };
        char *path;

        *ret = NULL;
        for (size_t i = 0; i < WB_ARRAY_SIZE(patterns); i++) {
                if (asprintf(&path, "%s/%s%s%s", dir, patterns[i][0], suffix, patterns[i][1]) < 0)
                        return -ENOMEM;
                if (is_file(ctx, path)) {
                        *ret = path;
                        return 0;
                }
                free(path);
        }
        return 0;
}

/* What a policy found, before the command line. */
struct found {
        char *kernel;
        char *initrd;           /* the kernel's own, NULL: none found */
        char *source;
        char *version;
        char *options;          /* an entry's own arguments; NULL: none (reuse) */
        bool from_entry;
};

static void found_clear(struct found *f)
{
        free(f->kernel);
        free(f->initrd);
        free(f->source);
        free(f->version);
        free(f->options);
        memset(f, 0, sizeof(*f));
}

/* Fills f from /boot/vmlinuz-SUFFIX with its initrd. */
static int found_image(const struct wb_ctx *ctx, const char *suffix, const char *version,
                       struct found *f, const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static int found_image(const struct wb_ctx *ctx, const char *suffix, const char *version,
                       struct found *f, const char *fmt, ...)
{
        va_list ap;
        int r;

        if (asprintf(&f->kernel, WB_BOOT "/vmlinuz-%s", suffix) < 0) {
                f->kernel = NULL;
                return -ENOMEM;
        }
        r = initrd_for(ctx, WB_BOOT, suffix, &f->initrd);
        if (r < 0)
                return r;
        va_start(ap, fmt);
        r = vasprintf(&f->source, fmt, ap);
        va_end(ap);
        if (r < 0) {
                f->source = NULL;
                return -ENOMEM;
        }
        if (version && !(f->version = strdup(version)))
                return -ENOMEM;
        return 0;
}

/* Arch's package suffix of a release: "lts" of 6.1.63-1-lts, "zen" of 6.6.1-zen1-1-zen; NULL for linux. */
static const char *arch_flavour(const char *release)
{
        const char *dash = strrchr(release, '-');

        if (!dash || !dash[1])
                return NULL;
        for (const char *p = dash + 1; *p; p++)
                if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
                        return NULL;
        return dash + 1;
}

static int choose_current(const struct wb_ctx *ctx, const char *release, struct found *f,
                          struct wb_diag *diag)
{
        struct names images = { 0 };
        char *rec_version = NULL, *rec_image = NULL;
        char path[512];
        const char *flavour;
        int r;

        /* The kernel installed since boot (warmboot kernel-installed) comes first. */
        r = wb_state_next_kernel(ctx, &rec_version, &rec_image, NULL);
        if (r == 0) {
                snprintf(path, sizeof(path), WB_BOOT "/vmlinuz-%s", rec_version);
                if (rec_image && is_file(ctx, rec_image)) {
                        char *base = strrchr(rec_image, '/');

                        f->kernel = rec_image;
                        rec_image = NULL;
                        r = initrd_for(ctx, WB_BOOT, rec_version, &f->initrd);
                        /* Arch's hook names vmlinuz-linux: its initrd goes by that name. */
                        if (r == 0 && !f->initrd && base && strncmp(base + 1, "vmlinuz-", 8) == 0)
                                r = initrd_for(ctx, WB_BOOT, base + 9, &f->initrd);
                        if (r == 0 && (asprintf(&f->source, "kernel %s, installed since boot", rec_version) < 0 ||
                                       !(f->version = strdup(rec_version))))
                                r = -ENOMEM;
                        goto out;
                }
                if (is_file(ctx, path)) {
                        r = found_image(ctx, rec_version, rec_version, f, "kernel %s, installed since boot",
                                        rec_version);
                        goto out;
                }
                wb_debug(ctx, "kernel %s was installed since boot but its image is gone: the running kernel's",
                         rec_version);
        }
        if (!release || !*release) {
                r = wb_diag_set(diag, EINVAL, NULL, "the running kernel's release is unknown");
                goto out;
        }
        /* Debian, Ubuntu, Fedora, RHEL, SUSE: vmlinuz-RELEASE. */
        snprintf(path, sizeof(path), WB_BOOT "/vmlinuz-%s", release);
        if (is_file(ctx, path)) {
                r = found_image(ctx, release, release, f, "running kernel %s", release);
                goto out;
        }
        /* Other names (Arch's vmlinuz-linux, ...): the image whose header carries the release. */
        r = list_images(ctx, &images, diag);
        if (r < 0 && r != -ENOENT)
                goto out;
        for (size_t i = 0; i < images.n; i++) {
                char *rel = NULL;

                snprintf(path, sizeof(path), WB_BOOT "/%s", images.name[i]);
                if (wb_image_release(ctx, path, &rel) < 0)
                        continue;
                if (strcmp(rel, release) == 0) {
                        free(rel);
                        r = found_image(ctx, images.name[i] + 8, release, f, "running kernel %s", release);
                        goto out;
                }
                free(rel);
        }
        /* Arch by its package names, when the header says nothing: linux, linux-lts, linux-zen, ... */
        flavour = arch_flavour(release);
        if (flavour) {
                snprintf(path, sizeof(path), WB_BOOT "/vmlinuz-linux-%s", flavour);
                if (is_file(ctx, path)) {
                        snprintf(path, sizeof(path), "linux-%s", flavour);
                        r = found_image(ctx, path, release, f, "running kernel %s (package linux-%s)",
                                        release, flavour);
                        goto out;
                }
        }
        if (is_file(ctx, WB_BOOT "/vmlinuz-linux")) {
                r = found_image(ctx, "linux", release, f, "running kernel %s (package linux)", release);
                goto out;
        }
        /* Last resort: the symlinks to the newest installed kernel, which may not be the running one. */
        {
                static const char *const links[][2] = {
                        { WB_BOOT "/vmlinuz", WB_BOOT "/initrd.img" },
                        { "/vmlinuz", "/initrd.img" },
                };

                for (size_t i = 0; i < WB_ARRAY_SIZE(links); i++) {
                        if (!is_file(ctx, links[i][0]))
                                continue;
                        f->kernel = strdup(links[i][0]);
                        f->initrd = is_file(ctx, links[i][1]) ? strdup(links[i][1]) : NULL;
                        r = asprintf(&f->source, "%s (no image named for the running kernel %s)",
                                     links[i][0], release);
                        if (r < 0)
                                f->source = NULL;
                        r = f->kernel && f->source && (f->initrd || !is_file(ctx, links[i][1])) ? 0 : -ENOMEM;
                        goto out;
                }
        }
        /* The message names the release's image, the first place looked. */
        snprintf(path, sizeof(path), WB_BOOT "/vmlinuz-%s", release);
        r = wb_diag_set(diag, ENOENT, path, "no image for the running kernel %s in /boot "
                        "(looked for this name, an image whose header says %s, Arch's vmlinuz-linux*, "
                        "and /boot/vmlinuz, /vmlinuz)", release, release);
out:
        if (r == -ENOMEM)
                r = wb_diag_set(diag, ENOMEM, NULL, "out of memory");
        names_free(&images);
        free(rec_version);
        free(rec_image);
        return r;
}

/* The version an image name stands for: its suffix, or for Arch's vmlinuz-linux the header's. */
static char *image_version(const struct wb_ctx *ctx, const char *name)
{
        const char *suffix = name + 8;
        char path[512], *rel = NULL;

        if (suffix[0] >= '0' && suffix[0] <= '9')
                return strdup(suffix);
        snprintf(path, sizeof(path), WB_BOOT "/%s", name);
        if (wb_image_release(ctx, path, &rel) == 0)
                return rel;
        return strdup(suffix);
}

static int choose_newest(const struct wb_ctx *ctx, struct found *f, struct wb_diag *diag)
{
        struct names images;
        char *versions[WB_CHOOSE_MAX_ENTRIES];
        size_t best = 0;
        int r;

        r = list_images(ctx, &images, diag);
        if (r < 0)
                return r;
        if (images.n == 0)
                return wb_diag_set(diag, ENOENT, WB_BOOT, "no kernel image (vmlinuz-*)");
        for (size_t i = 0; i < images.n; i++) {
                versions[i] = image_version(ctx, images.name[i]);
                if (!versions[i]) {
                        for (size_t j = 0; j < i; j++)
                                free(versions[j]);
                        names_free(&images);
                        return wb_diag_set(diag, ENOMEM, NULL, "out of memory");
                }
                wb_debug(ctx, "installed: %s (version %s)", images.name[i], versions[i]);
                /* Ties (the same version twice) go to the name that sorts first, for a stable answer. */
                if (i > 0) {
                        int c = wb_version_compare(versions[i], versions[best]);

                        if (c > 0 || (c == 0 && strcmp(images.name[i], images.name[best]) < 0))
                                best = i;
                }
        }
        r = found_image(ctx, images.name[best] + 8, versions[best], f, "newest installed kernel %s",
                        versions[best]);
        if (r < 0)
                r = wb_diag_set(diag, ENOMEM, NULL, "out of memory");
        for (size_t i = 0; i < images.n; i++)
                free(versions[i]);
        names_free(&images);
        return r;
}

/*
 * A path written in a boot entry, on the system: grub's are relative to
 * its root device and BLS ones to $BOOT. The first of these that exists:
 * boot_dir + path; path itself (/boot on the root filesystem); /boot +
 * path (a separate /boot partition); the part from "/boot/" on (a btrfs
 * subvolume such as /@/boot/vmlinuz). When none does, the first, so that
 * the caller reports it missing.
 */
static int resolve_path(const struct wb_ctx *ctx, const char *boot_dir, const char *written, char **ret)
{
        const char *p = written, *sub;
        char *cand[4] = { NULL };
        size_t n = 0;
        int r = 0;

        /* "(hd0,gpt2)/vmlinuz" and "($root)/vmlinuz": the device is the one grub booted from. */
        if (p[0] == '(') {
                const char *close = strchr(p, ')');

                if (close)
                        p = close + 1;
        }
        if (p[0] != '/') {
                if (asprintf(&cand[n++], "%s/%s", boot_dir && *boot_dir ? boot_dir : WB_BOOT, p) < 0)
                        return -ENOMEM;
        } else {
                if (boot_dir && *boot_dir && asprintf(&cand[n++], "%s%s", boot_dir, p) < 0)
                        return -ENOMEM;
                if (!(cand[n++] = strdup(p)))
                        goto nomem;
                if (strncmp(p, WB_BOOT "/", 6) != 0 && asprintf(&cand[n++], WB_BOOT "%s", p) < 0)
                        goto nomem;
                sub = strstr(p, WB_BOOT "/");
                if (sub && sub != p && !(cand[n++] = strdup(sub)))
                        goto nomem;
        }
        *ret = NULL;
        for (size_t i = 0; i < n && !*ret; i++) {
                if (is_file(ctx, cand[i])) {
                        *ret = cand[i];
                        cand[i] = NULL;
                }
        }
        if (!*ret) {
                *ret = cand[0];
                cand[0] = NULL;
        }
        goto out;
nomem:
        r = -ENOMEM;
out:
        for (size_t i = 0; i < WB_ARRAY_SIZE(cand); i++)
                free(cand[i]);
        return r;
}

static int found_entry(const struct wb_ctx *ctx, struct wb_boot_entry *e, const char *what,
                       struct found *f)
{
        int r;

        r = resolve_path(ctx, e->boot_dir, e->image, &f->kernel);
        if (r == 0 && e->initrd)
                r = resolve_path(ctx, e->boot_dir, e->initrd, &f->initrd);
        if (r < 0)
                return r;
        if (asprintf(&f->source, "%s '%s'", what, e->title ? e->title : e->id) < 0) {
                f->source = NULL;
                return -ENOMEM;
        }
        f->version = e->version;
        e->version = NULL;
        /* An entry without arguments boots with none: it is the entry's line, not a cue to reuse. */
        f->options = e->options ? e->options : strdup("");
        e->options = NULL;
        f->from_entry = true;
        return f->options ? 0 : -ENOMEM;
}

static int choose_grub(const struct wb_ctx *ctx, struct found *f, struct wb_diag *diag)
{
        struct wb_boot_entry e = { 0 };
        int r;

        r = wb_grub_default(ctx, &e, diag);
        if (r < 0)
                return r;
        r = found_entry(ctx, &e, "grub entry", f);
        wb_boot_entry_clear(&e);
        return r < 0 ? wb_diag_set(diag, r, NULL, "out of memory") : 0;
}

/* The grubenv of Fedora and RHEL, whose BLS entries say "options $kernelopts". */
static int expand_bls_options(const struct wb_ctx *ctx, struct wb_boot_entry *e, struct wb_diag *diag)
{
        static const char *const envs[] = { "/boot/grub2/grubenv", "/boot/grub/grubenv" };
        struct wb_vars vars = { 0 };
        char *expanded;
        int r = 0;

        if (!e->options || !strchr(e->options, '$'))
                return 0;
        for (size_t i = 0; i < WB_ARRAY_SIZE(envs) && r == 0; i++)
                r = wb_grubenv_read(ctx, envs[i], &vars, diag);
        if (r == 0) {
                r = wb_vars_expand(&vars, e->options, &expanded);
                if (r < 0)
                        r = wb_diag_set(diag, r, e->file, "%s", r == -EINVAL ? "options: unterminated ${" :
                                        "options too long once expanded");
        }
        wb_vars_clear(&vars);
        if (r < 0)
                return r;
        /* NOLINTNEXTLINE(clang-analyzer-core.CallAndMessage): r is 0 here, so wb_vars_expand() set it */
        wb_debug(ctx, "%s: options \"%s\" expanded to \"%s\"", e->file, e->options, expanded);
        free(e->options);
        e->options = expanded;
        return 0;
}

static int choose_bls(const struct wb_ctx *ctx, struct found *f, struct wb_diag *diag)
{
        struct wb_bls_list list;
        struct wb_boot_entry *e;
        int r, at;

        r = wb_bls_load(ctx, &list, diag);
        if (r < 0)
                return r;
        at = wb_bls_default(ctx, &list);
        if (at < 0) {
                r = wb_diag_set(diag, ENOENT, "/boot/loader/entries",
                                "no Boot Loader Spec entry (*.conf) here, in /efi/loader/entries or /boot/efi/loader/entries");
                goto out;
        }
        e = &list.entries[at];
        if (!e->image) {
                r = wb_diag_set(diag, EINVAL, e->file, "the default entry has no \"linux\" line (an EFI program is not a kernel warmboot can load)");
                goto out;
        }
        r = expand_bls_options(ctx, e, diag);
        if (r < 0)
                goto out;
        r = found_entry(ctx, e, "boot entry", f);
        if (r < 0)
                r = wb_diag_set(diag, r, NULL, "out of memory");
out:
        wb_bls_list_free(&list);
        return r;
}

static int choose_path(const struct wb_ctx *ctx, const char *path, struct found *f, struct wb_diag *diag)
{
        const char *base;

        if (!path || !*path)
                return wb_diag_set(diag, EINVAL, NULL, "no kernel image given");
        base = strrchr(path, '/');
        f->kernel = strdup(path);
        f->source = strdup("the configured image");
        if (!f->kernel || !f->source)
                return wb_diag_set(diag, ENOMEM, NULL, "out of memory");
        /* The initrd of DIR/vmlinuz-V is DIR's initrd of V, when it names one. */
        base = base ? base + 1 : path;
        if (strncmp(base, "vmlinuz-", 8) == 0 && base[8]) {
                char dir[512];
                size_t n = (size_t)(base - path);

                if (n == 0 || n >= sizeof(dir))
                        return 0;
                memcpy(dir, path, n - 1);
                dir[n - 1] = '\0';
                if (initrd_for(ctx, n == 1 ? "" : dir, base + 8, &f->initrd) < 0)
                        return wb_diag_set(diag, ENOMEM, NULL, "out of memory");
        } else if (strcmp(path, "/vmlinuz") == 0 || strcmp(path, WB_BOOT "/vmlinuz") == 0) {
                char initrd[64];

                /* Debian's symlink pairs. */
                snprintf(initrd, sizeof(initrd), "%.*sinitrd.img", (int)(base - path), path);
                if (is_file(ctx, initrd) && !(f->initrd = strdup(initrd)))
                        return wb_diag_set(diag, ENOMEM, NULL, "out of memory");
        }
        return 0;
}

int wb_choose(const struct wb_ctx *ctx, const struct wb_choose_request *req,
              struct wb_choice **ret_choice, struct wb_diag *diag)
{
        struct wb_choice *choice = NULL;
        struct found f = { 0 };
        char *reused = NULL;
        const char *base;
        int r;

        switch (req->kernel) {
        case WB_KERNEL_CURRENT:
                r = choose_current(ctx, req->release, &f, diag);
                break;
        case WB_KERNEL_NEWEST:
                r = choose_newest(ctx, &f, diag);
                break;
        case WB_KERNEL_GRUB:
                r = choose_grub(ctx, &f, diag);
                break;
        case WB_KERNEL_BLS:
                r = choose_bls(ctx, &f, diag);
                break;
        case WB_KERNEL_PATH:
        default:
                r = choose_path(ctx, req->kernel_path, &f, diag);
                break;
        }
        if (r < 0)
                goto out;
        choice = calloc(1, sizeof(*choice));
        if (!choice)
                goto nomem;
        choice->kernel = f.kernel;
        choice->source = f.source;
        choice->version = f.version;
        f.kernel = f.source = f.version = NULL;
        switch (req->initrd) {
        case WB_INITRD_AUTO:
                choice->initrd = f.initrd;
                f.initrd = NULL;
                break;
        case WB_INITRD_NONE:
                break;
        case WB_INITRD_PATH:
                if (!(choice->initrd = strdup(req->initrd_path)))
                        goto nomem;
                break;
        }
        /* An explicit command line wins; then the entry's own; then the running kernel's. */
        if (req->cmdline) {
                base = req->cmdline;
        } else if (f.from_entry) {
                base = f.options;
        } else {
                r = wb_cmdline_reuse(ctx, false, &reused, diag);
                if (r < 0)
                        goto out;
                base = reused;
        }
        r = wb_cmdline_join(base, req->append && *req->append ? req->append : NULL, &choice->cmdline);
        if (r == -E2BIG) {
                r = wb_diag_set(diag, E2BIG, choice->kernel, "command line too long: more than %d bytes",
                                WB_CMDLINE_MAX);
                goto out;
        }
        if (r < 0)
                goto nomem;
        wb_debug(ctx, "chosen: %s: kernel %s, initrd %s, command line \"%s\"", choice->source,
                 choice->kernel, choice->initrd ? choice->initrd : "none", choice->cmdline);
        *ret_choice = choice;
        choice = NULL;
        r = 0;
        goto out;

nomem:
        r = wb_diag_set(diag, ENOMEM, NULL, "out of memory");
out:
        free(reused);
        found_clear(&f);
        wb_choice_free(choice);
        return r;
}

/* path under ctx->root when it is absolute; relative paths are the caller's own. */
static int rooted(const struct wb_ctx *ctx, const char *path, char *buf, size_t size)
{
        if (path[0] != '/') {
                if (snprintf(buf, size, "%s", path) >= (int)size)
                        return -ENAMETOOLONG;
                return 0;
        }
        return wb_root_path(ctx, path, buf, size);
}

int wb_choice_prepare(const struct wb_ctx *ctx, const struct wb_choice *choice,
                      enum wb_syscall syscall, struct wb_load **ret_load, struct wb_diag *diag)
{
        char kernel[4096], initrd[4096];
        const char *root = ctx && ctx->root ? ctx->root : "";
        size_t root_len = strlen(root);
        int r;

        if (rooted(ctx, choice->kernel, kernel, sizeof(kernel)) < 0)
                return wb_diag_set(diag, ENAMETOOLONG, choice->kernel, "path too long");
        if (choice->initrd && rooted(ctx, choice->initrd, initrd, sizeof(initrd)) < 0)
                return wb_diag_set(diag, ENAMETOOLONG, choice->initrd, "path too long");
        r = wb_load_prepare(ctx, &(struct wb_load_request) {
                                .kernel_path = kernel,
                                .initrd_path = choice->initrd ? initrd : NULL,
                                .cmdline = choice->cmdline,
                                .syscall = syscall,
                        }, ret_load, diag);
        /* Messages name the files as the system sees them, not as the fixture root holds them. */
        if (r < 0 && diag && root_len && strncmp(diag->path, root, root_len) == 0 &&
            diag->path[root_len] == '/')
                memmove(diag->path, diag->path + root_len, strlen(diag->path + root_len) + 1);
        return r;
}
