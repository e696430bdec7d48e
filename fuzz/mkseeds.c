// SPDX-License-Identifier: MIT
/*
 * Writes the generated seed corpora: mkseeds OUTDIR [VMLINUZ [VMLINUX]].
 * OUTDIR/<target>/<name> for each target; synthetic images always, and,
 * when the Debian kernel of the guest tests is there, its first 64 KiB
 * (and a copy whose syssize is cut to fit, so that parsing goes on past
 * the size check), and its vmlinux headers with the segments' file bytes
 * shrunk to a few. Nothing here is committed: make builds it.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tests/support/images.h"
#include "tests/support/vmcore_image.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *outdir;

static void seed(const char *target, const char *name, const void *data, size_t len)
{
        char path[4096];
        FILE *f;

        snprintf(path, sizeof(path), "%s/%s", outdir, target);
        if (mkdir(path, 0755) < 0 && errno != EEXIST) {
                perror(path);
                exit(1);
        }
        snprintf(path, sizeof(path), "%s/%s/%s", outdir, target, name);
        f = fopen(path, "wb");
        if (!f || (len && fwrite(data, 1, len, f) != len) || fclose(f) != 0) {
                perror(path);
                exit(1);
        }
}

/* A seed made of NUL-separated words, as the argv targets read them. */
static void seed_argv(const char *target, const char *name, const char *first, const char *const *words)
{
        char buf[4096];
        size_t len = 0;

        if (first) {
                buf[len++] = first[0];
        }
        for (; *words; words++) {
                size_t n = strlen(*words) + 1;

                if (len + n > sizeof(buf))
                        break;
                memcpy(buf + len, *words, n);
                len += n;
        }
        seed(target, name, buf, len ? len - 1 : 0);
}

