// SPDX-License-Identifier: MIT
/*
 * The host side of purgatory: parse the blob, relocate it to a load
 * address, patch its parameters, hash the segments it will check.
 *
 * The blob is an ET_EXEC linked at address 0 with ld -q, so it keeps its
 * relocation sections. Moving the whole image by load_addr changes only
 * the fields that hold absolute addresses of the image; a PC-relative
 * field has both ends in the image and stays as linked. Open therefore
 * recomputes every relocation at address 0 and compares it with what the
 * linker wrote (a relocation table that does not describe the bytes is
 * refused), and keeps the sites that depend on the load address; place
 * rewrites those. The ELF is read as untrusted bytes: every header is
 * copied out with memcpy and every offset checked before use.
 */

#include <elf.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <purgatory/crc32c.h>
#include <purgatory/sha256.h>
#include <warmboot/purgatory.h>
#include <warmboot/sys.h>

#include "util.h"

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the ELF headers are copied as they are: a little-endian host is assumed"
#endif

#define PARAMS_SYMBOL   "wb_purgatory_params"
#define ENTRY_SYMBOL    "purgatory_start"
#define MAX_SECTIONS    256     /* ours has about ten */

/* A field that depends on the load address. */
struct reloc {
        uint64_t offset;        /* of the field, from the image start */
        uint64_t value;         /* what is there at load address 0 (sign-extended for 32S/PC32) */
        uint32_t type;          /* R_X86_64_* */
        bool follows;           /* + load_addr (absolute, to the image); else - load_addr */
};

struct wb_purgatory {
        uint8_t *image;         /* bufsz bytes, as linked at 0 */
        uint64_t bufsz;
        uint64_t memsz;
        uint64_t align;
        uint64_t entry;         /* offset */
        uint64_t params_offset;
        struct reloc *relocs;
        size_t nr_relocs;
};

/* The parts of the ELF file open works with, copied out of it. */
struct elf_view {
        const uint8_t *data;
        size_t len;
        Elf64_Ehdr eh;
        Elf64_Shdr *sh;
        size_t shnum;
        size_t symtab;          /* section index */
        Elf64_Sym *syms;
        size_t nsyms;
        const char *strtab;
        size_t strsz;
};

static bool in_file(const struct elf_view *v, uint64_t off, uint64_t size)
{
        return off <= v->len && size <= v->len - off;
}

static bool is_pow2(uint64_t x)
{
        return x && !(x & (x - 1));
}

static int read_headers(struct elf_view *v)
{
        const Elf64_Ehdr *eh = &v->eh;
        size_t i;

        if (v->len < sizeof(Elf64_Ehdr))
                return -ENOEXEC;
        memcpy(&v->eh, v->data, sizeof(v->eh));
        if (memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 ||
            eh->e_ident[EI_CLASS] != ELFCLASS64 ||
            eh->e_ident[EI_DATA] != ELFDATA2LSB ||
            eh->e_ident[EI_VERSION] != EV_CURRENT ||
            eh->e_type != ET_EXEC || eh->e_machine != EM_X86_64 ||
            eh->e_version != EV_CURRENT)
                return -ENOEXEC;
        if (eh->e_shentsize != sizeof(Elf64_Shdr) || eh->e_shnum == 0 ||
            eh->e_shnum > MAX_SECTIONS ||
            !in_file(v, eh->e_shoff, (uint64_t)eh->e_shnum * sizeof(Elf64_Shdr)))
                return -ENOEXEC;
        v->shnum = eh->e_shnum;
        v->sh = calloc(v->shnum, sizeof(*v->sh));
        if (!v->sh)
                return -ENOMEM;
        for (i = 0; i < v->shnum; i++)
                memcpy(&v->sh[i], v->data + eh->e_shoff + i * sizeof(Elf64_Shdr), sizeof(Elf64_Shdr));
        return 0;
}

