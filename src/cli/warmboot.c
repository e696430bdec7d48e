// SPDX-License-Identifier: MIT
/*
 * warmboot(8): the policy front end. It reads the settings, chooses the
 * kernel, and loads it or says why the next reboot will not be a kexec
 * one. Reboots go through the init system (systemctl reboot, reboot), so
 * that the system is shut down properly; never a bare kexec -e.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>

#include <warmboot/choose.h>
#include <warmboot/config.h>
#include <warmboot/ctx.h>
#include <warmboot/error.h>
#include <warmboot/load.h>
#include <warmboot/state.h>
#include <warmboot/sys.h>

#include "kexec.h"
#include "warmboot.h"
#include "warmboot_options.h"

/* A diagnostic as one line, "PATH: reason". */
#define DIAG_TEXT_MAX (WB_DIAG_PATH_MAX + WB_DIAG_REASON_MAX + 8)

/* Where systemd, when it is PID 1, says so (sd_booted(3)). */
#define SYSTEMD_RUNNING_PATH "/run/systemd/system"

struct run {
        struct wb_ctx ctx;
        const struct warmboot_opts *o;
        const char *release;
        FILE *out, *err;
        struct wb_diag diag;
};

static void print_debug(void *userdata, const char *line)
{
        fprintf((FILE *)userdata, "warmboot: debug: %s\n", line);
}

static int fail(struct run *rn)
{
        if (rn->diag.path[0])
                fprintf(rn->err, "warmboot: %s: %s\n", rn->diag.path, rn->diag.reason);
        else
                fprintf(rn->err, "warmboot: %s\n", rn->diag.reason);
        return EXIT_FAILURE;
}

static int load_config(struct run *rn, struct wb_config *cfg)
{
        int r = wb_config_load(&rn->ctx, cfg, &rn->diag);

        if (r < 0)
                return r;
        for (size_t i = 0; i < cfg->nwarnings && i < WB_CONFIG_MAX_WARNINGS; i++)
                fprintf(rn->err, "warmboot: warning: %s\n", cfg->warnings[i]);
        if (cfg->nwarnings > WB_CONFIG_MAX_WARNINGS)
                fprintf(rn->err, "warmboot: warning: %zu more lines ignored\n",
                        cfg->nwarnings - WB_CONFIG_MAX_WARNINGS);
        return 0;
}

/* The choice the settings (and, for load, the options) ask for. */
static int choose(struct run *rn, const struct wb_config *cfg, struct wb_choice **ret)
{
        const struct warmboot_opts *o = rn->o;
        struct wb_choose_request req = {
                .kernel = cfg->kernel,
                .kernel_path = cfg->kernel_path,
                .initrd = cfg->initrd,
                .initrd_path = cfg->initrd_path,
                .cmdline = cfg->cmdline,
                .append = cfg->append,
                .release = rn->release,
        };

        if (o->kernel) {
                req.kernel = WB_KERNEL_PATH;
                req.kernel_path = o->kernel;
                /* The configured initrd goes with the configured kernel, not this one. */
                req.initrd = WB_INITRD_AUTO;
                req.initrd_path = NULL;
        }
        if (o->initrd) {
                req.initrd = strcmp(o->initrd, "none") == 0 ? WB_INITRD_NONE : WB_INITRD_PATH;
                req.initrd_path = o->initrd;
        }
        if (o->command_line)
                req.cmdline = o->command_line;
        if (o->append)
                req.append = o->append;
        return wb_choose(&rn->ctx, &req, ret, &rn->diag);
}

static bool path_exists(const struct wb_ctx *ctx, const char *path)
{
        char full[4096];
        struct stat st;

        snprintf(full, sizeof(full), "%s%s", ctx->root ? ctx->root : "", path);
        return stat(full, &st) == 0;
}

/* Asks the init system to reboot: it stops services and unmounts, then reboots. */
static int init_reboot(struct run *rn)
{
        static const char *const systemctl[] = { "systemctl", "reboot", NULL };
        static const char *const sysv[] = { "reboot", NULL };
        const char *const *argv = path_exists(&rn->ctx, SYSTEMD_RUNNING_PATH) ? systemctl : sysv;
        const char *shown = argv == systemctl ? "systemctl reboot" : "reboot";
        int r;

        wb_debug(&rn->ctx, "running %s", shown);
        r = rn->ctx.sys->ops->run(rn->ctx.sys->data, argv);
        if (r < 0) {
                fprintf(rn->err, "warmboot: cannot run %s: %s\n", shown, strerror(-r));
                return EXIT_FAILURE;
        }
        if (r > 0) {
                fprintf(rn->err, "warmboot: %s failed (exit status %d)\n", shown, r);
                return EXIT_FAILURE;
        }
        return EXIT_SUCCESS;
}

