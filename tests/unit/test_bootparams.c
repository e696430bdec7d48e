// SPDX-License-Identifier: MIT
/*
 * The zero page, field by field against Documentation/arch/x86/boot.rst
 * and zero-page.rst: what is copied from the image, what is carried over
 * from the running kernel, what the loader fills in.
 */

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <warmboot/memmap.h>

#include "fixtures.h"
#include "lib/x86/boot.h"
#include "lib/x86/bootparams.h"

static uint16_t le16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t le32(const uint8_t *p) { return (uint32_t)le16(p) | (uint32_t)le16(p + 2) << 16; }
static uint64_t le64(const uint8_t *p) { return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32; }

#define PARAMS_ADDR UINT64_C(0x3ffde000)
#define CMDLINE "console=ttyS0 root=/dev/vda1 quiet"

static void qemu_map(struct wb_memmap *m)
{
        memset(m, 0, sizeof(*m));
        assert_int_equal(wb_memmap_add(m, 0, 0x9fc00, WB_MEM_RAM), 0);
        assert_int_equal(wb_memmap_add(m, 0x9fc00, 0xa0000, WB_MEM_RESERVED), 0);
        assert_int_equal(wb_memmap_add(m, 0xf0000, 0x100000, WB_MEM_RESERVED), 0);
        assert_int_equal(wb_memmap_add(m, 0x100000, 0x3ffe0000, WB_MEM_RAM), 0);
        assert_int_equal(wb_memmap_add(m, 0x3ffe0000, 0x40000000, WB_MEM_RESERVED), 0);
        assert_int_equal(wb_memmap_add(m, 0x100000000, 0x140000000, WB_MEM_ACPI), 0);
}

/* A running kernel's boot_params with marker bytes in the parts that are carried over. */
static uint8_t *running_params(void)
{
        uint8_t *r = calloc(1, WB_X86_BP_SIZE);

        assert_non_null(r);
        memset(r + WB_X86_BP_SCREEN_INFO, 0x11, WB_X86_BP_SCREEN_INFO_SIZE);
        r[WB_X86_BP_ACPI_RSDP_ADDR] = 0xe0;             /* RSDP at 0xf56e0 */
        r[WB_X86_BP_ACPI_RSDP_ADDR + 1] = 0x56;
        r[WB_X86_BP_ACPI_RSDP_ADDR + 2] = 0x0f;
        r[WB_X86_HDR_HARDWARE_SUBARCH] = 0;
        r[WB_X86_BP_EDDBUF_ENTRIES] = 2;
        memset(r + WB_X86_BP_EDDBUF, 0x22, WB_X86_BP_EDDBUF_SIZE);
        r[WB_X86_BP_EDD_MBR_SIG_ENTRIES] = 1;
        memset(r + WB_X86_BP_EDD_MBR_SIG_BUFFER, 0x33, WB_X86_BP_EDD_MBR_SIG_SIZE);
        /* Things that must not be carried over: the old e820 table and command line pointer. */
        r[WB_X86_BP_E820_ENTRIES] = 99;
        r[WB_X86_HDR_CMD_LINE_PTR] = 0x77;
        return r;
}

