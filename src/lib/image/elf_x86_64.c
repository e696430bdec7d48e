// SPDX-License-Identifier: MIT
/*
 * x86_64 ELF vmlinux: only kexec_load can boot it (the kernel's file
 * loader takes bzImages only). Its PT_LOAD segments go to their physical
 * addresses, it is entered at e_entry's physical address through the
 * 64-bit protocol, with a zero page made from scratch.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <warmboot/ctx.h>
#include <warmboot/error.h>
#include <warmboot/image.h>
#include <warmboot/memmap.h>

#include "../util.h"
#include "../x86/classic.h"

/* ELF64 layout (the System V gABI, <elf.h>), read by offset from untrusted bytes. */
#define EI_CLASS                4
#define EI_DATA                 5
#define ELFCLASS64              2
#define ELFDATA2LSB             1
#define ET_EXEC                 2
#define EM_X86_64               62
#define PT_LOAD                 1
#define ELF64_EHDR_SIZE         64
#define E_TYPE                  16
#define E_MACHINE               18
#define E_ENTRY                 24
#define E_PHOFF                 32
#define E_PHENTSIZE             54
#define E_PHNUM                 56
#define ELF64_PHDR_SIZE         56
#define P_TYPE                  0
#define P_OFFSET                8
#define P_VADDR                 16
#define P_PADDR                 24
#define P_FILESZ                32
#define P_MEMSZ                 40

/* More program headers than any vmlinux has; bounds the work on hostile files. */
#define ELF_MAX_PHDRS           64

/* x86 COMMAND_LINE_SIZE (arch/x86/include/asm/setup.h) less the NUL. */
#define X86_COMMAND_LINE_MAX    2047u

struct elf_image {
        uint8_t *params;
};

static int elf_probe(const struct wb_ctx *ctx, const uint8_t *buf, uint64_t len)
{
        const char *failed = NULL;

        if (len < ELF64_EHDR_SIZE || memcmp(buf, "\177ELF", 4) != 0)
                failed = "no ELF magic";
        else if (buf[EI_CLASS] != ELFCLASS64 || buf[EI_DATA] != ELFDATA2LSB)
                failed = "not little-endian ELF64";
        else if (wb_le16(buf + E_MACHINE) != EM_X86_64)
                failed = "not an x86_64 ELF file";
        else if (wb_le16(buf + E_TYPE) != ET_EXEC)
                failed = "not an ELF executable (ET_EXEC)";
        if (failed) {
                wb_debug(ctx, "elf-x86_64 probe: %s", failed);
                return -ENOEXEC;
        }
        return 0;
}

struct phdr {
        uint32_t type;
        uint64_t offset, vaddr, paddr, filesz, memsz;
};

static void read_phdr(const uint8_t *p, struct phdr *ph)
{
        ph->type = wb_le32(p + P_TYPE);
        ph->offset = wb_le64(p + P_OFFSET);
        ph->vaddr = wb_le64(p + P_VADDR);
        ph->paddr = wb_le64(p + P_PADDR);
        ph->filesz = wb_le64(p + P_FILESZ);
        ph->memsz = wb_le64(p + P_MEMSZ);
}

/* Checks the program headers against the file; counts the PT_LOADs. */
static int check_phdrs(const struct wb_file *f, uint64_t *ret_nload, struct wb_diag *diag)
{
        const uint8_t *b = f->data;
        uint64_t phoff = wb_le64(b + E_PHOFF);
        uint16_t phentsize = wb_le16(b + E_PHENTSIZE), phnum = wb_le16(b + E_PHNUM);
        uint64_t nload = 0;

        if (phentsize != ELF64_PHDR_SIZE)
                return wb_diag_set(diag, ENOEXEC, f->path, "corrupt ELF header: e_phentsize is %u, not %u",
                                   phentsize, ELF64_PHDR_SIZE);
        if (phnum == 0 || phnum > ELF_MAX_PHDRS)
                return wb_diag_set(diag, ENOEXEC, f->path, "corrupt ELF header: %u program headers", phnum);
        if (phoff > f->size || f->size - phoff < (uint64_t)phnum * ELF64_PHDR_SIZE)
                return wb_diag_set(diag, ENOEXEC, f->path, "truncated ELF file: program headers past the end");
        for (uint16_t i = 0; i < phnum; i++) {
                struct phdr ph;

                read_phdr(b + phoff + (uint64_t)i * ELF64_PHDR_SIZE, &ph);
                if (ph.type != PT_LOAD)
                        continue;
                if (ph.filesz > ph.memsz)
                        return wb_diag_set(diag, ENOEXEC, f->path,
                                           "corrupt ELF segment %u: file size above memory size", i);
                if (ph.offset > f->size || f->size - ph.offset < ph.filesz)
                        return wb_diag_set(diag, ENOEXEC, f->path,
                                           "truncated ELF file: segment %u ends past the end of the file", i);
                if (ph.paddr > UINT64_MAX - ph.memsz)
                        return wb_diag_set(diag, ENOEXEC, f->path,
                                           "corrupt ELF segment %u: address range wraps", i);
                if (ph.memsz)
                        nload++;
        }
        if (nload == 0)
                return wb_diag_set(diag, ENOEXEC, f->path, "ELF file has nothing to load (no PT_LOAD)");
        *ret_nload = nload;
        return 0;
}

