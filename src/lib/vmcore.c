// SPDX-License-Identifier: MIT
/*
 * Reading a kernel crash dump (/proc/vmcore in the capture kernel, or a
 * copy): its ELF core headers, the VMCOREINFO note, and the crashed
 * kernel's log from its lockless printk ring buffer
 * (kernel/printk/printk_ringbuffer.h, Linux 5.10 and later), found and
 * walked only through what vmcoreinfo says. A dump is untrusted input:
 * every size, offset and loop is bounded.
 */

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <warmboot/error.h>
#include <warmboot/vmcore.h>

#include "util.h"

#define ELF64_EHDR_SIZE         64u
#define ELF64_PHDR_SIZE         56u
#define ET_CORE                 4
#define EM_X86_64               62
#define PT_LOAD                 1
#define PT_NOTE                 4
#define ELF_NOTE_HDR            12u             /* namesz, descsz, type */
#define VMCOREINFO_NAME         "VMCOREINFO"

/* x86_64: __START_KERNEL_map (arch/x86/include/asm/page_64_types.h); __pa_symbol() is relative to it. */
#define X86_64_START_KERNEL_MAP UINT64_C(0xffffffff80000000)

/* printk_ringbuffer.h: the two top bits of a descriptor's state_var are its state. */
#define DESC_FLAGS_SHIFT        62
#define DESC_ID_MASK            (~(UINT64_C(3) << DESC_FLAGS_SHIFT))
#define DESC_COMMITTED          1u
#define DESC_FINALIZED          2u
#define LPOS_DATALESS(lpos)     ((lpos) & 1u)

/* Limits against corrupt dumps: no real ring buffer is this large. */
#define MAX_COUNT_BITS          24
#define MAX_SIZE_BITS           31
#define MAX_RECORD_TEXT         (64u << 10)

struct phdr {
        uint32_t type;
        uint64_t offset, vaddr, paddr, filesz, memsz;
};

struct wb_vmcore {
        const struct wb_vmcore_source *src;
        size_t nr;
        struct phdr *ph;
        size_t nr_notes;
        char *info;             /* VMCOREINFO text, NUL-terminated */
        uint64_t phys_base;
};

static int src_read(const struct wb_vmcore *v, uint64_t off, void *buf, size_t len)
{
        int r;

        if (off > v->src->size || v->src->size - off < len)
                return -EIO;
        r = v->src->read(v->src->data, off, buf, len);
        /* 0 or a negative errno, as the source promises; anything else is not a full read. */
        return r > 0 ? -EIO : r;
}

/* Reads a note segment and keeps the VMCOREINFO text of it. */
static int scan_notes(struct wb_vmcore *v, const struct phdr *ph, struct wb_diag *diag)
{
        uint8_t *buf;
        uint64_t pos = 0;
        int r;

        if (ph->filesz > WB_VMCORE_MAX_NOTES)
                return wb_diag_set(diag, EBADMSG, NULL, "note segment of %llu bytes: too large",
                                   (unsigned long long)ph->filesz);
        buf = malloc(ph->filesz ? ph->filesz : 1);
        if (!buf)
                return wb_diag_set(diag, ENOMEM, NULL, "out of memory");
        r = src_read(v, ph->offset, buf, ph->filesz);
        if (r < 0) {
                free(buf);
                return wb_diag_set(diag, r, NULL, "cannot read the notes at offset %llu",
                                   (unsigned long long)ph->offset);
        }
        while (ph->filesz - pos >= ELF_NOTE_HDR) {
                uint32_t namesz = wb_le32(buf + pos), descsz = wb_le32(buf + pos + 4);
                uint64_t name = pos + ELF_NOTE_HDR;
                uint64_t desc = name + (((uint64_t)namesz + 3) & ~UINT64_C(3));
                uint64_t end = desc + (((uint64_t)descsz + 3) & ~UINT64_C(3));

                if (namesz == 0 && descsz == 0)
                        break;          /* the padding the kernel leaves after the last note */
                if (end > ph->filesz || desc + descsz > ph->filesz)
                        break;          /* a note cut short: keep what came before */
                v->nr_notes++;
                if (namesz == sizeof(VMCOREINFO_NAME) &&
                    memcmp(buf + name, VMCOREINFO_NAME, sizeof(VMCOREINFO_NAME)) == 0 && !v->info) {
                        v->info = malloc((size_t)descsz + 1);
                        if (!v->info) {
                                free(buf);
                                return wb_diag_set(diag, ENOMEM, NULL, "out of memory");
                        }
                        memcpy(v->info, buf + desc, descsz);
                        v->info[descsz] = '\0';
                }
                pos = end;
        }
        free(buf);
        return 0;
}

