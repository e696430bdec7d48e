// SPDX-License-Identifier: MIT
/*
 * CRC32C and the 4-lane check (purgatory/crc32c.c, the same source
 * purgatory runs): the published check values, the crc32 instruction and
 * the tables giving the same bits for every length and alignment, the
 * 4-lane scheme against a transcription of its definition, and
 * wb_purgatory_set_check() filling the parameters purgatory reads.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <purgatory/crc32c.h>
#include <purgatory/sha256.h>
#include <warmboot/plan.h>
#include <warmboot/purgatory.h>

static struct wb_crc32c_table table;

/* The definition, one bit at a time: nothing shared with crc32c.c. */
static uint32_t bitwise(uint32_t crc, const uint8_t *p, size_t len)
{
        while (len--) {
                crc ^= *p++;
                for (int k = 0; k < 8; k++)
                        crc = (crc >> 1) ^ (0x82f63b78u & (0u - (crc & 1)));
        }
        return crc;
}

/* Deterministic bytes that are not all alike. */
static void fill(uint8_t *p, size_t len, uint32_t seed)
{
        uint32_t x = seed * 2654435761u + 1;

        for (size_t i = 0; i < len; i++) {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                p[i] = (uint8_t)x;
        }
}

static int setup(void **state)
{
        (void)state;
        wb_crc32c_table_init(&table);
        return 0;
}

/* Check values: the CRC catalogue's "123456789" and RFC 3720 (iSCSI) B.4. */
static void test_vectors(void **state)
{
        const struct wb_crc32c_table *impl[2] = { &table, NULL };
        uint8_t buf[32];

        (void)state;
        for (int k = 0; k < (wb_crc32c_cpu_has_insn() ? 2 : 1); k++) {
                const struct wb_crc32c_table *t = impl[k];

                assert_int_equal(wb_crc32c(t, "123456789", 9), 0xe3069283);
                assert_int_equal(wb_crc32c(t, "", 0), 0);
                assert_int_equal(wb_crc32c(t, NULL, 0), 0);
                memset(buf, 0, sizeof(buf));
                assert_int_equal(wb_crc32c(t, buf, 32), 0x8a9136aa);
                memset(buf, 0xff, sizeof(buf));
                assert_int_equal(wb_crc32c(t, buf, 32), 0x62a8ab43);
                for (int i = 0; i < 32; i++)
                        buf[i] = (uint8_t)i;
                assert_int_equal(wb_crc32c(t, buf, 32), 0x46dd794e);
                for (int i = 0; i < 32; i++)
                        buf[i] = (uint8_t)(31 - i);
                assert_int_equal(wb_crc32c(t, buf, 32), 0x113fdb5c);
        }
}

/* The table built at run time is the classic one (spot checks) and the same each time. */
static void test_table(void **state)
{
        struct wb_crc32c_table again;

        (void)state;
        assert_int_equal(table.t[0][0], 0);
        assert_int_equal(table.t[0][1], 0xf26b8303);
        assert_int_equal(table.t[0][128], 0x82f63b78);
        assert_int_equal(table.t[0][255], 0xad7d5351);
        wb_crc32c_table_init(&again);
        assert_memory_equal(&again, &table, sizeof(table));
}

/* Tables, instruction and the bitwise definition agree at every length and alignment. */
static void test_insn_equals_table(void **state)
{
        uint8_t buf[300 + 8];
        int insn = wb_crc32c_cpu_has_insn();

        (void)state;
        if (!insn)
                print_message("no SSE4.2 here: only the tables are tested\n");
        fill(buf, sizeof(buf), 7);
        for (size_t off = 0; off < 8; off++) {
                for (size_t len = 0; len <= 300; len++) {
                        uint32_t want = bitwise(0x12345678, buf + off, len);

                        assert_int_equal(wb_crc32c_update(&table, 0x12345678, buf + off, len), want);
                        if (insn)
                                assert_int_equal(wb_crc32c_update(NULL, 0x12345678, buf + off, len), want);
                }
        }
}