static int read_symtab(struct elf_view *v)
{
        const Elf64_Shdr *s, *str;
        bool found = false;
        size_t i;

        for (i = 0; i < v->shnum; i++) {
                if (v->sh[i].sh_type != SHT_SYMTAB)
                        continue;
                if (found)
                        return -ENOEXEC;
                found = true;
                v->symtab = i;
        }
        if (!found)
                return -ENOEXEC;
        s = &v->sh[v->symtab];
        if (s->sh_entsize != sizeof(Elf64_Sym) || s->sh_size % sizeof(Elf64_Sym) != 0 ||
            s->sh_size == 0 || !in_file(v, s->sh_offset, s->sh_size) ||
            s->sh_link == 0 || s->sh_link >= v->shnum)
                return -ENOEXEC;
        str = &v->sh[s->sh_link];
        if (str->sh_type != SHT_STRTAB || str->sh_size == 0 ||
            !in_file(v, str->sh_offset, str->sh_size))
                return -ENOEXEC;
        v->strtab = (const char *)v->data + str->sh_offset;
        v->strsz = str->sh_size;

        v->nsyms = s->sh_size / sizeof(Elf64_Sym);
        v->syms = calloc(v->nsyms, sizeof(*v->syms));
        if (!v->syms)
                return -ENOMEM;
        for (i = 0; i < v->nsyms; i++)
                memcpy(&v->syms[i], v->data + s->sh_offset + i * sizeof(Elf64_Sym), sizeof(Elf64_Sym));
        return 0;
}

/* The symbol's name, or NULL when it does not lie NUL-terminated inside the string table. */
static const char *sym_name(const struct elf_view *v, const Elf64_Sym *sym)
{
        if (sym->st_name >= v->strsz ||
            !memchr(v->strtab + sym->st_name, '\0', v->strsz - sym->st_name))
                return NULL;
        return v->strtab + sym->st_name;
}

static bool is_alloc(const Elf64_Shdr *s)
{
        return (s->sh_flags & SHF_ALLOC) && s->sh_size > 0;
}

/*
 * Checks the allocated sections (file-backed or .bss only, inside
 * WB_PURGATORY_MAX_SIZE, aligned, not overlapping), computes the sizes
 * and alignment, and copies the file-backed ones into p->image.
 */
static int read_layout(const struct elf_view *v, struct wb_purgatory *p)
{
        uint64_t bufsz = 0, memsz = 0, align = 1;
        size_t i, j;

        for (i = 0; i < v->shnum; i++) {
                const Elf64_Shdr *s = &v->sh[i];
                uint64_t a = s->sh_addralign ? s->sh_addralign : 1;

                if (!is_alloc(s))
                        continue;
                if (s->sh_type != SHT_PROGBITS && s->sh_type != SHT_NOBITS)
                        return -ENOEXEC;
                if (!is_pow2(a) || s->sh_addr % a != 0 ||
                    s->sh_addr > WB_PURGATORY_MAX_SIZE ||
                    s->sh_size > WB_PURGATORY_MAX_SIZE - s->sh_addr)
                        return -ENOEXEC;
                if (s->sh_type == SHT_PROGBITS && !in_file(v, s->sh_offset, s->sh_size))
                        return -ENOEXEC;
                for (j = 0; j < i; j++) {
                        const Elf64_Shdr *o = &v->sh[j];

                        if (is_alloc(o) && s->sh_addr < o->sh_addr + o->sh_size &&
                            o->sh_addr < s->sh_addr + s->sh_size)
                                return -ENOEXEC;
                }
                if (a > align)
                        align = a;
                if (s->sh_addr + s->sh_size > memsz)
                        memsz = s->sh_addr + s->sh_size;
                if (s->sh_type == SHT_PROGBITS && s->sh_addr + s->sh_size > bufsz)
                        bufsz = s->sh_addr + s->sh_size;
        }
        if (bufsz == 0)
                return -ENOEXEC;

        /* Gaps between sections, and .bss below bufsz, stay zero. */
        p->image = calloc(1, (size_t)bufsz);
        if (!p->image)
                return -ENOMEM;
        for (i = 0; i < v->shnum; i++) {
                const Elf64_Shdr *s = &v->sh[i];

                if (is_alloc(s) && s->sh_type == SHT_PROGBITS)
                        memcpy(p->image + s->sh_addr, v->data + s->sh_offset, (size_t)s->sh_size);
        }
        p->bufsz = bufsz;
        p->memsz = memsz;
        p->align = align;
        return 0;
}

