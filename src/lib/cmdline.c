// SPDX-License-Identifier: MIT
/* Editing kernel command lines: --reuse-cmdline, --command-line, --append. */

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <warmboot/cmdline.h>
#include <warmboot/ctx.h>
#include <warmboot/error.h>

#include "util.h"

static bool is_blank(char c)
{
        /* The kernel's next_arg() splits on isspace(). */
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* Length of the word at p: up to the first blank outside double quotes. */
static size_t word_len(const char *p)
{
        bool quoted = false;
        size_t n = 0;

        for (; p[n] && (quoted || !is_blank(p[n])); n++)
                if (p[n] == '"')
                        quoted = !quoted;
        return n;
}

/* True when the word's name, the part before any '=', is name. */
static bool word_is(const char *word, size_t len, const char *name)
{
        size_t n = strlen(name);

        /* The kernel's next_arg() drops a quote that opens a word: "name=a b" is name. */
        if (len && word[0] == '"') {
                word++;
                len--;
        }
        return len >= n && strncmp(word, name, n) == 0 && (len == n || word[n] == '=');
}

void wb_cmdline_remove(char *line, const char *name)
{
        const char *in = line;
        char *out = line;

        for (;;) {
                size_t n;

                while (is_blank(*in))
                        in++;
                if (!*in)
                        break;
                n = word_len(in);
                if (!word_is(in, n, name)) {
                        if (out != line)
                                *out++ = ' ';
                        memmove(out, in, n);
                        out += n;
                }
                in += n;
        }
        *out = '\0';
}

int wb_cmdline_reuse(const struct wb_ctx *ctx, bool crash, char **ret, struct wb_diag *diag)
{
        char *line;
        int r;

        r = wb_read_text(ctx, "/proc/cmdline", WB_CMDLINE_MAX, &line, NULL);
        if (r < 0)
                return wb_diag_set(diag, r, "/proc/cmdline", "cannot read the running kernel's command line: %s",
                                   strerror(-r));
        /* BOOT_IMAGE= names the image the boot loader started, not the new one. */
        wb_cmdline_remove(line, "BOOT_IMAGE");
        /* A capture kernel reserving the same memory again could not boot. */
        if (crash)
                wb_cmdline_remove(line, "crashkernel");
        wb_debug(ctx, "reused command line: \"%s\"", line);
        *ret = line;
        return 0;
}

int wb_cmdline_join(const char *base, const char *append, char **ret)
{
        size_t lb = base ? strlen(base) : 0;
        size_t la = append ? strlen(append) : 0;
        size_t len = lb + la + (lb && la ? 1 : 0);
        char *s;

        if (len > WB_CMDLINE_MAX)
                return -E2BIG;
        s = malloc(len + 1);
        if (!s)
                return -ENOMEM;
        if (lb)
                memcpy(s, base, lb);
        if (lb && la)
                s[lb] = ' ';
        if (la)
                memcpy(s + len - la, append, la);
        s[len] = '\0';
        *ret = s;
        return 0;
}
