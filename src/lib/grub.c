// SPDX-License-Identifier: MIT
/*
 * grub's default entry, read the way grub itself would pick it: grubenv's
 * next_entry (grub-reboot) or saved_entry (grub-set-default), else grub.cfg's
 * "set default=", resolved against the menu of menuentry and submenu blocks
 * (and of the BLS entries a "blscfg" command adds, on Fedora and RHEL).
 * grub.cfg is a script; warmboot does not run it. It reads the words of
 * each command with grub's quoting rules and follows the blocks, without
 * evaluating conditions.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <warmboot/cmdline.h>
#include <warmboot/choose.h>
#include <warmboot/ctx.h>
#include <warmboot/error.h>

#include "choose_int.h"
#include "util.h"

/* Most words in one command; a kernel line of a thousand arguments is far past real ones. */
#define WB_GRUB_MAX_WORDS 1024
/* Deepest submenu nesting we follow; grub-mkconfig writes one level. */
#define WB_GRUB_MAX_DEPTH 8

/* Where grub.cfg is, Debian's folder then Fedora's and RHEL's. */
static const char *const grub_dirs[] = { "/boot/grub", "/boot/grub2" };

/* Variables that only drive grub.cfg's own default logic: never taken from its "set" lines. */
static const char *const control_vars[] = {
        "default", "next_entry", "saved_entry", "prev_saved_entry", "boot_once",
        "menuentry_id_option", "fallback", "timeout", "timeout_style",
};

void wb_vars_clear(struct wb_vars *v)
{
        for (size_t i = 0; i < v->n; i++) {
                free(v->name[i]);
                free(v->value[i]);
        }
        v->n = 0;
}

const char *wb_vars_get(const struct wb_vars *v, const char *name)
{
        for (size_t i = 0; i < v->n; i++)
                if (strcmp(v->name[i], name) == 0)
                        return v->value[i];
        return NULL;
}

int wb_vars_set(struct wb_vars *v, const char *name, const char *value)
{
        char *copy = strdup(value);
        size_t i;

        if (!copy)
                return -ENOMEM;
        for (i = 0; i < v->n; i++) {
                if (strcmp(v->name[i], name) == 0) {
                        free(v->value[i]);
                        v->value[i] = copy;
                        return 0;
                }
        }
        if (v->n >= WB_GRUB_MAX_VARS) {
                free(copy);
                return -E2BIG;
        }
        v->name[v->n] = strdup(name);
        if (!v->name[v->n]) {
                free(copy);
                return -ENOMEM;
        }
        v->value[v->n++] = copy;
        return 0;
}

int wb_grubenv_read(const struct wb_ctx *ctx, const char *path, struct wb_vars *vars,
                    struct wb_diag *diag)
{
        char *text, *line, *save = NULL;
        int r;

        r = wb_read_text(ctx, path, WB_GRUBENV_MAX, &text, NULL);
        if (r == -ENOENT)
                return 0;
        if (r < 0)
                return wb_diag_set(diag, r, path, "cannot read: %s", strerror(-r));
        /* "# GRUB Environment Block", then name=value lines, then '#' padding to 1 KiB. */
        for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                char *eq = strchr(line, '='), *in, *out;

                if (line[0] == '#' || !eq || eq == line)
                        continue;
                *eq = '\0';
                /* grub-editenv escapes '\\' and newlines with a backslash. */
                for (in = out = eq + 1; *in; in++) {
                        if (*in == '\\' && in[1])
                                in++;
                        *out++ = *in;
                }
                *out = '\0';
                r = wb_vars_set(vars, line, eq + 1);
                if (r < 0) {
                        free(text);
                        return wb_diag_set(diag, r, path, "too many variables");
                }
        }
        free(text);
        return 0;
}

/* A growing string bounded by WB_CMDLINE_MAX. */
struct buf {
        char *s;
        size_t len, cap;
};

