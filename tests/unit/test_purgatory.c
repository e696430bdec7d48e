// SPDX-License-Identifier: MIT
/*
 * The purgatory loader (src/lib/purgatory.c) on the blob built into the
 * library: parsing, relocation to two addresses, params patching, the
 * digest helper, and corrupt or truncated ELF input. The relocation sites
 * and symbols are found here by a separate, minimal walk of the ELF, so
 * that the loader is checked against something it did not compute.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <elf.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <purgatory/sha256.h>
#include <warmboot/purgatory.h>
#include <warmboot/sys.h>

#define ADDR_A  UINT64_C(0x00100000)
#define ADDR_B  UINT64_C(0x3fe00000)

static size_t blob_len(void)
{
        return (size_t)((uintptr_t)wb_purgatory_elf_end - (uintptr_t)wb_purgatory_elf);
}

/* A private copy of the blob, for corrupting. */
static uint8_t *blob_copy(void)
{
        uint8_t *b = malloc(blob_len());

        assert_non_null(b);
        memcpy(b, wb_purgatory_elf, blob_len());
        return b;
}

/* --- an independent look at the ELF, trusting it (it is ours) --- */

static Elf64_Ehdr ehdr(const uint8_t *elf)
{
        Elf64_Ehdr eh;

        memcpy(&eh, elf, sizeof(eh));
        return eh;
}

static Elf64_Shdr shdr(const uint8_t *elf, size_t i)
{
        Elf64_Ehdr eh = ehdr(elf);
        Elf64_Shdr sh;

        memcpy(&sh, elf + eh.e_shoff + i * sizeof(sh), sizeof(sh));
        return sh;
}

/* File offset of the symbol table entry named name; fails the test when absent. */
static size_t symbol_entry(const uint8_t *elf, const char *name, Elf64_Sym *ret)
{
        Elf64_Ehdr eh = ehdr(elf);
        size_t i, j;

        for (i = 0; i < eh.e_shnum; i++) {
                Elf64_Shdr s = shdr(elf, i), str;

                if (s.sh_type != SHT_SYMTAB)
                        continue;
                str = shdr(elf, s.sh_link);
                for (j = 0; j < s.sh_size / sizeof(Elf64_Sym); j++) {
                        size_t off = s.sh_offset + j * sizeof(Elf64_Sym);
                        Elf64_Sym sym;

                        memcpy(&sym, elf + off, sizeof(sym));
                        if (strcmp((const char *)elf + str.sh_offset + sym.st_name, name) == 0) {
                                *ret = sym;
                                return off;
                        }
                }
        }
        fail_msg("no symbol %s", name);
        return 0;
}

struct site {
        uint64_t offset;
        uint32_t type;
        size_t file_off;        /* of the Elf64_Rela */
        bool absolute;          /* R_X86_64_64/32/32S against a symbol of the image */
};

/* Every relocation of an allocated section, in file order. Returns the count. */
static size_t relocation_sites(const uint8_t *elf, struct site *out, size_t max)
{
        Elf64_Ehdr eh = ehdr(elf);
        size_t n = 0, i, j;

        for (i = 0; i < eh.e_shnum; i++) {
                Elf64_Shdr s = shdr(elf, i), symtab;

                if (s.sh_type != SHT_RELA || !(shdr(elf, s.sh_info).sh_flags & SHF_ALLOC))
                        continue;
                symtab = shdr(elf, s.sh_link);
                for (j = 0; j < s.sh_size / sizeof(Elf64_Rela); j++) {
                        size_t off = s.sh_offset + j * sizeof(Elf64_Rela);
                        uint32_t type;
                        Elf64_Rela ra;
                        Elf64_Sym sym;

                        memcpy(&ra, elf + off, sizeof(ra));
                        memcpy(&sym, elf + symtab.sh_offset + ELF64_R_SYM(ra.r_info) * sizeof(sym),
                               sizeof(sym));
                        type = ELF64_R_TYPE(ra.r_info);
                        assert_true(n < max);
                        out[n].offset = ra.r_offset;
                        out[n].type = type;
                        out[n].file_off = off;
                        out[n].absolute = (type == R_X86_64_64 || type == R_X86_64_32 ||
                                           type == R_X86_64_32S) &&
                                          sym.st_shndx != SHN_ABS && sym.st_shndx != SHN_UNDEF;
                        n++;
                }
        }
        return n;
}

