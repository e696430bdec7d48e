// SPDX-License-Identifier: MIT
/*
 * grub: wb_grub_default() on a fixture /boot/grub holding a fuzzed
 * grub.cfg (menu entries, submenus, "set", $variables, blscfg), a fuzzed
 * grubenv, and one fuzzed BLS entry for grub.cfg's "blscfg"; then the
 * variable expansion alone, wb_vars_expand(), on a fuzzed text with the
 * grubenv's variables.
 *
 * Input, NUL-separated: grub.cfg, grubenv, BLS entry, text to expand.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <warmboot/cmdline.h>
#include <warmboot/ctx.h>
#include <warmboot/error.h>

#include "src/lib/choose_int.h"

#include "fuzz.h"

#define NPARTS 4

static const char *root;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
        (void)argc, (void)argv;
        root = fuzz_mkroot("grub");
        fuzz_mkdirs(root, "/boot/grub");
        fuzz_mkdirs(root, "/boot/loader/entries");
        return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        const struct wb_ctx ctx = { .root = root };
        char *part[NPARTS], *expanded = NULL;
        size_t len[NPARTS], at = 0;
        struct wb_boot_entry e;
        struct wb_vars vars = { 0 };
        struct wb_diag diag;
        int r;

        /* Parts may hold no NUL of their own: each ends at the next NUL or the input's end. */
        for (size_t i = 0; i < NPARTS; i++) {
                const uint8_t *p = data + (at < size ? at : size);
                size_t left = at < size ? size - at : 0;
                const uint8_t *nul = memchr(p, '\0', left);

                len[i] = nul ? (size_t)(nul - p) : left;
                part[i] = malloc(len[i] + 1);
                if (!part[i])
                        abort();
                memcpy(part[i], p, len[i]);
                part[i][len[i]] = '\0';
                at += len[i] + 1;
        }
        fuzz_put(root, "/boot/grub/grub.cfg", part[0], len[0]);
        fuzz_put(root, "/boot/grub/grubenv", part[1], len[1]);
        fuzz_put(root, "/boot/loader/entries/fuzz.conf", part[2], len[2]);

        memset(&e, 0, sizeof(e));
        r = wb_grub_default(&ctx, &e, &diag);
        if (r == 0) {
                FUZZ_CHECK(e.image != NULL);
                if (e.options)
                        FUZZ_CHECK(strlen(e.options) <= WB_CMDLINE_MAX);
                wb_boot_entry_clear(&e);
        } else {
                FUZZ_CHECK(r == -ENOENT || r == -EINVAL || r == -E2BIG || r == -EFBIG || r == -ENOMEM);
                FUZZ_CHECK(diag.reason[0] != '\0');
        }

        if (wb_grubenv_read(&ctx, "/boot/grub/grubenv", &vars, &diag) == 0 || vars.n) {
                r = wb_vars_expand(&vars, part[3], &expanded);
                /* -EINVAL: "${" without its "}". */
                FUZZ_CHECK(r == 0 || r == -EINVAL || r == -E2BIG || r == -ENOMEM);
                if (r == 0) {
                        FUZZ_CHECK(strlen(expanded) <= WB_CMDLINE_MAX);
                        /* Without a '$' there is nothing to expand. */
                        if (!strchr(part[3], '$'))
                                FUZZ_CHECK(strcmp(expanded, part[3]) == 0);
                        free(expanded);
                }
        }
        wb_vars_clear(&vars);
        for (size_t i = 0; i < NPARTS; i++)
                free(part[i]);
        return 0;
}
