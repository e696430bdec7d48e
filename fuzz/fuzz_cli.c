// SPDX-License-Identifier: MIT
/*
 * The whole kexec command, kexec_run(), on fuzzed argv, with fuzz_sys in
 * place of the kernel and a fixture folder as the system's "/". Input:
 * one byte choosing what the fake kexec_file_load and kexec_load return,
 * then NUL-separated arguments.
 *
 * The arguments may name files, so they are defused first: every '/'
 * becomes '_', which leaves only names relative to the current folder
 * (no /dev, no /proc), and "@N" (alone or after '=') stands for fixture
 * file N: images good and bad, an initrd, an empty file, a folder.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <warmboot/ctx.h>

#include "src/cli/kexec.h"

#include "fuzz.h"
#include "tests/support/images.h"

#define MAX_ARGS 32

static const char *root;
static char *fixtures[8];
static size_t nfixtures;
static FILE *devnull;

static const int errnos[] = { 0, -ENOSYS, -EOPNOTSUPP, -ENOEXEC, -EINVAL, -EPERM, -EBUSY,
                              -EKEYREJECTED, -ENOMEM, -EADDRNOTAVAIL };

/* Writes root/rel, making its folders first. */
static void put_file(const char *rel, const void *data, size_t len)
{
        const char *slash = strrchr(rel, '/');

        if (slash && slash != rel) {
                char dir[256];

                snprintf(dir, sizeof(dir), "%.*s", (int)(slash - rel), rel);
                fuzz_mkdirs(root, dir);
        }
        fuzz_put(root, rel, data, len);
}

static void put_text(const char *rel, const char *text)
{
        put_file(rel, text, strlen(text));
}

static void add_fixture(const char *rel, const void *data, size_t len, bool dir)
{
        char path[256];

        if (dir)
                fuzz_mkdirs(root, rel);
        else
                put_file(rel, data, len);
        snprintf(path, sizeof(path), "%s/%s", root, rel);
        fixtures[nfixtures] = strdup(path);
        if (!fixtures[nfixtures++])
                abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
        struct img_bzimage spec;
        uint8_t *b, params[4096];
        size_t len;

        (void)argc, (void)argv;
        root = fuzz_mkroot("cli");
        devnull = fopen("/dev/null", "w");
        if (!devnull)
                abort();

        put_text("proc/cmdline", "BOOT_IMAGE=/boot/vmlinuz root=/dev/vda1 ro crashkernel=256M console=ttyS0\n");
        put_text("proc/iomem",
                 "00000000-00000fff : Reserved\n"
                 "00001000-0009fbff : System RAM\n"
                 "0009fc00-0009ffff : Reserved\n"
                 "000f0000-000fffff : Reserved\n"
                 "00100000-3ffdffff : System RAM\n"
                 "  2f000000-3effffff : Crash kernel\n"
                 "3ffe0000-3fffffff : Reserved\n");
        put_text("sys/kernel/kexec_loaded", "1\n");
        put_text("sys/kernel/kexec_crash_loaded", "0\n");
        put_text("sys/kernel/kexec_crash_size", "268435456\n");
        put_text("proc/sys/kernel/kexec_load_disabled", "0\n");
        put_text("proc/sys/kernel/kexec_load_limit_reboot", "-1\n");
        put_text("proc/sys/kernel/kexec_load_limit_panic", "-1\n");
        put_text("sys/kernel/security/lockdown", "[none] integrity confidentiality\n");
        put_text("proc/self/status", "Name:\tkexec\nCapEff:\t000001ffffffffff\n");
        put_text("sys/firmware/efi/systab", "ACPI20=0xf0000\nSMBIOS=0xf1000\n");
        memset(params, 0, sizeof(params));
        put_file("sys/kernel/boot_params/data", params, sizeof(params));

        img_bzimage_default(&spec);
        b = img_bzimage(&spec, &len);
        add_fixture("files/bzImage", b, len, false);                    /* @0 */
        free(b);
        spec.version = 0x020a;                                          /* no 64-bit entry */
        spec.xloadflags = 0;
        b = img_bzimage(&spec, &len);
        add_fixture("files/bzImage-2.10", b, len, false);               /* @1 */
        free(b);
        b = img_elf(&(struct img_elf_segment) {
                        .type = 1, .vaddr = 0xffffffff81000000, .paddr = 0x1000000,
                        .filesz = 0x800, .memsz = 0x3000 }, 1, 0x1000000, &len);
        add_fixture("files/vmlinux", b, len, false);                    /* @2 */
        free(b);
        memset(params, 0x5a, sizeof(params));
        add_fixture("files/initrd", params, sizeof(params), false);     /* @3 */
        add_fixture("files/empty", "", 0, false);                       /* @4 */
        add_fixture("files/dir", NULL, 0, true);                        /* @5 */
        b = img_bzimage(&spec, &len);
        add_fixture("files/truncated", b, len / 2, false);              /* @6 */
        free(b);
        return 0;
}

/* The argument with '/' defused and "@N" replaced; malloc'd. */
static char *defuse(const char *arg)
{
        const char *at = strchr(arg, '@');
        char *s;

        if (at && (at == arg || at[-1] == '=') && at[1] >= '0' && at[1] < '0' + (int)nfixtures && !at[2]) {
                const char *path = fixtures[at[1] - '0'];
                size_t keep = (size_t)(at - arg);

                s = malloc(keep + strlen(path) + 1);
                if (!s)
                        abort();
                memcpy(s, arg, keep);
                strcpy(s + keep, path);
                for (size_t i = 0; i < keep; i++)
                        if (s[i] == '/')
                                s[i] = '_';
                return s;
        }
        s = strdup(arg);
        if (!s)
                abort();
        for (char *p = s; *p; p++)
                if (*p == '/')
                        *p = '_';
        return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct fuzz_sys sys;
        const struct wb_ctx ctx = { .root = root, .sys = &sys.sys };
        char *argv[MAX_ARGS + 2], *owned[MAX_ARGS + 2], *copy;
        struct fuzz_input in = { data, size };
        uint8_t rets = fuzz_u8(&in);
        int argc = 0, status;

        fuzz_sys_init(&sys);
        sys.kexec_file_load_ret = errnos[(rets & 15) % (sizeof(errnos) / sizeof(errnos[0]))];
        sys.kexec_load_ret = errnos[(rets >> 4) % (sizeof(errnos) / sizeof(errnos[0]))];

        copy = malloc(in.n + 1);
        if (!copy)
                abort();
        memcpy(copy, in.p, in.n);
        copy[in.n] = '\0';
        argv[argc++] = strdup("kexec");
        for (size_t i = 0; i < in.n && argc <= MAX_ARGS; ) {
                argv[argc++] = defuse(copy + i);
                i += strlen(copy + i) + 1;
        }
        argv[argc] = NULL;
        /* getopt may reorder argv: free the strings from a copy of the pointers. */
        memcpy(owned, argv, sizeof(owned));

        status = kexec_run(argc, argv, &ctx, devnull, devnull);
        FUZZ_CHECK(status == 0 || status == 1 || status == 2);
        /* A load's exec, shutdown, sync and the loads themselves: bounded. */
        FUZZ_CHECK(sys.calls <= 8);

        for (int i = 0; i < argc; i++)
                free(owned[i]);
        free(copy);
        return 0;
}