/* The 4-lane digest of regions, straight from the definition in crc32c.h. */
static void reference4(const uint8_t *const *regions, const size_t *lens, size_t n,
                       uint8_t out[WB_CRC32C4_DIGEST_SIZE])
{
        uint32_t lane[4] = { 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu };

        for (size_t r = 0; r < n; r++) {
                size_t words = lens[r] / 8;

                for (size_t w = 0; w < words; w++)
                        lane[w % 4] = bitwise(lane[w % 4], regions[r] + 8 * w, 8);
                lane[0] = bitwise(lane[0], regions[r] + 8 * words, lens[r] % 8);
        }
        for (int i = 0; i < 4; i++) {
                uint32_t v = ~lane[i];

                out[4 * i] = (uint8_t)v;
                out[4 * i + 1] = (uint8_t)(v >> 8);
                out[4 * i + 2] = (uint8_t)(v >> 16);
                out[4 * i + 3] = (uint8_t)(v >> 24);
        }
}

static void lanes(const struct wb_crc32c_table *t, const uint8_t *const *regions, const size_t *lens,
                  size_t n, uint8_t out[WB_CRC32C4_DIGEST_SIZE])
{
        struct wb_crc32c4 c;

        wb_crc32c4_init(&c, t);
        for (size_t r = 0; r < n; r++)
                wb_crc32c4_region(&c, regions[r], lens[r]);
        wb_crc32c4_final(&c, out);
}

static void test_four_lanes(void **state)
{
        static uint8_t a[1000], b[200], c[64];
        const uint8_t *regions[3] = { a, b, c };
        size_t lens[3];
        uint8_t want[16], got[16];
        int insn = wb_crc32c_cpu_has_insn();

        (void)state;
        fill(a, sizeof(a), 1);
        fill(b, sizeof(b), 2);
        fill(c, sizeof(c), 3);
        /* Every length class of the first region (whole groups, 1-3 words left, tail bytes). */
        for (size_t la = 0; la <= 100; la++) {
                for (size_t lb = 0; lb <= 40; lb += 13) {
                        lens[0] = la;
                        lens[1] = lb;
                        lens[2] = 64;
                        reference4(regions, lens, 3, want);
                        lanes(&table, regions, lens, 3, got);
                        assert_memory_equal(got, want, 16);
                        if (insn) {
                                lanes(NULL, regions, lens, 3, got);
                                assert_memory_equal(got, want, 16);
                        }
                }
        }
        /* A big region from an odd address. */
        lens[0] = 999;
        regions[0] = a + 1;
        reference4(regions, lens, 1, want);
        lanes(&table, regions, lens, 1, got);
        assert_memory_equal(got, want, 16);

        /* Nothing: each lane's CRC of no bytes is 0. */
        lanes(&table, regions, lens, 0, got);
        memset(want, 0, sizeof(want));
        assert_memory_equal(got, want, 16);
}

/* One lane alone is plain CRC32C: "123456789" in a region of 9 bytes is word 0 + tail, all lane 0. */
static void test_lane0_is_crc32c(void **state)
{
        const uint8_t *regions[1] = { (const uint8_t *)"123456789" };
        size_t lens[1] = { 9 };
        uint8_t got[16];

        (void)state;
        lanes(&table, regions, lens, 1, got);
        assert_int_equal(got[0] | got[1] << 8 | got[2] << 16 | (uint32_t)got[3] << 24, 0xe3069283);
        for (int i = 4; i < 16; i++)
                assert_int_equal(got[i], 0);
}

/* Any single flipped bit changes the digest (a lane's CRC catches every 1-bit error). */
static void test_bit_flips(void **state)
{
        static uint8_t buf[4096 + 5];
        const uint8_t *regions[1] = { buf };
        size_t lens[1] = { sizeof(buf) };
        uint8_t base[16], got[16];

        (void)state;
        fill(buf, sizeof(buf), 9);
        lanes(&table, regions, lens, 1, base);
        for (size_t i = 0; i < sizeof(buf); i += 37) {
                buf[i] ^= (uint8_t)(1u << (i % 8));
                lanes(&table, regions, lens, 1, got);
                assert_memory_not_equal(got, base, 16);
                buf[i] ^= (uint8_t)(1u << (i % 8));
        }
}

