// SPDX-License-Identifier: MIT
/*
 * The panic kernel on the kexec_load path: what the running kernel tells
 * about itself, the ELF core header built from it (program header by
 * program header), the capture kernel's memory map, and a whole load
 * through the fake seam: everything inside the crashkernel= reservation.
 */

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <linux/kexec.h>

#include <warmboot/crash.h>
#include <warmboot/ctx.h>
#include <warmboot/error.h>
#include <warmboot/load.h>

#include "fake_sys.h"
#include "fixtures.h"

/* The fixture system's reservation: "2f000000-3effffff : Crash kernel". */
#define CRASH_START UINT64_C(0x2f000000)
#define CRASH_END   UINT64_C(0x3f000000)

static uint16_t le16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t le32(const uint8_t *p) { return (uint32_t)le16(p) | (uint32_t)le16(p + 2) << 16; }
static uint64_t le64(const uint8_t *p) { return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32; }

static void put64(uint8_t *p, uint64_t v)
{
        for (int i = 0; i < 8; i++)
                p[i] = (uint8_t)(v >> (8 * i));
}

/* A /proc/kcore head as a KASLR kernel shows it: text mapping, then direct-mapped RAM. */
static void write_kcore(const char *root)
{
        uint8_t k[64 + 3 * 56] = { 0x7f, 'E', 'L', 'F', 2, 1, 1 };
        const struct { uint64_t vaddr, paddr, size; } ph[3] = {
                { 0xffffffff8f800000, 0x2c200000, 0x2830000 },          /* kernel text */
                { 0xffffffffc0000000, UINT64_MAX, 0x3f000000 },         /* modules: no paddr */
                { 0xff3d608680001000, 0x1000, 0x9e000 },                /* direct map of RAM */
        };

        put64(k + 32, 64);
        k[54] = 56;
        k[56] = 3;
        for (int i = 0; i < 3; i++) {
                uint8_t *p = k + 64 + i * 56;

                p[0] = 1;       /* PT_LOAD */
                put64(p + 16, ph[i].vaddr);
                put64(p + 24, ph[i].paddr);
                put64(p + 40, ph[i].size);
        }
        free(fx_write(root, "/proc/kcore", k, sizeof(k)));
}

struct fixture {
        char *root, *kernel, *initrd;
        struct wb_ctx ctx;
        struct fake_sys fake;
        struct wb_diag diag;
};

static int setup(void **state)
{
        struct fixture *fx = calloc(1, sizeof(*fx));

        fx->root = fx_mkdtemp();
        fx_system(fx->root);
        fx->kernel = fx_bzimage_write(fx->root, "/boot/vmlinuz", NULL);
        fx->initrd = fx_write_str(fx->root, "/boot/initrd.img", "070701 pretend initramfs\n");
        fake_sys_init(&fx->fake, fx->root);
        fx->ctx = (struct wb_ctx) { .root = fx->root, .sys = &fx->fake.sys };
        *state = fx;
        return 0;
}

static int teardown(void **state)
{
        struct fixture *fx = *state;

        fake_sys_clear(&fx->fake);
        free(fx->kernel);
        free(fx->initrd);
        fx_rmtree(fx->root);
        free(fx);
        return 0;
}

static void test_info(void **state)
{
        struct fixture *fx = *state;
        struct wb_crash_info *info = NULL;

        assert_int_equal(wb_crash_info_read(&fx->ctx, &info, &fx->diag), 0);
        assert_int_equal(info->crash_start, CRASH_START);
        assert_int_equal(info->crash_end, CRASH_END);
        /* RAM only, from /proc/iomem: [0x1000, 0x9fc00) and [1 MiB, 0x3ffe0000). */
        assert_int_equal(info->ram.n, 2);
        assert_int_equal(info->ram.ranges[0].start, 0x1000);
        assert_int_equal(info->ram.ranges[1].end, 0x3ffe0000);
        assert_int_equal(info->nr_cpus, 2);
        assert_int_equal(info->cpu_notes[0].addr, 0x3fa39400);
        assert_int_equal(info->cpu_notes[1].addr, 0x3fb39400);
        assert_int_equal(info->cpu_notes[1].size, 368);
        assert_int_equal(info->vmcoreinfo.addr, 0x11de000);
        assert_int_equal(info->vmcoreinfo.size, 0x1024);
        /* No /proc/kcore: x86_64's default direct map, no text mapping. */
        assert_int_equal(info->page_offset, UINT64_C(0xffff888000000000));
        assert_int_equal(info->text_size, 0);
        free(info);

        write_kcore(fx->root);
        assert_int_equal(wb_crash_info_read(&fx->ctx, &info, &fx->diag), 0);
        assert_int_equal(info->page_offset, UINT64_C(0xff3d608680000000));
        assert_int_equal(info->text_vaddr, UINT64_C(0xffffffff8f800000));
        assert_int_equal(info->text_paddr, 0x2c200000);
        assert_int_equal(info->text_size, 0x2830000);
        free(info);
}