/* Unloads the kexec kernel when the running kernel can have one. */
static int unload_if_any(struct run *rn, enum wb_syscall syscall)
{
        struct wb_kexec_state st;
        int r;

        r = wb_kexec_state_read(&rn->ctx, &st, &rn->diag);
        if (r < 0)
                return r;
        if (!st.supported || !st.loaded)
                return 0;
        wb_debug(&rn->ctx, "unloading the loaded kernel, so that the reboot goes through the firmware");
        return wb_unload(&rn->ctx, false, syscall, &rn->diag);
}

/* Chooses, checks and loads: the heart of load and reboot. */
static int load_chosen(struct run *rn, const struct wb_config *cfg)
{
        enum wb_syscall syscall = rn->o->has_syscall ? rn->o->syscall : cfg->syscall;
        struct wb_choice *choice = NULL;
        struct wb_load *load = NULL;
        int r;

        r = choose(rn, cfg, &choice);
        if (r < 0)
                return r;
        r = wb_choice_prepare(&rn->ctx, choice, syscall, &load, &rn->diag);
        if (r < 0)
                goto out;
        r = wb_load_commit(&rn->ctx, load, &rn->diag);
        if (r < 0) {
                /* The kernel's file name, not the fixture's, in the message. */
                snprintf(rn->diag.path, sizeof(rn->diag.path), "%s", choice->kernel);
                goto out;
        }
        fprintf(rn->out, "loaded %s (%s) with %s\n", choice->kernel, choice->source,
                wb_syscall_name(load->syscall));
out:
        wb_load_free(load);
        wb_choice_free(choice);
        return r;
}

static int cmd_load(struct run *rn)
{
        struct wb_config cfg;
        bool cold = false;
        int r;

        if (load_config(rn, &cfg) < 0)
                return fail(rn);
        if (rn->o->if_enabled) {
                const char *why = NULL;

                if (wb_state_cold_pending(&rn->ctx, &cold, &rn->diag) < 0)
                        goto failed;
                if (!cfg.enabled)
                        why = "warmboot is disabled";
                else if (cold)
                        why = "a cold reboot is pending (warmboot cold)";
                if (why) {
                        fprintf(rn->out, "not loading: %s; the reboot goes through the firmware\n", why);
                        if (unload_if_any(rn, cfg.syscall) < 0)
                                goto failed;
                        wb_config_release(&cfg);
                        return EXIT_SUCCESS;
                }
        }
        r = load_chosen(rn, &cfg);
        if (r < 0) {
                /* From a shutdown hook: no older kernel may stay loaded in place of the chosen one. */
                if (rn->o->if_enabled) {
                        struct wb_diag saved = rn->diag;

                        if (unload_if_any(rn, cfg.syscall) < 0)
                                fail(rn);
                        rn->diag = saved;
                }
                goto failed;
        }
        wb_config_release(&cfg);
        return EXIT_SUCCESS;

failed:
        wb_config_release(&cfg);
        return fail(rn);
}

static int cmd_unload(struct run *rn)
{
        struct wb_config cfg;
        int r;

        if (load_config(rn, &cfg) < 0)
                return fail(rn);
        r = wb_unload(&rn->ctx, false, cfg.syscall, &rn->diag);
        wb_config_release(&cfg);
        return r < 0 ? fail(rn) : EXIT_SUCCESS;
}

static int cmd_cold(struct run *rn)
{
        struct wb_config cfg;
        int r;

        if (load_config(rn, &cfg) < 0)
                return fail(rn);
        r = wb_state_set_cold(&rn->ctx, &rn->diag);
        if (r == 0)
                r = unload_if_any(rn, cfg.syscall);
        wb_config_release(&cfg);
        if (r < 0)
                return fail(rn);
        if (rn->o->no_reboot) {
                fprintf(rn->out, "the next reboot goes through the firmware, once\n");
                return EXIT_SUCCESS;
        }
        return init_reboot(rn);
}

