// SPDX-License-Identifier: MIT
/*
 * The dump reader on a synthetic /proc/vmcore: an ELF core file with a
 * VMCOREINFO note and one RAM segment holding a small printk ring buffer
 * (kernel/printk/printk_ringbuffer.h layout, offsets as vmcoreinfo
 * states them), with a wrapped record, a record still being written, and
 * pointers through both the kernel image mapping and the direct map. Then
 * every truncation and many corruptions: errors, never crashes.
 */

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <warmboot/error.h>
#include <warmboot/vmcore.h>

#define RAM_PADDR       UINT64_C(0x1000000)
#define RAM_SIZE        0x2000u
#define TEXT_MAP        UINT64_C(0xffffffff80000000)       /* __START_KERNEL_map, phys_base 0 */
#define DIRECT_MAP      UINT64_C(0xffff888000000000)
#define PRB_VAR         0x000u          /* the "prb" pointer variable */
#define RING            0x100u          /* struct printk_ringbuffer */
#define DESCS           0x400u          /* reached through the direct map */
#define INFOS           0x800u
#define DATA            0x1000u
#define SIZE_BITS       8               /* a 256-byte text ring */

static const char vmcoreinfo[] =
        "OSRELEASE=6.1.0-test\n"
        "PAGESIZE=4096\n"
        "SYMBOL(prb)=ffffffff81000000\n"
        "NUMBER(phys_base)=0\n"
        "OFFSET(printk_ringbuffer.desc_ring)=0\n"
        "OFFSET(printk_ringbuffer.text_data_ring)=64\n"
        "OFFSET(prb_desc_ring.count_bits)=0\n"
        "OFFSET(prb_desc_ring.descs)=8\n"
        "OFFSET(prb_desc_ring.infos)=16\n"
        "OFFSET(prb_desc_ring.head_id)=24\n"
        "OFFSET(prb_desc_ring.tail_id)=32\n"
        "SIZE(prb_desc)=24\n"
        "OFFSET(prb_desc.state_var)=0\n"
        "OFFSET(prb_desc.text_blk_lpos)=8\n"
        "OFFSET(prb_data_blk_lpos.begin)=0\n"
        "OFFSET(prb_data_blk_lpos.next)=8\n"
        "SIZE(printk_info)=32\n"
        "OFFSET(printk_info.ts_nsec)=8\n"
        "OFFSET(printk_info.text_len)=16\n"
        "OFFSET(prb_data_ring.size_bits)=0\n"
        "OFFSET(prb_data_ring.data)=8\n";

static void put(uint8_t *p, uint64_t v, int n)
{
        for (int i = 0; i < n; i++)
                p[i] = (uint8_t)(v >> (8 * i));
}

/* One record: descriptor, info and text block. */
static void record(uint8_t *ram, uint64_t id, unsigned state, uint64_t ts, uint64_t begin,
                   uint64_t next, const char *text)
{
        uint64_t idx = id & 3, mask = (1u << SIZE_BITS) - 1;
        uint64_t block = ((begin >> SIZE_BITS) == (next >> SIZE_BITS)) ? (begin & mask) : 0;

        put(ram + DESCS + idx * 24, ((uint64_t)state << 62) | id, 8);
        put(ram + DESCS + idx * 24 + 8, begin, 8);
        put(ram + DESCS + idx * 24 + 16, next, 8);
        put(ram + INFOS + idx * 32 + 8, ts, 8);
        put(ram + INFOS + idx * 32 + 16, strlen(text), 2);
        put(ram + DATA + block, id, 8);
        memcpy(ram + DATA + block + 8, text, strlen(text));
}