int wb_vmcore_open(const struct wb_vmcore_source *src, struct wb_vmcore **ret, struct wb_diag *diag)
{
        uint8_t eh[ELF64_EHDR_SIZE], *phbuf = NULL;
        struct wb_vmcore *v;
        uint64_t phoff;
        uint16_t phnum, phentsize;
        int r;

        v = calloc(1, sizeof(*v));
        if (!v)
                return wb_diag_set(diag, ENOMEM, NULL, "out of memory");
        v->src = src;
        if (src_read(v, 0, eh, sizeof(eh)) < 0) {
                r = wb_diag_set(diag, ENOEXEC, NULL, "too short for an ELF header");
                goto fail;
        }
        if (memcmp(eh, "\177ELF", 4) != 0 || eh[4] != 2 || eh[5] != 1) {
                r = wb_diag_set(diag, ENOEXEC, NULL, "not a little-endian ELF64 file");
                goto fail;
        }
        if (wb_le16(eh + 16) != ET_CORE || wb_le16(eh + 18) != EM_X86_64) {
                r = wb_diag_set(diag, ENOEXEC, NULL, "not an x86_64 core dump (type %u, machine %u)",
                                wb_le16(eh + 16), wb_le16(eh + 18));
                goto fail;
        }
        phoff = wb_le64(eh + 32);
        phentsize = wb_le16(eh + 54);
        phnum = wb_le16(eh + 56);
        if (phentsize != ELF64_PHDR_SIZE || phnum == 0) {
                r = wb_diag_set(diag, EBADMSG, NULL, "damaged ELF header: %u program headers of %u bytes",
                                phnum, phentsize);
                goto fail;
        }
        phbuf = malloc((size_t)phnum * ELF64_PHDR_SIZE);
        v->ph = calloc(phnum, sizeof(*v->ph));
        if (!phbuf || !v->ph) {
                r = wb_diag_set(diag, ENOMEM, NULL, "out of memory");
                goto fail;
        }
        if (src_read(v, phoff, phbuf, (size_t)phnum * ELF64_PHDR_SIZE) < 0) {
                r = wb_diag_set(diag, EBADMSG, NULL, "program headers past the end of the dump");
                goto fail;
        }
        for (uint16_t i = 0; i < phnum; i++) {
                const uint8_t *p = phbuf + (size_t)i * ELF64_PHDR_SIZE;
                struct phdr *ph = &v->ph[v->nr++];

                ph->type = wb_le32(p);
                ph->offset = wb_le64(p + 8);
                ph->vaddr = wb_le64(p + 16);
                ph->paddr = wb_le64(p + 24);
                ph->filesz = wb_le64(p + 32);
                ph->memsz = wb_le64(p + 40);
                if (ph->type == PT_NOTE) {
                        r = scan_notes(v, ph, diag);
                        if (r < 0)
                                goto fail;
                }
        }
        free(phbuf);
        phbuf = NULL;
        if (!v->info) {
                r = wb_diag_set(diag, ENOENT, NULL, "no VMCOREINFO note: not a Linux kernel dump");
                goto fail;
        }
        /* x86_64 names its physical load offset; 0 when the kernel ran where it was linked. */
        if (wb_vmcore_info_value(v, "NUMBER(phys_base)", &v->phys_base) < 0)
                v->phys_base = 0;
        *ret = v;
        return 0;

fail:
        free(phbuf);
        wb_vmcore_free(v);
        return r;
}

