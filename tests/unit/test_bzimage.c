// SPDX-License-Identifier: MIT
/*
 * Kernel images through the format registry: wb_file_open,
 * wb_image_identify and wb_kernel_load on synthetic bzImages (built here
 * from Documentation/arch/x86/boot.rst's header layout), on broken ones,
 * and on files people give kexec by mistake.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <warmboot/ctx.h>
#include <warmboot/error.h>
#include <warmboot/image.h>

#include "lib/x86/boot.h"

#include "fixtures.h"

#define NOT_KNOWN "not a kernel image warmboot knows (tried: "
#define CLASSIC_NO_64BIT \
        "kexec_load enters kernels through the 64-bit entry point, which this one lacks (XLF_KERNEL_64)"

struct fixture {
        char *dir;
        struct wb_ctx ctx;
        struct wb_file *file;
        struct wb_kernel *kernel;
        struct wb_diag diag;
        char log[8192];
};

static void collect_log(void *userdata, const char *line)
{
        struct fixture *fx = userdata;
        size_t used = strlen(fx->log);

        snprintf(fx->log + used, sizeof(fx->log) - used, "%s\n", line);
}

static int setup(void **state)
{
        struct fixture *fx = calloc(1, sizeof(*fx));

        assert_non_null(fx);
        fx->dir = fx_mkdtemp();
        /* Probing and parsing never reach the kernel: no seam. */
        fx->ctx = (struct wb_ctx) { .root = fx->dir, .log = collect_log, .log_data = fx };
        *state = fx;
        return 0;
}

/* Frees what the last open_and_load() made, so that a test can load several files. */
static void release(struct fixture *fx)
{
        wb_kernel_free(fx->kernel);
        wb_file_close(fx->file);
        fx->kernel = NULL;
        fx->file = NULL;
        memset(&fx->diag, 0, sizeof(fx->diag));
        fx->log[0] = '\0';
}

static int teardown(void **state)
{
        struct fixture *fx = *state;

        release(fx);
        fx_rmtree(fx->dir);
        free(fx);
        return 0;
}

/* Opens path and loads it with type (NULL: probe); 0 or the first negative errno. */
static int open_and_load(struct fixture *fx, const char *path, const char *type)
{
        int r;

        release(fx);
        r = wb_file_open(path, WB_KERNEL_MAX_SIZE, &fx->file, &fx->diag);
        if (r < 0)
                return r;
        return wb_kernel_load(&fx->ctx, fx->file, type, &fx->kernel, &fx->diag);
}

/* Writes the image of spec (NULL: the default one) and loads it. */
static int load_spec(struct fixture *fx, const struct img_bzimage *spec, char **ret_path)
{
        char *path = fx_bzimage_write(fx->dir, "vmlinuz", spec);
        int r = open_and_load(fx, path, NULL);

        if (ret_path)
                *ret_path = path;
        else
                free(path);
        return r;
}

static void expect_failure(struct fixture *fx, int r, int want_err, const char *path,
                           const char *want_reason_part)
{
        if (r != want_err || !strstr(fx->diag.reason, want_reason_part))
                fail_msg("got %d '%s', want %d with '%s'", r, fx->diag.reason, want_err,
                         want_reason_part);
        assert_string_equal(fx->diag.path, path);
        assert_null(fx->kernel);
}

/* Loads the image of spec and expects it to fail with want_err and a reason containing want. */
static void expect_spec_failure(struct fixture *fx, const struct img_bzimage *spec, int want_err,
                                const char *want)
{
        char *path;
        int r = load_spec(fx, spec, &path);

        expect_failure(fx, r, want_err, path, want);
        free(path);
}