static int buf_add(struct buf *b, const char *s, size_t n)
{
        if (b->len + n > WB_CMDLINE_MAX)
                return -E2BIG;
        if (b->len + n + 1 > b->cap) {
                size_t cap = (b->len + n + 1) * 2;
                char *ns = realloc(b->s, cap);

                if (!ns)
                        return -ENOMEM;
                b->s = ns;
                b->cap = cap;
        }
        memcpy(b->s + b->len, s, n);
        b->len += n;
        b->s[b->len] = '\0';
        return 0;
}

static bool is_var_char(char c)
{
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/*
 * Expands the variable reference at *p ('$' seen): $name or ${name}.
 * Advances *p past it. A '$' not followed by a name is kept.
 */
static int expand_var(const struct wb_vars *vars, const char **p, const char *end, struct buf *b)
{
        const char *s = *p + 1, *name, *value;
        char key[128];
        size_t n;

        if (s < end && *s == '{') {
                const char *close = memchr(s, '}', (size_t)(end - s));

                if (!close)
                        return -EINVAL;
                name = s + 1;
                n = (size_t)(close - name);
                *p = close + 1;
        } else {
                name = s;
                while (s < end && is_var_char(*s))
                        s++;
                n = (size_t)(s - name);
                if (n == 0) {
                        *p += 1;
                        return buf_add(b, "$", 1);
                }
                *p = s;
        }
        if (n >= sizeof(key))
                return 0;       /* no such variable: empty, as grub expands unset ones */
        memcpy(key, name, n);
        key[n] = '\0';
        value = wb_vars_get(vars, key);
        return value ? buf_add(b, value, strlen(value)) : 0;
}

int wb_vars_expand(const struct wb_vars *vars, const char *text, char **ret)
{
        struct buf b = { 0 };
        const char *p = text, *end = text + strlen(text);
        int r = buf_add(&b, "", 0);

        while (r == 0 && p < end) {
                if (*p == '$') {
                        r = expand_var(vars, &p, end, &b);
                } else {
                        r = buf_add(&b, p, 1);
                        p++;
                }
        }
        if (r < 0) {
                free(b.s);
                return r == -EINVAL ? -EINVAL : r;
        }
        *ret = b.s;
        return 0;
}

/* One word of a command: its expanded value and where it is in the file. */
struct word {
        char *value;
        const char *raw;
        size_t raw_len;
        bool brace;             /* an unquoted "{" or "}" */
};

/* One command: its words, and whether it ended with "{" (a block follows). */
struct command {
        size_t n;
        struct word w[WB_GRUB_MAX_WORDS];
        unsigned line;
};

struct lexer {
        const char *p, *end;
        unsigned line;
        const struct wb_vars *vars;
};

static void command_clear(struct command *c)
{
        for (size_t i = 0; i < c->n; i++)
                free(c->w[i].value);
        c->n = 0;
}

static bool is_space(char c)
{
        return c == ' ' || c == '\t' || c == '\r';
}

/* Reads one word at lx->p (not a blank, newline or ';'). */
static int read_word(struct lexer *lx, struct word *w)
{
        struct buf b = { 0 };
        const char *start = lx->p;
        bool quoted = false;
        int r = buf_add(&b, "", 0);

        while (r == 0 && lx->p < lx->end) {
                char c = *lx->p;

                if (is_space(c) || c == '\n' || c == ';')
                        break;
                if (c == '\'') {
                        const char *close = memchr(lx->p + 1, '\'', (size_t)(lx->end - lx->p - 1));

                        if (!close) {
                                r = -EINVAL;
                                break;
                        }
                        for (const char *q = lx->p; q < close; q++)
                                lx->line += *q == '\n';
                        r = buf_add(&b, lx->p + 1, (size_t)(close - lx->p - 1));
                        lx->p = close + 1;
                        quoted = true;
                } else if (c == '"') {
                        lx->p++;
                        quoted = true;
                        while (r == 0 && lx->p < lx->end && *lx->p != '"') {
                                if (*lx->p == '\\' && lx->p + 1 < lx->end && strchr("$\"\\\n", lx->p[1])) {
                                        if (lx->p[1] != '\n')
                                                r = buf_add(&b, lx->p + 1, 1);
                                        else
                                                lx->line++;
                                        lx->p += 2;
                                } else if (*lx->p == '$') {
                                        r = expand_var(lx->vars, &lx->p, lx->end, &b);
                                } else {
                                        lx->line += *lx->p == '\n';
                                        r = buf_add(&b, lx->p, 1);
                                        lx->p++;
                                }
                        }
                        if (r == 0 && lx->p >= lx->end)
                                r = -EINVAL;
                        lx->p++;
                } else if (c == '\\') {
                        if (lx->p + 1 < lx->end && lx->p[1] != '\n')
                                r = buf_add(&b, lx->p + 1, 1);
                        else
                                lx->line++;
                        lx->p += 2;
                } else if (c == '$') {
                        r = expand_var(lx->vars, &lx->p, lx->end, &b);
                } else {
                        r = buf_add(&b, &c, 1);
                        lx->p++;
                }
        }
        if (lx->p > lx->end)
                lx->p = lx->end;
        if (r < 0) {
                free(b.s);
                return r;
        }
        w->value = b.s;
        w->raw = start;
        w->raw_len = (size_t)(lx->p - start);
        w->brace = !quoted && (strcmp(b.s, "{") == 0 || strcmp(b.s, "}") == 0);
        return 0;
}

/*
 * Reads the next command: words up to a newline or ';', or up to and
 * including a "{" or "}" word, which ends it. Returns 1 with c filled, 0
 * at the end of the file, or a negative errno.
 */
static int next_command(struct lexer *lx, struct command *c)
{
        c->n = 0;
        for (;;) {
                while (lx->p < lx->end && is_space(*lx->p))
                        lx->p++;
                if (lx->p >= lx->end)
                        return c->n > 0;
                if (*lx->p == '#' ) {
                        while (lx->p < lx->end && *lx->p != '\n')
                                lx->p++;
                        continue;
                }
                if (*lx->p == '\n' || *lx->p == ';') {
                        lx->line += *lx->p == '\n';
                        lx->p++;
                        if (c->n)
                                return 1;
                        continue;
                }
                if (c->n == 0)
                        c->line = lx->line;
                if (c->n >= WB_GRUB_MAX_WORDS)
                        return -E2BIG;
                if (read_word(lx, &c->w[c->n]) < 0)
                        return -EINVAL;
                c->n++;
                if (c->w[c->n - 1].brace)
                        return 1;
        }
}

static bool last_is(const struct command *c, const char *brace)
{
        return c->n && c->w[c->n - 1].brace && strcmp(c->w[c->n - 1].value, brace) == 0;
}

/* One item of the menu: an entry or a submenu, with its place in its parent. */
struct item {
        int parent;             /* -1: top level */
        unsigned nth;           /* index among its parent's children */
        bool submenu;
        unsigned children;
        struct wb_boot_entry entry;
};

struct menu {
        size_t n;
        struct item items[WB_CHOOSE_MAX_ENTRIES];
        /* "set default=" values outside next_entry's branch; the last one wins. */
        char *set_default;
        bool blscfg_done;
};

struct parser {
        struct lexer lx;
        struct menu *menu;
        struct wb_vars *vars;
        const char *path;
        struct wb_diag *diag;
        const struct wb_bls_list *bls;
};

static int fail(struct parser *ps, int err, unsigned line, const char *what)
{
        return wb_diag_set(ps->diag, err, ps->path, "line %u: %s", line, what);
}

static int add_item(struct parser *ps, int parent, bool submenu, unsigned line, struct item **ret)
{
        struct menu *m = ps->menu;
        struct item *it;

        if (m->n >= WB_CHOOSE_MAX_ENTRIES)
                return fail(ps, E2BIG, line, "more than 256 menu entries");
        it = &m->items[m->n++];
        memset(it, 0, sizeof(*it));
        it->parent = parent;
        it->submenu = submenu;
        it->nth = parent < 0 ? 0 : m->items[parent].children++;
        if (parent < 0) {
                for (size_t i = 0; i + 1 < m->n; i++)
                        it->nth += m->items[i].parent < 0;
        }
        *ret = it;
        return 0;
}

/* menuentry/submenu arguments: the title, --id (or $menuentry_id_option) and options with a value. */
static int entry_head(struct parser *ps, const struct command *c, struct item *it)
{
        for (size_t i = 1; i + 1 < c->n; i++) {
                const char *w = c->w[i].value;

                if (strcmp(w, "--id") == 0 && i + 2 < c->n) {
                        free(it->entry.id);
                        it->entry.id = strdup(c->w[++i].value);
                        if (!it->entry.id)
                                return -ENOMEM;
                } else if ((strcmp(w, "--class") == 0 || strcmp(w, "--users") == 0 ||
                            strcmp(w, "--hotkey") == 0 || strcmp(w, "--source") == 0) && i + 2 < c->n) {
                        i++;
                } else if (strncmp(w, "--", 2) == 0 || w[0] == '\0') {
                        continue;       /* --unrestricted, or $menuentry_id_option unset */
                } else if (!it->entry.title) {
                        it->entry.title = strdup(w);
                        if (!it->entry.title)
                                return -ENOMEM;
                }
        }
        if (!it->entry.title)
                return fail(ps, EINVAL, c->line, "menuentry without a title");
        it->entry.file = strdup(ps->path);
        it->entry.boot_dir = strdup("");
        if (!it->entry.file || !it->entry.boot_dir)
                return -ENOMEM;
        return 0;
}

/* The words of c from i on, joined by one blank. */
static int join_words(const struct command *c, size_t from, char **ret)
{
        struct buf b = { 0 };
        int r = buf_add(&b, "", 0);

        for (size_t i = from; r == 0 && i < c->n; i++) {
                if (c->w[i].value[0] == '\0')
                        continue;       /* an unset variable such as $vt_handoff */
                if (b.len)
                        r = buf_add(&b, " ", 1);
                if (r == 0)
                        r = buf_add(&b, c->w[i].value, strlen(c->w[i].value));
        }
        if (r < 0) {
                free(b.s);
                return r;
        }
        *ret = b.s;
        return 0;
}

static bool is_cmd(const char *w, const char *const *names)
{
        for (; *names; names++)
                if (strcmp(w, *names) == 0)
                        return true;
        return false;
}

/* The body of a menuentry, up to its "}": its linux and initrd lines. */
static int entry_body(struct parser *ps, struct item *it, unsigned start)
{
        static const char *const linux_cmds[] = { "linux", "linuxefi", "linux16", NULL };
        static const char *const initrd_cmds[] = { "initrd", "initrdefi", "initrd16", NULL };
        struct wb_boot_entry *e = &it->entry;
        struct command *c = malloc(sizeof(*c));
        unsigned depth = 0;
        int r;

        if (!c)
                return -ENOMEM;
        for (;;) {
                r = next_command(&ps->lx, c);
                if (r < 0) {
                        r = fail(ps, r == -E2BIG ? E2BIG : EINVAL, ps->lx.line,
                                 r == -E2BIG ? "command too long" : "unterminated quote or ${");
                        break;
                }
                if (r == 0) {
                        r = fail(ps, EINVAL, start, "menuentry without its closing }");
                        break;
                }
                r = 0;
                /* Blocks inside an entry (rare: a function or a nested block) are followed, not read. */
                if (last_is(c, "{")) {
                        depth++;
                } else if (last_is(c, "}")) {
                        if (depth-- == 0) {
                                command_clear(c);
                                break;
                        }
                } else if (depth == 0 && is_cmd(c->w[0].value, linux_cmds) && c->n >= 2) {
                        free(e->image);
                        free(e->options);
                        e->options = NULL;
                        e->image = strdup(c->w[1].value);
                        r = e->image ? join_words(c, 2, &e->options) : -ENOMEM;
                } else if (depth == 0 && is_cmd(c->w[0].value, initrd_cmds)) {
                        free(e->initrd);
                        e->initrd = NULL;
                        for (size_t i = 1; r == 0 && i < c->n; i++) {
                                const char *w = c->w[i].value;

                                if (w[0] == '\0')
                                        continue;
                                /* One initrd: the first that is not microcode (see bls.c). */
                                if (!e->initrd || (wb_is_microcode(e->initrd) && !wb_is_microcode(w))) {
                                        free(e->initrd);
                                        e->initrd = strdup(w);
                                        r = e->initrd ? 0 : -ENOMEM;
                                }
                        }
                }
                command_clear(c);
                if (r < 0) {
                        if (r == -E2BIG)
                                r = fail(ps, E2BIG, c->line, "kernel arguments too long");
                        break;
                }
        }
        command_clear(c);
        free(c);
        return r;
}

/* The BLS entries a "blscfg" command puts into the menu at this point. */
static int add_bls(struct parser *ps, int parent, unsigned line)
{
        struct item *it;

        if (ps->menu->blscfg_done || !ps->bls)
                return 0;
        ps->menu->blscfg_done = true;
        for (size_t i = 0; i < ps->bls->n; i++) {
                const struct wb_boot_entry *src = &ps->bls->entries[i];
                struct wb_boot_entry *e;
                int r = add_item(ps, parent, false, line, &it);

                if (r < 0)
                        return r;
                e = &it->entry;
                e->id = strdup(src->id);
                e->title = strdup(src->title ? src->title : src->id);
                e->image = src->image ? strdup(src->image) : NULL;
                e->initrd = src->initrd ? strdup(src->initrd) : NULL;
                e->boot_dir = strdup(src->boot_dir);
                e->file = strdup(src->file);
                e->version = src->version ? strdup(src->version) : NULL;
                /* grub's blscfg expands $kernelopts and the like in options from grubenv. */
                if (src->options) {
                        r = wb_vars_expand(ps->vars, src->options, &e->options);
                        if (r < 0)
                                return fail(ps, r, line, r == -EINVAL ? "BLS entry options: unterminated ${" :
                                            "BLS entry options too long");
                }
                if (!e->id || !e->title || !e->boot_dir || !e->file ||
                    (src->image && !e->image) || (src->initrd && !e->initrd) ||
                    (src->version && !e->version))
                        return -ENOMEM;
        }
        return 0;
}

static bool is_control_var(const char *name)
{
        for (size_t i = 0; i < WB_ARRAY_SIZE(control_vars); i++)
                if (strcmp(name, control_vars[i]) == 0)
                        return true;
        return false;
}

/* "set name=value" (or name=value): default is kept apart, the others fill in unset variables. */
static int handle_set(struct parser *ps, const struct word *w)
{
        const char *eq = strchr(w->value, '=');
        char name[128];
        size_t n;

        if (!eq || eq == w->value)
                return 0;
        n = (size_t)(eq - w->value);
        if (n >= sizeof(name))
                return 0;
        memcpy(name, w->value, n);
        name[n] = '\0';
        if (strcmp(name, "default") == 0) {
                /* The branch that boots next_entry is grubenv's business, handled apart. */
                if (memmem(w->raw, w->raw_len, "next_entry", 10))
                        return 0;
                free(ps->menu->set_default);
                ps->menu->set_default = strdup(eq + 1);
                return ps->menu->set_default ? 0 : -ENOMEM;
        }
        /*
         * Conditions are not evaluated: a value grubenv already has wins, as
         * in RHEL's "if [ -z "${kernelopts}" ]; then set kernelopts=...".
         */
        if (is_control_var(name) || wb_vars_get(ps->vars, name))
                return 0;
        return wb_vars_set(ps->vars, name, eq + 1) == -ENOMEM ? -ENOMEM : 0;
}

/* A block: the file (parent -1, depth 0) or a submenu's body up to its "}". */
/* NOLINTNEXTLINE(misc-no-recursion): one level per nested submenu, at most WB_GRUB_MAX_DEPTH */
static int block(struct parser *ps, int parent, unsigned depth)
{
        struct command *c = malloc(sizeof(*c));
        unsigned skip = 0;
        int r;

        if (!c)
                return -ENOMEM;
        for (;;) {
                const char *cmd;

                r = next_command(&ps->lx, c);
                if (r < 0) {
                        r = fail(ps, r == -E2BIG ? E2BIG : EINVAL, ps->lx.line,
                                 r == -E2BIG ? "command too long" : "unterminated quote or ${");
                        break;
                }
                if (r == 0) {
                        r = depth ? fail(ps, EINVAL, ps->lx.line, "submenu without its closing }") : 0;
                        break;
                }
                r = 0;
                cmd = c->w[0].value;
                if (skip) {
                        /* Inside a function body or other block we do not read. */
                        if (last_is(c, "{"))
                                skip++;
                        else if (last_is(c, "}"))
                                skip--;
                } else if ((strcmp(cmd, "menuentry") == 0 || strcmp(cmd, "submenu") == 0) && last_is(c, "{")) {
                        bool sub = cmd[0] == 's';
                        unsigned line = c->line;
                        struct item *it;
                        int idx;

                        r = add_item(ps, parent, sub, line, &it);
                        if (r < 0)
                                break;
                        r = entry_head(ps, c, it);
                        idx = (int)(it - ps->menu->items);
                        command_clear(c);
                        if (r < 0)
                                break;
                        if (sub) {
                                if (depth + 1 > WB_GRUB_MAX_DEPTH) {
                                        r = fail(ps, E2BIG, line, "submenus nested too deep");
                                        break;
                                }
                                r = block(ps, idx, depth + 1);
                        } else {
                                r = entry_body(ps, &ps->menu->items[idx], line);
                        }
                        if (r < 0)
                                break;
                        continue;
                } else if (last_is(c, "}")) {
                        if (c->n == 1 && depth > 0) {
                                command_clear(c);
                                break;
                        }
                        r = fail(ps, EINVAL, c->line, "unbalanced }");
                } else if (last_is(c, "{")) {
                        skip = 1;       /* "function name {" and the like */
                } else if (strcmp(cmd, "set") == 0 && c->n >= 2) {
                        r = handle_set(ps, &c->w[1]);
                } else if (c->n == 1 && strchr(cmd, '=') && cmd[0] != '=') {
                        r = handle_set(ps, &c->w[0]);
                } else if (strcmp(cmd, "blscfg") == 0) {
                        r = add_bls(ps, parent, c->line);
                }
                command_clear(c);
                if (r < 0)
                        break;
        }
        command_clear(c);
        free(c);
        return r;
}

/* The child of parent at one level of a default path: by index, id or title. */
static int find_child(const struct menu *m, int parent, const char *part)
{
        char *end;
        unsigned long nth = strtoul(part, &end, 10);
        bool number = *part && *end == '\0';

        for (size_t i = 0; i < m->n; i++) {
                const struct item *it = &m->items[i];

                if (it->parent != parent)
                        continue;
                if (number ? it->nth == nth :
                    (it->entry.id && strcmp(it->entry.id, part) == 0) || strcmp(it->entry.title, part) == 0)
                        return (int)i;
        }
        return -1;
}

/* Resolves "1>2", "title>title" or "id" to an item; -1 when it names none. */
static int resolve(const struct menu *m, const char *spec)
{
        char *copy = strdup(spec), *part, *save = NULL;
        int at = -1;

        if (!copy)
                return -1;
        for (part = strtok_r(copy, ">", &save); part; part = strtok_r(NULL, ">", &save)) {
                at = find_child(m, at, part);
                if (at < 0)
                        break;
        }
        free(copy);
        return at;
}

static void menu_free(struct menu *m)
{
        for (size_t i = 0; i < m->n; i++)
                wb_boot_entry_clear(&m->items[i].entry);
        free(m->set_default);
        free(m);
}

int wb_grub_default(const struct wb_ctx *ctx, struct wb_boot_entry *ret, struct wb_diag *diag)
{
        struct wb_bls_list bls = { 0 };
        struct wb_vars vars = { 0 };
        struct menu *menu = NULL;
        char cfg[64], env[64];
        const char *next, *want;
        char *text = NULL;
        size_t len;
        int r, at;

        cfg[0] = '\0';
        for (size_t i = 0; i < WB_ARRAY_SIZE(grub_dirs); i++) {
                snprintf(cfg, sizeof(cfg), "%s/grub.cfg", grub_dirs[i]);
                snprintf(env, sizeof(env), "%s/grubenv", grub_dirs[i]);
                r = wb_read_text(ctx, cfg, WB_GRUB_CFG_MAX, &text, &len);
                if (r != -ENOENT)
                        break;
        }
        if (r == -ENOENT)
                return wb_diag_set(diag, ENOENT, "/boot/grub/grub.cfg",
                                   "missing (and no /boot/grub2/grub.cfg): is grub the boot loader?");
        if (r == -EFBIG)
                return wb_diag_set(diag, EFBIG, cfg, "larger than %llu bytes",
                                   (unsigned long long)WB_GRUB_CFG_MAX);
        if (r < 0)
                return wb_diag_set(diag, r, cfg, "cannot read: %s", strerror(-r));
        if (strlen(text) != len) {
                r = wb_diag_set(diag, EINVAL, cfg, "not a text file");
                goto out;
        }
        r = wb_grubenv_read(ctx, env, &vars, diag);
        if (r < 0)
                goto out;
        /* $menuentry_id_option is "--id" in every grub that knows ids (feature_menuentry_id). */
        r = wb_vars_set(&vars, "menuentry_id_option", "--id");
        if (r < 0)
                goto nomem;
        if (strstr(text, "blscfg")) {
                r = wb_bls_load(ctx, &bls, diag);
                if (r < 0)
                        goto out;
        }
        menu = calloc(1, sizeof(*menu));
        if (!menu)
                goto nomem;
        {
                struct parser ps = {
                        .lx = { .p = text, .end = text + len, .line = 1, .vars = &vars },
                        .menu = menu,
                        .vars = &vars,
                        .path = cfg,
                        .diag = diag,
                        .bls = &bls,
                };

                r = block(&ps, -1, 0);
                if (r == -ENOMEM)
                        goto nomem;
                if (r < 0)
                        goto out;
        }
        if (menu->n == 0) {
                r = wb_diag_set(diag, ENOENT, cfg, "no menu entries");
                goto out;
        }
        /* grub.cfg boots grubenv's next_entry once when set (grub-reboot), else "set default=". */
        next = wb_vars_get(&vars, "next_entry");
        want = next && *next ? next : menu->set_default && *menu->set_default ? menu->set_default : "0";
        at = resolve(menu, want);
        wb_debug(ctx, "%s: default \"%s\"%s", cfg, want, next && *next ? " (grubenv next_entry)" : "");
        if (at < 0) {
                /* grub boots the first entry when its default names none. */
                wb_debug(ctx, "%s: the default \"%s\" names no entry: grub boots the first", cfg, want);
                at = 0;
        }
        if (menu->items[at].submenu) {
                r = wb_diag_set(diag, EINVAL, cfg, "grub's default \"%s\" is the submenu '%s', not an entry",
                                want, menu->items[at].entry.title);
                goto out;
        }
        if (!menu->items[at].entry.image) {
                r = wb_diag_set(diag, EINVAL, cfg, "grub's default entry '%s' boots no Linux kernel (no linux line)",
                                menu->items[at].entry.title);
                goto out;
        }
        wb_debug(ctx, "grub default entry: '%s', linux %s, initrd %s", menu->items[at].entry.title,
                 menu->items[at].entry.image,
                 menu->items[at].entry.initrd ? menu->items[at].entry.initrd : "none");
        memset(ret, 0, sizeof(*ret));
        wb_boot_entry_move(ret, &menu->items[at].entry);
        r = 0;
        goto out;

nomem:
        r = wb_diag_set(diag, ENOMEM, cfg, "out of memory");
out:
        if (menu)
                menu_free(menu);
        wb_bls_list_free(&bls);
        wb_vars_clear(&vars);
        free(text);
        return r;
}