/* The whole dump; *ret_len bytes. */
static uint8_t *build_dump(size_t *ret_len)
{
        size_t name = 12, desc = name + 12, notes = desc + ((sizeof(vmcoreinfo) - 1 + 3) & ~3u);
        size_t ph = 64, note_off = ph + 2 * 56, ram_off = (note_off + notes + 4095) & ~(size_t)4095;
        size_t len = ram_off + RAM_SIZE;
        uint8_t *d = calloc(1, len), *ram = d + ram_off, *n = d + note_off;

        assert_non_null(d);
        memcpy(d, "\177ELF\2\1\1", 7);
        put(d + 16, 4, 2);                      /* ET_CORE */
        put(d + 18, 62, 2);                     /* EM_X86_64 */
        put(d + 32, ph, 8);
        put(d + 54, 56, 2);
        put(d + 56, 2, 2);
        put(d + ph, 4, 4);                      /* PT_NOTE */
        put(d + ph + 8, note_off, 8);
        put(d + ph + 32, notes, 8);
        put(d + ph + 40, notes, 8);
        put(d + ph + 56, 1, 4);                 /* PT_LOAD, direct-map address */
        put(d + ph + 56 + 8, ram_off, 8);
        put(d + ph + 56 + 16, DIRECT_MAP + RAM_PADDR, 8);
        put(d + ph + 56 + 24, RAM_PADDR, 8);
        put(d + ph + 56 + 32, RAM_SIZE, 8);
        put(d + ph + 56 + 40, RAM_SIZE, 8);
        put(n, sizeof("VMCOREINFO"), 4);
        put(n + 4, sizeof(vmcoreinfo) - 1, 4);
        memcpy(n + 12, "VMCOREINFO", sizeof("VMCOREINFO"));
        memcpy(n + desc, vmcoreinfo, sizeof(vmcoreinfo) - 1);

        put(ram + PRB_VAR, TEXT_MAP + RAM_PADDR + RING, 8);
        put(ram + RING + 0, 2, 4);                                      /* count_bits: 4 descriptors */
        put(ram + RING + 8, DIRECT_MAP + RAM_PADDR + DESCS, 8);
        put(ram + RING + 16, TEXT_MAP + RAM_PADDR + INFOS, 8);
        put(ram + RING + 24, 3, 8);                                     /* head_id */
        put(ram + RING + 32, 1, 8);                                     /* tail_id */
        put(ram + RING + 64, SIZE_BITS, 4);
        put(ram + RING + 64 + 8, TEXT_MAP + RAM_PADDR + DATA, 8);
        record(ram, 1, 2, 1500000000, 16, 32, "second");               /* finalized */
        record(ram, 2, 1, 2000001000, 240, 256 + 16, "third");         /* committed, wrapped */
        record(ram, 3, 0, 3000000000, 32, 48, "in progress");          /* reserved: skipped */
        *ret_len = len;
        return d;
}

struct mem {
        const uint8_t *buf;
        size_t len;
};

static int mem_read(void *data, uint64_t off, void *buf, size_t len)
{
        const struct mem *m = data;

        if (off > m->len || m->len - off < len)
                return -EIO;
        memcpy(buf, m->buf + off, len);
        return 0;
}

struct log {
        char text[512];
        int n;
};

static int collect(void *data, uint64_t ts, const char *text, size_t len)
{
        struct log *l = data;
        size_t used = strlen(l->text);

        snprintf(l->text + used, sizeof(l->text) - used, "%llu:%.*s;", (unsigned long long)ts, (int)len, text);
        l->n++;
        return 0;
}

static int open_mem(const uint8_t *buf, size_t len, struct wb_vmcore **v, struct wb_diag *diag)
{
        static struct mem m;
        static struct wb_vmcore_source src;

        m = (struct mem) { .buf = buf, .len = len };
        src = (struct wb_vmcore_source) { .read = mem_read, .data = &m, .size = len };
        return wb_vmcore_open(&src, v, diag);
}