static void test_bzimage_zero_page(void **state)
{
        static struct wb_memmap map;
        size_t img_len, size = WB_X86_BP_SIZE + sizeof(CMDLINE);
        uint8_t *img = fx_bzimage_build(NULL, &img_len), *run = running_params();
        uint8_t *bp = malloc(size);
        uint64_t cmdline_addr = PARAMS_ADDR + WB_X86_BP_SIZE;

        (void)state;
        qemu_map(&map);
        assert_int_equal(wb_x86_boot_params_build(&(struct wb_x86_boot_params_request) {
                                .image = img, .image_size = img_len,
                                .running = run, .running_size = WB_X86_BP_SIZE,
                                .memmap = &map,
                                .params_addr = PARAMS_ADDR,
                                .cmdline_offset = WB_X86_BP_SIZE,
                                .cmdline = CMDLINE,
                                .initrd_addr = UINT64_C(0x13caf4000),
                                .initrd_size = 1096044,
                                .acpi_rsdp = 0x7ff5e014,        /* the running kernel's wins */
                         }, bp, size), 0);

        /* The setup header: 0x1f1 up to 0x202 + the jump's offset byte, from the image. */
        /* but for what the loader writes: type_of_loader, loadflags, ramdisk_*, cmd_line_ptr */
        assert_memory_equal(bp + 0x1f1, img + 0x1f1, WB_X86_HDR_TYPE_OF_LOADER - 0x1f1);
        assert_memory_equal(bp + 0x212, img + 0x212, WB_X86_HDR_RAMDISK_IMAGE - 0x212);
        assert_memory_equal(bp + 0x220, img + 0x220, WB_X86_HDR_CMD_LINE_PTR - 0x220);
        assert_memory_equal(bp + 0x22c, img + 0x22c, 0x202 + img[0x201] - 0x22c);
        assert_int_equal(le16(bp + WB_X86_HDR_BOOT_FLAG), 0xaa55);
        assert_int_equal(le32(bp + WB_X86_HDR_MAGIC), WB_X86_HDR_MAGIC_VALUE);
        assert_int_equal(le16(bp + WB_X86_HDR_VERSION), 0x020f);
        assert_int_equal(le32(bp + WB_X86_HDR_CMDLINE_SIZE), 2047);
        assert_int_equal(le64(bp + WB_X86_HDR_PREF_ADDRESS), 0x1000000);
        assert_int_equal(le32(bp + WB_X86_HDR_INIT_SIZE), 0x100000);
        /* Nothing past the header is copied from the image. */
        for (size_t i = 0x202 + img[0x201]; i < WB_X86_BP_EDD_MBR_SIG_BUFFER; i++)
                assert_int_equal(bp[i], 0);

        /* What a boot loader writes (boot.rst "Details of header fields"). */
        assert_int_equal(bp[WB_X86_HDR_TYPE_OF_LOADER], 0xd0);
        assert_int_equal(bp[WB_X86_HDR_LOADFLAGS], 0);
        assert_int_equal(le32(bp + WB_X86_HDR_CMD_LINE_PTR), (uint32_t)cmdline_addr);
        assert_int_equal(le32(bp + WB_X86_BP_EXT_CMD_LINE_PTR), 0);
        assert_string_equal((const char *)bp + WB_X86_BP_SIZE, CMDLINE);
        /* An initrd above 4 GiB: low 32 bits in the header, high ones in ext_ramdisk_*. */
        assert_int_equal(le32(bp + WB_X86_HDR_RAMDISK_IMAGE), 0x3caf4000);
        assert_int_equal(le32(bp + WB_X86_BP_EXT_RAMDISK_IMAGE), 1);
        assert_int_equal(le32(bp + WB_X86_HDR_RAMDISK_SIZE), 1096044);
        assert_int_equal(le32(bp + WB_X86_BP_EXT_RAMDISK_SIZE), 0);

        /* e820: the firmware map as it is, 20-byte entries. */
        assert_int_equal(bp[WB_X86_BP_E820_ENTRIES], 6);
        for (size_t i = 0; i < map.n; i++) {
                const uint8_t *e = bp + WB_X86_BP_E820_TABLE + i * 20;

                assert_int_equal(le64(e), map.ranges[i].start);
                assert_int_equal(le64(e + 8), map.ranges[i].end - map.ranges[i].start);
                assert_int_equal(le32(e + 16), (uint32_t)map.ranges[i].type);
        }
        assert_int_equal(le32(bp + WB_X86_BP_E820_TABLE + 5 * 20 + 16), 3);    /* ACPI */
        /* RAM from 1 MiB in KiB: (0x3ffdffff >> 10) - 1024, and the 64 MiB cap of ext_mem_k. */
        assert_int_equal(le32(bp + WB_X86_BP_ALT_MEM_K), (0x3ffdffff >> 10) - 1024);
        assert_int_equal(le16(bp + WB_X86_BP_EXT_MEM_K), 0xfc00);

        /* Carried over from the running kernel. */
        assert_int_equal(bp[WB_X86_BP_SCREEN_INFO + 0x10], 0x11);
        assert_int_equal(le64(bp + WB_X86_BP_ACPI_RSDP_ADDR), 0xf56e0);
        assert_int_equal(bp[WB_X86_BP_EDDBUF_ENTRIES], 2);
        assert_int_equal(bp[WB_X86_BP_EDDBUF + 7], 0x22);
        assert_int_equal(bp[WB_X86_BP_EDD_MBR_SIG_ENTRIES], 1);
        assert_int_equal(bp[WB_X86_BP_EDD_MBR_SIG_BUFFER], 0x33);
        /* The sentinel stays 0: every field is meant. */
        assert_int_equal(bp[0x1ef], 0);

        free(bp);
        free(run);
        free(img);
}