void wb_vmcore_free(struct wb_vmcore *v)
{
        if (!v)
                return;
        free(v->ph);
        free(v->info);
        free(v);
}

void wb_vmcore_summary(const struct wb_vmcore *v, struct wb_vmcore_summary *ret)
{
        static const char key[] = "OSRELEASE=";
        const char *rel = strstr(v->info, key);

        *ret = (struct wb_vmcore_summary) { .nr_notes = v->nr_notes, .osrelease = "" };
        for (size_t i = 0; i < v->nr; i++)
                if (v->ph[i].type == PT_LOAD) {
                        ret->nr_loads++;
                        ret->load_bytes += v->ph[i].memsz;
                        /* The kernel image mapping repeats RAM that a direct-map load holds too. */
                        if (v->ph[i].vaddr < X86_64_START_KERNEL_MAP) {
                                ret->nr_ram_loads++;
                                ret->ram_bytes += v->ph[i].memsz;
                        }
                }
        if (rel && (rel == v->info || rel[-1] == '\n'))
                ret->osrelease = rel + sizeof(key) - 1;
}

int wb_vmcore_info_value(const struct wb_vmcore *v, const char *key, uint64_t *ret)
{
        size_t n = strlen(key);
        /* SYMBOL() and KERNELOFFSET are printed in hex without 0x, the rest in decimal. */
        int base = strncmp(key, "SYMBOL(", 7) == 0 || strcmp(key, "KERNELOFFSET") == 0 ? 16 : 10;

        for (const char *line = v->info; line && *line; line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
                char *end;
                unsigned long long val;

                if (strncmp(line, key, n) != 0 || line[n] != '=')
                        continue;
                errno = 0;
                val = strtoull(line + n + 1, &end, base);
                if (errno || end == line + n + 1)
                        return -EINVAL;
                *ret = val;
                return 0;
        }
        return -ENOENT;
}

/* Reads len bytes at a kernel virtual address of the crashed kernel. */
static int read_virt(const struct wb_vmcore *v, uint64_t vaddr, void *buf, size_t len)
{
        uint64_t paddr;
        bool have_paddr = false;

        if (vaddr >= X86_64_START_KERNEL_MAP) {
                /* __pa_symbol(): the kernel image mapping. */
                paddr = vaddr - X86_64_START_KERNEL_MAP + v->phys_base;
                have_paddr = true;
        } else {
                /* The direct map: the dump's own program headers say where it lies. */
                for (size_t i = 0; i < v->nr; i++) {
                        const struct phdr *ph = &v->ph[i];

                        if (ph->type == PT_LOAD && vaddr >= ph->vaddr && vaddr - ph->vaddr < ph->memsz) {
                                paddr = ph->paddr + (vaddr - ph->vaddr);
                                have_paddr = true;
                                break;
                        }
                }
        }
        if (!have_paddr)
                return -EFAULT;
        for (size_t i = 0; i < v->nr; i++) {
                const struct phdr *ph = &v->ph[i];

                if (ph->type != PT_LOAD || paddr < ph->paddr || paddr - ph->paddr >= ph->filesz)
                        continue;
                if (ph->filesz - (paddr - ph->paddr) < len)
                        return -EFAULT;         /* runs past the segment */
                return src_read(v, ph->offset + (paddr - ph->paddr), buf, len);
        }
        return -EFAULT;
}

static int read_u64(const struct wb_vmcore *v, uint64_t vaddr, uint64_t *ret)
{
        uint8_t b[8];
        int r = read_virt(v, vaddr, b, sizeof(b));

        if (r == 0)
                *ret = wb_le64(b);
        return r;
}