static unsigned int site_width(uint32_t type)
{
        return type == R_X86_64_64 || type == R_X86_64_PC64 ? 8 : 4;
}

static uint64_t get_le(const uint8_t *p, unsigned int width)
{
        uint64_t v = 0;
        unsigned int i;

        for (i = 0; i < width; i++)
                v |= (uint64_t)p[i] << (8 * i);
        return v;
}

static void sample_params(struct wb_purgatory_params *pp)
{
        size_t i;

        memset(pp, 0, sizeof(*pp));
        pp->entry_rip = 0x1000200;
        pp->entry_rsi = 0x7000;
        pp->entry_rsp = 0;
        pp->verify = 1;
        pp->algorithm = WB_PURGATORY_ALG_SHA256;
        pp->serial_port = 0x3f8;
        pp->nr_regions = 2;
        for (i = 0; i < sizeof(pp->digest); i++)
                pp->digest[i] = (uint8_t)(0xa0 + i);
        pp->regions[0].start = 0x1000000;
        pp->regions[0].len = 0x123456;
        pp->regions[1].start = 0x7000;
        pp->regions[1].len = 0x1000;
}

/* --- tests --- */

static void test_open_embedded(void **state)
{
        struct wb_purgatory *p;
        Elf64_Sym start;

        (void)state;
        assert_true(blob_len() > sizeof(Elf64_Ehdr));
        assert_int_equal(wb_purgatory_open_embedded(&p), 0);
        symbol_entry(wb_purgatory_elf, "purgatory_start", &start);

        assert_true(wb_purgatory_bufsz(p) > 0);
        /* .bss holds the 16 KiB stack. */
        assert_true(wb_purgatory_memsz(p) >= wb_purgatory_bufsz(p) + 16384);
        assert_true(wb_purgatory_memsz(p) <= WB_PURGATORY_MAX_SIZE);
        assert_true(wb_purgatory_align(p) >= 1);
        assert_int_equal(wb_purgatory_align(p) & (wb_purgatory_align(p) - 1), 0);
        assert_int_equal(wb_purgatory_entry_offset(p), start.st_value);
        assert_true(wb_purgatory_entry_offset(p) < wb_purgatory_bufsz(p));
        wb_purgatory_free(p);

        /* The same through the general entry point. */
        assert_int_equal(wb_purgatory_open(wb_purgatory_elf, blob_len(), &p), 0);
        wb_purgatory_free(p);
        wb_purgatory_free(NULL);
}

/*
 * Two load addresses: the images differ exactly at the absolute
 * relocation sites, by the difference of the addresses; the params are
 * at the symbol in both; the entry follows the load address.
 */
static void test_place_two_addresses(void **state)
{
        struct wb_purgatory_params pp;
        struct site sites[512];
        uint8_t *a, *b, *mask;
        uint64_t entry_a, entry_b, bufsz;
        size_t n, i, nr_abs = 0, nr_64 = 0;
        struct wb_purgatory *p;
        Elf64_Sym params, start;

        (void)state;
        sample_params(&pp);
        assert_int_equal(wb_purgatory_open_embedded(&p), 0);
        bufsz = wb_purgatory_bufsz(p);
        symbol_entry(wb_purgatory_elf, "wb_purgatory_params", &params);
        symbol_entry(wb_purgatory_elf, "purgatory_start", &start);
        assert_int_equal(params.st_size, sizeof(pp));

        assert_int_equal(wb_purgatory_place(p, ADDR_A, &pp, &a, &entry_a), 0);
        assert_int_equal(wb_purgatory_place(p, ADDR_B, &pp, &b, &entry_b), 0);
        assert_int_equal(entry_a, ADDR_A + start.st_value);
        assert_int_equal(entry_b, ADDR_B + start.st_value);

        /* Params patched at the symbol, in both. */
        assert_memory_equal(a + params.st_value, &pp, sizeof(pp));
        assert_memory_equal(b + params.st_value, &pp, sizeof(pp));

        mask = calloc(1, (size_t)bufsz);
        assert_non_null(mask);
        memset(mask + params.st_value, 1, sizeof(pp));
        n = relocation_sites(wb_purgatory_elf, sites, sizeof(sites) / sizeof(sites[0]));
        for (i = 0; i < n; i++) {
                unsigned int w = site_width(sites[i].type);
                uint64_t va, vb, wmask = w == 8 ? UINT64_MAX : UINT32_MAX;

                if (!sites[i].absolute)
                        continue;
                nr_abs++;
                nr_64 += sites[i].type == R_X86_64_64;
                assert_true(sites[i].offset + w <= bufsz);
                va = get_le(a + sites[i].offset, w);
                vb = get_le(b + sites[i].offset, w);
                assert_int_equal((vb - va) & wmask, (ADDR_B - ADDR_A) & wmask);
                memset(mask + sites[i].offset, 1, w);
        }
        /* The blob has both kinds: the GDT pointer (64) and -mcmodel=small code (32/32S). */
        assert_true(nr_64 >= 1);
        assert_true(nr_abs > nr_64);
        for (i = 0; i < bufsz; i++)
                if (!mask[i] && a[i] != b[i])
                        fail_msg("byte 0x%zx differs outside the relocation sites", i);

        free(mask);
        free(a);
        free(b);
        wb_purgatory_free(p);
}