static int cmd_reboot(struct run *rn)
{
        struct wb_config cfg;
        bool cold = false;
        int r;

        if (load_config(rn, &cfg) < 0)
                return fail(rn);
        if (!cfg.enabled) {
                fprintf(rn->out, "warmboot is disabled: rebooting through the firmware\n");
                r = unload_if_any(rn, cfg.syscall);
        } else {
                /* Asking for a kexec reboot now overrides an armed cold one. */
                r = wb_state_cold_pending(&rn->ctx, &cold, &rn->diag);
                if (r == 0 && cold) {
                        wb_debug(&rn->ctx, "disarming the pending cold reboot");
                        r = wb_state_clear_cold(&rn->ctx, &rn->diag);
                }
                if (r == 0)
                        r = load_chosen(rn, &cfg);
        }
        wb_config_release(&cfg);
        if (r < 0)
                return fail(rn);
        return init_reboot(rn);
}

static int cmd_enable(struct run *rn, bool enabled)
{
        if (wb_config_set_enabled(&rn->ctx, enabled, &rn->diag) < 0)
                return fail(rn);
        fprintf(rn->out, "%s (%s); see warmboot status\n",
                enabled ? "kexec reboots enabled" : "kexec reboots disabled: reboots go through the firmware",
                WB_CONFIG_PATH);
        return EXIT_SUCCESS;
}

static int cmd_kernel_hook(struct run *rn, bool installed)
{
        int r;

        if (installed)
                r = wb_state_kernel_installed(&rn->ctx, rn->o->kversion, rn->o->kimage, &rn->diag);
        else
                r = wb_state_kernel_removed(&rn->ctx, rn->o->kversion, &rn->diag);
        return r < 0 ? fail(rn) : EXIT_SUCCESS;
}

/* Everything status reports. */
struct status {
        bool enabled;
        enum wb_config_source enabled_source;
        bool kexec_next;
        char reason[DIAG_TEXT_MAX + 64];
        struct wb_choice *choice;
        const char *syscall;    /* NULL: none would be made */
        struct wb_kexec_state kst;
        bool cold;
};

