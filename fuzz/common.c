// SPDX-License-Identifier: MIT
/* Helpers of the fuzz targets (fuzz.h). */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <warmboot/plan.h>

#include "fuzz.h"

void fuzz_violation(const char *file, int line, const char *what)
{
        fprintf(stderr, "%s:%d: property violated: %s\n", file, line, what);
        abort();
}

static uint64_t take(struct fuzz_input *in, size_t bytes)
{
        uint64_t v = 0;

        for (size_t i = 0; i < bytes; i++) {
                v |= (uint64_t)(in->n ? in->p[0] : 0) << (8 * i);
                if (in->n) {
                        in->p++;
                        in->n--;
                }
        }
        return v;
}

uint8_t fuzz_u8(struct fuzz_input *in)
{
        return (uint8_t)take(in, 1);
}

uint16_t fuzz_u16(struct fuzz_input *in)
{
        return (uint16_t)take(in, 2);
}

uint32_t fuzz_u32(struct fuzz_input *in)
{
        return (uint32_t)take(in, 4);
}

uint64_t fuzz_u64(struct fuzz_input *in)
{
        return take(in, 8);
}

uint64_t fuzz_addr(struct fuzz_input *in)
{
        uint8_t mode = fuzz_u8(in);

        switch (mode & 3) {
        case 0:
                return (uint64_t)fuzz_u16(in) << 12;            /* pages below 256 MiB */
        case 1:
                return (uint64_t)fuzz_u32(in) << (mode >> 4);   /* anything up to 2^47 */
        case 2:
                return UINT64_MAX - fuzz_u32(in);               /* the top */
        default:
                return fuzz_u64(in);
        }
}

uint64_t fuzz_le(const uint8_t *p, size_t n)
{
        uint64_t v = 0;

        for (size_t i = 0; i < n; i++)
                v |= (uint64_t)p[i] << (8 * i);
        return v;
}

struct wb_file fuzz_file(const char *path, const uint8_t *data, size_t size)
{
        return (struct wb_file) {
                .path = (char *)path,
                .fd = -1,
                .data = data,
                .size = size,
        };
}

/* tests/data/iomem-qemu-crash.txt, top level. */
static const char iomem_qemu[] =
        "00000000-00000fff : Reserved\n"
        "00001000-0009fbff : System RAM\n"
        "0009fc00-0009ffff : Reserved\n"
        "000a0000-000bffff : PCI Bus 0000:00\n"
        "000f0000-000fffff : Reserved\n"
        "00100000-3ffdffff : System RAM\n"
        "  2f000000-3effffff : Crash kernel\n"
        "3ffe0000-3fffffff : Reserved\n"
        "fffc0000-ffffffff : Reserved\n"
        "fd00000000-ffffffffff : Reserved\n";

/* tests/data/iomem-host.txt, top level. */
static const char iomem_host[] =
        "00000000-00000fff : Reserved\n"
        "00001000-0009fbff : System RAM\n"
        "0009fc00-000fffff : Reserved\n"
        "00100000-bfffffff : System RAM\n"
        "c0001000-eebfffff : PCI Bus 0000:00\n"
        "eec00000-febfffff : Reserved\n"
        "100000000-63fffffff : System RAM\n";

static const struct wb_memmap *parse_once(struct wb_memmap *map, bool *done, const char *text)
{
        if (!*done) {
                if (wb_memmap_parse_iomem(text, map) < 0) {
                        fprintf(stderr, "fuzz: the built-in memory map does not parse\n");
                        abort();
                }
                *done = true;
        }
        return map;
}

const struct wb_memmap *fuzz_memmap_qemu(void)
{
        static struct wb_memmap map;
        static bool done;

        return parse_once(&map, &done, iomem_qemu);
}

const struct wb_memmap *fuzz_memmap_host(void)
{
        static struct wb_memmap map;
        static bool done;

        return parse_once(&map, &done, iomem_host);
}

void fuzz_touch_plan(const struct wb_plan *plan)
{
        volatile uint8_t sink = 0;

        FUZZ_CHECK(plan->n <= WB_PLAN_MAX_SEGMENTS);
        for (size_t i = 0; i < plan->n; i++) {
                const struct wb_segment *s = &plan->segments[i];
                const uint8_t *b = s->buf;

                FUZZ_CHECK(s->bufsz <= s->memsz);
                FUZZ_CHECK(s->mem % WB_PAGE_SIZE == 0 && s->memsz % WB_PAGE_SIZE == 0);
                FUZZ_CHECK(s->bufsz == 0 || b != NULL);
                for (size_t j = 0; j < s->bufsz; j++)
                        sink ^= b[j];
                /* No two segments share a byte: the kernel would refuse the list. */
                for (size_t j = 0; j < i; j++) {
                        const struct wb_segment *o = &plan->segments[j];

                        FUZZ_CHECK(s->mem >= o->mem + o->memsz || o->mem >= s->mem + s->memsz);
                }
        }
        (void)sink;
}

static void count_log(void *userdata, const char *line)
{
        *(size_t *)userdata += strlen(line);
}

