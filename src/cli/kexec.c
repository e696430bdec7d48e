// SPDX-License-Identifier: MIT
/* kexec(8): parse, call the library, print. */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <warmboot/cmdline.h>
#include <warmboot/ctx.h>
#include <warmboot/error.h>
#include <warmboot/image.h>
#include <warmboot/load.h>
#include <warmboot/sys.h>

#include "kexec.h"
#include "options.h"

/* Exit status of -S when the state cannot be read: neither "loaded" (1) nor "not" (0). */
#define EXIT_STATUS_UNKNOWN 2

static void print_debug(void *userdata, const char *line)
{
        fprintf((FILE *)userdata, "kexec: debug: %s\n", line);
}

static int fail(FILE *err, const struct wb_diag *diag)
{
        if (diag->path[0])
                fprintf(err, "kexec: %s: %s\n", diag->path, diag->reason);
        else
                fprintf(err, "kexec: %s\n", diag->reason);
        return EXIT_FAILURE;
}

/* The command line the options ask for; *ret is NULL only on failure. */
static int build_cmdline(const struct wb_ctx *ctx, const struct kexec_opts *o, char **ret,
                         struct wb_diag *diag)
{
        char *reused = NULL;
        const char *base = o->command_line;
        int r;

        /* --command-line replaces the line; --reuse-cmdline only stands in when it is absent. */
        if (!base && o->reuse_cmdline) {
                r = wb_cmdline_reuse(ctx, o->crash, &reused, diag);
                if (r < 0)
                        return r;
                base = reused;
        }
        r = wb_cmdline_join(base, o->append, ret);
        free(reused);
        if (r < 0)
                return wb_diag_set(diag, r, o->image, "command line too long: more than %d bytes",
                                   WB_CMDLINE_MAX);
        return 0;
}

/* What --dry-run shows: everything the kernel would be handed. */
static void print_plan(FILE *out, const struct kexec_opts *o, const struct wb_load *load)
{
        const struct wb_plan *plan = wb_load_plan(load);

        fprintf(out, "kernel: %s (%s)\n", load->kernel_file->path, load->kernel->ops->name);
        fprintf(out, "initrd: %s\n", load->initrd_path ? load->initrd_path : "none");
        fprintf(out, "command line: \"%s\"\n", load->cmdline);
        fprintf(out, "type: %s\n", load->crash ? "panic kernel" : "kernel for kexec -e");
        if (!plan) {
                fprintf(out, "syscall: kexec_file_load%s, flags 0x%lx\n",
                        o->syscall == WB_SYSCALL_AUTO ? " (kexec_load if the kernel refuses it)" : "",
                        load->file_flags);
                return;
        }
        fprintf(out, "syscall: kexec_load, entry 0x%llx, %zu segments\n",
                (unsigned long long)plan->entry, plan->n);
        for (size_t i = 0; i < plan->n; i++)
                fprintf(out, "segment %zu: [0x%016llx, 0x%016llx) %10zu bytes  %s\n", i,
                        (unsigned long long)plan->segments[i].mem,
                        (unsigned long long)(plan->segments[i].mem + plan->segments[i].memsz),
                        plan->segments[i].bufsz, plan->names[i]);
}

static int do_load(const struct wb_ctx *ctx, const struct kexec_opts *o, FILE *out,
                   struct wb_diag *diag)
{
        struct wb_load *load = NULL;
        char *cmdline = NULL;
        int r;

        r = build_cmdline(ctx, o, &cmdline, diag);
        if (r < 0)
                return r;
        r = wb_load_prepare(ctx, &(struct wb_load_request) {
                                .kernel_path = o->image,
                                .initrd_path = o->initrd,
                                .cmdline = cmdline,
                                .type = o->type,
                                .crash = o->crash,
                                .syscall = o->syscall,
                                .no_verify = o->no_checks,
                                .verify = o->verify,
                                .serial_port = o->console_serial ? o->serial_port : 0,
                                .serial_baud = o->console_serial ? o->serial_baud : 0,
                        }, &load, diag);
        if (r < 0)
                goto out;
        wb_debug(ctx, "command line: \"%s\"", load->cmdline);
        if (o->dry_run) {
                print_plan(out, o, load);
                goto free;
        }
        r = wb_load_commit(ctx, load, diag);
        if (r == 0)
                wb_debug(ctx, "%s kernel loaded with %s", o->crash ? "panic" : "new",
                         wb_syscall_name(load->syscall));
free:
        wb_load_free(load);
out:
        free(cmdline);
        return r;
}