static void test_info_errors(void **state)
{
        struct fixture *fx = *state;
        struct wb_crash_info *info = (void *)0x1;

        fx_put(fx->root, "/proc/iomem", "00100000-3ffdffff : System RAM\n");
        assert_int_equal(wb_crash_info_read(&fx->ctx, &info, &fx->diag), -EADDRNOTAVAIL);
        assert_non_null(strstr(fx->diag.reason, "crashkernel="));
        fx_put(fx->root, "/proc/iomem", FX_PROC_IOMEM);
        fx_put(fx->root, "/sys/kernel/vmcoreinfo", "garbage\n");
        assert_int_equal(wb_crash_info_read(&fx->ctx, &info, &fx->diag), -EINVAL);
        assert_string_equal(fx->diag.path, "/sys/kernel/vmcoreinfo");
        assert_ptr_equal(info, (void *)0x1);
}

static void test_elfcorehdr(void **state)
{
        struct fixture *fx = *state;
        struct wb_crash_info *info = NULL;
        uint8_t *h = NULL;
        size_t size = 0;
        const uint8_t *ph;

        write_kcore(fx->root);
        assert_int_equal(wb_crash_info_read(&fx->ctx, &info, &fx->diag), 0);
        assert_int_equal(wb_crash_elfcorehdr(info, &h, &size), 0);
        /* 2 CPU notes + vmcoreinfo + text + RAM [1 MiB, crash) + RAM [crash end, 0x3ffe0000). */
        assert_int_equal(size, 64 + 6 * 56);
        assert_memory_equal(h, "\177ELF\2\1\1", 7);
        assert_int_equal(le16(h + 16), 4);              /* ET_CORE */
        assert_int_equal(le16(h + 18), 62);             /* EM_X86_64 */
        assert_int_equal(le64(h + 32), 64);
        assert_int_equal(le16(h + 54), 56);
        assert_int_equal(le16(h + 56), 6);

        ph = h + 64;
        assert_int_equal(le32(ph), 4);                  /* PT_NOTE, CPU 0 */
        assert_int_equal(le64(ph + 8), 0x3fa39400);
        assert_int_equal(le64(ph + 24), 0x3fa39400);
        assert_int_equal(le64(ph + 32), 368);
        ph += 56 * 2;
        assert_int_equal(le32(ph), 4);                  /* PT_NOTE, vmcoreinfo */
        assert_int_equal(le64(ph + 24), 0x11de000);
        assert_int_equal(le64(ph + 32), 0x1024);
        ph += 56;
        assert_int_equal(le32(ph), 1);                  /* PT_LOAD, kernel text */
        assert_int_equal(le64(ph + 16), UINT64_C(0xffffffff8f800000));
        assert_int_equal(le64(ph + 24), 0x2c200000);
        ph += 56;
        /* The low MiB and the reservation are left out; vaddr is the direct map's. */
        assert_int_equal(le32(ph), 1);
        assert_int_equal(le64(ph + 8), 0x100000);
        assert_int_equal(le64(ph + 16), UINT64_C(0xff3d608680000000) + 0x100000);
        assert_int_equal(le64(ph + 24), 0x100000);
        assert_int_equal(le64(ph + 32), CRASH_START - 0x100000);
        assert_int_equal(le64(ph + 40), CRASH_START - 0x100000);
        ph += 56;
        assert_int_equal(le64(ph + 24), CRASH_END);
        assert_int_equal(le64(ph + 32), 0x3ffe0000 - CRASH_END);
        free(h);
        free(info);
}

static void test_memmap(void **state)
{
        struct fixture *fx = *state;
        struct wb_crash_info *info = NULL;
        static struct wb_memmap firmware, m;

        assert_int_equal(wb_crash_info_read(&fx->ctx, &info, &fx->diag), 0);
        memset(&firmware, 0, sizeof(firmware));
        assert_int_equal(wb_memmap_add(&firmware, 0, 0x9fc00, WB_MEM_RAM), 0);
        assert_int_equal(wb_memmap_add(&firmware, 0xf0000, 0x100000, WB_MEM_RESERVED), 0);
        assert_int_equal(wb_memmap_add(&firmware, 0x100000, 0x3ffe0000, WB_MEM_RAM), 0);
        assert_int_equal(wb_memmap_add(&firmware, 0x3ffe0000, 0x40000000, WB_MEM_ACPI), 0);
        assert_int_equal(wb_memmap_add(&firmware, 0xfffc0000, 0x100000000, WB_MEM_RESERVED), 0);
        assert_int_equal(wb_crash_memmap(&firmware, info, CRASH_START, CRASH_START + 0x1000, &m), 0);
        /* Low RAM as the kernel sees it, firmware ranges above 1 MiB, the reservation less the header. */
        assert_int_equal(m.n, 4);
        assert_int_equal(m.ranges[0].start, 0x1000);
        assert_int_equal(m.ranges[0].end, 0x9fc00);
        assert_int_equal(m.ranges[0].type, WB_MEM_RAM);
        assert_int_equal(m.ranges[1].start, CRASH_START + 0x1000);
        assert_int_equal(m.ranges[1].end, CRASH_END);
        assert_int_equal(m.ranges[1].type, WB_MEM_RAM);
        assert_int_equal(m.ranges[2].type, WB_MEM_ACPI);
        assert_int_equal(m.ranges[3].start, 0xfffc0000);
        free(info);
}