/* The layout of the ring buffer, from vmcoreinfo. */
struct prb_layout {
        uint64_t prb;
        uint64_t desc_ring, text_data_ring;
        uint64_t count_bits, descs, infos, head_id, tail_id;
        uint64_t desc_size, state_var, text_blk_lpos, lpos_begin, lpos_next;
        uint64_t info_size, info_ts_nsec, info_text_len;
        uint64_t size_bits, data;
};

static int prb_layout_read(const struct wb_vmcore *v, struct prb_layout *l)
{
        static const struct {
                const char *key;
                size_t field;
        } keys[] = {
                { "SYMBOL(prb)", offsetof(struct prb_layout, prb) },
                { "OFFSET(printk_ringbuffer.desc_ring)", offsetof(struct prb_layout, desc_ring) },
                { "OFFSET(printk_ringbuffer.text_data_ring)", offsetof(struct prb_layout, text_data_ring) },
                { "OFFSET(prb_desc_ring.count_bits)", offsetof(struct prb_layout, count_bits) },
                { "OFFSET(prb_desc_ring.descs)", offsetof(struct prb_layout, descs) },
                { "OFFSET(prb_desc_ring.infos)", offsetof(struct prb_layout, infos) },
                { "OFFSET(prb_desc_ring.head_id)", offsetof(struct prb_layout, head_id) },
                { "OFFSET(prb_desc_ring.tail_id)", offsetof(struct prb_layout, tail_id) },
                { "SIZE(prb_desc)", offsetof(struct prb_layout, desc_size) },
                { "OFFSET(prb_desc.state_var)", offsetof(struct prb_layout, state_var) },
                { "OFFSET(prb_desc.text_blk_lpos)", offsetof(struct prb_layout, text_blk_lpos) },
                { "OFFSET(prb_data_blk_lpos.begin)", offsetof(struct prb_layout, lpos_begin) },
                { "OFFSET(prb_data_blk_lpos.next)", offsetof(struct prb_layout, lpos_next) },
                { "SIZE(printk_info)", offsetof(struct prb_layout, info_size) },
                { "OFFSET(printk_info.ts_nsec)", offsetof(struct prb_layout, info_ts_nsec) },
                { "OFFSET(printk_info.text_len)", offsetof(struct prb_layout, info_text_len) },
                { "OFFSET(prb_data_ring.size_bits)", offsetof(struct prb_layout, size_bits) },
                { "OFFSET(prb_data_ring.data)", offsetof(struct prb_layout, data) },
        };

        for (size_t i = 0; i < WB_ARRAY_SIZE(keys); i++)
                if (wb_vmcore_info_value(v, keys[i].key, (uint64_t *)((char *)l + keys[i].field)) < 0)
                        return -ENOENT;
        return 0;
}

/* The text of one data block [begin, next) of the data ring; *ret_len bytes at *ret. */
static int block_text(const struct wb_vmcore *v, uint64_t data, uint64_t size_bits, uint64_t begin,
                      uint64_t next, uint64_t text_len, char *buf, size_t *ret_len)
{
        uint64_t size = UINT64_C(1) << size_bits, mask = size - 1, off, len;

        if (LPOS_DATALESS(begin) || LPOS_DATALESS(next))
                return -ENODATA;
        if ((begin >> size_bits) == (next >> size_bits)) {
                off = begin & mask;
                len = next - begin;
        } else if (((begin + size) >> size_bits) == (next >> size_bits)) {
                /* The block wrapped: it starts at the beginning of the ring. */
                off = 0;
                len = next & mask;
        } else {
                return -EBADMSG;
        }
        /* Each block starts with its descriptor id (an unsigned long). */
        if (len < 8 || len > size || off + len > size)
                return -EBADMSG;
        len -= 8;
        if (text_len < len)
                len = text_len;
        if (len > MAX_RECORD_TEXT)
                len = MAX_RECORD_TEXT;
        if (read_virt(v, data + off + 8, buf, (size_t)len) < 0)
                return -EIO;
        *ret_len = (size_t)len;
        return 0;
}

