// SPDX-License-Identifier: MIT
/*
 * ELF vmlinux: the elf-x86_64 format's probe and load (header and
 * program header checks), then the kexec_load planning of its PT_LOAD
 * segments at their physical addresses in fixed memory maps, as
 * wb_kernel_load_classic() does it.
 */

#include <string.h>

#include <warmboot/ctx.h>
#include <warmboot/error.h>
#include <warmboot/image.h>
#include <warmboot/memmap.h>

#include "fuzz.h"

static uint8_t initrd_bytes[4096];

static void log_line(void *userdata, const char *line)
{
        *(size_t *)userdata += strlen(line);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
        (void)argc, (void)argv;
        memset(initrd_bytes, 0x5a, sizeof(initrd_bytes));
        return 0;
}

static uint64_t le(const uint8_t *p, size_t n)
{
        uint64_t v = 0;

        for (size_t i = 0; i < n; i++)
                v |= (uint64_t)p[i] << (8 * i);
        return v;
}

/* Every PT_LOAD with bytes went exactly to its physical address, with its file bytes. */
static void check_plan(const struct wb_kernel *k, const struct wb_memmap *map, bool with_initrd)
{
        const uint8_t *b = k->file->data;
        const struct wb_plan *p = &k->plan;
        uint64_t phoff = le(b + 32, 8), phnum = le(b + 56, 2);
        size_t seg = 0;
        bool entry_in = false;

        FUZZ_CHECK(k->planned);
        fuzz_touch_plan(p);
        for (uint64_t i = 0; i < phnum; i++) {
                const uint8_t *ph = b + phoff + i * 56;
                uint64_t off = le(ph + 8, 8), paddr = le(ph + 24, 8);
                uint64_t filesz = le(ph + 32, 8), memsz = le(ph + 40, 8);

                if (le(ph, 4) != 1 || memsz == 0)
                        continue;
                FUZZ_CHECK(seg < p->n);
                FUZZ_CHECK(p->segments[seg].mem == paddr);
                FUZZ_CHECK(p->segments[seg].memsz >= memsz);
                FUZZ_CHECK(p->segments[seg].bufsz == filesz);
                FUZZ_CHECK(p->segments[seg].buf == b + off);
                FUZZ_CHECK(wb_memmap_is_ram(map, paddr, paddr + memsz));
                if (k->entry >= paddr && k->entry - paddr < memsz)
                        entry_in = true;
                seg++;
        }
        FUZZ_CHECK(entry_in);
        FUZZ_CHECK(p->n == seg + (with_initrd ? 2u : 1u));
        FUZZ_CHECK(k->entry_rsi == p->segments[p->n - 1].mem);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        size_t logged = 0;
        const struct wb_ctx ctx = { .log = log_line, .log_data = &logged };
        const struct wb_memmap *maps[] = { fuzz_memmap_qemu(), fuzz_memmap_host() };
        struct wb_file file = fuzz_file("fuzz", data, size);
        struct wb_file initrd = fuzz_file("initrd", initrd_bytes, sizeof(initrd_bytes));
        struct wb_kernel *k = NULL;
        struct wb_diag diag;
        int r;

        if (wb_format_elf_x86_64.probe(&ctx, data, size) < 0)
                return 0;
        r = wb_kernel_load(&ctx, &file, NULL, &k, &diag);
        if (r < 0)
                return 0;
        FUZZ_CHECK(k->ops == &wb_format_elf_x86_64 && !k->planned);
        FUZZ_CHECK(k->file_load_refusal != NULL);
        wb_kernel_free(k);

        for (size_t m = 0; m < sizeof(maps) / sizeof(maps[0]); m++) {
                for (int variant = 0; variant < 2; variant++) {
                        const struct wb_classic_input in = {
                                .memmap = maps[m],
                                .initrd = variant ? &initrd : NULL,
                                .cmdline = variant ? "console=ttyS0" : NULL,
                        };

                        k = NULL;
                        r = wb_kernel_load_classic(&ctx, &file, "elf-x86_64", &in, &k, &diag);
                        if (r < 0) {
                                FUZZ_CHECK(k == NULL && diag.reason[0]);
                                continue;
                        }
                        check_plan(k, maps[m], variant);
                        wb_kernel_free(k);
                }
        }
        return 0;
}