/* The file-backed allocated section holding [addr, addr + size), or NULL. */
static const Elf64_Shdr *section_at(const struct elf_view *v, uint64_t addr, uint64_t size)
{
        size_t i;

        for (i = 0; i < v->shnum; i++) {
                const Elf64_Shdr *s = &v->sh[i];

                if (is_alloc(s) && s->sh_type == SHT_PROGBITS && addr >= s->sh_addr &&
                    size <= s->sh_size && addr - s->sh_addr <= s->sh_size - size)
                        return s;
        }
        return NULL;
}

/* Finds wb_purgatory_params and the entry point. */
static int read_symbols(const struct elf_view *v, struct wb_purgatory *p)
{
        const Elf64_Sym *params = NULL, *start = NULL;
        const Elf64_Shdr *s;
        uint64_t entry;
        size_t i;

        for (i = 1; i < v->nsyms; i++) {
                const Elf64_Sym *sym = &v->syms[i];
                const char *name = sym_name(v, sym);

                if (!name)
                        return -ENOEXEC;
                if (strcmp(name, PARAMS_SYMBOL) == 0) {
                        if (params)
                                return -ENOEXEC;
                        params = sym;
                } else if (strcmp(name, ENTRY_SYMBOL) == 0) {
                        if (start)
                                return -ENOEXEC;
                        start = sym;
                }
        }
        if (!params || params->st_size != sizeof(struct wb_purgatory_params) ||
            ELF64_ST_TYPE(params->st_info) != STT_OBJECT ||
            params->st_shndx == SHN_UNDEF || params->st_shndx >= v->shnum)
                return -ENOEXEC;
        s = section_at(v, params->st_value, params->st_size);
        if (s != &v->sh[params->st_shndx])
                return -ENOEXEC;

        entry = start ? start->st_value : v->eh.e_entry;
        s = section_at(v, entry, 1);
        if (!s || !(s->sh_flags & SHF_EXECINSTR))
                return -ENOEXEC;

        p->params_offset = params->st_value;
        p->entry = entry;
        return 0;
}

/* The field of a relocation type: its width and whether it is PC-relative and signed. */
static int reloc_kind(uint32_t type, unsigned int *width, bool *pcrel, bool *is_signed)
{
        switch (type) {
        case R_X86_64_64:
                *width = 8, *pcrel = false, *is_signed = false;
                return 0;
        case R_X86_64_32:
                *width = 4, *pcrel = false, *is_signed = false;
                return 0;
        case R_X86_64_32S:
                *width = 4, *pcrel = false, *is_signed = true;
                return 0;
        case R_X86_64_PC32:
        case R_X86_64_PLT32:
                *width = 4, *pcrel = true, *is_signed = true;
                return 0;
        case R_X86_64_PC64:
                *width = 8, *pcrel = true, *is_signed = false;
                return 0;
        }
        return -ENOEXEC;
}

/* Whether v, a value for a field of this width and signedness, fits it. */
static bool fits(uint64_t v, unsigned int width, bool is_signed)
{
        if (width == 8)
                return true;
        if (is_signed)
                return (int64_t)v >= INT32_MIN && (int64_t)v <= INT32_MAX;
        return v <= UINT32_MAX;
}

/* The field's value, extended to 64 bits as its relocation type reads it. */
static uint64_t field_get(const uint8_t *at, unsigned int width, bool is_signed)
{
        if (width == 8)
                return wb_le64(at);
        if (is_signed)
                return (uint64_t)(int64_t)(int32_t)wb_le32(at);
        return wb_le32(at);
}

static void field_put(uint8_t *at, unsigned int width, uint64_t v)
{
        unsigned int i;

        for (i = 0; i < width; i++)
                at[i] = (uint8_t)(v >> (8 * i));
}

static int reloc_width(uint32_t type)
{
        unsigned int width;
        bool pcrel, is_signed;

        return reloc_kind(type, &width, &pcrel, &is_signed) < 0 ? 0 : (int)width;
}

static int compare_relocs(const void *a, const void *b)
{
        const struct reloc *x = a, *y = b;

        return x->offset < y->offset ? -1 : x->offset > y->offset;
}

/*
 * Checks one relocation against the image as linked and, when its field
 * depends on the load address, appends it to p->relocs.
 */
