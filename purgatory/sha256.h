/* SPDX-License-Identifier: MIT */
#ifndef WARMBOOT_PURGATORY_SHA256_H
#define WARMBOOT_PURGATORY_SHA256_H

/*
 * SHA-256 (FIPS 180-4). Freestanding: the same source is built into
 * purgatory, which checks the segments with it, and into the library,
 * which computes the digest purgatory checks against. Needs nothing but
 * <stddef.h> and <stdint.h>.
 */

#include <stddef.h>
#include <stdint.h>

#define WB_SHA256_DIGEST_SIZE   32
#define WB_SHA256_BLOCK_SIZE    64

/* A hash in progress; the fields are private. */
struct wb_sha256_ctx {
        uint32_t state[8];
        uint64_t length;                        /* bytes hashed so far */
        uint8_t block[WB_SHA256_BLOCK_SIZE];    /* bytes not yet compressed */
        uint32_t fill;                          /* how many of them */
};

/* Starts a hash. */
void wb_sha256_init(struct wb_sha256_ctx *ctx);

/* Hashes len more bytes (any len, including 0; data may be NULL then). */
void wb_sha256_update(struct wb_sha256_ctx *ctx, const void *data, size_t len);

/* Finishes the hash into out; ctx must be initialised again to be reused. */
void wb_sha256_final(struct wb_sha256_ctx *ctx, uint8_t out[WB_SHA256_DIGEST_SIZE]);

/* The digest of len bytes at data, in one call. */
void wb_sha256(const void *data, size_t len, uint8_t out[WB_SHA256_DIGEST_SIZE]);

#endif