int kexec_run(int argc, char **argv, const struct wb_ctx *base_ctx, FILE *out, FILE *err)
{
        struct wb_ctx ctx = *base_ctx;
        struct wb_diag diag = { .path = "" };
        struct kexec_opts o;
        char msg[256];
        bool loaded;
        int r;

        if (kexec_options_parse(argc, argv, &o, msg, sizeof(msg)) < 0) {
                fprintf(err, "kexec: %s\n", msg);
                return EXIT_FAILURE;
        }
        if (o.help) {
                kexec_usage(out);
                return EXIT_SUCCESS;
        }
        if (o.version) {
                fprintf(out, "kexec (warmboot) %s\n", WARMBOOT_VERSION);
                return EXIT_SUCCESS;
        }
        if (o.debug) {
                ctx.log = print_debug;
                ctx.log_data = err;
        }
        if (o.print_ckr_size) {
                uint64_t size;

                if (wb_crash_size(&ctx, &size, &diag) < 0)
                        return fail(err, &diag);
                fprintf(out, "%llu\n", (unsigned long long)size);
                return EXIT_SUCCESS;
        }
        if (o.do_status) {
                /* kexec-tools asks about the panic kernel unless -l is given. */
                bool crash = o.crash || !o.has_opt_load;

                if (wb_kexec_loaded(&ctx, crash, &loaded, &diag) < 0) {
                        fail(err, &diag);
                        return EXIT_STATUS_UNKNOWN;
                }
                return loaded ? 1 : 0;
        }
        if (o.dry_run) {
                /* Nothing but the plan of a load: no unload, no reboot, no sync. */
                if (!o.do_load) {
                        fprintf(err, "kexec: --dry-run goes with a load (-l, -p or -f)\n");
                        return EXIT_FAILURE;
                }
                r = do_load(&ctx, &o, out, &diag);
                return r < 0 ? fail(err, &diag) : EXIT_SUCCESS;
        }
        if (o.do_unload) {
                r = wb_unload(&ctx, o.crash, o.syscall, &diag);
                if (r < 0)
                        return fail(err, &diag);
        }
        if (o.do_load) {
                r = do_load(&ctx, &o, out, &diag);
                if (r < 0)
                        return fail(err, &diag);
        } else if (o.image) {
                wb_debug(&ctx, "ignoring '%s': nothing is being loaded", o.image);
        }
        if (o.do_shutdown || o.do_exec) {
                /* Never reboot or shut down towards nothing. */
                r = wb_kexec_loaded(&ctx, false, &loaded, &diag);
                if (r < 0)
                        return fail(err, &diag);
                if (!loaded) {
                        fprintf(err, "kexec: nothing has been loaded; load a kernel first with kexec -l KERNEL\n");
                        return EXIT_FAILURE;
                }
        }
        if (o.do_shutdown) {
                r = ctx.sys->ops->shutdown_reboot(ctx.sys->data);
                fprintf(err, "kexec: cannot run shutdown -r now: %s\n", strerror(-r));
                return EXIT_FAILURE;
        }
        if (o.do_exec) {
                wb_exec(&ctx, &(struct wb_exec_options) { .sync = o.do_sync, .ifdown = o.do_ifdown },
                        &diag);
                return fail(err, &diag);
        }
        if (o.do_sync)
                ctx.sys->ops->sync(ctx.sys->data);
        return EXIT_SUCCESS;
}

#ifndef WB_NO_MAIN
int main(int argc, char **argv)
{
        const struct wb_ctx ctx = { .sys = &wb_sys_linux };

        return kexec_run(argc, argv, &ctx, stdout, stderr);
}
#endif