static int read_reloc(const struct elf_view *v, const Elf64_Shdr *target, const Elf64_Rela *ra,
                      struct wb_purgatory *p)
{
        uint32_t type = ELF64_R_TYPE(ra->r_info);
        uint64_t symi = ELF64_R_SYM(ra->r_info);
        uint64_t value, params_end = p->params_offset + sizeof(struct wb_purgatory_params);
        bool pcrel, is_signed, moves = false;
        unsigned int width;
        uint64_t sym_value = 0;

        if (type == R_X86_64_NONE)
                return 0;
        if (reloc_kind(type, &width, &pcrel, &is_signed) < 0)
                return -ENOEXEC;
        /* In an ET_EXEC, r_offset is the address of the field. */
        if (ra->r_offset < target->sh_addr || ra->r_offset - target->sh_addr > target->sh_size ||
            target->sh_size - (ra->r_offset - target->sh_addr) < width)
                return -ENOEXEC;
        if (ra->r_offset < params_end && p->params_offset < ra->r_offset + width)
                return -ENOEXEC;
        if (symi >= v->nsyms)
                return -ENOEXEC;
        if (symi != 0) {
                const Elf64_Sym *sym = &v->syms[symi];

                if (sym->st_shndx == SHN_ABS) {
                        moves = false;
                } else if (sym->st_shndx == SHN_UNDEF || sym->st_shndx >= SHN_LORESERVE ||
                           sym->st_shndx >= v->shnum || !is_alloc(&v->sh[sym->st_shndx])) {
                        return -ENOEXEC;
                } else {
                        moves = true;
                }
                sym_value = sym->st_value;
        }

        /* S + A, or S + A - P; modulo 2^64 like the CPU. */
        value = sym_value + (uint64_t)ra->r_addend;
        if (pcrel)
                value -= ra->r_offset;
        if (!fits(value, width, is_signed) ||
            field_get(p->image + ra->r_offset, width, is_signed) != value)
                return -ENOEXEC;

        /* Absolute to the image, or PC-relative to a fixed address. */
        if (moves != pcrel) {
                struct reloc *r = &p->relocs[p->nr_relocs++];

                r->offset = ra->r_offset;
                r->value = value;
                r->type = type;
                r->follows = moves;
        }
        return 0;
}

static int read_relocs(const struct elf_view *v, struct wb_purgatory *p)
{
        size_t total = 0, i, j;
        int r;

        for (i = 0; i < v->shnum; i++) {
                const Elf64_Shdr *s = &v->sh[i];

                if (s->sh_type != SHT_RELA && s->sh_type != SHT_REL)
                        continue;
                /* sh_info 0 would be dynamic relocations, which we do not do. */
                if (s->sh_info == 0 || s->sh_info >= v->shnum)
                        return -ENOEXEC;
                if (!(v->sh[s->sh_info].sh_flags & SHF_ALLOC))
                        continue;               /* debug information */
                if (s->sh_type == SHT_REL)
                        return -ENOEXEC;        /* x86_64 uses RELA only */
                if (v->sh[s->sh_info].sh_type != SHT_PROGBITS || s->sh_link != v->symtab ||
                    s->sh_entsize != sizeof(Elf64_Rela) || s->sh_size % sizeof(Elf64_Rela) != 0 ||
                    !in_file(v, s->sh_offset, s->sh_size))
                        return -ENOEXEC;
                total += s->sh_size / sizeof(Elf64_Rela);
        }
        if (total == 0)
                return 0;
        p->relocs = calloc(total, sizeof(*p->relocs));
        if (!p->relocs)
                return -ENOMEM;

        for (i = 0; i < v->shnum; i++) {
                const Elf64_Shdr *s = &v->sh[i];

                if (s->sh_type != SHT_RELA || !(v->sh[s->sh_info].sh_flags & SHF_ALLOC))
                        continue;
                for (j = 0; j < s->sh_size / sizeof(Elf64_Rela); j++) {
                        Elf64_Rela ra;

                        memcpy(&ra, v->data + s->sh_offset + j * sizeof(ra), sizeof(ra));
                        r = read_reloc(v, &v->sh[s->sh_info], &ra, p);
                        if (r < 0)
                                return r;
                }
        }

        /* Two relocations writing over each other make no sense. */
        qsort(p->relocs, p->nr_relocs, sizeof(*p->relocs), compare_relocs);
        for (i = 1; i < p->nr_relocs; i++)
                if (p->relocs[i - 1].offset + (uint64_t)reloc_width(p->relocs[i - 1].type) >
                    p->relocs[i].offset)
                        return -ENOEXEC;
        return 0;
}

