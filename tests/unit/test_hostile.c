// SPDX-License-Identifier: MIT
/*
 * Regression tests for what the fuzz targets (fuzz/, docs/testing.md) and
 * the linters found: each test is the smallest input that showed the bug,
 * and says which target found it.
 */

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include <warmboot/choose.h>
#include <warmboot/config.h>
#include <warmboot/ctx.h>
#include <warmboot/error.h>
#include <warmboot/image.h>
#include <warmboot/load.h>
#include <warmboot/memmap.h>
#include <warmboot/vmcore.h>

#include "fixtures.h"
#include "lib/choose_int.h"
#include "lib/util.h"
#include "lib/x86/boot.h"

static void put32(uint8_t *p, uint32_t v)
{
        for (int i = 0; i < 4; i++)
                p[i] = (uint8_t)(v >> (8 * i));
}

static void put64(uint8_t *p, uint64_t v)
{
        put32(p, (uint32_t)v);
        put32(p + 4, (uint32_t)(v >> 32));
}

/* The 1 GiB QEMU guest of the fixtures: RAM from 1 MiB, Reserved just below it. */
static void qemu_map(struct wb_memmap *map)
{
        assert_int_equal(wb_memmap_parse_iomem(FX_PROC_IOMEM, map), 0);
}

/* A default 2.15 bzImage (1 MiB init_size) made not relocatable, wanting pref_address. */
static uint8_t *fixed_bzimage(uint64_t pref_address, size_t *len)
{
        uint8_t *b = fx_bzimage_build(NULL, len);

        b[WB_X86_HDR_RELOCATABLE] = 0;
        put64(b + WB_X86_HDR_PREF_ADDRESS, pref_address);
        return b;
}

static int plan_classic(uint8_t *image, size_t len, const struct wb_memmap *map,
                        struct wb_kernel **k, struct wb_diag *diag)
{
        struct wb_file file = { .path = "vmlinuz", .fd = -1, .data = image, .size = len };
        struct wb_classic_input in = { .memmap = map, .cmdline = "console=ttyS0" };

        *k = NULL;
        return wb_kernel_load_classic(NULL, &file, NULL, &in, k, diag);
}

/*
 * fuzz_bzimage: a kernel that is not relocatable runs only at its
 * pref_address. One at an address that is not a page was placed on the
 * next page; one just below RAM was placed at the start of RAM.
 */
static void test_fixed_kernel_exactly_at_pref_address(void **state)
{
        struct wb_memmap map;
        struct wb_kernel *k;
        struct wb_diag diag;
        uint8_t *b;
        size_t len;

        (void)state;
        qemu_map(&map);

        /* Where it asks: placed there. */
        b = fixed_bzimage(0x1000000, &len);
        assert_int_equal(plan_classic(b, len, &map, &k, &diag), 0);
        assert_int_equal(k->plan.segments[0].mem, 0x1000000);
        assert_int_equal(k->entry, 0x1000200);
        wb_kernel_free(k);
        free(b);

        /* Not a page: refused, not moved. */
        b = fixed_bzimage(0xffffff00, &len);
        assert_int_equal(plan_classic(b, len, &map, &k, &diag), -ENOEXEC);
        assert_null(k);
        assert_string_equal(diag.reason,
                            "corrupt bzImage header: the kernel is not relocatable and its address 0xffffff00 is not one kexec_load can load it at");
        free(b);

        /* At the top of the address space: refused, without wrapping around. */
        b = fixed_bzimage(UINT64_MAX & ~UINT64_C(0xfff), &len);
        assert_int_equal(plan_classic(b, len, &map, &k, &diag), -ENOEXEC);
        free(b);

        /* A page below RAM (0xff000 is Reserved): nowhere, not at 0x100000. */
        b = fixed_bzimage(0xff000, &len);
        assert_int_equal(plan_classic(b, len, &map, &k, &diag), -ENOMEM);
        assert_null(k);
        free(b);
}

/* fuzz_bzimage: a kernel_alignment that is no power of two is a corrupt header, said so. */
static void test_kernel_alignment_not_power_of_two(void **state)
{
        struct wb_memmap map;
        struct wb_kernel *k;
        struct wb_diag diag;
        uint8_t *b;
        size_t len;

        (void)state;
        qemu_map(&map);
        b = fx_bzimage_build(NULL, &len);
        put32(b + WB_X86_HDR_KERNEL_ALIGNMENT, 0x62);
        assert_int_equal(plan_classic(b, len, &map, &k, &diag), -ENOEXEC);
        assert_string_equal(diag.reason, "corrupt bzImage header: kernel_alignment 0x62 is not a power of two");
        put32(b + WB_X86_HDR_KERNEL_ALIGNMENT, 0x300000);
        assert_int_equal(plan_classic(b, len, &map, &k, &diag), -ENOEXEC);
        /* 0 means any: a page. */
        put32(b + WB_X86_HDR_KERNEL_ALIGNMENT, 0);
        assert_int_equal(plan_classic(b, len, &map, &k, &diag), 0);
        assert_int_equal(k->plan.segments[0].mem % 4096, 0);
        wb_kernel_free(k);
        free(b);
}