/* What the loader hands purgatory. */
static void test_set_check(void **state)
{
        static uint8_t s0[5000], s2[77];
        const struct wb_segment segs[] = {
                { .buf = s0, .bufsz = sizeof(s0), .mem = 0x1000000, .memsz = 0x2000 },
                { .buf = NULL, .bufsz = 0, .mem = 0x3000000, .memsz = 0x1000 },
                { .buf = s2, .bufsz = sizeof(s2), .mem = 0x7000, .memsz = 0x1000 },
        };
        const uint8_t *regions[2] = { s0, s2 };
        size_t lens[2] = { sizeof(s0), sizeof(s2) };
        struct wb_purgatory_params pp, before;
        uint8_t want[16], zeros[16] = { 0 };

        (void)state;
        fill(s0, sizeof(s0), 4);
        fill(s2, sizeof(s2), 5);
        memset(&pp, 0xee, sizeof(pp));
        assert_int_equal(wb_purgatory_set_check(&pp, WB_PURGATORY_ALG_CRC32C_4LANE, segs, 3), 0);
        reference4(regions, lens, 2, want);
        assert_int_equal(pp.verify, 1);
        assert_int_equal(pp.algorithm, WB_PURGATORY_ALG_CRC32C_4LANE);
        assert_int_equal(pp.nr_regions, 2);
        assert_int_equal(pp.regions[0].start, 0x1000000);
        assert_int_equal(pp.regions[0].len, sizeof(s0));
        assert_int_equal(pp.regions[1].start, 0x7000);
        assert_int_equal(pp.regions[1].len, sizeof(s2));
        assert_int_equal(pp.regions[2].start, 0);
        assert_memory_equal(pp.digest, want, 16);
        assert_memory_equal(pp.digest + 16, zeros, 16);
        /*
         * The flag says which implementation the loader used, the faster
         * here (timed, so not asserted); never the instruction without it.
         */
        assert_true(pp.flags == 0 || pp.flags == WB_PURGATORY_F_CRC32_INSN);
        if (!wb_crc32c_cpu_has_insn())
                assert_int_equal(pp.flags, 0);
        {
                int insn = wb_purgatory_crc32c_insn(&table);

                assert_true(insn == 0 || (insn == 1 && wb_crc32c_cpu_has_insn()));
        }
        /* Fields it does not own are left alone. */
        assert_int_equal(pp.entry_rip, 0xeeeeeeeeeeeeeeeeull);
        assert_int_equal(pp.serial_port, 0xeeee);

        /* SHA-256 as before: one message, no flags. */
        assert_int_equal(wb_purgatory_set_check(&pp, WB_PURGATORY_ALG_SHA256, segs, 3), 0);
        assert_int_equal(pp.algorithm, WB_PURGATORY_ALG_SHA256);
        assert_int_equal(pp.flags, 0);
        {
                uint8_t all[sizeof(s0) + sizeof(s2)], sha[32];

                memcpy(all, s0, sizeof(s0));
                memcpy(all + sizeof(s0), s2, sizeof(s2));
                wb_sha256(all, sizeof(all), sha);
                assert_memory_equal(pp.digest, sha, 32);
        }

        /* An unknown algorithm: refused, nothing touched. */
        before = pp;
        assert_int_equal(wb_purgatory_set_check(&pp, 0, segs, 3), -EINVAL);
        assert_int_equal(wb_purgatory_set_check(&pp, 3, segs, 3), -EINVAL);
        assert_memory_equal(&pp, &before, sizeof(pp));
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_vectors),
                cmocka_unit_test(test_table),
                cmocka_unit_test(test_insn_equals_table),
                cmocka_unit_test(test_four_lanes),
                cmocka_unit_test(test_lane0_is_crc32c),
                cmocka_unit_test(test_bit_flips),
                cmocka_unit_test(test_set_check),
        };

        return cmocka_run_group_tests_name("crc32c", tests, setup, NULL);
}
