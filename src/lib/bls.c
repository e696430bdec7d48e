// SPDX-License-Identifier: MIT
/*
 * Boot Loader Specification type #1 entries (uapi-group.org/specifications/
 * specs/boot_loader_specification): one "key value" file per kernel in
 * $BOOT/loader/entries, ordered and defaulted as systemd-boot does.
 */

#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <warmboot/choose.h>
#include <warmboot/ctx.h>
#include <warmboot/error.h>

#include "choose_int.h"
#include "util.h"

/* Where entries live and the partition ($BOOT) their paths are relative to. */
static const struct {
        const char *dir;
        const char *boot;
} entry_dirs[] = {
        { "/boot/loader/entries", "/boot" },    /* XBOOTLDR, or /boot on the root */
        { "/efi/loader/entries", "/efi" },      /* the ESP where systemd mounts it */
        { "/boot/efi/loader/entries", "/boot/efi" },
};

/* loader.conf lives on the ESP; /boot/loader for systems that keep it there. */
static const char *const loader_confs[] = {
        "/boot/loader/loader.conf", "/efi/loader/loader.conf", "/boot/efi/loader/loader.conf",
};

/* systemd-boot's vendor GUID for its variables (docs/BOOT_LOADER_INTERFACE.md). */
#define WB_LOADER_GUID "4a67b082-0a4c-41cf-b6c7-440b29bb8c4f"
/* efivarfs files start with the variable's 4-byte attributes. */
#define WB_EFIVAR_ATTR_SIZE 4
/* An entry id is a file name: NAME_MAX characters, as UTF-16 plus the NUL. */
#define WB_EFIVAR_MAX (WB_EFIVAR_ATTR_SIZE + 2 * 256 + 2)

void wb_boot_entry_clear(struct wb_boot_entry *e)
{
        free(e->id);
        free(e->title);
        free(e->version);
        free(e->machine_id);
        free(e->sort_key);
        free(e->image);
        free(e->initrd);
        free(e->options);
        free(e->boot_dir);
        free(e->file);
        memset(e, 0, sizeof(*e));
}

void wb_boot_entry_move(struct wb_boot_entry *dst, struct wb_boot_entry *src)
{
        wb_boot_entry_clear(dst);
        *dst = *src;
        memset(src, 0, sizeof(*src));
}

bool wb_is_microcode(const char *path)
{
        const char *base = strrchr(path, '/');

        base = base ? base + 1 : path;
        /* Arch's intel-ucode.img/amd-ucode.img, Gentoo's early_ucode.cpio, dracut's microcode.cpio. */
        return strstr(base, "-ucode.") || strstr(base, "_ucode.") || strncmp(base, "microcode", 9) == 0;
}

static char *trim(char *s)
{
        char *end;

        while (*s == ' ' || *s == '\t')
                s++;
        end = s + strlen(s);
        while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
                *--end = '\0';
        return s;
}

static int set_field(char **slot, const char *value)
{
        char *copy = strdup(value);

        if (!copy)
                return -ENOMEM;
        free(*slot);
        *slot = copy;
        return 0;
}

/* Adds words to a blank-separated list (BLS allows several "options" lines). */
static int add_words(char **slot, const char *value)
{
        char *s;

        if (!*slot)
                return set_field(slot, value);
        if (asprintf(&s, "%s %s", *slot, value) < 0)
                return -ENOMEM;
        free(*slot);
        *slot = s;
        return 0;
}

/* "name+3-1.conf" -> "name", tries left 3; the counter is not part of the id. */
static char *entry_id(const char *name, bool *ret_bad)
{
        size_t len = strlen(name);
        const char *plus;
        char *id;

        *ret_bad = false;
        if (len > 5 && strcmp(name + len - 5, ".conf") == 0)
                len -= 5;
        id = strndup(name, len);
        if (!id)
                return NULL;
        plus = strrchr(id, '+');
        if (plus && plus[1] >= '0' && plus[1] <= '9') {
                char *end;
                unsigned long left = strtoul(plus + 1, &end, 10);

                if (*end == '\0' || (*end == '-' && end[1] >= '0' && end[1] <= '9' &&
                                     strspn(end + 1, "0123456789") == strlen(end + 1))) {
                        *ret_bad = left == 0;
                        id[plus - id] = '\0';
                }
        }
        return id;
}

int wb_bls_parse(const char *text, const char *name, const char *file, const char *boot_dir,
                 struct wb_boot_entry *ret)
{
        struct wb_boot_entry e;
        char *copy, *line, *save = NULL;
        int r = 0;

