// SPDX-License-Identifier: MIT
/* The synthetic /proc/vmcore of vmcore_image.h. */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vmcore_image.h"

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

static void put(uint8_t *p, uint64_t v, size_t n)
{
        for (size_t i = 0; i < n; i++)
                p[i] = (uint8_t)(v >> (8 * i));
}

/* One record: descriptor, info and text block. */
static void record(uint8_t *ram, uint64_t id, unsigned state, uint64_t ts, uint64_t begin,
                   uint64_t next, const char *text)
{
        uint64_t idx = id & 3, mask = (1u << VM_SIZE_BITS) - 1;
        /* A block that wraps starts again at the ring's beginning. */
        uint64_t block = ((begin >> VM_SIZE_BITS) == (next >> VM_SIZE_BITS)) ? (begin & mask) : 0;

        put(ram + VM_DESCS + idx * 24, ((uint64_t)state << 62) | id, 8);
        put(ram + VM_DESCS + idx * 24 + 8, begin, 8);
        put(ram + VM_DESCS + idx * 24 + 16, next, 8);
        put(ram + VM_INFOS + idx * 32 + 8, ts, 8);
        put(ram + VM_INFOS + idx * 32 + 16, strlen(text), 2);
        put(ram + VM_DATA + block, id, 8);
        memcpy(ram + VM_DATA + block + 8, text, strlen(text));
}

uint8_t *img_vmcore(size_t *ret_len)
{
        size_t name = 12, desc = name + 12, notes = desc + ((sizeof(vmcoreinfo) - 1 + 3) & ~(size_t)3);
        size_t ph = 64, note_off = ph + 2 * 56, ram_off = (note_off + notes + 4095) & ~(size_t)4095;
        size_t len = ram_off + VM_RAM_SIZE;
        uint8_t *d = calloc(1, len), *ram, *n;

        if (!d)
                return NULL;
        ram = d + ram_off;
        n = d + note_off;
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
        put(d + ph + 56 + 16, VM_DIRECT_MAP + VM_RAM_PADDR, 8);
        put(d + ph + 56 + 24, VM_RAM_PADDR, 8);
        put(d + ph + 56 + 32, VM_RAM_SIZE, 8);
        put(d + ph + 56 + 40, VM_RAM_SIZE, 8);
        put(n, sizeof("VMCOREINFO"), 4);
        put(n + 4, sizeof(vmcoreinfo) - 1, 4);
        memcpy(n + 12, "VMCOREINFO", sizeof("VMCOREINFO"));
        memcpy(n + desc, vmcoreinfo, sizeof(vmcoreinfo) - 1);

        put(ram + VM_PRB_VAR, VM_TEXT_MAP + VM_RAM_PADDR + VM_RING, 8);
        put(ram + VM_RING + 0, 2, 4);                                           /* count_bits: 4 descriptors */
        put(ram + VM_RING + 8, VM_DIRECT_MAP + VM_RAM_PADDR + VM_DESCS, 8);
        put(ram + VM_RING + 16, VM_TEXT_MAP + VM_RAM_PADDR + VM_INFOS, 8);
        put(ram + VM_RING + 24, 3, 8);                                          /* head_id */
        put(ram + VM_RING + 32, 1, 8);                                          /* tail_id */
        put(ram + VM_RING + 64, VM_SIZE_BITS, 4);
        put(ram + VM_RING + 64 + 8, VM_TEXT_MAP + VM_RAM_PADDR + VM_DATA, 8);
        record(ram, 1, 2, 1500000000, 16, 32, "second");                       /* finalized */
        record(ram, 2, 1, 2000001000, 240, 256 + 16, "third");                 /* committed, wrapped */
        record(ram, 3, 0, 3000000000, 32, 48, "in progress");                  /* reserved: skipped */
        *ret_len = len;
        return d;
}

int img_mem_read(void *data, uint64_t off, void *buf, size_t len)
{
        const struct img_mem *m = data;

        if (off > m->len || m->len - off < len)
                return -EIO;
        memcpy(buf, m->buf + off, len);
        return 0;
}