static void test_elf_zero_page(void **state)
{
        static struct wb_memmap map;
        size_t size = WB_X86_BP_SIZE + 1;
        uint8_t *bp = malloc(size);

        (void)state;
        qemu_map(&map);
        assert_int_equal(wb_x86_boot_params_build(&(struct wb_x86_boot_params_request) {
                                .memmap = &map,
                                .params_addr = UINT64_C(0x100000000),
                                .cmdline_offset = WB_X86_BP_SIZE,
                                .acpi_rsdp = 0x7ff5e014,
                         }, bp, size), 0);
        /* No image header: the fields the kernel checks are made. */
        assert_int_equal(le16(bp + WB_X86_HDR_BOOT_FLAG), 0xaa55);
        assert_int_equal(le32(bp + WB_X86_HDR_MAGIC), WB_X86_HDR_MAGIC_VALUE);
        assert_int_equal(le16(bp + WB_X86_HDR_VERSION), 0x020f);
        /* A command line above 4 GiB needs ext_cmd_line_ptr. */
        assert_int_equal(le32(bp + WB_X86_HDR_CMD_LINE_PTR), 0x1000);
        assert_int_equal(le32(bp + WB_X86_BP_EXT_CMD_LINE_PTR), 1);
        assert_int_equal(bp[WB_X86_BP_SIZE], 0);
        /* No initrd, no running kernel data: the RSDP from EFI's system table stands in. */
        assert_int_equal(le32(bp + WB_X86_HDR_RAMDISK_SIZE), 0);
        assert_int_equal(le64(bp + WB_X86_BP_ACPI_RSDP_ADDR), 0x7ff5e014);
        free(bp);
}

static void test_errors(void **state)
{
        static struct wb_memmap map;
        size_t img_len;
        uint8_t *img = fx_bzimage_build(NULL, &img_len);
        uint8_t bp[WB_X86_BP_SIZE + 64];
        struct wb_x86_boot_params_request req = {
                .image = img, .image_size = img_len, .memmap = &map,
                .params_addr = PARAMS_ADDR, .cmdline_offset = WB_X86_BP_SIZE, .cmdline = CMDLINE,
        };

        (void)state;
        qemu_map(&map);
        /* Too small for the command line, or the command line inside the zero page. */
        assert_int_equal(wb_x86_boot_params_build(&req, bp, WB_X86_BP_SIZE + 4), -ENOBUFS);
        req.cmdline_offset = 0x800;
        assert_int_equal(wb_x86_boot_params_build(&req, bp, sizeof(bp)), -ENOBUFS);
        req.cmdline_offset = WB_X86_BP_SIZE;
        /* A jump offset that runs the header into the e820 table, or past the image. */
        img[0x201] = 0xff;
        assert_int_equal(wb_x86_boot_params_build(&req, bp, sizeof(bp)), -ENOEXEC);
        img[0x201] = 0x66;
        req.image_size = 0x210;
        assert_int_equal(wb_x86_boot_params_build(&req, bp, sizeof(bp)), -ENOEXEC);
        req.image_size = img_len;
        /* More ranges than the 128 e820 slots. */
        memset(&map, 0, sizeof(map));
        for (uint64_t i = 0; i < 129; i++)
                assert_int_equal(wb_memmap_add(&map, i * 0x2000, i * 0x2000 + 0x1000, WB_MEM_RAM), 0);
        assert_int_equal(wb_x86_boot_params_build(&req, bp, sizeof(bp)), -E2BIG);
        free(img);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_bzimage_zero_page),
                cmocka_unit_test(test_elf_zero_page),
                cmocka_unit_test(test_errors),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