static void put(uint8_t *p, uint64_t v, size_t n)
{
        for (size_t i = 0; i < n; i++)
                p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get(const uint8_t *p, size_t n)
{
        uint64_t v = 0;

        for (size_t i = 0; i < n; i++)
                v |= (uint64_t)p[i] << (8 * i);
        return v;
}

static uint8_t *read_prefix(const char *path, size_t max, size_t *ret_len)
{
        uint8_t *b = malloc(max);
        FILE *f = fopen(path, "rb");

        if (!b || !f) {
                free(b);
                if (f)
                        fclose(f);
                return NULL;
        }
        *ret_len = fread(b, 1, max, f);
        fclose(f);
        return b;
}

/*
 * A fuzz_bootparams input: flags (initrd), three ranges, params_addr,
 * initrd address and size, a command line, then the image's header.
 */
static void seed_bootparams(const char *name, const uint8_t *image, size_t len)
{
        static const uint8_t head[] = {
                0x02, 3,
                0, 0, 0x9f, 0x00, 1,    0x01, 0, 0x01, 0x00, 0,   0x00, 0, 0xf0, 0x3f, 1,
                0, 0x08, 0x00,                  /* params_addr 0x8000 */
                0, 0x00, 0x30,                  /* initrd at 0x3000000 */
                0, 0x00, 0x01,                  /* of 1 MiB */
                12, 0, 'c', 'o', 'n', 's', 'o', 'l', 'e', '=', 't', 't', 'y', 'S',
                0,                              /* a buffer of the full size */
        };
        uint8_t *b = malloc(sizeof(head) + len);

        if (!b)
                exit(1);
        memcpy(b, head, sizeof(head));
        memcpy(b + sizeof(head), image, len);
        seed("bootparams", name, b, sizeof(head) + len);
        free(b);
}

/* The synthetic bzImages: the default image, and one for each change to it. */
static void bzimages(void)
{
        enum { DEFAULT, FIXED, PROTO_2_10, PROTO_2_04, SETUP_SECTS_0, INIT_SIZE_1G, N };
        static const char *const names[N] = {
                [DEFAULT] = "default-2.15",
                [FIXED] = "fixed-address",
                [PROTO_2_10] = "protocol-2.10",
                [PROTO_2_04] = "protocol-2.04",
                [SETUP_SECTS_0] = "setup-sects-0-below-4g",
                [INIT_SIZE_1G] = "init-size-1g",
        };
        struct img_bzimage s[N];

        for (size_t i = 0; i < N; i++)
                img_bzimage_default(&s[i]);
        s[FIXED].relocatable = 0;
        s[FIXED].pref_address = 0x1000000;
        s[PROTO_2_10].version = 0x020a;
        s[PROTO_2_10].xloadflags = 0;
        s[PROTO_2_04].version = 0x0204;
        s[SETUP_SECTS_0].setup_sects = 0;
        s[SETUP_SECTS_0].xloadflags = 1;                /* 64-bit, below 4 GiB only */
        s[INIT_SIZE_1G].init_size = 0x40000000;         /* more than the QEMU guest's RAM */

        for (size_t i = 0; i < N; i++) {
                size_t len;
                uint8_t *b = img_bzimage(&s[i], &len);

                if (!b)
                        exit(1);
                seed("bzimage", names[i], b, len);
                if (i == DEFAULT)
                        seed_bootparams("synthetic-header", b, len);
                /* Cut in each part, so that every length check gets its turn. */
                if (i == INIT_SIZE_1G) {
                        seed("bzimage", "truncated-in-kernel", b, len - 100);
                        seed("bzimage", "truncated-in-setup", b, 0x300);
                        seed("bzimage", "truncated-in-header", b, 0x220);
                }
                free(b);
        }
}

/* The real kernel's first 64 KiB, as it is and with syssize cut to what is there. */
static void real_bzimage(const char *path)
{
        size_t len;
        uint8_t *b = read_prefix(path, 65536, &len);

        if (!b)
                return;
        seed("bzimage", "debian-64k", b, len);
        if (len > 0x268) {
                size_t setup = ((size_t)(b[0x1f1] ? b[0x1f1] : 4) + 1) * 512;

                if (setup < len) {
                        put(b + 0x1f4, (len - setup) / 16, 4);
                        put(b + 0x248, 0, 4);           /* payload_offset */
                        put(b + 0x24c, 0x100, 4);       /* payload_length */
                        seed("bzimage", "debian-64k-fitted", b, len);
                        seed_bootparams("debian-header", b, 0x1000 < len ? 0x1000 : len);
                }
        }
        free(b);
}

/* The synthetic ELF images: their program headers and entry point. */
static void elfs(void)
{
        static const struct img_elf_segment one[] = { { 1, 0xffffffff81000000, 0x1000000, 0x800, 0x3000 } };
        static const struct img_elf_segment three[] = {
                { 1, 0xffffffff81000000, 0x1000000, 0x400, 0x200000 },
                { 1, 0xffffffff82a00000, 0x2a00000, 0x200, 0x1000 },
                { 4, 0xffffffff82437e70, 0x2437e70, 0x20, 0x20 },      /* PT_NOTE */
                { 1, 0, 0x301a000, 0x100, 0x34000 },                    /* percpu: vaddr 0 */
        };
        static const struct img_elf_segment overlap[] = {
                { 1, 0x1000000, 0x1000000, 0x100, 0x2000 },
                { 1, 0x1001000, 0x1001000, 0x100, 0x2000 },
        };
        static const struct img_elf_segment outside[] = { { 1, 0x200000000000, 0x200000000000, 0x100, 0x1000 } };
        static const struct {
                const char *name;
                const struct img_elf_segment *segs;
                size_t n;
                uint64_t entry;
        } elf[] = {
                { "one-segment", one, COUNT(one), 0x1000000 },
                { "vmlinux-like-virtual-entry", three, COUNT(three), 0xffffffff81000000 },
                { "overlapping", overlap, COUNT(overlap), 0x1000000 },
                { "outside-ram", outside, COUNT(outside), 0x200000000000 },
        };

        for (size_t i = 0; i < COUNT(elf); i++) {
                size_t len;
                uint8_t *b = img_elf(elf[i].segs, elf[i].n, elf[i].entry, &len);

                if (!b)
                        exit(1);
                seed("elf", elf[i].name, b, len);
                free(b);
        }
}

/* The real vmlinux's ELF and program headers, each segment given 64 bytes of the file. */
static void real_elf(const char *path)
{
        size_t len, phnum, phoff, off, out_len;
        uint8_t *b = read_prefix(path, 4096, &len), *out;

        if (!b || len < 64 || memcmp(b, "\177ELF", 4) != 0) {
                free(b);
                return;
        }
        phoff = (size_t)get(b + 32, 8);
        phnum = (size_t)get(b + 56, 2);
        if (phoff > len || phnum > (len - phoff) / 56) {
                free(b);
                return;
        }
        off = phoff + phnum * 56;
        out_len = off + phnum * 64;
        out = calloc(1, out_len);
        if (!out) {
                free(b);
                return;
        }
        memcpy(out, b, off);
        put(out + 40, 0, 8);    /* no section headers */
        put(out + 60, 0, 2);
        put(out + 62, 0, 2);
        for (size_t i = 0; i < phnum; i++) {
                uint8_t *ph = out + phoff + i * 56;

                put(ph + 8, off + i * 64, 8);
                if (get(ph + 32, 8) > 64)
                        put(ph + 32, 64, 8);
                memset(out + off + i * 64, 0x90, 64);
        }
        seed("elf", "debian-vmlinux-headers", out, out_len);
        free(out);
        free(b);
}

static void plans(void)
{
        /* 2 ranges: RAM [0x1000, 0x9f000) and [0x100000, 0x40000000); then 3 requests. */
        static const uint8_t a[] = {
                2,
                0, 0x01, 0x00, 0, 0x9e, 0x00, 0,                                /* addr mode 0: pages */
                1, 0x00, 0x00, 0x10, 0x00, 0, 1, 0x00, 0x00, 0xf0, 0x3f, 0,      /* mode 1 */
                0x21, 0, 0x10, 0x00, 21, 0, 0x00, 0x40,                         /* top-down, max */
                0x00, 0, 0x01, 0x00, 12,                                        /* bottom-up */
                0x41, 0, 0x20, 0x00, 12, 0, 0x00, 0x10,                         /* top-down, min */
        };
        static const uint8_t full[] = {
                1, 0, 0x00, 0x01, 1, 0x00, 0x00, 0x00, 0x40, 0,
                1, 0, 1, 0, 12, 1, 0, 1, 0, 12, 1, 0, 1, 0, 12, 1, 0, 1, 0, 12,
                1, 0, 1, 0, 12, 1, 0, 1, 0, 12, 1, 0, 1, 0, 12, 1, 0, 1, 0, 12,
                1, 0, 1, 0, 12, 1, 0, 1, 0, 12, 1, 0, 1, 0, 12, 1, 0, 1, 0, 12,
                1, 0, 1, 0, 12, 1, 0, 1, 0, 12, 1, 0, 1, 0, 12, 1, 0, 1, 0, 12,
                1, 0, 1, 0, 12,
        };
        static const uint8_t top[] = {
                1, 2, 0xff, 0xff, 0x0f, 0x00, 0, 0x00, 0x10, 0,                 /* near 2^64 */
                0x80, 0, 0x01, 0x00, 3, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        };

        seed("plan", "two-ranges-three-requests", a, sizeof(a));
        seed("plan", "seventeen-segments", full, sizeof(full));
        seed("plan", "top-of-address-space", top, sizeof(top));
}

static void argvs(void)
{
        static const char *const load[] = { "-l", "--initrd=/boot/initrd.img", "--reuse-cmdline", "/boot/vmlinuz", NULL };
        static const char *const panic[] = { "-p", "--initrd", "/boot/initrd.img", "--append=irqpoll nr_cpus=1", "/boot/vmlinuz", NULL };
        static const char *const classic[] = { "-c", "-i", "--console-serial", "--serial=ttyS1", "--serial-baud=9600", "-l", "-t", "bzImage64", "--command-line=root=/dev/vda1", "k", NULL };
        static const char *const exec[] = { "-e", "-x", "-y", NULL };
        static const char *const status[] = { "-l", "-S", NULL };
        static const char *const unsupported[] = { "--mem-min=0", "-l", "k", NULL };
        static const char *const missing[] = { "-l", "k", "--initrd", NULL };
        static const char *const cluster[] = { "-lsd", "--dry-run", "--print-ckr-size", "-u", "-p", NULL };
        static const char *const cli_load[] = { "-l", "--initrd=@3", "--reuse-cmdline", "--dry-run", "@0", NULL };
        static const char *const cli_classic[] = { "-c", "-l", "--initrd=@3", "--append=quiet", "-d", "--dry-run", "@0", NULL };
        static const char *const cli_elf[] = { "-l", "--command-line=root=/dev/vda1", "@2", NULL };
        static const char *const cli_exec[] = { "-f", "-d", "@0", NULL };
        static const char *const cli_panic[] = { "-p", "-s", "--reuse-cmdline", "@0", NULL };

        seed_argv("options", "load", NULL, load);
        seed_argv("options", "panic", NULL, panic);
        seed_argv("options", "classic", NULL, classic);
        seed_argv("options", "exec", NULL, exec);
        seed_argv("options", "status", NULL, status);
        seed_argv("options", "unsupported", NULL, unsupported);
        seed_argv("options", "missing-argument", NULL, missing);
        seed_argv("options", "cluster", NULL, cluster);
        seed_argv("cli", "load", "\x00", cli_load);
        seed_argv("cli", "classic", "\x00", cli_classic);
        seed_argv("cli", "elf-fallback", "\x13", cli_elf);
        seed_argv("cli", "exec", "\x00", cli_exec);
        seed_argv("cli", "panic", "\x00", cli_panic);
}

/* fuzz_cmdline: NAME '\0' LINE '\0' APPEND. */
static void cmdlines(void)
{
        static const char reuse[] = "BOOT_IMAGE\0BOOT_IMAGE=/boot/vmlinuz-6.1.0-56-cloud-amd64 root=/dev/vda1 ro "
                                    "\"quoted=a b\" crashkernel=256M console=ttyS0\n\0quiet";
        static const char crash[] = "crashkernel\0crashkernel=256M  crashkernel=512M@16M\tnr_cpus=1 \"crashkernel=x y\"\0";
        static const char open_quote[] = "root\0\"root=/dev/sda1 \" \"unterminated root=x\0irqpoll";

        seed("cmdline", "reuse", reuse, sizeof(reuse) - 1);
        seed("cmdline", "crash", crash, sizeof(crash) - 1);
        seed("cmdline", "open-quote", open_quote, sizeof(open_quote) - 1);
}

/* fuzz_vmcore: the dump tests/unit/test_vmcore.c reads (tests/support/vmcore_image.h). */
static void vmcores(void)
{
        size_t len;
        uint8_t *d = img_vmcore(&len);

        if (!d)
                exit(1);
        seed("vmcore", "ring-of-three", d, len);
        free(d);
}

/* fuzz_config: /etc/default/kexec '\0' /etc/warmboot.conf; fuzz_grub and fuzz_bls: theirs. */
static void configs(void)
{
        static const char conf[] =
                "# Defaults for kexec initscript\n"
                "LOAD_KEXEC=true\n"
                "KERNEL_IMAGE=\"/vmlinuz\"\n"
                "INITRD=\"/initrd.img\"\n"
                "APPEND=\"\"\n"
                "USE_GRUB_CONFIG=false\n"
                "\0"
                "# /etc/warmboot.conf\n"
                "ENABLED=yes\n"
                "export KERNEL=newest\n"
                "INITRD='/boot/initrd.img-6.1.0-9-amd64' # a comment\n"
                "CMDLINE=\"root=UUID=1234 ro \\\"quoted\\\" \\$HOME\"\n"
                "APPEND=quiet\\ splash\n"
                "SYSCALL=classic\n"
                "UNKNOWN=1\n"
                "junk line\n";
        static const char grub[] =
                "set default=\"1>0\"\n"
                "if [ \"${next_entry}\" ] ; then\n"
                "   set default=\"${next_entry}\"\n"
                "fi\n"
                "set timeout=5\n"
                "menuentry 'Debian GNU/Linux' --class debian $menuentry_id_option 'gnulinux-simple-1234' {\n"
                "\tload_video\n"
                "\tinsmod gzio\n"
                "\tsearch --no-floppy --fs-uuid --set=root 1234\n"
                "\techo\t'Loading Linux 6.1.0-9-amd64 ...'\n"
                "\tlinux\t/boot/vmlinuz-6.1.0-9-amd64 root=UUID=1234 ro quiet\n"
                "\tinitrd\t/boot/intel-ucode.img /boot/initrd.img-6.1.0-9-amd64\n"
                "}\n"
                "submenu 'Advanced options for Debian GNU/Linux' $menuentry_id_option 'gnulinux-advanced-1234' {\n"
                "\tmenuentry 'Debian GNU/Linux, with Linux 6.1.0-9-amd64' --id 'gnulinux-6.1.0-9-amd64-advanced-1234' {\n"
                "\t\tlinux\t/boot/vmlinuz-6.1.0-9-amd64 root=UUID=1234 ro ${extra}\n"
                "\t\tinitrd\t/boot/initrd.img-6.1.0-9-amd64\n"
                "\t}\n"
                "}\n"
                "blscfg\n"
                "\0"
                "# GRUB Environment Block\n"
                "saved_entry=gnulinux-simple-1234\n"
                "extra=console=ttyS0\\\\n\n"
                "next_entry=\n"
                "##################\n"
                "\0"
                "title Fedora Linux (6.5.6-300.fc39.x86_64) 39\n"
                "version 6.5.6-300.fc39.x86_64\n"
                "linux /vmlinuz-6.5.6-300.fc39.x86_64\n"
                "initrd /initramfs-6.5.6-300.fc39.x86_64.img\n"
                "options root=UUID=5678 ro rhgb quiet\n"
                "\0"
                "root=$root ${extra} $ ${";
        static const char bls[] =
                "6a9857a393724b7a981ebb5b8495b9ea-6.5.6-300.fc39.x86_64+3-1.conf\0"
                "title Fedora Linux (6.5.6-300.fc39.x86_64) 39 (Workstation Edition)\n"
                "version 6.5.6-300.fc39.x86_64\n"
                "machine-id 6a9857a393724b7a981ebb5b8495b9ea\n"
                "sort-key fedora\n"
                "linux /vmlinuz-6.5.6-300.fc39.x86_64\n"
                "initrd /intel-ucode.img\n"
                "initrd /initramfs-6.5.6-300.fc39.x86_64.img\n"
                "options root=UUID=5678 ro rootflags=subvol=root rhgb quiet\n"
                "options systemd.show_status=1\n"
                "grub_users $grub_users\n"
                "\0" "6.5.6-300.fc39.x86_64\0" "6.5.10-300.fc39.x86_64\0" "6.5.6~rc1-300\0"
                "default 6a9857a393724b7a981ebb5b8495b9ea-*\ntimeout 3\n\0"
                "a-6.5.10*";

        seed("config", "debian-and-warmboot", conf, sizeof(conf) - 1);
        seed("grub", "debian-with-submenu-and-blscfg", grub, sizeof(grub) - 1);
        seed("bls", "fedora-counting", bls, sizeof(bls) - 1);
}

int main(int argc, char **argv)
{
        if (argc < 2) {
                fprintf(stderr, "usage: mkseeds OUTDIR [VMLINUZ [VMLINUX]]\n");
                return 2;
        }
        outdir = argv[1];
        if (mkdir(outdir, 0755) < 0 && errno != EEXIST) {
                perror(outdir);
                return 1;
        }
        bzimages();
        elfs();
        plans();
        argvs();
        cmdlines();
        vmcores();
        configs();
        if (argc > 2)
                real_bzimage(argv[2]);
        if (argc > 3)
                real_elf(argv[3]);
        return 0;
}