static void test_good(void **state)
{
        struct fixture *fx = *state;
        const struct wb_image_ops *ops = NULL;
        char *path;

        assert_int_equal(load_spec(fx, NULL, &path), 0);
        assert_string_equal(fx->file->path, path);
        assert_int_equal(fx->file->size, 3 * 512 + 64 * 16);
        assert_int_equal(wb_image_identify(&fx->ctx, fx->file, NULL, &ops, &fx->diag), 0);
        assert_ptr_equal(ops, &wb_format_bzimage);
        assert_string_equal(ops->name, "bzImage");

        assert_ptr_equal(fx->kernel->ops, &wb_format_bzimage);
        assert_ptr_equal(fx->kernel->file, fx->file);
        assert_int_equal(fx->kernel->arch, WB_ARCH_X86_64);
        assert_int_equal(fx->kernel->boot_protocol, 0x020f);
        assert_int_equal(fx->kernel->cmdline_max, 2047);
        /* kexec_file_load keeps 30 bytes for "elfcorehdr=0x... " and wants the NUL to fit too. */
        assert_int_equal(fx->kernel->file_cmdline_max, 2047 - 31);
        assert_null(fx->kernel->file_load_refusal);
        assert_null(fx->kernel->classic_refusal);
        /* Nothing is placed without the kexec_load path's input. */
        assert_false(fx->kernel->planned);
        assert_non_null(strstr(fx->log, "bzImage: protocol 2.15"));
        free(path);
}

/* The -t names kexec-tools users type, in any case; unknown ones are refused. */
static void test_types(void **state)
{
        struct fixture *fx = *state;
        static const char *const names[] = { "bzImage", "bzimage", "BZIMAGE", "bzImage64" };
        const struct wb_image_ops *ops;
        char *path;

        assert_int_equal(load_spec(fx, NULL, &path), 0);
        for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
                ops = NULL;
                assert_int_equal(wb_image_identify(&fx->ctx, fx->file, names[i], &ops, &fx->diag), 0);
                assert_ptr_equal(ops, &wb_format_bzimage);
        }
        ops = NULL;
        assert_int_equal(wb_image_identify(&fx->ctx, fx->file, "multiboot-x86", &ops, &fx->diag), -EINVAL);
        assert_null(ops);
        assert_string_equal(fx->diag.path, path);
        assert_true(strncmp(fx->diag.reason, "unknown image type 'multiboot-x86' (known: bzImage",
                            strlen("unknown image type 'multiboot-x86' (known: bzImage")) == 0);

        /* Asking for bzImage on something else says so. */
        {
                uint8_t junk[4096];
                char *other;

                fx_random_bytes(junk, sizeof(junk), 7);
                other = fx_write(fx->dir, "junk", junk, sizeof(junk));
                assert_int_equal(open_and_load(fx, other, "bzImage"), -ENOEXEC);
                assert_string_equal(fx->diag.reason, "not a bzImage");
                assert_string_equal(fx->diag.path, other);
                free(other);
        }
        free(path);
}

/* boot.rst: "if this field is 0, the real value is 4". */
static void test_setup_sects_zero(void **state)
{
        struct fixture *fx = *state;
        struct img_bzimage spec;
        uint8_t *img;
        size_t len;
        char *path;

        img_bzimage_default(&spec);
        spec.setup_sects = 0;
        assert_int_equal(load_spec(fx, &spec, NULL), 0);
        assert_int_equal(fx->file->size, 5 * 512 + 64 * 16);

        /*
         * Cut to 3 setup sectors plus the kernel: enough if 0 meant 0 or 2,
         * short by two sectors when it means 4.
         */
        img = fx_bzimage_build(&spec, &len);
        path = fx_write(fx->dir, "short", img, 3 * 512 + 64 * 16);
        expect_failure(fx, open_and_load(fx, path, NULL), -ENOEXEC, path,
                       "truncated bzImage: its header says 3584 bytes, the file has 2560");
        free(path);
        free(img);
}