int wb_vmcore_dmesg(const struct wb_vmcore *v, wb_vmcore_record_fn fn, void *data, struct wb_diag *diag)
{
        struct prb_layout l;
        uint64_t prb, ring, text_ring, count_bits, size_bits, descs, infos, text_data, head, tail, count, id;
        char *text;
        int r;

        if (prb_layout_read(v, &l) < 0)
                return wb_diag_set(diag, ENOENT, NULL,
                                   "vmcoreinfo does not describe a lockless printk ring buffer (a kernel older than 5.10?)");
        /* SYMBOL(prb) is the pointer variable; the ring buffer is what it points to. */
        if (read_u64(v, l.prb, &prb) < 0)
                return wb_diag_set(diag, EIO, NULL, "cannot read the printk ring buffer pointer at 0x%llx",
                                   (unsigned long long)l.prb);
        ring = prb + l.desc_ring;
        text_ring = prb + l.text_data_ring;
        if (read_u64(v, ring + l.count_bits, &count_bits) < 0 || read_u64(v, ring + l.descs, &descs) < 0 ||
            read_u64(v, ring + l.infos, &infos) < 0 || read_u64(v, ring + l.head_id, &head) < 0 ||
            read_u64(v, ring + l.tail_id, &tail) < 0 || read_u64(v, text_ring + l.size_bits, &size_bits) < 0 ||
            read_u64(v, text_ring + l.data, &text_data) < 0)
                return wb_diag_set(diag, EIO, NULL, "cannot read the printk ring buffer at 0x%llx",
                                   (unsigned long long)prb);
        /* count_bits is an unsigned int, size_bits too: the upper halves are other fields' padding. */
        count_bits &= 0xffffffffu;
        size_bits &= 0xffffffffu;
        if (count_bits > MAX_COUNT_BITS || size_bits > MAX_SIZE_BITS || size_bits < 4 || !l.desc_size ||
            !l.info_size)
                return wb_diag_set(diag, EBADMSG, NULL, "damaged printk ring buffer (count_bits %llu, size_bits %llu)",
                                   (unsigned long long)count_bits, (unsigned long long)size_bits);
        count = UINT64_C(1) << count_bits;
        text = malloc(MAX_RECORD_TEXT);
        if (!text)
                return wb_diag_set(diag, ENOMEM, NULL, "out of memory");

        head &= DESC_ID_MASK;
        id = tail & DESC_ID_MASK;
        /* At most one pass over the ring, whatever the ids say. */
        for (uint64_t n = 0; n < count; n++, id = (id + 1) & DESC_ID_MASK) {
                uint64_t idx = id & (count - 1), desc = descs + idx * l.desc_size;
                uint64_t info = infos + idx * l.info_size;
                /* Zeroed: the analyzer cannot follow five reads in one condition. */
                uint64_t sv = 0, begin = 0, next = 0, ts = 0;
                uint8_t len16[2] = { 0 };
                size_t len;
                unsigned state;

                if (read_u64(v, desc + l.state_var, &sv) < 0 ||
                    read_u64(v, desc + l.text_blk_lpos + l.lpos_begin, &begin) < 0 ||
                    read_u64(v, desc + l.text_blk_lpos + l.lpos_next, &next) < 0 ||
                    read_u64(v, info + l.info_ts_nsec, &ts) < 0 ||
                    read_virt(v, info + l.info_text_len, len16, sizeof(len16)) < 0) {
                        r = wb_diag_set(diag, EIO, NULL, "cannot read log record %llu", (unsigned long long)id);
                        goto out;
                }
                state = (unsigned)(sv >> DESC_FLAGS_SHIFT) & 3u;
                /* Records still being written, or reused for a newer id, are skipped. */
                if ((state == DESC_COMMITTED || state == DESC_FINALIZED) && (sv & DESC_ID_MASK) == id &&
                    block_text(v, text_data, size_bits, begin, next, wb_le16(len16), text, &len) == 0) {
                        r = fn(data, ts, text, len);
                        if (r)
                                goto out;
                }
                if (id == head)
                        break;
        }
        r = 0;
out:
        free(text);
        return r;
}