static void test_dmesg(void **state)
{
        size_t len;
        uint8_t *d = build_dump(&len);
        struct wb_vmcore *v = NULL;
        struct wb_vmcore_summary s;
        struct wb_diag diag;
        struct log log = { .text = "" };
        uint64_t val;

        (void)state;
        assert_int_equal(open_mem(d, len, &v, &diag), 0);
        wb_vmcore_summary(v, &s);
        assert_int_equal(s.nr_loads, 1);
        assert_int_equal(s.load_bytes, RAM_SIZE);
        assert_int_equal(s.nr_ram_loads, 1);
        assert_int_equal(s.nr_notes, 1);
        assert_int_equal(strncmp(s.osrelease, "6.1.0-test\n", 11), 0);
        assert_int_equal(wb_vmcore_info_value(v, "SYMBOL(prb)", &val), 0);
        assert_int_equal(val, UINT64_C(0xffffffff81000000));
        assert_int_equal(wb_vmcore_info_value(v, "SIZE(prb_desc)", &val), 0);
        assert_int_equal(val, 24);
        assert_int_equal(wb_vmcore_info_value(v, "SIZE(prb)", &val), -ENOENT);

        assert_int_equal(wb_vmcore_dmesg(v, collect, &log, &diag), 0);
        assert_string_equal(log.text, "1500000000:second;2000001000:third;");
        wb_vmcore_free(v);
        free(d);
}

static void test_not_dumps(void **state)
{
        static const uint8_t elf_exec[64] = { 0x7f, 'E', 'L', 'F', 2, 1, 1, 0, [16] = 2, [18] = 62 };
        struct wb_vmcore *v = (void *)0x1;
        struct wb_diag diag;

        (void)state;
        assert_int_equal(open_mem((const uint8_t *)"", 0, &v, &diag), -ENOEXEC);
        assert_int_equal(open_mem((const uint8_t *)"hello, world", 12, &v, &diag), -ENOEXEC);
        assert_int_equal(open_mem(elf_exec, sizeof(elf_exec), &v, &diag), -ENOEXEC);
        assert_non_null(strstr(diag.reason, "not an x86_64 core dump"));
        assert_ptr_equal(v, (void *)0x1);
}

static void test_truncated_everywhere(void **state)
{
        size_t len;
        uint8_t *d = build_dump(&len);

        (void)state;
        /* Every prefix: an error or a partial log, never a crash (ASan watches). */
        for (size_t cut = 0; cut < len; cut += (cut < 512 ? 1 : 61)) {
                uint8_t *copy = malloc(cut ? cut : 1);
                struct wb_vmcore *v = NULL;
                struct wb_diag diag;
                struct log log = { .text = "" };

                memcpy(copy, d, cut);
                if (open_mem(copy, cut, &v, &diag) == 0) {
                        (void)wb_vmcore_dmesg(v, collect, &log, &diag);
                        wb_vmcore_free(v);
                }
                free(copy);
        }
        free(d);
}

static void test_corrupted(void **state)
{
        size_t len;
        uint8_t *d = build_dump(&len);

        (void)state;
        /* Every byte of the headers, notes and ring buffer flipped in turn. */
        for (size_t i = 0; i < len; i += (i < 0x400 ? 1 : 7)) {
                for (int flip = 0; flip < 2; flip++) {
                        uint8_t saved = d[i];
                        struct wb_vmcore *v = NULL;
                        struct wb_diag diag;
                        struct log log = { .text = "" };

                        d[i] = flip ? (uint8_t)~saved : 0xff;
                        if (open_mem(d, len, &v, &diag) == 0) {
                                (void)wb_vmcore_dmesg(v, collect, &log, &diag);
                                assert_true(log.n <= 4);
                                wb_vmcore_free(v);
                        }
                        d[i] = saved;
                }
        }
        free(d);
}

static void test_old_kernel(void **state)
{
        size_t len;
        uint8_t *d = build_dump(&len);
        char *p = memmem(d, len, "SYMBOL(prb)", 11);
        struct wb_vmcore *v = NULL;
        struct wb_diag diag;
        struct log log = { .text = "" };

        (void)state;
        /* Without the lockless ring buffer's symbols: said plainly. */
        memcpy(p, "SYMBOL(xyz)", 11);
        assert_int_equal(open_mem(d, len, &v, &diag), 0);
        assert_int_equal(wb_vmcore_dmesg(v, collect, &log, &diag), -ENOENT);
        assert_non_null(strstr(diag.reason, "5.10"));
        wb_vmcore_free(v);
        free(d);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_dmesg),
                cmocka_unit_test(test_not_dumps),
                cmocka_unit_test(test_truncated_everywhere),
                cmocka_unit_test(test_corrupted),
                cmocka_unit_test(test_old_kernel),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
