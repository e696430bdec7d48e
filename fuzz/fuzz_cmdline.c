// SPDX-License-Identifier: MIT
/*
 * Command-line editing: wb_cmdline_remove() (--reuse-cmdline drops
 * BOOT_IMAGE= and crashkernel=) and wb_cmdline_join() (--command-line,
 * --append). Input: NAME '\0' LINE '\0' APPEND, each part optional.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <warmboot/cmdline.h>

#include "fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
        (void)argc, (void)argv;
        return 0;
}

static bool blank(char c)
{
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* The next part of the input, up to a NUL or its end; malloc'd and NUL-terminated. */
static char *next_part(struct fuzz_input *in)
{
        const uint8_t *nul = memchr(in->p, '\0', in->n);
        size_t len = nul ? (size_t)(nul - in->p) : in->n;
        char *s = malloc(len + 1);

        if (!s)
                abort();
        memcpy(s, in->p, len);
        s[len] = '\0';
        in->p += len + (nul ? 1 : 0);
        in->n -= len + (nul ? 1 : 0);
        return s;
}

static void check_remove(const char *name, const char *line)
{
        size_t len = strlen(line);
        char *once = strdup(line), *twice;

        if (!once)
                abort();
        wb_cmdline_remove(once, name);
        /* Only shorter, never starting with a blank, and a second pass changes nothing. */
        FUZZ_CHECK(strlen(once) <= len);
        FUZZ_CHECK(!blank(once[0]));
        twice = strdup(once);
        if (!twice)
                abort();
        wb_cmdline_remove(twice, name);
        FUZZ_CHECK(strcmp(once, twice) == 0);
        /* Removing a name no word has changes nothing in a squeezed line. */
        if (!strstr(once, "\x01never")) {
                wb_cmdline_remove(twice, "\x01never");
                FUZZ_CHECK(strcmp(once, twice) == 0);
        }
        free(twice);
        free(once);
}

static void check_join(const char *base, const char *append)
{
        const char *b = base ? base : "", *a = append ? append : "";
        size_t lb = strlen(b), la = strlen(a);
        char *joined = NULL;
        int r;

        r = wb_cmdline_join(base, append, &joined);
        if (lb + la + 1 > WB_CMDLINE_MAX) {
                FUZZ_CHECK(r == -E2BIG || (r == 0 && lb + la + (lb && la) <= WB_CMDLINE_MAX));
                if (r < 0)
                        return;
        }
        FUZZ_CHECK(r == 0);
        FUZZ_CHECK(strlen(joined) == lb + la + (lb && la ? 1 : 0));
        FUZZ_CHECK(strncmp(joined, b, lb) == 0);
        FUZZ_CHECK(strcmp(joined + strlen(joined) - la, a) == 0);
        free(joined);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct fuzz_input in = { data, size };
        char *name = next_part(&in), *line = next_part(&in), *append = next_part(&in);

        check_remove(name, line);
        check_remove("BOOT_IMAGE", line);
        check_remove("crashkernel", line);
        check_join(line, append);
        check_join(NULL, append);
        check_join(line, NULL);
        check_join(name[0] ? name : NULL, line[0] ? line : NULL);
        free(append);
        free(line);
        free(name);
        return 0;
}