int wb_purgatory_open(const uint8_t *elf, size_t len, struct wb_purgatory **ret)
{
        struct elf_view v = { .data = elf, .len = elf ? len : 0 };
        struct wb_purgatory *p;
        int r;

        p = calloc(1, sizeof(*p));
        if (!p)
                return -ENOMEM;
        r = read_headers(&v);
        if (r < 0)
                goto fail;
        r = read_symtab(&v);
        if (r < 0)
                goto fail;
        r = read_layout(&v, p);
        if (r < 0)
                goto fail;
        r = read_symbols(&v, p);
        if (r < 0)
                goto fail;
        r = read_relocs(&v, p);
        if (r < 0)
                goto fail;
        free(v.syms);
        free(v.sh);
        *ret = p;
        return 0;

fail:
        free(v.syms);
        free(v.sh);
        wb_purgatory_free(p);
        return r;
}

int wb_purgatory_open_embedded(struct wb_purgatory **ret)
{
        size_t len = (size_t)((uintptr_t)wb_purgatory_elf_end - (uintptr_t)wb_purgatory_elf);

        return wb_purgatory_open(wb_purgatory_elf, len, ret);
}

void wb_purgatory_free(struct wb_purgatory *p)
{
        if (!p)
                return;
        free(p->relocs);
        free(p->image);
        free(p);
}

uint64_t wb_purgatory_bufsz(const struct wb_purgatory *p)
{
        return p->bufsz;
}

uint64_t wb_purgatory_memsz(const struct wb_purgatory *p)
{
        return p->memsz;
}

uint64_t wb_purgatory_align(const struct wb_purgatory *p)
{
        return p->align;
}

uint64_t wb_purgatory_entry_offset(const struct wb_purgatory *p)
{
        return p->entry;
}

/* The field's value at load address load_addr: 0 and *ret, or -ERANGE when it does not fit. */
static int relocate(const struct reloc *r, uint64_t load_addr, uint64_t *ret)
{
        unsigned int width;
        bool pcrel, is_signed;
        uint64_t v;

        if (reloc_kind(r->type, &width, &pcrel, &is_signed) < 0)
                return -ERANGE;         /* not reached: open kept only known types */
        /* r->value fits its field (open checked), so none of these differences overflow. */
        if (r->follows) {
                uint64_t room;

                if (width == 8)
                        room = UINT64_MAX - r->value;
                else if (is_signed)
                        room = (uint64_t)(INT32_MAX - (int64_t)r->value);
                else
                        room = UINT32_MAX - r->value;
                if (load_addr > room)
                        return -ERANGE;
                v = r->value + load_addr;
        } else {
                /* PC64 wraps like the CPU's address arithmetic; PC32 must stay in range. */
                if (width == 4 && load_addr > (uint64_t)((int64_t)r->value - INT32_MIN))
                        return -ERANGE;
                v = r->value - load_addr;
        }
        *ret = v;
        return 0;
}

int wb_purgatory_place(const struct wb_purgatory *p, uint64_t load_addr,
                       const struct wb_purgatory_params *params,
                       uint8_t **ret_buf, uint64_t *ret_entry)
{
        uint8_t *buf;
        size_t i;
        int r;

        if (load_addr % p->align != 0)
                return -EINVAL;
        if (load_addr > UINT64_MAX - p->memsz)
                return -ERANGE;
        buf = malloc((size_t)p->bufsz);
        if (!buf)
                return -ENOMEM;
        memcpy(buf, p->image, (size_t)p->bufsz);
        for (i = 0; i < p->nr_relocs; i++) {
                const struct reloc *rel = &p->relocs[i];
                uint64_t v;

                r = relocate(rel, load_addr, &v);
                if (r < 0)
                        goto fail;
                field_put(buf + rel->offset, (unsigned int)reloc_width(rel->type), v);
        }
        memcpy(buf + p->params_offset, params, sizeof(*params));
        *ret_buf = buf;
        *ret_entry = load_addr + p->entry;
        return 0;

fail:
        free(buf);
        return r;
}