static void test_truncated(void **state)
{
        struct fixture *fx = *state;
        uint8_t *img;
        size_t len;
        /* Inside the header after "HdrS", at its end, in the setup code, at and past its end. */
        const size_t cuts[] = {
                WB_X86_HDR_MAGIC + 4, 0x210, WB_X86_HDR_CMDLINE_SIZE, WB_X86_HDR_END - 1,
                WB_X86_HDR_END, 0x400, 3 * 512 - 1, 3 * 512, 3 * 512 + 1, 3 * 512 + 64 * 16 - 1,
        };

        img = fx_bzimage_build(NULL, &len);
        for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
                char *path = fx_write(fx->dir, "cut", img, cuts[i]);
                const struct wb_image_ops *ops = NULL;
                int r;

                /* Still recognised as a bzImage, so that the reason is about the cut. */
                release(fx);
                assert_int_equal(wb_file_open(path, WB_KERNEL_MAX_SIZE, &fx->file, &fx->diag), 0);
                assert_int_equal(wb_image_identify(&fx->ctx, fx->file, NULL, &ops, &fx->diag), 0);
                assert_ptr_equal(ops, &wb_format_bzimage);
                r = open_and_load(fx, path, NULL);
                if (r != -ENOEXEC || !strstr(fx->diag.reason, "truncated"))
                        fail_msg("cut at %zu: got %d '%s'", cuts[i], r, fx->diag.reason);
                assert_string_equal(fx->diag.path, path);
                assert_null(fx->kernel);
                free(path);
        }

        /* Cut before the magic, nothing says it was a bzImage: not a known kernel. */
        for (size_t n = 1; n < WB_X86_HDR_MAGIC + 4; n += 0x7f) {
                char *path = fx_write(fx->dir, "cut", img, n);

                assert_int_equal(open_and_load(fx, path, NULL), -ENOEXEC);
                assert_true(strncmp(fx->diag.reason, NOT_KNOWN, strlen(NOT_KNOWN)) == 0);
                free(path);
        }
        free(img);
}

static void test_corrupt_headers(void **state)
{
        struct fixture *fx = *state;
        struct img_bzimage spec;

        img_bzimage_default(&spec);
        spec.syssize = 0;
        expect_spec_failure(fx, &spec, -ENOEXEC,
                       "corrupt bzImage header: syssize is 0 (no protected-mode kernel)");

        /* The payload must end inside the protected-mode kernel (1024 bytes here). */
        img_bzimage_default(&spec);
        spec.payload_offset = 0x100;
        spec.payload_length = 0x301;
        expect_spec_failure(fx, &spec, -ENOEXEC,
                       "corrupt bzImage header: the compressed payload (769 bytes at 256) ends past the kernel (1024 bytes)");
        spec.payload_length = 0x300;
        assert_int_equal(load_spec(fx, &spec, NULL), 0);

        /* An offset near 4 GiB must not wrap around into "fits". */
        spec.payload_offset = 0xffffffff;
        spec.payload_length = 2;
        expect_spec_failure(fx, &spec, -ENOEXEC, "compressed payload");

        img_bzimage_default(&spec);
        spec.cmdline_size = 0;
        expect_spec_failure(fx, &spec, -ENOEXEC,
                       "corrupt bzImage header: cmdline_size is 0");

        img_bzimage_default(&spec);
        spec.version = 0x0203;
        expect_spec_failure(fx, &spec, -ENOEXEC,
                       "bzImage boot protocol 2.03 is too old (2.04 or newer needed)");

        /* No boot flag or no magic: not recognised at all. */
        img_bzimage_default(&spec);
        spec.boot_flag = 0;
        expect_spec_failure(fx, &spec, -ENOEXEC, NOT_KNOWN);
        img_bzimage_default(&spec);
        spec.magic = "HdrZ";
        expect_spec_failure(fx, &spec, -ENOEXEC, NOT_KNOWN);
        assert_non_null(strstr(fx->log, "bzImage probe: no \"HdrS\" magic at 0x202"));
}