        memset(&e, 0, sizeof(e));
        copy = strdup(text);
        e.id = entry_id(name, &e.bad);
        e.boot_dir = strdup(boot_dir);
        e.file = strdup(file);
        if (!copy || !e.id || !e.boot_dir || !e.file) {
                r = -ENOMEM;
                goto out;
        }
        for (line = strtok_r(copy, "\n", &save); line && r == 0; line = strtok_r(NULL, "\n", &save)) {
                char *key = trim(line), *value;

                if (*key == '\0' || *key == '#')
                        continue;
                value = key + strcspn(key, " \t");
                if (*value)
                        *value++ = '\0';
                value = trim(value);
                if (strcmp(key, "title") == 0)
                        r = set_field(&e.title, value);
                else if (strcmp(key, "version") == 0)
                        r = set_field(&e.version, value);
                else if (strcmp(key, "machine-id") == 0)
                        r = set_field(&e.machine_id, value);
                else if (strcmp(key, "sort-key") == 0)
                        r = set_field(&e.sort_key, value);
                else if (strcmp(key, "linux") == 0)
                        r = set_field(&e.image, value);
                else if (strcmp(key, "options") == 0)
                        r = add_words(&e.options, value);
                else if (strcmp(key, "initrd") == 0) {
                        /*
                         * warmboot hands the kernel one initrd: the first one
                         * that is not microcode, which the CPU keeps across
                         * kexec anyway (no reset happens).
                         */
                        for (char *w = value, *ws = NULL, *tok; (tok = strtok_r(w, " \t", &ws)); w = NULL) {
                                if (!e.initrd || (wb_is_microcode(e.initrd) && !wb_is_microcode(tok)))
                                        r = set_field(&e.initrd, tok);
                                if (r < 0)
                                        break;
                        }
                }
                /* efi, devicetree, architecture, ...: nothing warmboot can use. */
        }
out:
        free(copy);
        if (r < 0) {
                wb_boot_entry_clear(&e);
                return r;
        }
        *ret = e;
        return 0;
}

/* systemd-boot's boot_entry_compare(): sort-key first, then machine-id, then newest version first. */
static int compare(const void *pa, const void *pb)
{
        const struct wb_boot_entry *a = pa, *b = pb;

        /* Entries without tries left go last. */
        if (a->bad != b->bad)
                return a->bad ? 1 : -1;
        if (a->sort_key && b->sort_key) {
                int r = strcmp(a->sort_key, b->sort_key);

                if (r)
                        return r;
                r = strcmp(a->machine_id ? a->machine_id : "", b->machine_id ? b->machine_id : "");
                if (r)
                        return r;
                r = wb_version_compare(b->version ? b->version : "", a->version ? a->version : "");
                if (r)
                        return r;
        } else if (a->sort_key || b->sort_key) {
                return a->sort_key ? -1 : 1;
        }
        /* Then the file names, newest version first. */
        return wb_version_compare(b->id, a->id);
}

void wb_bls_list_free(struct wb_bls_list *list)
{
        if (!list)
                return;
        for (size_t i = 0; i < list->n; i++)
                wb_boot_entry_clear(&list->entries[i]);
        free(list->entries);
        list->entries = NULL;
        list->n = 0;
}

static bool known(const struct wb_bls_list *list, const char *id)
{
        for (size_t i = 0; i < list->n; i++)
                if (strcmp(list->entries[i].id, id) == 0)
                        return true;
        return false;
}

/* Reads the entries of one folder into list. */
static int load_dir(const struct wb_ctx *ctx, const char *dir, const char *boot,
                    struct wb_bls_list *list, struct wb_diag *diag)
{
        char full[4096], rel[4096];
        struct dirent *de;
        DIR *d;
        int r = 0;

        if (wb_root_path(ctx, dir, full, sizeof(full)) < 0)
                return 0;
        d = opendir(full);
        if (!d)
                return 0;
        while ((de = readdir(d))) {
                size_t len = strlen(de->d_name);
                struct wb_boot_entry e;
                char *text;

                if (de->d_name[0] == '.' || len <= 5 || strcmp(de->d_name + len - 5, ".conf") != 0)
                        continue;
                if (list->n >= WB_CHOOSE_MAX_ENTRIES) {
                        r = wb_diag_set(diag, E2BIG, dir, "more than %d boot entries", WB_CHOOSE_MAX_ENTRIES);
                        break;
                }
                if (snprintf(rel, sizeof(rel), "%s/%s", dir, de->d_name) >= (int)sizeof(rel))
                        continue;
                r = wb_read_text(ctx, rel, WB_BLS_ENTRY_MAX, &text, NULL);
                if (r < 0) {
                        /* A folder or a dangling link among the entries is skipped, as systemd-boot does. */
                        wb_debug(ctx, "%s: skipped: %s", rel, strerror(-r));
                        r = 0;
                        continue;
                }
                r = wb_bls_parse(text, de->d_name, rel, boot, &e);
                free(text);
                if (r < 0) {
                        r = wb_diag_set(diag, r, rel, "cannot parse: %s", strerror(-r));
                        break;
                }
                /* The same id in two places: the first folder wins. */
                if (known(list, e.id)) {
                        wb_boot_entry_clear(&e);
                        continue;
                }
                list->entries[list->n++] = e;
        }
        closedir(d);
        return r;
}

