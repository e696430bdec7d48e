// SPDX-License-Identifier: MIT
/*
 * The purgatory ELF loader: wb_purgatory_open() reads the blob as
 * untrusted bytes (headers, sections, symbols, relocations checked
 * against the linked image), then wb_purgatory_place() relocates it to
 * a few load addresses, low, high and past the 32-bit relocations' reach,
 * with the parameters of both checks (CRC32C and SHA-256) written in.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <warmboot/purgatory.h>

#include "fuzz.h"

static uint8_t segment_bytes[3][512];

/* The parameters every placement writes in: both checks, of three segments (one without bytes). */
static struct wb_purgatory_params params_sha256, params_crc32c;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
        const struct wb_segment segs[] = {
                { .buf = segment_bytes[0], .bufsz = sizeof(segment_bytes[0]), .mem = 0x100000, .memsz = 0x1000 },
                { .buf = NULL, .bufsz = 0, .mem = 0x200000, .memsz = 0x1000 },
                { .buf = segment_bytes[1], .bufsz = sizeof(segment_bytes[1]), .mem = 0x300000, .memsz = 0x1000 },
        };
        struct wb_purgatory_params bad = { 0 };

        (void)argc, (void)argv;
        for (size_t i = 0; i < sizeof(segment_bytes); i++)
                ((uint8_t *)segment_bytes)[i] = (uint8_t)(i * 5);
        params_sha256 = (struct wb_purgatory_params) { .entry_rip = 0x1000200, .entry_rsi = 0x8000 };
        params_crc32c = params_sha256;
        FUZZ_CHECK(wb_purgatory_set_digest(&params_sha256, segs, 3) == 0 && params_sha256.nr_regions == 2);
        FUZZ_CHECK(wb_purgatory_set_check(&params_crc32c, WB_PURGATORY_ALG_CRC32C_4LANE, segs, 3) == 0 &&
                   params_crc32c.nr_regions == 2);
        FUZZ_CHECK(wb_purgatory_set_check(&bad, 0x7fff, segs, 3) == -EINVAL && bad.nr_regions == 0);
        return 0;
}

static void place(const struct wb_purgatory *p, uint64_t addr, const struct wb_purgatory_params *params)
{
        uint64_t bufsz = wb_purgatory_bufsz(p), entry = 0;
        uint8_t *buf = NULL;
        volatile uint8_t sink = 0;
        int r;

        r = wb_purgatory_place(p, addr, params, &buf, &entry);
        if (addr % wb_purgatory_align(p)) {
                FUZZ_CHECK(r == -EINVAL && buf == NULL);
                return;
        }
        FUZZ_CHECK(r == 0 || r == -ERANGE || r == -ENOMEM);
        if (r < 0) {
                FUZZ_CHECK(buf == NULL);
                return;
        }
        FUZZ_CHECK(entry == addr + wb_purgatory_entry_offset(p));
        for (uint64_t i = 0; i < bufsz; i++)
                sink ^= buf[i];
        /* The parameters went in whole, somewhere in the image. */
        FUZZ_CHECK(bufsz >= sizeof(*params));
        (void)sink;
        free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct wb_purgatory *p = NULL;
        uint64_t align;
        int r;

        r = wb_purgatory_open(data, size, &p);
        FUZZ_CHECK(r == 0 || r == -ENOEXEC || r == -ENOMEM);
        if (r < 0)
                return 0;
        align = wb_purgatory_align(p);
        FUZZ_CHECK(align && !(align & (align - 1)));
        FUZZ_CHECK(wb_purgatory_bufsz(p) > 0 && wb_purgatory_bufsz(p) <= wb_purgatory_memsz(p));
        FUZZ_CHECK(wb_purgatory_memsz(p) <= WB_PURGATORY_MAX_SIZE);
        FUZZ_CHECK(wb_purgatory_entry_offset(p) < wb_purgatory_bufsz(p));

        place(p, 0, &params_crc32c);
        place(p, align, &params_sha256);
        place(p, 0x7ff00000 & ~(align - 1), &params_crc32c);
        place(p, UINT64_C(0x80000000), &params_crc32c);
        place(p, UINT64_C(0x100000000000), &params_sha256);
        place(p, (UINT64_MAX - 0xfffff) & ~(align - 1), &params_crc32c);
        place(p, align > 1 ? align + align / 2 : 3, &params_sha256);
        wb_purgatory_free(p);
        return 0;
}