/* Images one of the syscalls cannot take: they load, with the refusals said. */
static void test_file_load_refusals(void **state)
{
        struct fixture *fx = *state;
        struct img_bzimage spec;

        img_bzimage_default(&spec);
        spec.version = 0x020b;
        assert_int_equal(load_spec(fx, &spec, NULL), 0);
        assert_int_equal(fx->kernel->boot_protocol, 0x020b);
        assert_int_equal(fx->kernel->cmdline_max, 2047);
        assert_string_equal(fx->kernel->file_load_refusal, "kexec_file_load needs boot protocol 2.12 or newer");
        /* Without xloadflags there is no 64-bit entry for kexec_load either. */
        assert_string_equal(fx->kernel->classic_refusal, CLASSIC_NO_64BIT);

        img_bzimage_default(&spec);
        spec.xloadflags = WB_X86_XLF_CAN_BE_LOADED_ABOVE_4G;
        assert_int_equal(load_spec(fx, &spec, NULL), 0);
        assert_string_equal(fx->kernel->file_load_refusal, "not a 64-bit kernel (XLF_KERNEL_64 is not set)");
        assert_string_equal(fx->kernel->classic_refusal, CLASSIC_NO_64BIT);

        img_bzimage_default(&spec);
        spec.loadflags = 0;
        assert_int_equal(load_spec(fx, &spec, NULL), 0);
        assert_string_equal(fx->kernel->file_load_refusal, "a zImage, not a bzImage (LOADED_HIGH is not set)");
        assert_null(fx->kernel->classic_refusal);

        img_bzimage_default(&spec);
        spec.xloadflags = WB_X86_XLF_KERNEL_64;
        assert_int_equal(load_spec(fx, &spec, NULL), 0);
        assert_string_equal(fx->kernel->file_load_refusal,
                            "the kernel cannot be loaded above 4 GiB (XLF_CAN_BE_LOADED_ABOVE_4G is not set)");
        /* kexec_load places it below 4 GiB instead. */
        assert_null(fx->kernel->classic_refusal);

        /* The other xloadflags bits change nothing. */
        img_bzimage_default(&spec);
        spec.xloadflags |= WB_X86_XLF_EFI_HANDOVER_64 | WB_X86_XLF_EFI_KEXEC | WB_X86_XLF_5LEVEL;
        assert_int_equal(load_spec(fx, &spec, NULL), 0);
        assert_null(fx->kernel->file_load_refusal);
}

static void test_cmdline_limits(void **state)
{
        struct fixture *fx = *state;
        struct img_bzimage spec;

        /* Before 2.06 there is no cmdline_size: the limit is 255, whatever the bytes say. */
        img_bzimage_default(&spec);
        spec.version = 0x0205;
        assert_int_equal(load_spec(fx, &spec, NULL), 0);
        assert_int_equal(fx->kernel->cmdline_max, 255);
        assert_int_equal(fx->kernel->file_cmdline_max, 255 - 31);
        assert_non_null(fx->kernel->file_load_refusal);

        img_bzimage_default(&spec);
        spec.cmdline_size = 65535;
        assert_int_equal(load_spec(fx, &spec, NULL), 0);
        assert_int_equal(fx->kernel->cmdline_max, 65535);
        assert_int_equal(fx->kernel->file_cmdline_max, 65535 - 31);

        /* A limit smaller than the kernel's reserve leaves no room at all, without wrapping. */
        for (uint32_t size = 1; size <= 31; size += 15) {
                img_bzimage_default(&spec);
                spec.cmdline_size = size;
                assert_int_equal(load_spec(fx, &spec, NULL), 0);
                assert_int_equal(fx->kernel->cmdline_max, size);
                assert_int_equal(fx->kernel->file_cmdline_max, 0);
        }
        img_bzimage_default(&spec);
        spec.cmdline_size = 32;
        assert_int_equal(load_spec(fx, &spec, NULL), 0);
        assert_int_equal(fx->kernel->file_cmdline_max, 1);
}

