// SPDX-License-Identifier: MIT
/*
 * SHA-256 (purgatory/sha256.c, the same source purgatory runs): the
 * FIPS 180-2 / NIST example vectors, the padding boundaries, and
 * incremental updates in odd chunks against the one-shot digest.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <purgatory/sha256.h>

static void hex(const uint8_t d[WB_SHA256_DIGEST_SIZE], char out[2 * WB_SHA256_DIGEST_SIZE + 1])
{
        size_t i;

        for (i = 0; i < WB_SHA256_DIGEST_SIZE; i++)
                snprintf(out + 2 * i, 3, "%02x", d[i]);
}

static void check(const void *data, size_t len, const char *want)
{
        uint8_t d[WB_SHA256_DIGEST_SIZE];
        char got[2 * WB_SHA256_DIGEST_SIZE + 1];

        wb_sha256(data, len, d);
        hex(d, got);
        assert_string_equal(got, want);
}

static void test_empty(void **state)
{
        (void)state;
        check("", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        /* No bytes, no pointer needed. */
        check(NULL, 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static void test_abc(void **state)
{
        (void)state;
        check("abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void test_448_bits(void **state)
{
        static const char msg[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";

        (void)state;
        assert_int_equal(strlen(msg) * 8, 448);
        check(msg, strlen(msg), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

static void test_896_bits(void **state)
{
        static const char msg[] = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
                                  "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";

        (void)state;
        assert_int_equal(strlen(msg) * 8, 896);
        check(msg, strlen(msg), "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

static void test_million_a(void **state)
{
        static const char want[] = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
        uint8_t d[WB_SHA256_DIGEST_SIZE];
        char got[2 * WB_SHA256_DIGEST_SIZE + 1];
        struct wb_sha256_ctx ctx;
        char chunk[1000];
        char *buf;
        int i;

        (void)state;
        buf = malloc(1000000);
        assert_non_null(buf);
        memset(buf, 'a', 1000000);
        check(buf, 1000000, want);
        free(buf);

        /* The same, a thousand 'a's at a time. */
        memset(chunk, 'a', sizeof(chunk));
        wb_sha256_init(&ctx);
        for (i = 0; i < 1000; i++)
                wb_sha256_update(&ctx, chunk, sizeof(chunk));
        wb_sha256_final(&ctx, d);
        hex(d, got);
        assert_string_equal(got, want);
}

/* Messages of n 'a's around the padding boundaries (56 and 64 bytes). */
static void test_padding_boundaries(void **state)
{
        static const struct {
                size_t n;
                const char *want;
        } cases[] = {
                { 55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318" },
                { 56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a" },
                { 63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34" },
                { 64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb" },
                { 65, "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0" },
                { 119, "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb" },
                { 120, "2f3d335432c70b580af0e8e1b3674a7c020d683aa5f73aaaedfdc55af904c21c" },
                { 128, "6836cf13bac400e9105071cd6af47084dfacad4e5e302c94bfed24e013afb73e" },
        };
        char buf[128];
        size_t i;

        (void)state;
        memset(buf, 'a', sizeof(buf));
        for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
                check(buf, cases[i].n, cases[i].want);
}

/* Updates in chunks of every odd size, and unaligned input, give the one-shot digest. */
static void test_incremental(void **state)
{
        static const size_t chunks[] = { 1, 3, 7, 13, 31, 55, 63, 64, 65, 127, 129, 1000 };
        uint8_t msg[3001], want[WB_SHA256_DIGEST_SIZE], got[WB_SHA256_DIGEST_SIZE];
        struct wb_sha256_ctx ctx;
        uint32_t x = 12345;
        size_t i, c, len;

        (void)state;
        for (i = 0; i < sizeof(msg); i++) {
                x = x * 1103515245 + 12345;
                msg[i] = (uint8_t)(x >> 16);
        }
        for (len = 0; len < sizeof(msg); len += len < 200 ? 1 : 397) {
                wb_sha256(msg, len, want);
                for (c = 0; c < sizeof(chunks) / sizeof(chunks[0]); c++) {
                        size_t off = 0;

                        wb_sha256_init(&ctx);
                        while (off < len) {
                                size_t n = len - off < chunks[c] ? len - off : chunks[c];

                                wb_sha256_update(&ctx, msg + off, n);
                                wb_sha256_update(&ctx, msg + off + n, 0);
                                off += n;
                        }
                        wb_sha256_final(&ctx, got);
                        assert_memory_equal(got, want, sizeof(want));
                }
                /* Unaligned: the same bytes one further along in memory. */
                memmove(msg + 1, msg, len);
                wb_sha256(msg + 1, len, got);
                assert_memory_equal(got, want, sizeof(want));
                memmove(msg, msg + 1, len);
        }
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_empty),
                cmocka_unit_test(test_abc),
                cmocka_unit_test(test_448_bits),
                cmocka_unit_test(test_896_bits),
                cmocka_unit_test(test_million_a),
                cmocka_unit_test(test_padding_boundaries),
                cmocka_unit_test(test_incremental),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