static void test_classic_panic_load(void **state)
{
        struct fixture *fx = *state;
        struct wb_load *load = NULL;
        const struct wb_plan *plan;
        const struct fake_call *c;
        const struct fake_segment *bp = NULL;

        assert_int_equal(wb_load_prepare(&fx->ctx, &(struct wb_load_request) {
                                .kernel_path = fx->kernel, .initrd_path = fx->initrd,
                                .cmdline = "console=ttyS0 irqpoll nr_cpus=1 reset_devices",
                                .crash = true, .syscall = WB_SYSCALL_CLASSIC,
                         }, &load, &fx->diag), 0);
        plan = wb_load_plan(load);
        assert_non_null(plan);
        /* The ELF core header first, at the bottom of the reservation, like the kernel's own. */
        assert_string_equal(plan->names[0], "ELF core header");
        assert_int_equal(plan->segments[0].mem, CRASH_START);
        for (size_t i = 0; i < plan->n; i++) {
                assert_true(plan->segments[i].mem >= CRASH_START);
                assert_true(plan->segments[i].mem + plan->segments[i].memsz <= CRASH_END);
        }
        assert_int_equal(wb_load_commit(&fx->ctx, load, &fx->diag), 0);
        c = fake_sys_call(&fx->fake, FAKE_KEXEC_LOAD, 0);
        assert_non_null(c);
        assert_int_equal(c->flags, KEXEC_ARCH_X86_64 | KEXEC_ON_CRASH);
        assert_int_equal(c->nr_segments, plan->n);
        /* The zero page: its command line starts with elfcorehdr=, its e820 is the capture map. */
        for (size_t i = 0; i < c->nr_segments; i++)
                if (strcmp(plan->names[i], "boot parameters") == 0)
                        bp = &c->segments[i];
        assert_non_null(bp);
        assert_string_equal((const char *)bp->bytes + 4096,
                            "elfcorehdr=0x2f000000 console=ttyS0 irqpoll nr_cpus=1 reset_devices");
        {
                const uint8_t *e820 = bp->bytes + 0x2d0;
                int ram_in_reservation = 0;

                for (unsigned i = 0; i < bp->bytes[0x1e8]; i++) {
                        uint64_t a = le64(e820 + i * 20), s = le64(e820 + i * 20 + 8);
                        uint32_t t = le32(e820 + i * 20 + 16);

                        /* No RAM outside the low MiB and the reservation. */
                        if (t == 1 && a >= 0x100000) {
                                assert_true(a >= CRASH_START + 0x1000 && a + s <= CRASH_END);
                                ram_in_reservation++;
                        }
                }
                assert_int_equal(ram_in_reservation, 1);
        }
        wb_load_free(load);
}

static void test_classic_panic_load_errors(void **state)
{
        struct fixture *fx = *state;
        struct wb_load *load = NULL;
        char *big = malloc(2048);

        memset(big, 'x', 2047);
        big[2047] = '\0';
        /* 2047 bytes fit the image, not with "elfcorehdr=0x2f000000 " before them. */
        assert_int_equal(wb_load_prepare(&fx->ctx, &(struct wb_load_request) {
                                .kernel_path = fx->kernel, .cmdline = big, .crash = true,
                                .syscall = WB_SYSCALL_CLASSIC,
                         }, &load, &fx->diag), -E2BIG);
        assert_non_null(strstr(fx->diag.reason, "elfcorehdr="));
        assert_int_equal(fx->fake.ncalls, 0);
        free(big);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test_setup_teardown(test_info, setup, teardown),
                cmocka_unit_test_setup_teardown(test_info_errors, setup, teardown),
                cmocka_unit_test_setup_teardown(test_elfcorehdr, setup, teardown),
                cmocka_unit_test_setup_teardown(test_memmap, setup, teardown),
                cmocka_unit_test_setup_teardown(test_classic_panic_load, setup, teardown),
                cmocka_unit_test_setup_teardown(test_classic_panic_load_errors, setup, teardown),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