static void test_not_files(void **state)
{
        struct fixture *fx = *state;
        char *missing = fx_path(fx->dir, "missing");
        char *empty = fx_write(fx->dir, "empty", "", 0);
        char *dir = fx_mkdir(fx->dir, "boot");
        char *big = fx_write(fx->dir, "big", "0123456789", 10);
        /* Stays untouched when the open fails. */
        static struct wb_file sentinel;
        struct wb_file *f = &sentinel;

        expect_failure(fx, open_and_load(fx, missing, NULL), -ENOENT, missing,
                       "cannot open: No such file or directory");
        assert_string_equal(fx->diag.reason, "cannot open: No such file or directory");
        expect_failure(fx, open_and_load(fx, empty, NULL), -ENOEXEC, empty, "file is empty");
        assert_string_equal(fx->diag.reason, "file is empty");
        expect_failure(fx, open_and_load(fx, dir, NULL), -EISDIR, dir, "is a directory, not a file");
        assert_string_equal(fx->diag.reason, "is a directory, not a file");
        expect_failure(fx, open_and_load(fx, "/dev/null", NULL), -EINVAL, "/dev/null", "not a regular file");

        /* Above the caller's limit. */
        assert_int_equal(wb_file_open(big, 9, &f, &fx->diag), -EFBIG);
        assert_string_equal(fx->diag.reason, "file is 10 bytes, more than the 9 warmboot accepts");
        assert_ptr_equal(f, &sentinel);
        assert_int_equal(wb_file_open(big, 10, &f, &fx->diag), 0);
        assert_int_equal(f->size, 10);
        assert_memory_equal(f->data, "0123456789", 10);
        wb_file_close(f);

        /* No diag wanted: still the errno. */
        assert_int_equal(wb_file_open(missing, WB_KERNEL_MAX_SIZE, &f, NULL), -ENOENT);
        wb_file_close(NULL);
        wb_kernel_free(NULL);
        free(missing);
        free(empty);
        free(dir);
        free(big);
}

static void test_random_bytes(void **state)
{
        struct fixture *fx = *state;
        uint8_t junk[64 * 1024];
        char *path;

        fx_random_bytes(junk, sizeof(junk), 12345);
        path = fx_write(fx->dir, "junk", junk, sizeof(junk));
        expect_failure(fx, open_and_load(fx, path, NULL), -ENOEXEC, path, NOT_KNOWN);
        /* Nothing to guess from: the reason ends with the list of formats tried. */
        assert_int_equal(fx->diag.reason[strlen(fx->diag.reason) - 1], ')');
        assert_non_null(strstr(fx->diag.reason, "bzImage"));
        /* The debug hook heard which check failed. */
        assert_non_null(strstr(fx->log, "bzImage probe: no 0xaa55 boot flag at 0x1fe"));
        free(path);

        /* A text file. */
        path = fx_write_str(fx->dir, "notes.txt", "this is not a kernel\n");
        expect_failure(fx, open_and_load(fx, path, NULL), -ENOEXEC, path, NOT_KNOWN);
        free(path);
}