static void because(struct status *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void because(struct status *s, const char *fmt, ...)
{
        va_list ap;

        if (s->reason[0])
                return;         /* the first reason is the one that decides */
        va_start(ap, fmt);
        vsnprintf(s->reason, sizeof(s->reason), fmt, ap);
        va_end(ap);
}

static void diag_text(const struct wb_diag *d, char *buf, size_t size)
{
        if (d->path[0])
                snprintf(buf, size, "%s: %s", d->path, d->reason);
        else
                snprintf(buf, size, "%s", d->reason);
}

/*
 * Works out what the next reboot will be. The reasons are checked in
 * the order a user can act on them; the first that holds is reported.
 */
static int gather_status(struct run *rn, const struct wb_config *cfg, struct status *s)
{
        char text[DIAG_TEXT_MAX];
        struct wb_load *load = NULL;
        struct wb_diag d = { .path = "" };
        int r;

        memset(s, 0, sizeof(*s));
        s->enabled = cfg->enabled;
        s->enabled_source = cfg->enabled_source;
        r = wb_kexec_state_read(&rn->ctx, &s->kst, &rn->diag);
        if (r < 0)
                return r;
        r = wb_state_cold_pending(&rn->ctx, &s->cold, &rn->diag);
        if (r < 0)
                return r;

        if (!s->enabled)
                because(s, "warmboot is disabled (%s); \"warmboot enable\" turns kexec reboots on",
                        s->enabled_source == WB_SOURCE_DEBIAN ? "LOAD_KEXEC=false in " WB_CONFIG_DEBIAN_PATH :
                        s->enabled_source == WB_SOURCE_WARMBOOT ? "ENABLED=no in " WB_CONFIG_PATH :
                        "the default");
        if (s->cold)
                because(s, "a one-shot cold reboot is pending (warmboot cold)");
        if (!s->kst.supported)
                because(s, "the running kernel has no kexec support (no /sys/kernel/kexec_loaded)");
        if (s->kst.load_disabled && !s->kst.loaded)
                because(s, "kexec is disabled (sysctl kernel.kexec_load_disabled=1, which stays set until the next boot)");

        /* The choice and its checks, whatever the policy: status shows what would boot. */
        r = choose(rn, cfg, &s->choice);
        if (r < 0) {
                diag_text(&rn->diag, text, sizeof(text));
                because(s, "no kernel to boot: %s", text);
                rn->diag = d;
        } else {
                r = wb_choice_prepare(&rn->ctx, s->choice, cfg->syscall, &load, &d);
                if (r < 0) {
                        diag_text(&d, text, sizeof(text));
                        because(s, "%s", text);
                } else {
                        s->syscall = wb_syscall_name(load->syscall);
                        if (s->kst.locked_down && load->syscall == WB_SYSCALL_CLASSIC)
                                because(s, "the kernel is locked down (%s), which forbids kexec_load: only kexec_file_load with a signed kernel can load (SYSCALL=file)",
                                        s->kst.lockdown);
                }
                wb_load_free(load);
        }
        s->kexec_next = !s->reason[0];
        if (s->kexec_next && s->kst.locked_down)
                snprintf(s->reason, sizeof(s->reason),
                         "the kernel is locked down (%s): only kexec_file_load can load, and only an image signed by a key the kernel trusts; the signature is checked at load time",
                         s->kst.lockdown);
        /* With kexec_load disabled, a kernel loaded before is still the one reboot jumps to. */
        if (s->kexec_next && s->kst.load_disabled && s->kst.loaded)
                snprintf(s->reason, sizeof(s->reason),
                         "kexec is disabled (sysctl kernel.kexec_load_disabled=1): the kernel loaded now is the one the reboot boots; it cannot be replaced");
        return 0;
}

/* The length of the UTF-8 sequence a lead byte starts (RFC 3629), 0 for a byte that starts none. */
static size_t utf8_length(unsigned char lead)
{
        if (lead >= 0xc2 && lead <= 0xdf)
                return 2;
        if (lead >= 0xe0 && lead <= 0xef)
                return 3;
        if (lead >= 0xf0 && lead <= 0xf4)
                return 4;
        return 0;
}

/* A JSON string: quotes, backslashes and control characters escaped, bad UTF-8 replaced. */
static void json_string(FILE *out, const char *s)
{
        const unsigned char *p = (const unsigned char *)s;

        if (!s) {
                fputs("null", out);
                return;
        }
        fputc('"', out);
        while (*p) {
                unsigned char c = *p;
                size_t n;

                if (c == '"' || c == '\\') {
                        fprintf(out, "\\%c", c);
                } else if (c == '\n') {
                        fputs("\\n", out);
                } else if (c == '\t') {
                        fputs("\\t", out);
                } else if (c < 0x20 || c == 0x7f) {
                        fprintf(out, "\\u%04x", c);
                } else if (c < 0x80) {
                        fputc(c, out);
                } else {
                        size_t want = utf8_length(c);

                        for (n = 1; n < want && (p[n] & 0xc0) == 0x80; n++)
                                ;
                        if (want && n == want) {
                                fwrite(p, 1, n, out);
                                p += n;
                                continue;
                        }
                        fputs("\\ufffd", out);
                }
                p++;
        }
        fputc('"', out);
}

static void print_json(FILE *out, const struct status *s)
{
        const struct wb_choice *c = s->choice;

        fprintf(out, "{\"enabled\":%s,\"next_reboot\":\"%s\",\"reason\":", s->enabled ? "true" : "false",
                s->kexec_next ? "kexec" : "firmware");
        json_string(out, s->reason[0] ? s->reason : NULL);
        fputs(",\"kernel\":", out);
        json_string(out, c ? c->kernel : NULL);
        fputs(",\"initrd\":", out);
        json_string(out, c ? c->initrd : NULL);
        fputs(",\"cmdline\":", out);
        json_string(out, c ? c->cmdline : NULL);
        fputs(",\"syscall\":", out);
        json_string(out, s->syscall);
        fputs(",\"kernel_source\":", out);
        json_string(out, c ? c->source : NULL);
        fputs(",\"lockdown\":", out);
        json_string(out, s->kst.lockdown[0] ? s->kst.lockdown : NULL);
        fprintf(out, ",\"loaded\":%s,\"crash_loaded\":%s,\"cold_pending\":%s",
                s->kst.loaded ? "true" : "false", s->kst.crash_loaded ? "true" : "false",
                s->cold ? "true" : "false");
        if (s->kst.this_boot_loader >= 0)
                fprintf(out, ",\"this_boot\":\"%s\",\"type_of_loader\":%d}\n",
                        s->kst.this_boot_kexec ? "kexec" : "firmware", s->kst.this_boot_loader);
        else
                fputs(",\"this_boot\":null,\"type_of_loader\":null}\n", out);
}

static void print_text(FILE *out, const struct status *s)
{
        const struct wb_choice *c = s->choice;

        fprintf(out, "next reboot:  %s\n", s->kexec_next ? "kexec" : "firmware");
        if (s->reason[0])
                fprintf(out, "%s %s\n", s->kexec_next ? "note:        " : "because:     ", s->reason);
        if (c) {
                fprintf(out, "kernel:       %s (%s)\n", c->kernel, c->source);
                fprintf(out, "initrd:       %s\n", c->initrd ? c->initrd : "none");
                fprintf(out, "command line: %s\n", c->cmdline);
        }
        if (s->syscall)
                fprintf(out, "syscall:      %s\n", s->syscall);
        fprintf(out, "enabled:      %s (%s)\n", s->enabled ? "yes" : "no", wb_config_source_name(s->enabled_source));
        if (s->cold)
                fprintf(out, "cold reboot:  pending\n");
        fprintf(out, "loaded now:   %s\n", !s->kst.supported ? "no (no kexec support)" : s->kst.loaded ? "yes" : "no");
        fprintf(out, "panic kernel: %s\n", s->kst.crash_loaded ? "loaded" : "not loaded");
        if (s->kst.this_boot_loader >= 0)
                fprintf(out, "this boot:    %s (type_of_loader 0x%02x)\n",
                        s->kst.this_boot_kexec ? "kexec" : "firmware", (unsigned int)s->kst.this_boot_loader);
}

static int cmd_status(struct run *rn)
{
        struct wb_config cfg;
        struct status s;
        int r;

        if (load_config(rn, &cfg) < 0)
                return fail(rn);
        r = gather_status(rn, &cfg, &s);
        wb_config_release(&cfg);
        if (r < 0) {
                wb_choice_free(s.choice);
                return fail(rn);
        }
        if (rn->o->json)
                print_json(rn->out, &s);
        else
                print_text(rn->out, &s);
        wb_choice_free(s.choice);
        return EXIT_SUCCESS;
}

int warmboot_run(int argc, char **argv, const struct wb_ctx *ctx, const char *release,
                 FILE *out, FILE *err)
{
        struct warmboot_opts o;
        struct run rn = {
                .ctx = *ctx,
                .o = &o,
                .release = release,
                .out = out,
                .err = err,
                .diag = { .path = "" },
        };
        char msg[256];

        if (warmboot_options_parse(argc, argv, &o, msg, sizeof(msg)) < 0) {
                fprintf(err, "warmboot: %s\n", msg);
                return EXIT_FAILURE;
        }
        if (o.help) {
                warmboot_usage(out);
                return EXIT_SUCCESS;
        }
        if (o.version) {
                fprintf(out, "warmboot %s\n", WARMBOOT_VERSION);
                return EXIT_SUCCESS;
        }
        if (o.debug) {
                rn.ctx.log = print_debug;
                rn.ctx.log_data = err;
        }
        switch (o.cmd) {
        case WB_CMD_ENABLE:
                return cmd_enable(&rn, true);
        case WB_CMD_DISABLE:
                return cmd_enable(&rn, false);
        case WB_CMD_STATUS:
                return cmd_status(&rn);
        case WB_CMD_LOAD:
                return cmd_load(&rn);
        case WB_CMD_UNLOAD:
                return cmd_unload(&rn);
        case WB_CMD_COLD:
                return cmd_cold(&rn);
        case WB_CMD_REBOOT:
                return cmd_reboot(&rn);
        case WB_CMD_KERNEL_INSTALLED:
                return cmd_kernel_hook(&rn, true);
        case WB_CMD_KERNEL_REMOVED:
                return cmd_kernel_hook(&rn, false);
        case WB_CMD_NONE:
                break;
        }
        fprintf(err, "warmboot: no command given; see warmboot --help\n");
        return EXIT_FAILURE;
}

#ifndef WB_NO_MAIN
int main(int argc, char **argv)
{
        const struct wb_ctx ctx = { .sys = &wb_sys_linux };
        struct utsname u;

        /* The library never asks uname: the running kernel's release comes from here. */
        return warmboot_run(argc, argv, &ctx, uname(&u) == 0 ? u.release : NULL, stdout, stderr);
}
#endif