void fuzz_image_init(struct fuzz_image *img, const uint8_t *data, size_t size,
                     const uint8_t *initrd, size_t initrd_size)
{
        *img = (struct fuzz_image) {
                .file = fuzz_file("fuzz", data, size),
                .initrd = fuzz_file("initrd", initrd, initrd_size),
                .maps = { fuzz_memmap_qemu(), fuzz_memmap_host() },
        };
        img->ctx = (struct wb_ctx) { .log = count_log, .log_data = &img->logged };
}

void fuzz_image_classic(const struct fuzz_image *img, const char *format,
                        const struct wb_classic_input *extra, fuzz_classic_check *check)
{
        for (size_t m = 0; m < sizeof(img->maps) / sizeof(img->maps[0]); m++) {
                for (int variant = 0; variant < 2; variant++) {
                        struct wb_classic_input in = { .memmap = img->maps[m] };
                        struct wb_kernel *k = NULL;
                        struct wb_diag diag;

                        if (variant) {
                                in = *extra;
                                in.memmap = img->maps[m];
                        }
                        if (wb_kernel_load_classic(&img->ctx, &img->file, format, &in, &k, &diag) < 0) {
                                FUZZ_CHECK(k == NULL);
                                check(NULL, &in, &diag);
                                continue;
                        }
                        check(k, &in, &diag);
                        wb_kernel_free(k);
                }
        }
}

static int fake_file_load(void *data, int kernel_fd, int initrd_fd, const char *cmdline,
                          unsigned long cmdline_len, unsigned long flags)
{
        struct fuzz_sys *f = data;

        (void)kernel_fd, (void)initrd_fd, (void)flags;
        /* The kernel reads cmdline_len bytes: they must be there, NUL last. */
        if (cmdline && cmdline_len)
                FUZZ_CHECK(cmdline[cmdline_len - 1] == '\0');
        f->calls++;
        return f->kexec_file_load_ret;
}

static int fake_load(void *data, uint64_t entry, const struct wb_segment *segments,
                     size_t nr_segments, unsigned long flags)
{
        struct fuzz_sys *f = data;
        struct wb_plan plan = { .n = nr_segments, .entry = entry };

        (void)flags;
        FUZZ_CHECK(nr_segments <= WB_PLAN_MAX_SEGMENTS);
        if (nr_segments)
                memcpy(plan.segments, segments, nr_segments * sizeof(*segments));
        fuzz_touch_plan(&plan);
        f->calls++;
        return f->kexec_load_ret;
}

static int fake_reboot(void *data)
{
        ((struct fuzz_sys *)data)->calls++;
        return -EINVAL;
}

static void fake_sync(void *data)
{
        ((struct fuzz_sys *)data)->calls++;
}

static int fake_ifdown(void *data)
{
        ((struct fuzz_sys *)data)->calls++;
        return 0;
}

static int fake_shutdown(void *data)
{
        ((struct fuzz_sys *)data)->calls++;
        return -ENOENT;
}

static int fake_run(void *data, const char *const *argv)
{
        ((struct fuzz_sys *)data)->calls++;
        FUZZ_CHECK(argv && argv[0]);
        return -ENOENT;
}

static const struct wb_sys_ops fuzz_sys_ops = {
        .kexec_file_load = fake_file_load,
        .kexec_load = fake_load,
        .reboot_kexec = fake_reboot,
        .sync = fake_sync,
        .ifdown = fake_ifdown,
        .shutdown_reboot = fake_shutdown,
        .run = fake_run,
};

void fuzz_sys_init(struct fuzz_sys *f)
{
        *f = (struct fuzz_sys) { .sys = { .ops = &fuzz_sys_ops, .data = f } };
}

static char fixture_root[128];

static void remove_root(void)
{
        char cmd[160];

        /* Our own mkdtemp folder, its name made here: nothing to quote. */
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fixture_root);
        if (fixture_root[0] && system(cmd) != 0)
                fprintf(stderr, "fuzz: could not remove %s\n", fixture_root);
}

const char *fuzz_mkroot(const char *name)
{
        const char *tmp = getenv("TMPDIR");

        if (!tmp || !*tmp || strlen(tmp) > 64 || strchr(tmp, '\''))
                tmp = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
        snprintf(fixture_root, sizeof(fixture_root), "%s/wb-fuzz-%.16s.XXXXXX", tmp, name);
        if (!mkdtemp(fixture_root)) {
                perror(fixture_root);
                abort();
        }
        atexit(remove_root);
        return fixture_root;
}

void fuzz_mkdirs(const char *root, const char *rel)
{
        char path[512];
        size_t skip = strlen(root);

        snprintf(path, sizeof(path), "%s/%s", root, rel[0] == '/' ? rel + 1 : rel);
        for (char *s = strchr(path + skip + 1, '/'); ; s = strchr(s + 1, '/')) {
                if (s)
                        *s = '\0';
                if (mkdir(path, 0755) < 0 && errno != EEXIST) {
                        perror(path);
                        abort();
                }
                if (!s)
                        break;
                *s = '/';
        }
}

void fuzz_put(const char *root, const char *rel, const void *data, size_t len)
{
        char path[512];
        FILE *f;

        snprintf(path, sizeof(path), "%s/%s", root, rel[0] == '/' ? rel + 1 : rel);
        f = fopen(path, "wb");
        if (!f || (len && fwrite(data, 1, len, f) != len) || fclose(f) != 0) {
                perror(path);
                abort();
        }
}
