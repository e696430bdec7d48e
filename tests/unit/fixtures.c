// SPDX-License-Identifier: MIT
/* Fixture roots and synthetic images for the unit tests (see fixtures.h). */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fixtures.h"

char *fx_mkdtemp(void)
{
        const char *tmp = getenv("TMPDIR");
        char *dir;

        if (!tmp || !*tmp)
                tmp = "/tmp";
        assert_true(asprintf(&dir, "%s/wb-unit-XXXXXX", tmp) > 0);
        assert_non_null(mkdtemp(dir));
        return dir;
}

static int rm_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
        (void)st;
        (void)type;
        (void)ftw;
        /* Keep going on errors: a fixture left behind is better than a crash in teardown. */
        if (remove(path) < 0)
                fprintf(stderr, "fixtures: cannot remove %s: %s\n", path, strerror(errno));
        return 0;
}

void fx_rmtree(char *dir)
{
        if (!dir)
                return;
        /* Depth first and without following links, as rm -rf does. */
        nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
        free(dir);
}

char *fx_path(const char *dir, const char *rel)
{
        char *p;

        while (*rel == '/')
                rel++;
        assert_true(asprintf(&p, "%s/%s", dir, rel) > 0);
        return p;
}

/* mkdir -p for every folder of path up to its last '/'. */
static void make_parents(char *path, size_t skip)
{
        for (char *s = path + skip + 1; (s = strchr(s, '/')); s++) {
                *s = '\0';
                if (mkdir(path, 0755) < 0 && errno != EEXIST)
                        fail_msg("mkdir %s: %s", path, strerror(errno));
                *s = '/';
        }
}

char *fx_mkdir(const char *dir, const char *rel)
{
        char *p = fx_path(dir, rel);

        make_parents(p, strlen(dir));
        if (mkdir(p, 0755) < 0 && errno != EEXIST)
                fail_msg("mkdir %s: %s", p, strerror(errno));
        return p;
}

char *fx_write(const char *dir, const char *rel, const void *data, size_t len)
{
        char *p = fx_path(dir, rel);
        FILE *f;

        make_parents(p, strlen(dir));
        f = fopen(p, "wb");
        if (!f)
                fail_msg("cannot create %s: %s", p, strerror(errno));
        if (len)
                assert_int_equal(fwrite(data, 1, len, f), len);
        assert_int_equal(fclose(f), 0);
        return p;
}

char *fx_write_str(const char *dir, const char *rel, const char *text)
{
        return fx_write(dir, rel, text, strlen(text));
}

void fx_put(const char *dir, const char *rel, const char *text)
{
        free(fx_write_str(dir, rel, text));
}

char *fx_read(const char *dir, const char *rel)
{
        char *p = fx_path(dir, rel);
        char *text = NULL;
        size_t len = 0;
        FILE *f, *mem;
        int c;

        f = fopen(p, "rb");
        free(p);
        if (!f)
                return NULL;
        mem = open_memstream(&text, &len);
        assert_non_null(mem);
        while ((c = fgetc(f)) != EOF)
                fputc(c, mem);
        fclose(f);
        assert_int_equal(fclose(mem), 0);
        return text;
}

void fx_system(const char *root)
{
        fx_put(root, "/proc/cmdline", FX_PROC_CMDLINE);
        fx_put(root, "/sys/kernel/kexec_loaded", "0\n");
        fx_put(root, "/sys/kernel/kexec_crash_loaded", "0\n");
        fx_put(root, "/sys/kernel/kexec_crash_size", "268435456\n");
        fx_put(root, "/proc/sys/kernel/kexec_load_disabled", "0\n");
        /* The kernel's defaults: -1 means no limit. */
        fx_put(root, "/proc/sys/kernel/kexec_load_limit_reboot", "-1\n");
        fx_put(root, "/proc/sys/kernel/kexec_load_limit_panic", "-1\n");
        fx_put(root, "/sys/kernel/security/lockdown", "[none] integrity confidentiality\n");
        /* QEMU's map of a 1 GiB guest; the kexec_load path places segments in its RAM. */
        fx_put(root, "/proc/iomem", FX_PROC_IOMEM);
        /* What a 2-CPU guest with crashkernel=256M shows for kdump (no /proc/kcore here). */
        fx_put(root, "/sys/devices/system/cpu/cpu0/crash_notes", "3fa39400\n");
        fx_put(root, "/sys/devices/system/cpu/cpu0/crash_notes_size", "368\n");
        fx_put(root, "/sys/devices/system/cpu/cpu1/crash_notes", "3fb39400\n");
        fx_put(root, "/sys/devices/system/cpu/cpu1/crash_notes_size", "368\n");
        fx_put(root, "/sys/devices/system/cpu/online", "0-1\n");
        fx_put(root, "/sys/kernel/vmcoreinfo", "0x00000000011de000 1024\n");
        /* A root shell's status: CapEff has every capability, CAP_SYS_BOOT (22) among them. */
        fx_put(root, "/proc/self/status",
               "Name:\tkexec\nUmask:\t0022\nState:\tR (running)\nUid:\t0\t0\t0\t0\n"
               "CapInh:\t0000000000000000\nCapPrm:\t000001ffffffffff\n"
               "CapEff:\t000001ffffffffff\nCapBnd:\t000001ffffffffff\n"
               "CapAmb:\t0000000000000000\nNoNewPrivs:\t0\n");
}

int fx_count_fds(void)
{
        DIR *d = opendir("/proc/self/fd");
        struct dirent *e;
        int n = 0;

        assert_non_null(d);
        while ((e = readdir(d)))
                if (e->d_name[0] != '.')
                        n++;
        closedir(d);
        return n - 1;   /* the one opendir() holds */
}

uint8_t *fx_bzimage_build(const struct img_bzimage *spec, size_t *ret_len)
{
        uint8_t *b = img_bzimage(spec, ret_len);

        assert_non_null(b);
        return b;
}

char *fx_bzimage_write(const char *dir, const char *rel, const struct img_bzimage *spec)
{
        size_t len;
        uint8_t *b = fx_bzimage_build(spec, &len);
        char *p = fx_write(dir, rel, b, len);

        free(b);
        return p;
}

void fx_random_bytes(uint8_t *buf, size_t len, uint32_t seed)
{
        uint32_t x = seed ? seed : 0x9e3779b9u;

        for (size_t i = 0; i < len; i++) {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                buf[i] = (uint8_t)(x >> 24);
        }
}
