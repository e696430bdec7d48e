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

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
        (void)argc, (void)argv;
        memset(initrd_bytes, 0x5a, sizeof(initrd_bytes));
        return 0;
}

/* Every PT_LOAD with bytes went exactly to its physical address, with its file bytes. */
static void check_plan(const struct wb_kernel *k, const struct wb_classic_input *in,
                       const struct wb_diag *diag)
{
        const struct wb_memmap *map = in->memmap;
        const uint8_t *b;
        const struct wb_plan *p;
        uint64_t phoff, phnum;
        size_t seg = 0;
        bool entry_in = false;

        if (!k) {
                /* A refusal says why. */
                FUZZ_CHECK(diag->reason[0]);
                return;
        }
        b = k->file->data;
        p = &k->plan;
        phoff = fuzz_le(b + 32, 8);
        phnum = fuzz_le(b + 56, 2);
        FUZZ_CHECK(k->planned);
        fuzz_touch_plan(p);
        for (uint64_t i = 0; i < phnum; i++) {
                const uint8_t *ph = b + phoff + i * 56;
                uint64_t off = fuzz_le(ph + 8, 8), paddr = fuzz_le(ph + 24, 8);
                uint64_t filesz = fuzz_le(ph + 32, 8), memsz = fuzz_le(ph + 40, 8);

                if (fuzz_le(ph, 4) != 1 || memsz == 0)
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
        FUZZ_CHECK(p->n == seg + (in->initrd ? 2u : 1u));
        FUZZ_CHECK(k->entry_rsi == p->segments[p->n - 1].mem);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct fuzz_image img;
        const struct wb_classic_input extra = {
                .initrd = &img.initrd,
                .cmdline = "console=ttyS0",
        };
        struct wb_kernel *k = NULL;
        struct wb_diag diag;

        fuzz_image_init(&img, data, size, initrd_bytes, sizeof(initrd_bytes));
        if (wb_format_elf_x86_64.probe(&img.ctx, data, size) < 0)
                return 0;
        if (wb_kernel_load(&img.ctx, &img.file, NULL, &k, &diag) < 0)
                return 0;
        FUZZ_CHECK(k->ops == &wb_format_elf_x86_64 && !k->planned);
        FUZZ_CHECK(k->file_load_refusal != NULL);
        wb_kernel_free(k);

        fuzz_image_classic(&img, "elf-x86_64", &extra, check_plan);
        return 0;
}