/* At address 0 the image is the file's bytes, except the params. */
static void test_place_at_zero_is_as_linked(void **state)
{
        struct wb_purgatory_params pp;
        struct wb_purgatory *p;
        Elf64_Ehdr eh = ehdr(wb_purgatory_elf);
        Elf64_Sym params;
        uint64_t entry;
        uint8_t *buf;
        size_t i;

        (void)state;
        sample_params(&pp);
        symbol_entry(wb_purgatory_elf, "wb_purgatory_params", &params);
        assert_int_equal(wb_purgatory_open_embedded(&p), 0);
        assert_int_equal(wb_purgatory_place(p, 0, &pp, &buf, &entry), 0);
        assert_int_equal(entry, wb_purgatory_entry_offset(p));
        for (i = 0; i < eh.e_shnum; i++) {
                Elf64_Shdr s = shdr(wb_purgatory_elf, i);
                uint64_t j;

                if (!(s.sh_flags & SHF_ALLOC) || s.sh_type != SHT_PROGBITS)
                        continue;
                for (j = 0; j < s.sh_size; j++) {
                        uint64_t at = s.sh_addr + j;

                        if (at >= params.st_value && at < params.st_value + params.st_size)
                                continue;
                        assert_int_equal(buf[at], wb_purgatory_elf[s.sh_offset + j]);
                }
        }
        free(buf);
        wb_purgatory_free(p);
}

static void test_place_errors(void **state)
{
        struct wb_purgatory_params pp;
        struct wb_purgatory *p;
        uint8_t *buf = (uint8_t *)&pp;
        uint64_t entry = 42, align;

        (void)state;
        sample_params(&pp);
        assert_int_equal(wb_purgatory_open_embedded(&p), 0);
        align = wb_purgatory_align(p);

        if (align > 1) {
                assert_int_equal(wb_purgatory_place(p, ADDR_A + 1, &pp, &buf, &entry), -EINVAL);
                assert_ptr_equal(buf, (uint8_t *)&pp);
                assert_int_equal(entry, 42);
        }
        /* 32-bit sign-extended fields cannot reach 2 GiB and above. */
        assert_int_equal(wb_purgatory_place(p, UINT64_C(0x80000000), &pp, &buf, &entry), -ERANGE);
        assert_int_equal(wb_purgatory_place(p, UINT64_C(0x100000000), &pp, &buf, &entry), -ERANGE);
        /* Nor can the image pass the end of the address space. */
        assert_int_equal(wb_purgatory_place(p, UINT64_MAX & ~(align - 1), &pp, &buf, &entry), -ERANGE);
        assert_ptr_equal(buf, (uint8_t *)&pp);
        assert_int_equal(entry, 42);

        /* The highest address that still fits: the image ends below 2 GiB. */
        {
                uint64_t top = (UINT64_C(0x80000000) - wb_purgatory_memsz(p)) & ~(align - 1);

                assert_int_equal(wb_purgatory_place(p, top, &pp, &buf, &entry), 0);
                free(buf);
        }
        wb_purgatory_free(p);
}