/*
 * Which CRC32C implementation is faster here: the crc32 instruction, or
 * the tables. On real CPUs the instruction wins by far (four lanes
 * interleaved: about 8 bytes a cycle); emulators may emulate it bit by
 * bit (QEMU's TCG does) and then the tables win. Both give the same
 * bits, so this is only about speed: each is timed once on the same
 * 64 KiB of zeros (not the segments: those are hashed once), best of
 * three: about 2 ms under TCG, microseconds on hardware, once per load.
 */
#define CRC32C_PROBE_BYTES ((size_t)64 * 1024)

static double seconds(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double crc32c_probe(const struct wb_crc32c_table *tab, const uint8_t *buf)
{
        double best = 1e9;
        struct wb_crc32c4 c;
        int i;

        for (i = 0; i < 3; i++) {
                double t = seconds();

                wb_crc32c4_init(&c, tab);
                wb_crc32c4_region(&c, buf, CRC32C_PROBE_BYTES);
                t = seconds() - t;
                /* Keep the result alive: the compiler must not drop the work. */
                __asm__ volatile("" : : "r"(c.lane[0]), "r"(c.lane[3]));
                if (t < best)
                        best = t;
        }
        return best;
}

int wb_purgatory_crc32c_insn(const struct wb_crc32c_table *tab)
{
        uint8_t *zeros;
        int insn;

        if (!wb_crc32c_cpu_has_insn())
                return 0;
        zeros = calloc(1, CRC32C_PROBE_BYTES);
        if (!zeros)
                return 0;
        insn = crc32c_probe(NULL, zeros) <= crc32c_probe(tab, zeros);
        free(zeros);
        return insn;
}

int wb_purgatory_set_check(struct wb_purgatory_params *params, uint32_t algorithm,
                           const struct wb_segment *segments, size_t nr_segments)
{
        struct wb_purgatory_region regions[WB_PURGATORY_MAX_REGIONS];
        uint8_t digest[sizeof(params->digest)] = { 0 };
        uint32_t n = 0, flags = 0;
        size_t i;

        if (algorithm != WB_PURGATORY_ALG_SHA256 && algorithm != WB_PURGATORY_ALG_CRC32C_4LANE)
                return -EINVAL;
        for (i = 0; i < nr_segments; i++) {
                const struct wb_segment *s = &segments[i];

                if (s->bufsz == 0)
                        continue;
                if (!s->buf || s->bufsz > UINT64_MAX - s->mem)
                        return -EINVAL;
                if (n == WB_PURGATORY_MAX_REGIONS)
                        return -E2BIG;
                regions[n].start = s->mem;
                regions[n].len = s->bufsz;
                n++;
        }

        /* Each byte once, from the segments' buffers (the mapped files: nothing is copied). */
        if (algorithm == WB_PURGATORY_ALG_SHA256) {
                struct wb_sha256_ctx ctx;

                wb_sha256_init(&ctx);
                for (i = 0; i < nr_segments; i++)
                        if (segments[i].bufsz)
                                wb_sha256_update(&ctx, segments[i].buf, segments[i].bufsz);
                wb_sha256_final(&ctx, digest);
        } else {
                struct wb_crc32c_table tab;
                struct wb_crc32c4 ctx;

                wb_crc32c_table_init(&tab);
                if (wb_purgatory_crc32c_insn(&tab))
                        flags |= WB_PURGATORY_F_CRC32_INSN;
                wb_crc32c4_init(&ctx, (flags & WB_PURGATORY_F_CRC32_INSN) ? NULL : &tab);
                for (i = 0; i < nr_segments; i++)
                        if (segments[i].bufsz)
                                wb_crc32c4_region(&ctx, segments[i].buf, segments[i].bufsz);
                wb_crc32c4_final(&ctx, digest);
        }

        params->verify = 1;
        params->algorithm = algorithm;
        params->flags = flags;
        params->nr_regions = n;
        memset(params->regions, 0, sizeof(params->regions));
        memcpy(params->regions, regions, n * sizeof(regions[0]));
        memcpy(params->digest, digest, sizeof(digest));
        return 0;
}

int wb_purgatory_set_digest(struct wb_purgatory_params *params,
                            const struct wb_segment *segments, size_t nr_segments)
{
        return wb_purgatory_set_check(params, WB_PURGATORY_ALG_SHA256, segments, nr_segments);
}