/* The physical entry: e_entry as it is, or translated when it is a virtual address. */
static int physical_entry(const struct wb_file *f, uint64_t *ret, struct wb_diag *diag)
{
        const uint8_t *b = f->data;
        uint64_t entry = wb_le64(b + E_ENTRY), phoff = wb_le64(b + E_PHOFF);
        uint16_t phnum = wb_le16(b + E_PHNUM);

        for (uint16_t i = 0; i < phnum; i++) {
                struct phdr ph;

                read_phdr(b + phoff + (uint64_t)i * ELF64_PHDR_SIZE, &ph);
                if (ph.type != PT_LOAD || !ph.memsz)
                        continue;
                if (entry >= ph.paddr && entry - ph.paddr < ph.memsz) {
                        *ret = entry;
                        return 0;
                }
                if (entry >= ph.vaddr && entry - ph.vaddr < ph.memsz) {
                        *ret = entry - ph.vaddr + ph.paddr;
                        return 0;
                }
        }
        return wb_diag_set(diag, ENOEXEC, f->path,
                           "ELF entry point 0x%llx is in none of its segments", (unsigned long long)entry);
}

static int elf_plan(struct wb_kernel *k, struct elf_image *img, const struct wb_classic_input *in,
                    struct wb_diag *diag)
{
        const struct wb_file *f = k->file;
        const uint8_t *b = f->data;
        uint64_t phoff = wb_le64(b + E_PHOFF);
        uint16_t phnum = wb_le16(b + E_PHNUM);
        int r;

        r = physical_entry(f, &k->entry, diag);
        if (r < 0)
                return r;
        if (in->preplaced)
                k->plan = *in->preplaced;
        for (uint16_t i = 0; i < phnum; i++) {
                struct phdr ph;

                read_phdr(b + phoff + (uint64_t)i * ELF64_PHDR_SIZE, &ph);
                if (ph.type != PT_LOAD || !ph.memsz)
                        continue;
                if (ph.paddr % WB_PAGE_SIZE)
                        return wb_diag_set(diag, ENOEXEC, f->path,
                                           "ELF segment %u at 0x%llx is not page-aligned", i,
                                           (unsigned long long)ph.paddr);
                if (!wb_memmap_is_ram(in->memmap, ph.paddr, ph.paddr + ph.memsz))
                        return wb_diag_set(diag, EADDRNOTAVAIL, f->path,
                                           "ELF segment %u wants [0x%llx, 0x%llx), which is not RAM on this machine",
                                           i, (unsigned long long)ph.paddr,
                                           (unsigned long long)(ph.paddr + ph.memsz));
                r = wb_plan_add(&k->plan, in->memmap, &(struct wb_place_request) {
                                        .name = "kernel segment",
                                        .buf = b + ph.offset,
                                        .bufsz = ph.filesz,
                                        .memsz = ph.memsz,
                                        .min = ph.paddr,
                                        .max = ph.paddr + ph.memsz + WB_PAGE_SIZE - 1,
                                        .top_down = false,
                                 }, NULL);
                if (r == -ENOMEM)
                        return wb_diag_set(diag, ENOEXEC, f->path,
                                           "ELF segment %u at 0x%llx overlaps another one", i,
                                           (unsigned long long)ph.paddr);
                if (r < 0)
                        return wb_diag_set(diag, r, f->path, "cannot place ELF segment %u: %s", i, strerror(-r));
        }
        return wb_x86_place_boot_data(k, &(struct wb_x86_boot_data_request) {
                                        .in = in,
                                        .path = f->path,
                                      }, &img->params, diag);
}

static void elf_cleanup(struct wb_kernel *kernel)
{
        struct elf_image *img;

        if (!kernel)
                return;
        img = kernel->priv;
        if (img)
                free(img->params);
        free(img);
        free(kernel);
}

static int elf_load(const struct wb_ctx *ctx, const struct wb_file *file,
                    const struct wb_classic_input *classic,
                    struct wb_kernel **ret_kernel, struct wb_diag *diag)
{
        struct elf_image *img = NULL;
        struct wb_kernel *k;
        uint64_t nload = 0;
        int r;

        r = check_phdrs(file, &nload, diag);
        if (r < 0)
                return r;
        k = calloc(1, sizeof(*k));
        if (!k)
                return wb_diag_set(diag, ENOMEM, file->path, "out of memory");
        img = calloc(1, sizeof(*img));
        if (!img) {
                r = wb_diag_set(diag, ENOMEM, file->path, "out of memory");
                goto fail;
        }
        k->priv = img;
        k->ops = &wb_format_elf_x86_64;
        k->file = file;
        k->arch = WB_ARCH_X86_64;
        k->cmdline_max = X86_COMMAND_LINE_MAX;
        k->file_load_refusal = "kexec_file_load takes only bzImages, not an ELF vmlinux";
        wb_debug(ctx, "elf-x86_64: %llu loadable segments", (unsigned long long)nload);
        if (classic) {
                r = elf_plan(k, img, classic, diag);
                if (r < 0)
                        goto fail;
        }
        *ret_kernel = k;
        return 0;

fail:
        elf_cleanup(k);
        return r;
}

const struct wb_image_ops wb_format_elf_x86_64 = {
        .name = "elf-x86_64",
        .probe = elf_probe,
        .load = elf_load,
        .cleanup = elf_cleanup,
};