static void test_truncated(void **state)
{
        struct wb_purgatory *p = (struct wb_purgatory *)&p;
        size_t len;

        (void)state;
        assert_int_equal(wb_purgatory_open(NULL, 0, &p), -ENOEXEC);
        for (len = 0; len < blob_len(); len++) {
                /* A heap copy of exactly len bytes, so that ASan sees any overread. */
                uint8_t *b = malloc(len ? len : 1);

                assert_non_null(b);
                memcpy(b, wb_purgatory_elf, len);
                if (wb_purgatory_open(b, len, &p) != -ENOEXEC)
                        fail_msg("truncated to %zu bytes: not -ENOEXEC", len);
                free(b);
        }
        assert_ptr_equal(p, (struct wb_purgatory *)&p);
}

/* Every byte flipped three ways: the loader refuses or accepts, never crashes. */
static void test_corrupt_every_byte(void **state)
{
        static const uint8_t flips[] = { 0x01, 0x80, 0xff };
        struct wb_purgatory_params pp;
        uint8_t *b = blob_copy();
        size_t i, f, accepted = 0;

        (void)state;
        sample_params(&pp);
        for (i = 0; i < blob_len(); i++) {
                for (f = 0; f < sizeof(flips); f++) {
                        struct wb_purgatory *p;
                        uint8_t *buf;
                        uint64_t entry;
                        int r;

                        b[i] ^= flips[f];
                        r = wb_purgatory_open(b, blob_len(), &p);
                        if (r != 0 && r != -ENOEXEC)
                                fail_msg("byte 0x%zx ^ 0x%02x: %d", i, flips[f], r);
                        if (r == 0) {
                                accepted++;
                                assert_true(wb_purgatory_bufsz(p) <= wb_purgatory_memsz(p));
                                assert_true(wb_purgatory_memsz(p) <= WB_PURGATORY_MAX_SIZE);
                                r = wb_purgatory_place(p, ADDR_A, &pp, &buf, &entry);
                                if (r == 0)
                                        free(buf);
                                else if (r != -EINVAL && r != -ERANGE)
                                        fail_msg("byte 0x%zx ^ 0x%02x: place %d", i, flips[f], r);
                                wb_purgatory_free(p);
                        }
                        b[i] ^= flips[f];
                }
        }
        /* Code bytes without relocations are not checked: some flips must pass. */
        assert_true(accepted > 0);
        free(b);
}

static void expect_enoexec(const uint8_t *b, const char *what)
{
        struct wb_purgatory *p;

        if (wb_purgatory_open(b, blob_len(), &p) != -ENOEXEC)
                fail_msg("%s: not -ENOEXEC", what);
}

static void test_corrupt_headers(void **state)
{
        uint8_t *b = blob_copy();
        Elf64_Ehdr eh = ehdr(b), bad;

        (void)state;
#define WITH_EHDR(field, value, what) do {                      \
                bad = eh;                                       \
                bad.field = (value);                            \
                memcpy(b, &bad, sizeof(bad));                   \
                expect_enoexec(b, what);                        \
                memcpy(b, &eh, sizeof(eh));                     \
        } while (0)
        WITH_EHDR(e_ident[EI_MAG0], 0x7e, "bad magic");
        WITH_EHDR(e_ident[EI_CLASS], ELFCLASS32, "ELF32");
        WITH_EHDR(e_ident[EI_DATA], ELFDATA2MSB, "big-endian");
        WITH_EHDR(e_type, ET_DYN, "ET_DYN");
        WITH_EHDR(e_type, ET_REL, "ET_REL");
        WITH_EHDR(e_machine, EM_386, "EM_386");
        WITH_EHDR(e_shentsize, sizeof(Elf64_Shdr) - 1, "short section headers");
        WITH_EHDR(e_shnum, 0, "no sections");
        WITH_EHDR(e_shnum, 0xffff, "too many sections");
        WITH_EHDR(e_shoff, UINT64_MAX - 10, "section headers past the end");
        WITH_EHDR(e_shoff, blob_len() - sizeof(Elf64_Shdr), "section headers cut");
#undef WITH_EHDR
        free(b);
}