int wb_bls_load(const struct wb_ctx *ctx, struct wb_bls_list *ret, struct wb_diag *diag)
{
        struct wb_bls_list list = { 0 };

        list.entries = calloc(WB_CHOOSE_MAX_ENTRIES, sizeof(*list.entries));
        if (!list.entries)
                return wb_diag_set(diag, ENOMEM, NULL, "out of memory");
        for (size_t i = 0; i < WB_ARRAY_SIZE(entry_dirs); i++) {
                int r = load_dir(ctx, entry_dirs[i].dir, entry_dirs[i].boot, &list, diag);

                if (r < 0) {
                        wb_bls_list_free(&list);
                        return r;
                }
        }
        qsort(list.entries, list.n, sizeof(*list.entries), compare);
        for (size_t i = 0; i < list.n; i++)
                wb_debug(ctx, "BLS entry %zu: %s (%s)", i, list.entries[i].id,
                         list.entries[i].title ? list.entries[i].title : "no title");
        *ret = list;
        return 0;
}

/* An EFI variable of systemd-boot holding an entry id, as ASCII; "" when unset. */
static void loader_var(const struct wb_ctx *ctx, const char *name, char *buf, size_t size)
{
        char path[256];
        char *text;
        size_t len, o = 0;

        buf[0] = '\0';
        snprintf(path, sizeof(path), "/sys/firmware/efi/efivars/%s-%s", name, WB_LOADER_GUID);
        if (wb_read_text(ctx, path, WB_EFIVAR_MAX, &text, &len) < 0)
                return;
        /* UTF-16LE after the attributes; ids are ASCII file names. */
        for (size_t i = WB_EFIVAR_ATTR_SIZE; i + 1 < len && o + 1 < size; i += 2) {
                unsigned c = (unsigned char)text[i] | ((unsigned)(unsigned char)text[i + 1] << 8);

                if (c == 0)
                        break;
                buf[o++] = (char)(c < 0x80 ? c : '?');
        }
        buf[o] = '\0';
        free(text);
}

/* The first entry pattern matches, against the id with and without ".conf". */
static int find(const struct wb_bls_list *list, const char *pattern)
{
        char with_conf[512];

        for (size_t i = 0; i < list->n; i++) {
                snprintf(with_conf, sizeof(with_conf), "%s.conf", list->entries[i].id);
                if (fnmatch(pattern, list->entries[i].id, 0) == 0 || fnmatch(pattern, with_conf, 0) == 0)
                        return (int)i;
        }
        return -ENOENT;
}

/* loader.conf's "default" value, "" when none. */
static void loader_conf_default(const struct wb_ctx *ctx, char *buf, size_t size)
{
        buf[0] = '\0';
        for (size_t i = 0; i < WB_ARRAY_SIZE(loader_confs); i++) {
                char *text, *line, *save = NULL;

                if (wb_read_text(ctx, loader_confs[i], WB_BLS_ENTRY_MAX, &text, NULL) < 0)
                        continue;
                for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                        char *key = trim(line), *value;

                        value = key + strcspn(key, " \t");
                        if (*value)
                                *value++ = '\0';
                        if (strcmp(key, "default") == 0)
                                snprintf(buf, size, "%s", trim(value));
                }
                free(text);
                wb_debug(ctx, "%s: default \"%s\"", loader_confs[i], buf);
                return;
        }
}

int wb_bls_default(const struct wb_ctx *ctx, const struct wb_bls_list *list)
{
        static const char *const vars[] = { "LoaderEntryOneShot", "LoaderEntryDefault" };
        char want[512];
        int i;

        if (list->n == 0)
                return -ENOENT;
        for (size_t v = 0; v < WB_ARRAY_SIZE(vars); v++) {
                loader_var(ctx, vars[v], want, sizeof(want));
                if (want[0] && (i = find(list, want)) >= 0) {
                        wb_debug(ctx, "BLS default from the EFI variable %s: %s", vars[v], want);
                        return i;
                }
        }
        loader_conf_default(ctx, want, sizeof(want));
        /* "@saved" is the LoaderEntryDefault variable, looked at above. */
        if (want[0] && want[0] != '@') {
                i = find(list, want);
                if (i >= 0)
                        return i;
                wb_debug(ctx, "loader.conf's default \"%s\" matches no entry: taking the first", want);
        }
        return 0;
}
