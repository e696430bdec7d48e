// SPDX-License-Identifier: MIT
/*
 * CRC32C and the 4-lane segment check (crc32c.h). Written for both
 * worlds, like sha256.c: no libc, no vector registers (the crc32
 * instruction works on general registers), unaligned input is fine (loads
 * go through __builtin_memcpy, which the compiler turns into plain moves).
 *
 * The crc32 instruction and the table give the same bits by definition:
 * "crc32q src, crc" is the reflected CRC32C register update over the 8
 * bytes of src in memory order, which is what one slicing-by-8 step
 * computes; tests/unit/test_crc32c.c checks both against each other and
 * against the published check values.
 */

#include "crc32c.h"

#define CRC32C_POLY_REFLECTED   0x82f63b78u

void wb_crc32c_table_init(struct wb_crc32c_table *tab)
{
        unsigned int i, k;

        for (i = 0; i < 256; i++) {
                uint32_t c = i;

                for (k = 0; k < 8; k++)
                        c = (c >> 1) ^ ((c & 1) ? CRC32C_POLY_REFLECTED : 0);
                tab->t[0][i] = c;
        }
        /* t[k][i]: byte i followed by k zero bytes. */
        for (k = 1; k < 8; k++)
                for (i = 0; i < 256; i++)
                        tab->t[k][i] = (tab->t[k - 1][i] >> 8) ^ tab->t[0][tab->t[k - 1][i] & 0xff];
}

int wb_crc32c_cpu_has_insn(void)
{
        uint32_t eax = 1, ebx, ecx = 0, edx;

        __asm__ volatile("cpuid" : "+a"(eax), "=b"(ebx), "+c"(ecx), "=d"(edx));
        (void)ebx;
        (void)edx;
        return (int)((ecx >> 20) & 1);
}

static inline uint64_t load_le64(const uint8_t *p)
{
        uint64_t v;

        __builtin_memcpy(&v, p, sizeof(v));     /* x86_64: little-endian */
        return v;
}

/* One 8-byte word into a register, with the instruction or the tables. */
static inline uint32_t insn_word(uint32_t crc, uint64_t w)
{
        uint64_t c = crc;

        __asm__("crc32q %1, %0" : "+r"(c) : "r"(w));
        return (uint32_t)c;
}

static inline uint32_t insn_byte(uint32_t crc, uint8_t b)
{
        __asm__("crc32b %1, %0" : "+r"(crc) : "r"(b));
        return crc;
}

static inline uint32_t table_word(const struct wb_crc32c_table *tab, uint32_t crc, uint64_t w)
{
        uint32_t lo = crc ^ (uint32_t)w, hi = (uint32_t)(w >> 32);

        return tab->t[7][lo & 0xff] ^ tab->t[6][(lo >> 8) & 0xff] ^
               tab->t[5][(lo >> 16) & 0xff] ^ tab->t[4][lo >> 24] ^
               tab->t[3][hi & 0xff] ^ tab->t[2][(hi >> 8) & 0xff] ^
               tab->t[1][(hi >> 16) & 0xff] ^ tab->t[0][hi >> 24];
}

static inline uint32_t table_byte(const struct wb_crc32c_table *tab, uint32_t crc, uint8_t b)
{
        return (crc >> 8) ^ tab->t[0][(crc ^ b) & 0xff];
}

static uint32_t bytes_update(const struct wb_crc32c_table *tab, uint32_t crc, const uint8_t *p, size_t len)
{
        if (tab) {
                while (len--)
                        crc = table_byte(tab, crc, *p++);
        } else {
                while (len--)
                        crc = insn_byte(crc, *p++);
        }
        return crc;
}

uint32_t wb_crc32c_update(const struct wb_crc32c_table *tab, uint32_t crc, const void *data, size_t len)
{
        const uint8_t *p = data;

        if (tab) {
                for (; len >= 8; p += 8, len -= 8)
                        crc = table_word(tab, crc, load_le64(p));
        } else {
                for (; len >= 8; p += 8, len -= 8)
                        crc = insn_word(crc, load_le64(p));
        }
        return bytes_update(tab, crc, p, len);
}

uint32_t wb_crc32c(const struct wb_crc32c_table *tab, const void *data, size_t len)
{
        return ~wb_crc32c_update(tab, 0xffffffffu, data, len);
}

void wb_crc32c4_init(struct wb_crc32c4 *c, const struct wb_crc32c_table *tab)
{
        unsigned int i;

        for (i = 0; i < WB_CRC32C_LANES; i++)
                c->lane[i] = 0xffffffffu;
        c->tab = tab;
}

/*
 * Four independent registers per 32 bytes: the crc32 instruction has a
 * latency of about three cycles and a throughput of one a cycle, so
 * interleaving lanes is what makes it run at full speed; the table path
 * gains the same way (four independent chains of lookups).
 */
void wb_crc32c4_region(struct wb_crc32c4 *c, const void *data, size_t len)
{
        const struct wb_crc32c_table *tab = c->tab;
        uint32_t l0 = c->lane[0], l1 = c->lane[1], l2 = c->lane[2], l3 = c->lane[3];
        const uint8_t *p = data;

        if (tab) {
                for (; len >= 32; p += 32, len -= 32) {
                        l0 = table_word(tab, l0, load_le64(p));
                        l1 = table_word(tab, l1, load_le64(p + 8));
                        l2 = table_word(tab, l2, load_le64(p + 16));
                        l3 = table_word(tab, l3, load_le64(p + 24));
                }
        } else {
                for (; len >= 32; p += 32, len -= 32) {
                        l0 = insn_word(l0, load_le64(p));
                        l1 = insn_word(l1, load_le64(p + 8));
                        l2 = insn_word(l2, load_le64(p + 16));
                        l3 = insn_word(l3, load_le64(p + 24));
                }
        }
        /* Up to three whole words left: lanes 0, 1, 2 in turn; then the bytes, into lane 0. */
        if (len >= 8) {
                l0 = wb_crc32c_update(tab, l0, p, 8);
                p += 8;
                len -= 8;
        }
        if (len >= 8) {
                l1 = wb_crc32c_update(tab, l1, p, 8);
                p += 8;
                len -= 8;
        }
        if (len >= 8) {
                l2 = wb_crc32c_update(tab, l2, p, 8);
                p += 8;
                len -= 8;
        }
        l0 = bytes_update(tab, l0, p, len);
        c->lane[0] = l0;
        c->lane[1] = l1;
        c->lane[2] = l2;
        c->lane[3] = l3;
}

void wb_crc32c4_final(const struct wb_crc32c4 *c, uint8_t out[WB_CRC32C4_DIGEST_SIZE])
{
        size_t i;

        for (i = 0; i < WB_CRC32C_LANES; i++) {
                uint32_t v = ~c->lane[i];

                out[4 * i] = (uint8_t)v;
                out[4 * i + 1] = (uint8_t)(v >> 8);
                out[4 * i + 2] = (uint8_t)(v >> 16);
                out[4 * i + 3] = (uint8_t)(v >> 24);
        }
}