/* Files people hand to kexec by mistake: the reason says what they look like. */
static void test_foreign(void **state)
{
        struct fixture *fx = *state;
        static const struct {
                const char *name;
                size_t at;
                const char *magic;
                size_t magic_len;
                uint16_t e_machine;     /* for ELF files */
                const char *want;
        } cases[] = {
                { "x86_64 object", 0, "\177ELF\2\1\1", 7, 62, "an x86_64 ELF file" },
                { "arm64 ELF", 0, "\177ELF\2\1\1", 7, 183, "an arm64 ELF file, not for this x86_64 machine" },
                { "i386 ELF", 0, "\177ELF\1\1\1", 7, 3, "a 32-bit x86 ELF file" },
                { "RISC-V ELF", 0, "\177ELF\2\1\1", 7, 243, "a RISC-V ELF file, not for this x86_64 machine" },
                { "s390 ELF", 0, "\177ELF\2\2\1", 7, 22, "an ELF file for another architecture" },
                { "arm64 Image", 0x38, "ARM\x64", 4, 0, "an arm64 Image, not for this x86_64 machine" },
                { "RISC-V Image", 0x38, "RSC\x05", 4, 0, "a RISC-V Image, not for this x86_64 machine" },
                { "cpio", 0, "070701", 6, 0, "a cpio archive: an initramfs, not a kernel" },
                { "gzip", 0, "\x1f\x8b\x08", 3, 0, "gzip-compressed data" },
                { "zstd", 0, "\x28\xb5\x2f\xfd", 4, 0, "zstd-compressed data" },
                { "xz", 0, "\xfd" "7zXZ\0", 6, 0, "xz-compressed data" },
                { "PE without a Linux header", 0, "MZ", 2, 0, "a PE/EFI executable without a Linux boot header" },
        };

        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                uint8_t buf[4096];
                char *path;

                memset(buf, 0, sizeof(buf));
                memcpy(buf + cases[i].at, cases[i].magic, cases[i].magic_len);
                if (cases[i].e_machine) {
                        buf[16] = 1;    /* ET_REL: an object file, not a vmlinux */
                        buf[18] = (uint8_t)cases[i].e_machine;
                        buf[19] = (uint8_t)(cases[i].e_machine >> 8);
                }
                path = fx_write(fx->dir, cases[i].name, buf, sizeof(buf));
                if (open_and_load(fx, path, NULL) != -ENOEXEC ||
                    strncmp(fx->diag.reason, NOT_KNOWN, strlen(NOT_KNOWN)) != 0 ||
                    !strstr(fx->diag.reason, cases[i].want))
                        fail_msg("%s: got '%s', want '%s'", cases[i].name, fx->diag.reason, cases[i].want);
                assert_string_equal(fx->diag.path, path);
                free(path);
        }
}

/*
 * The kernel the guest tests boot (Debian's cloud kernel), when
 * WB_REAL_KERNEL names it: a real bzImage must load as one.
 */
static void test_real_kernel(void **state)
{
        struct fixture *fx = *state;
        const char *path = getenv("WB_REAL_KERNEL");

        if (!path || !*path) {
                print_message("WB_REAL_KERNEL is not set: skipped\n");
                skip();
        }
        if (open_and_load(fx, path, NULL) != 0)
                fail_msg("%s: %s", fx->diag.path, fx->diag.reason);
        assert_ptr_equal(fx->kernel->ops, &wb_format_bzimage);
        assert_int_equal(fx->kernel->boot_protocol, 0x020f);
        assert_int_equal(fx->kernel->cmdline_max, 2047);
        assert_int_equal(fx->kernel->file_cmdline_max, 2016);
        assert_null(fx->kernel->file_load_refusal);
        assert_true(fx->file->size > 1024 * 1024);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test_setup_teardown(test_good, setup, teardown),
                cmocka_unit_test_setup_teardown(test_types, setup, teardown),
                cmocka_unit_test_setup_teardown(test_setup_sects_zero, setup, teardown),
                cmocka_unit_test_setup_teardown(test_truncated, setup, teardown),
                cmocka_unit_test_setup_teardown(test_corrupt_headers, setup, teardown),
                cmocka_unit_test_setup_teardown(test_file_load_refusals, setup, teardown),
                cmocka_unit_test_setup_teardown(test_cmdline_limits, setup, teardown),
                cmocka_unit_test_setup_teardown(test_not_files, setup, teardown),
                cmocka_unit_test_setup_teardown(test_random_bytes, setup, teardown),
                cmocka_unit_test_setup_teardown(test_foreign, setup, teardown),
                cmocka_unit_test_setup_teardown(test_real_kernel, setup, teardown),
        };

        return cmocka_run_group_tests_name("bzimage", tests, NULL, NULL);
}
