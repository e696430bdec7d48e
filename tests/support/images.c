// SPDX-License-Identifier: MIT
/*
 * Synthetic kernel images (images.h), laid out per
 * Documentation/arch/x86/boot.rst and the ELF gABI. The offsets are written
 * out here rather than taken from src/lib/x86/boot.h, so that a wrong
 * constant there cannot hide by being used on both sides of a test.
 */

#include <stdlib.h>
#include <string.h>

#include "images.h"

static void put(uint8_t *p, uint64_t v, size_t n)
{
        for (size_t i = 0; i < n; i++)
                p[i] = (uint8_t)(v >> (8 * i));
}

void img_bzimage_default(struct img_bzimage *spec)
{
        *spec = (struct img_bzimage) {
                .version = 0x020f,
                .setup_sects = 2,
                .syssize = 64,
                .loadflags = 0x01,              /* LOADED_HIGH */
                .xloadflags = 0x0003,           /* XLF_KERNEL_64 | XLF_CAN_BE_LOADED_ABOVE_4G */
                .relocatable = 1,
                .kernel_alignment = 0x200000,
                .pref_address = 0x1000000,
                .init_size = 0x100000,
                .cmdline_size = 2047,
                .payload_offset = 0x40,
                .payload_length = 0x200,
                .boot_flag = 0xaa55,
                .magic = "HdrS",
        };
}

uint8_t *img_bzimage(const struct img_bzimage *s, size_t *ret_len)
{
        struct img_bzimage def;
        size_t setup, len;
        uint8_t *b;

        if (!s) {
                img_bzimage_default(&def);
                s = &def;
        }
        /* At least two sectors: always room for the whole header (it ends at 0x268). */
        setup = ((size_t)(s->setup_sects ? s->setup_sects : 4) + 1) * 512;
        len = setup + (size_t)s->syssize * 16;
        b = calloc(1, len);
        if (!b)
                return NULL;
        b[0x1f1] = s->setup_sects;
        put(b + 0x1f4, s->syssize, 4);
        put(b + 0x1fe, s->boot_flag, 2);
        b[0x200] = 0xeb;                        /* jmp short over the header, as real images start */
        b[0x201] = 0x66;
        memcpy(b + 0x202, s->magic, 4);
        put(b + 0x206, s->version, 2);
        b[0x211] = s->loadflags;
        put(b + 0x214, 0x100000, 4);            /* code32_start */
        put(b + 0x22c, 0x7fffffff, 4);          /* initrd_addr_max */
        put(b + 0x230, s->kernel_alignment, 4);
        b[0x234] = s->relocatable;
        b[0x235] = 21;                          /* min_alignment: 2 MiB */
        put(b + 0x236, s->xloadflags, 2);
        put(b + 0x238, s->cmdline_size, 4);
        put(b + 0x248, s->payload_offset, 4);
        put(b + 0x24c, s->payload_length, 4);
        put(b + 0x258, s->pref_address, 8);
        put(b + 0x260, s->init_size, 4);
        /* Something recognisable in the kernel part, so that a wrong offset shows. */
        for (size_t i = setup; i < len; i++)
                b[i] = (uint8_t)(i * 7 + 1);
        *ret_len = len;
        return b;
}

uint8_t *img_elf(const struct img_elf_segment *segs, size_t n, uint64_t entry, size_t *ret_len)
{
        size_t head = 64 + n * 56, len = head, off;
        uint8_t *b;

        for (size_t i = 0; i < n; i++)
                len += (size_t)segs[i].filesz;
        b = calloc(1, len);
        if (!b)
                return NULL;
        memcpy(b, "\177ELF", 4);
        b[4] = 2;                               /* ELFCLASS64 */
        b[5] = 1;                               /* ELFDATA2LSB */
        b[6] = 1;                               /* EV_CURRENT */
        put(b + 16, 2, 2);                      /* ET_EXEC */
        put(b + 18, 62, 2);                     /* EM_X86_64 */
        put(b + 20, 1, 4);
        put(b + 24, entry, 8);
        put(b + 32, 64, 8);                     /* e_phoff */
        put(b + 52, 64, 2);                     /* e_ehsize */
        put(b + 54, 56, 2);                     /* e_phentsize */
        put(b + 56, n, 2);
        put(b + 58, 64, 2);                     /* e_shentsize */
        off = head;
        for (size_t i = 0; i < n; i++) {
                uint8_t *ph = b + 64 + i * 56;

                put(ph, segs[i].type, 4);
                put(ph + 4, 7, 4);              /* RWX */
                put(ph + 8, off, 8);
                put(ph + 16, segs[i].vaddr, 8);
                put(ph + 24, segs[i].paddr, 8);
                put(ph + 32, segs[i].filesz, 8);
                put(ph + 40, segs[i].memsz, 8);
                put(ph + 48, 0x1000, 8);
                for (size_t j = 0; j < segs[i].filesz; j++)
                        b[off + j] = (uint8_t)(j * 3 + i);
                off += (size_t)segs[i].filesz;
        }
        *ret_len = len;
        return b;
}