/*
 * fuzz_config (UBSan: index 17 out of bounds for type 'char[16][512]'):
 * past WB_CONFIG_MAX_WARNINGS warnings, warn() still took the address of
 * the slot it would not write. The first 16 are kept, all are counted.
 */
static void test_config_many_warnings(void **state)
{
        struct wb_config cfg;
        struct wb_diag diag;
        char text[1024] = "";

        (void)state;
        for (int i = 0; i < 20; i++)
                strcat(text, "junk line\n");
        assert_int_equal(wb_config_init(&cfg), 0);
        assert_int_equal(wb_config_parse(&cfg, text, "/etc/warmboot.conf", &diag), 0);
        assert_int_equal(cfg.nwarnings, 20);
        assert_memory_equal(cfg.warnings[0], "/etc/warmboot.conf:1: ", 22);
        assert_memory_equal(cfg.warnings[WB_CONFIG_MAX_WARNINGS - 1], "/etc/warmboot.conf:16: ", 23);
        wb_config_release(&cfg);
}

/*
 * fuzz_grub: an unterminated quote inside a menuentry failed with -EINVAL
 * and an empty diag, so the user saw no reason. The same error outside an
 * entry was explained; now both are.
 */
static void test_grub_unterminated_quote_in_entry(void **state)
{
        char *root = fx_mkdtemp();
        const struct wb_ctx ctx = { .root = root };
        struct wb_boot_entry e;
        struct wb_diag diag = { .path = "", .reason = "" };

        (void)state;
        fx_put(root, "/boot/grub/grub.cfg",
               "menuentry 'Debian GNU/Linux' {\n\tload_vid'o\n\tlinux /vmlinuz root=/dev/vda1\n}\n");
        memset(&e, 0, sizeof(e));
        assert_int_equal(wb_grub_default(&ctx, &e, &diag), -EINVAL);
        assert_string_equal(diag.path, "/boot/grub/grub.cfg");
        assert_string_equal(diag.reason, "line 2: unterminated quote or ${");

        /* "${" with no "}" anywhere after it. */
        fx_put(root, "/boot/grub/grub.cfg", "menuentry 'Debian GNU/Linux' {\n\tlinux /vmlinuz ${root\n");
        diag.reason[0] = '\0';
        assert_int_equal(wb_grub_default(&ctx, &e, &diag), -EINVAL);
        assert_string_equal(diag.reason, "line 2: unterminated quote or ${");

        /* The same in a BLS entry that "blscfg" brings in: not "too long". */
        fx_put(root, "/boot/grub/grub.cfg", "set timeout=5\nblscfg\n");
        fx_put(root, "/boot/loader/entries/f.conf", "title F\nlinux /vmlinuz\noptions root=${x ro\n");
        diag.reason[0] = '\0';
        assert_int_equal(wb_grub_default(&ctx, &e, &diag), -EINVAL);
        assert_string_equal(diag.reason, "line 2: BLS entry options: unterminated ${");
        fx_rmtree(root);
}

/*
 * fuzz_grub, then a look at the other caller of wb_vars_expand(): a BLS
 * entry's options with "${" and no "}" were reported as "options too
 * long once expanded" by KERNEL=bls as well.
 */
static void test_bls_options_unterminated_brace(void **state)
{
        char *root = fx_mkdtemp();
        const struct wb_ctx ctx = { .root = root };
        struct wb_choice *choice = NULL;
        struct wb_diag diag = { .path = "", .reason = "" };

        (void)state;
        fx_put(root, "/boot/loader/entries/a.conf", "title A\nlinux /vmlinuz-1\noptions root=${x ro\n");
        assert_int_equal(wb_choose(&ctx, &(struct wb_choose_request) { .kernel = WB_KERNEL_BLS },
                                   &choice, &diag), -EINVAL);
        assert_null(choice);
        assert_string_equal(diag.path, "/boot/loader/entries/a.conf");
        assert_string_equal(diag.reason, "options: unterminated ${");
        fx_rmtree(root);
}

/* A source that breaks its promise: says it read (a positive count) without filling buf. */
static int bad_read(void *data, uint64_t off, void *buf, size_t len)
{
        (void)data, (void)off, (void)buf;
        return (int)len;
}

/*
 * clang-tidy (clang-analyzer-core.UndefinedBinaryOperatorResult in
 * wb_vmcore_dmesg): a read that returned neither 0 nor a negative errno
 * counted as a success, and the dump reader went on with bytes nobody had
 * written (valgrind: "conditional jump depends on uninitialised value").
 * Now it is a failed read.
 */
