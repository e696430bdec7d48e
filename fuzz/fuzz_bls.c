// SPDX-License-Identifier: MIT
/*
 * Boot Loader Spec entries: wb_bls_parse() on one entry, the version
 * comparison that orders them (wb_version_compare(), checked to be a
 * total order on three fuzzed versions), then the whole of wb_bls_load()
 * and wb_bls_default() on a fixture /boot holding the entry, two more
 * with the fuzzed versions, a fuzzed loader.conf and a fuzzed
 * LoaderEntryDefault EFI variable.
 *
 * Input, NUL-separated: entry file name, entry text, three versions,
 * loader.conf text, LoaderEntryDefault value.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <warmboot/choose.h>
#include <warmboot/ctx.h>
#include <warmboot/error.h>

#include "src/lib/choose_int.h"

#include "fuzz.h"

#define NPARTS 7
#define EFIVAR "/sys/firmware/efi/efivars/LoaderEntryDefault-4a67b082-0a4c-41cf-b6c7-440b29bb8c4f"

static const char *root;
static char written[3][300];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
        (void)argc, (void)argv;
        root = fuzz_mkroot("bls");
        fuzz_mkdirs(root, "/boot/loader/entries");
        fuzz_mkdirs(root, "/sys/firmware/efi/efivars");
        return 0;
}

static int sign(int v)
{
        return (v > 0) - (v < 0);
}

static void check_versions(const char *a, const char *b, const char *c)
{
        int ab = sign(wb_version_compare(a, b)), bc = sign(wb_version_compare(b, c));
        int ac = sign(wb_version_compare(a, c));

        FUZZ_CHECK(wb_version_compare(a, a) == 0);
        FUZZ_CHECK(ab == -sign(wb_version_compare(b, a)));
        FUZZ_CHECK(bc == -sign(wb_version_compare(c, b)));
        /* Transitive: a <= b <= c gives a <= c, and the same upwards. */
        if (ab <= 0 && bc <= 0)
                FUZZ_CHECK(ac <= 0);
        if (ab >= 0 && bc >= 0)
                FUZZ_CHECK(ac >= 0);
        if (ab == 0)
                FUZZ_CHECK(ac == bc);
}

/*
 * The entry's initrd is one of its "initrd" lines, and CPU microcode only
 * when every one of them is.
 */
static void check_initrd(const char *text, const char *initrd)
{
        char *copy = strdup(text), *line, *save = NULL;
        bool found = false, all_microcode = true;

        if (!copy)
                abort();
        for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                char *ws = NULL, *word;

                line += strspn(line, " \t");
                if (strncmp(line, "initrd", 6) != 0 || (line[6] != ' ' && line[6] != '\t'))
                        continue;
                /* Several paths may share a line; trailing blanks and '\r' are not part of the last. */
                for (char *end = line + strlen(line);
                     end > line && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'); )
                        *--end = '\0';
                for (word = strtok_r(line + 6, " \t", &ws); word; word = strtok_r(NULL, " \t", &ws)) {
                        found |= strcmp(word, initrd) == 0;
                        all_microcode &= wb_is_microcode(word);
                }
        }
        FUZZ_CHECK(found);
        FUZZ_CHECK(!wb_is_microcode(initrd) || all_microcode);
        free(copy);
}

/* A file name made of s: no '/', not empty, not too long, ending in ".conf". */
static void entry_path(char *buf, size_t size, const char *prefix, const char *s)
{
        char name[200];
        size_t n = 0;

        for (; n < 150 && s[n]; n++)
                name[n] = s[n] == '/' ? '_' : s[n];
        name[n] = '\0';
        snprintf(buf, size, "/boot/loader/entries/%s%s%s", prefix, name,
                 n > 5 && strcmp(name + n - 5, ".conf") == 0 ? "" : ".conf");
}

static void write_entries(char **part)
{
        char text[512];

        for (size_t i = 0; i < 3; i++)
                if (written[i][0]) {
                        snprintf(text, sizeof(text), "%s%s", root, written[i]);
                        unlink(text);
                }
        entry_path(written[0], sizeof(written[0]), "e-", part[0]);
        fuzz_put(root, written[0], part[1], strlen(part[1]));
        for (size_t i = 1; i < 3; i++) {
                entry_path(written[i], sizeof(written[i]), i == 1 ? "a-" : "b-", part[1 + i]);
                snprintf(text, sizeof(text), "title %zu\nversion %.300s\nlinux /vmlinuz-%zu\n", i, part[1 + i], i);
                fuzz_put(root, written[i], text, strlen(text));
        }
        fuzz_put(root, "/boot/loader/loader.conf", part[5], strlen(part[5]));
        if (part[6][0]) {
                /* efivarfs: 4 bytes of attributes, then the UTF-16LE value. */
                uint8_t var[4 + 2 * 128] = { 7, 0, 0, 0 };
                size_t n = 0;

                for (; n < 127 && part[6][n]; n++)
                        var[4 + 2 * n] = (uint8_t)part[6][n];
                fuzz_put(root, EFIVAR, var, 4 + 2 * (n + 1));
        } else {
                snprintf(text, sizeof(text), "%s%s", root, EFIVAR);
                unlink(text);
        }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        const struct wb_ctx ctx = { .root = root };
        char *copy = malloc(size + 1), *part[NPARTS];
        struct wb_boot_entry e;
        struct wb_bls_list list;
        struct wb_diag diag;
        size_t at = 0;
        int r;

        if (!copy)
                abort();
        memcpy(copy, data, size);
        copy[size] = '\0';
        for (size_t i = 0; i < NPARTS; i++) {
                part[i] = copy + (at <= size ? at : size);
                at += strlen(part[i]) + 1;
        }

        r = wb_bls_parse(part[1], part[0], "/boot/loader/entries/fuzz.conf", "/boot", &e);
        FUZZ_CHECK(r == 0 || r == -EINVAL || r == -ENOMEM);
        if (r == 0) {
                FUZZ_CHECK(e.id && e.file && e.boot_dir && strcmp(e.boot_dir, "/boot") == 0);
                /* The id is the file name without ".conf" and the boot counter. */
                FUZZ_CHECK(strncmp(part[0], e.id, strlen(e.id)) == 0);
                if (e.initrd)
                        check_initrd(part[1], e.initrd);
                wb_boot_entry_clear(&e);
        }

        check_versions(part[2], part[3], part[4]);

        write_entries(part);
        r = wb_bls_load(&ctx, &list, &diag);
        if (r == 0) {
                int d = wb_bls_default(&ctx, &list);

                FUZZ_CHECK(list.n <= 3);
                FUZZ_CHECK(list.n == 0 ? d == -ENOENT : (d >= 0 && (size_t)d < list.n));
                wb_bls_list_free(&list);
        } else {
                FUZZ_CHECK(diag.reason[0] != '\0');
        }
        free(copy);
        return 0;
}