static void test_corrupt_symbols(void **state)
{
        uint8_t *b = blob_copy();
        Elf64_Sym sym, bad;
        size_t off;

        (void)state;
        off = symbol_entry(b, "wb_purgatory_params", &sym);

        bad = sym;
        bad.st_size = sizeof(struct wb_purgatory_params) - 8;
        memcpy(b + off, &bad, sizeof(bad));
        expect_enoexec(b, "params symbol too small");

        bad = sym;
        bad.st_size = sizeof(struct wb_purgatory_params) + 8;
        memcpy(b + off, &bad, sizeof(bad));
        expect_enoexec(b, "params symbol too big");

        bad = sym;
        bad.st_value = UINT64_MAX - 8;
        memcpy(b + off, &bad, sizeof(bad));
        expect_enoexec(b, "params symbol outside the image");

        bad = sym;
        bad.st_name = UINT32_MAX;
        memcpy(b + off, &bad, sizeof(bad));
        expect_enoexec(b, "symbol name outside the string table");

        bad = sym;
        bad.st_shndx = SHN_ABS;
        memcpy(b + off, &bad, sizeof(bad));
        expect_enoexec(b, "params symbol absolute");

        /* Renamed: no params symbol at all. */
        memcpy(b + off, &sym, sizeof(sym));
        {
                Elf64_Ehdr eh = ehdr(b);
                size_t i;

                for (i = 0; i < eh.e_shnum; i++) {
                        Elf64_Shdr s = shdr(b, i);

                        if (s.sh_type == SHT_SYMTAB) {
                                Elf64_Shdr str = shdr(b, s.sh_link);

                                b[str.sh_offset + sym.st_name] ^= 0x20;
                                expect_enoexec(b, "no params symbol");
                                b[str.sh_offset + sym.st_name] ^= 0x20;
                        }
                }
        }

        /* The entry point outside the code. */
        off = symbol_entry(b, "purgatory_start", &sym);
        bad = sym;
        bad.st_value = blob_len() + UINT64_C(0x100000);
        memcpy(b + off, &bad, sizeof(bad));
        expect_enoexec(b, "entry outside the image");
        memcpy(b + off, &sym, sizeof(sym));
        {
                struct wb_purgatory *p;

                assert_int_equal(wb_purgatory_open(b, blob_len(), &p), 0);
                wb_purgatory_free(p);
        }
        free(b);
}

static void test_corrupt_relocations(void **state)
{
        uint8_t *b = blob_copy();
        struct site sites[512];
        size_t n, i;
        Elf64_Rela ra, bad;

        (void)state;
        n = relocation_sites(b, sites, sizeof(sites) / sizeof(sites[0]));
        assert_true(n > 0);
        for (i = 0; i < n; i++) {
                size_t off = sites[i].file_off;

                memcpy(&ra, b + off, sizeof(ra));

                bad = ra;
                bad.r_info = ELF64_R_INFO(ELF64_R_SYM(ra.r_info), R_X86_64_GOTPCREL);
                memcpy(b + off, &bad, sizeof(bad));
                expect_enoexec(b, "unsupported relocation type");

                bad = ra;
                bad.r_info = ELF64_R_INFO(ELF64_R_SYM(ra.r_info), R_X86_64_COPY);
                memcpy(b + off, &bad, sizeof(bad));
                expect_enoexec(b, "dynamic relocation type");

                bad = ra;
                bad.r_offset = UINT64_MAX - 2;
                memcpy(b + off, &bad, sizeof(bad));
                expect_enoexec(b, "relocation outside its section");

                bad = ra;
                bad.r_addend += 1;
                memcpy(b + off, &bad, sizeof(bad));
                expect_enoexec(b, "relocation that does not match the bytes");

                bad = ra;
                bad.r_info = ELF64_R_INFO(0xffffff, ELF64_R_TYPE(ra.r_info));
                memcpy(b + off, &bad, sizeof(bad));
                expect_enoexec(b, "relocation symbol out of range");

                memcpy(b + off, &ra, sizeof(ra));
        }
        free(b);
}