static void test_vmcore_source_positive_return(void **state)
{
        const struct wb_vmcore_source src = { .read = bad_read, .size = 4096 };
        struct wb_vmcore *vm = NULL;
        struct wb_diag diag;

        (void)state;
        /* The first read fails: nothing of the (unwritten) header is looked at. */
        assert_int_equal(wb_vmcore_open(&src, &vm, &diag), -ENOEXEC);
        assert_string_equal(diag.reason, "too short for an ELF header");
        assert_null(vm);
}

/*
 * Found writing the guest bad-input matrix: a FIFO given as the initrd
 * (or the kernel) blocked open() until something wrote to it: kexec hung
 * instead of saying "not a regular file". alarm() turns a hang into a
 * failed test.
 */
static void test_fifo_is_not_a_file(void **state)
{
        char *root = fx_mkdtemp();
        char *kernel = fx_bzimage_write(root, "/boot/vmlinuz", NULL);
        char *fifo = fx_path(root, "/fifo");
        const struct wb_ctx ctx = { .root = root };
        struct wb_load *load = NULL;
        struct wb_diag diag;

        (void)state;
        fx_system(root);
        assert_int_equal(mkfifo(fifo, 0600), 0);
        alarm(10);
        assert_int_equal(wb_load_prepare(&ctx, &(struct wb_load_request) {
                                .kernel_path = kernel, .initrd_path = fifo,
                                .syscall = WB_SYSCALL_FILE }, &load, &diag), -EINVAL);
        assert_null(load);
        assert_string_equal(diag.path, fifo);
        assert_string_equal(diag.reason, "not a regular file");
        assert_int_equal(wb_load_prepare(&ctx, &(struct wb_load_request) {
                                .kernel_path = fifo, .syscall = WB_SYSCALL_FILE }, &load, &diag), -EINVAL);
        assert_string_equal(diag.reason, "not a regular file");

        /* A FIFO among the BLS entries reads as an empty entry, as a FIFO /proc file would. */
        fx_put(root, "/boot/loader/entries/a.conf", "title A\nlinux /vmlinuz-1\n");
        free(fifo);
        fifo = fx_path(root, "/boot/loader/entries/b.conf");
        assert_int_equal(mkfifo(fifo, 0600), 0);
        {
                struct wb_bls_list list;

                assert_int_equal(wb_bls_load(&ctx, &list, &diag), 0);
                assert_int_equal(list.n, 2);
                wb_bls_list_free(&list);
        }
        alarm(0);
        free(fifo);
        free(kernel);
        fx_rmtree(root);
}

/*
 * The fuzzers showed wb_read_text() allocating its maximum for every read
 * (1 MiB for grub.cfg and /proc/iomem, whatever their size): 11 ms per
 * read under ASan. It now grows its buffer; the contents and the limits
 * must be exactly what they were.
 */
static void test_read_text_sizes(void **state)
{
        static const size_t sizes[] = { 0, 1, 4095, 4096, 4097, 8193, 70000 };
        char *root = fx_mkdtemp();
        const struct wb_ctx ctx = { .root = root };
        uint8_t *data = malloc(70000);
        char *text;
        size_t len;

        (void)state;
        assert_non_null(data);
        fx_random_bytes(data, 70000, 7);
        for (size_t i = 0; i < 70000; i++)
                data[i] = (uint8_t)('a' + data[i] % 26);
        for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
                free(fx_write(root, "/f", data, sizes[i]));
                assert_int_equal(wb_read_text(&ctx, "/f", 1 << 20, &text, &len), 0);
                assert_int_equal(len, sizes[i]);
                assert_memory_equal(text, data, sizes[i]);
                assert_int_equal(text[len], '\0');
                free(text);
                /* Exactly at the limit is fine, one byte over is not. */
                assert_int_equal(wb_read_text(&ctx, "/f", sizes[i], &text, &len), 0);
                assert_int_equal(len, sizes[i]);
                free(text);
                if (sizes[i])
                        assert_int_equal(wb_read_text(&ctx, "/f", sizes[i] - 1, &text, &len), -EFBIG);
        }
        free(data);
        fx_rmtree(root);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_fixed_kernel_exactly_at_pref_address),
                cmocka_unit_test(test_kernel_alignment_not_power_of_two),
                cmocka_unit_test(test_config_many_warnings),
                cmocka_unit_test(test_grub_unterminated_quote_in_entry),
                cmocka_unit_test(test_bls_options_unterminated_brace),
                cmocka_unit_test(test_vmcore_source_positive_return),
                cmocka_unit_test(test_fifo_is_not_a_file),
                cmocka_unit_test(test_read_text_sizes),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
