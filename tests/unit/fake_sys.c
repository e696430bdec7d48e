// SPDX-License-Identifier: MIT
/* The recording stand-in for the kernel (see fake_sys.h). */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/kexec.h>

#include "fake_sys.h"

static struct fake_call *record(struct fake_sys *f, enum fake_op op)
{
        struct fake_call *c;

        /* More calls than this means a loop in the code under test. */
        if (f->ncalls >= FAKE_MAX_CALLS)
                fail_msg("fake_sys: more than %d calls", FAKE_MAX_CALLS);
        c = &f->calls[f->ncalls++];
        memset(c, 0, sizeof(*c));
        c->op = op;
        c->kernel_fd = c->initrd_fd = -1;
        return c;
}

/* Emulates the kernel's /sys/kernel/kexec_*loaded after a load or unload. */
static void set_loaded(const struct fake_sys *f, bool crash, bool loaded)
{
        char path[4096];
        FILE *file;

        if (!f->root)
                return;
        snprintf(path, sizeof(path), "%s/sys/kernel/%s", f->root,
                 crash ? "kexec_crash_loaded" : "kexec_loaded");
        file = fopen(path, "w");
        if (!file)
                fail_msg("fake_sys: cannot write %s: %s", path, strerror(errno));
        fputs(loaded ? "1\n" : "0\n", file);
        fclose(file);
}

static int fake_kexec_file_load(void *data, int kernel_fd, int initrd_fd, const char *cmdline,
                                unsigned long cmdline_len, unsigned long flags)
{
        struct fake_sys *f = data;
        struct fake_call *c = record(f, FAKE_KEXEC_FILE_LOAD);

        c->kernel_fd = kernel_fd;
        c->initrd_fd = initrd_fd;
        c->kernel_stat_ok = kernel_fd >= 0 && fstat(kernel_fd, &c->kernel_st) == 0;
        c->initrd_stat_ok = initrd_fd >= 0 && fstat(initrd_fd, &c->initrd_st) == 0;
        c->cmdline_len = cmdline_len;
        c->flags = flags;
        if (cmdline) {
                /* The kernel copies exactly cmdline_len bytes; so do we. */
                c->cmdline = malloc(cmdline_len + 1);
                assert_non_null(c->cmdline);
                memcpy(c->cmdline, cmdline, cmdline_len);
                c->cmdline[cmdline_len] = '\0';
        }
        if (f->kexec_file_load_ret == 0)
                set_loaded(f, flags & KEXEC_FILE_ON_CRASH, !(flags & KEXEC_FILE_UNLOAD));
        else if (f->failed_crash_load_unloads && (flags & KEXEC_FILE_ON_CRASH) && !(flags & KEXEC_FILE_UNLOAD))
                set_loaded(f, true, false);
        return f->kexec_file_load_ret;
}

static int fake_kexec_load(void *data, uint64_t entry, const struct wb_segment *segments,
                           size_t nr_segments, unsigned long flags)
{
        struct fake_sys *f = data;
        struct fake_call *c = record(f, FAKE_KEXEC_LOAD);

        c->entry = entry;
        c->nr_segments = nr_segments;
        c->segments_null = segments == NULL;
        c->flags = flags;
        /* The kernel refuses more (E2BIG); the library must never ask. */
        if (nr_segments > FAKE_MAX_SEGMENTS)
                fail_msg("fake_sys: kexec_load with %zu segments", nr_segments);
        for (size_t i = 0; i < nr_segments; i++) {
                struct fake_segment *s = &c->segments[i];

                s->mem = segments[i].mem;
                s->memsz = segments[i].memsz;
                s->bufsz = segments[i].bufsz;
                if (s->bufsz) {
                        s->bytes = malloc(s->bufsz);
                        assert_non_null(s->bytes);
                        memcpy(s->bytes, segments[i].buf, s->bufsz);
                }
        }
        if (f->kexec_load_ret == 0)
                set_loaded(f, flags & KEXEC_ON_CRASH, nr_segments != 0);
        else if (f->failed_crash_load_unloads && (flags & KEXEC_ON_CRASH) && nr_segments != 0)
                set_loaded(f, true, false);
        return f->kexec_load_ret;
}