static void test_set_digest(void **state)
{
        static const uint8_t k[300] = { 1, 2, 3 }, i1[77] = { 9 }, d[5] = { 'x' };
        const struct wb_segment segs[] = {
                { .buf = k, .bufsz = sizeof(k), .mem = 0x1000000, .memsz = 0x200000 },
                { .buf = NULL, .bufsz = 0, .mem = 0x3000000, .memsz = 0x1000 },
                { .buf = i1, .bufsz = sizeof(i1), .mem = 0x4000000, .memsz = 0x1000 },
                { .buf = d, .bufsz = sizeof(d), .mem = 0x7000, .memsz = 0x1000 },
        };
        struct wb_purgatory_params pp, before;
        uint8_t all[sizeof(k) + sizeof(i1) + sizeof(d)], want[WB_SHA256_DIGEST_SIZE];
        struct wb_segment many[WB_PURGATORY_MAX_REGIONS + 1];
        size_t i;

        (void)state;
        sample_params(&pp);
        pp.verify = 0;
        pp.nr_regions = 9;
        memcpy(all, k, sizeof(k));
        memcpy(all + sizeof(k), i1, sizeof(i1));
        memcpy(all + sizeof(k) + sizeof(i1), d, sizeof(d));
        wb_sha256(all, sizeof(all), want);

        assert_int_equal(wb_purgatory_set_digest(&pp, segs, 4), 0);
        assert_int_equal(pp.verify, 1);
        assert_int_equal(pp.algorithm, WB_PURGATORY_ALG_SHA256);
        assert_int_equal(pp.nr_regions, 3);
        assert_int_equal(pp.regions[0].start, 0x1000000);
        assert_int_equal(pp.regions[0].len, sizeof(k));
        assert_int_equal(pp.regions[1].start, 0x4000000);
        assert_int_equal(pp.regions[1].len, sizeof(i1));
        assert_int_equal(pp.regions[2].start, 0x7000);
        assert_int_equal(pp.regions[2].len, sizeof(d));
        for (i = 3; i < WB_PURGATORY_MAX_REGIONS; i++) {
                assert_int_equal(pp.regions[i].start, 0);
                assert_int_equal(pp.regions[i].len, 0);
        }
        assert_memory_equal(pp.digest, want, sizeof(want));
        /* The rest is the caller's. */
        assert_int_equal(pp.entry_rip, 0x1000200);
        assert_int_equal(pp.entry_rsi, 0x7000);
        assert_int_equal(pp.serial_port, 0x3f8);

        /* No segments: the digest of nothing. */
        assert_int_equal(wb_purgatory_set_digest(&pp, NULL, 0), 0);
        assert_int_equal(pp.nr_regions, 0);
        wb_sha256(NULL, 0, want);
        assert_memory_equal(pp.digest, want, sizeof(want));

        /* Failures leave params alone. */
        for (i = 0; i < WB_PURGATORY_MAX_REGIONS + 1; i++)
                many[i] = segs[3];
        before = pp;
        assert_int_equal(wb_purgatory_set_digest(&pp, many, WB_PURGATORY_MAX_REGIONS + 1), -E2BIG);
        assert_memory_equal(&pp, &before, sizeof(pp));
        assert_int_equal(wb_purgatory_set_digest(&pp, many, WB_PURGATORY_MAX_REGIONS), 0);
        assert_int_equal(pp.nr_regions, WB_PURGATORY_MAX_REGIONS);

        before = pp;
        many[1].buf = NULL;
        assert_int_equal(wb_purgatory_set_digest(&pp, many, 2), -EINVAL);
        many[1] = segs[3];
        many[1].mem = UINT64_MAX - 2;
        assert_int_equal(wb_purgatory_set_digest(&pp, many, 2), -EINVAL);
        assert_memory_equal(&pp, &before, sizeof(pp));
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_open_embedded),
                cmocka_unit_test(test_place_two_addresses),
                cmocka_unit_test(test_place_at_zero_is_as_linked),
                cmocka_unit_test(test_place_errors),
                cmocka_unit_test(test_truncated),
                cmocka_unit_test(test_corrupt_every_byte),
                cmocka_unit_test(test_corrupt_headers),
                cmocka_unit_test(test_corrupt_symbols),
                cmocka_unit_test(test_corrupt_relocations),
                cmocka_unit_test(test_set_digest),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