static int fake_reboot_kexec(void *data)
{
        struct fake_sys *f = data;

        record(f, FAKE_REBOOT_KEXEC);
        return f->reboot_ret;
}

static void fake_sync(void *data)
{
        record(data, FAKE_SYNC);
}

static int fake_ifdown(void *data)
{
        struct fake_sys *f = data;

        record(f, FAKE_IFDOWN);
        return f->ifdown_ret;
}

static int fake_shutdown_reboot(void *data)
{
        struct fake_sys *f = data;

        record(f, FAKE_SHUTDOWN_REBOOT);
        return f->shutdown_ret;
}

static int fake_run(void *data, const char *const *argv)
{
        struct fake_sys *f = data;
        struct fake_call *c = record(f, FAKE_RUN);
        size_t len = 0;

        for (size_t i = 0; argv[i]; i++)
                len += strlen(argv[i]) + 1;
        c->argv = calloc(1, len + 1);
        assert_non_null(c->argv);
        for (size_t i = 0; argv[i]; i++) {
                if (i)
                        strcat(c->argv, " ");
                strcat(c->argv, argv[i]);
        }
        return f->run_ret;
}

static const struct wb_sys_ops fake_ops = {
        .kexec_file_load = fake_kexec_file_load,
        .kexec_load = fake_kexec_load,
        .reboot_kexec = fake_reboot_kexec,
        .sync = fake_sync,
        .ifdown = fake_ifdown,
        .shutdown_reboot = fake_shutdown_reboot,
        .run = fake_run,
};

void fake_sys_init(struct fake_sys *f, const char *root)
{
        memset(f, 0, sizeof(*f));
        f->sys.ops = &fake_ops;
        f->sys.data = f;
        f->root = root;
        f->reboot_ret = -EINVAL;
        f->shutdown_ret = -ENOENT;
}

void fake_sys_clear(struct fake_sys *f)
{
        for (size_t i = 0; i < f->ncalls; i++) {
                free(f->calls[i].cmdline);
                free(f->calls[i].argv);
                for (size_t j = 0; j < f->calls[i].nr_segments && j < FAKE_MAX_SEGMENTS; j++)
                        free(f->calls[i].segments[j].bytes);
        }
        f->ncalls = 0;
}

size_t fake_sys_count(const struct fake_sys *f, enum fake_op op)
{
        size_t n = 0;

        for (size_t i = 0; i < f->ncalls; i++)
                n += f->calls[i].op == op;
        return n;
}

const struct fake_call *fake_sys_call(const struct fake_sys *f, enum fake_op op, size_t n)
{
        size_t seen = 0;

        for (size_t i = 0; i < f->ncalls; i++)
                if (f->calls[i].op == op && seen++ == n)
                        return &f->calls[i];
        fail_msg("fake_sys: no %s call #%zu", fake_op_name(op), n);
        return NULL;
}

const struct fake_segment *fake_segment_with(const struct fake_call *c, size_t off,
                                             const void *bytes, size_t len)
{
        for (size_t i = 0; i < c->nr_segments && i < FAKE_MAX_SEGMENTS; i++) {
                const struct fake_segment *s = &c->segments[i];

                if (s->bufsz >= off + len && memcmp(s->bytes + off, bytes, len) == 0)
                        return s;
        }
        return NULL;
}

const char *fake_op_name(enum fake_op op)
{
        switch (op) {
        case FAKE_KEXEC_FILE_LOAD:
                return "kexec_file_load";
        case FAKE_KEXEC_LOAD:
                return "kexec_load";
        case FAKE_REBOOT_KEXEC:
                return "reboot";
        case FAKE_SYNC:
                return "sync";
        case FAKE_IFDOWN:
                return "ifdown";
        case FAKE_SHUTDOWN_REBOOT:
                return "shutdown";
        case FAKE_RUN:
                return "run";
        case FAKE_NONE:
                break;
        }
        return "?";
}

const char *fake_sys_trace(const struct fake_sys *f, char *buf, size_t size)
{
        size_t used = 0;

        buf[0] = '\0';
        for (size_t i = 0; i < f->ncalls && used < size; i++) {
                int n = snprintf(buf + used, size - used, "%s%s", i ? "," : "",
                                 fake_op_name(f->calls[i].op));

                if (n < 0)
                        break;
                used += (size_t)n;
        }
        return buf;
}
