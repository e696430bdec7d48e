// SPDX-License-Identifier: MIT
/*
 * bzImage: the setup header parser, the format's probe and load through
 * the registry (as kexec_file_load sees an image), and the kexec_load
 * planning of its segments into fixed memory maps, with and without an
 * initrd and the running kernel's boot_params.
 */

#include <stdlib.h>
#include <string.h>

#include <warmboot/ctx.h>
#include <warmboot/error.h>
#include <warmboot/image.h>
#include <warmboot/memmap.h>

#include "src/lib/x86/boot.h"
#include "src/lib/x86/setup_header.h"

#include "fuzz.h"

static uint8_t initrd_bytes[8192];
static uint8_t running_params[4096];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
        (void)argc, (void)argv;
        for (size_t i = 0; i < sizeof(initrd_bytes); i++)
                initrd_bytes[i] = (uint8_t)(i * 13 + 7);
        for (size_t i = 0; i < sizeof(running_params); i++)
                running_params[i] = (uint8_t)(i * 31 + 3);
        return 0;
}

static void check_header(const uint8_t *data, size_t size)
{
        struct wb_x86_setup_header h;
        struct wb_diag diag;

        if (wb_x86_setup_header_parse(data, size, "fuzz", &h, &diag) < 0) {
                FUZZ_CHECK(memchr(diag.reason, '\0', sizeof(diag.reason)) && diag.reason[0]);
                return;
        }
        FUZZ_CHECK(wb_x86_setup_header_check(data, size, NULL) == 0);
        FUZZ_CHECK(h.version >= WB_X86_PROTO_2_04);
        FUZZ_CHECK(h.setup_sects != 0);
        FUZZ_CHECK(h.setup_size == ((uint64_t)h.setup_sects + 1) * WB_X86_SECTOR_SIZE);
        FUZZ_CHECK(h.kernel_size != 0);
        FUZZ_CHECK(h.setup_size <= size && h.kernel_size <= size - h.setup_size);
        FUZZ_CHECK(h.cmdline_size != 0);
        FUZZ_CHECK(!h.payload_length || (uint64_t)h.payload_offset + h.payload_length <= h.kernel_size);
        (void)wb_x86_file_load_refusal(&h);
}

/* The plan of a bzImage: kernel, [initrd,] boot parameters, all in RAM. */
static void check_plan(const struct wb_kernel *k, const struct wb_classic_input *in,
                       const struct wb_diag *diag)
{
        const struct wb_memmap *map = in->memmap;
        const struct wb_file *initrd = in->initrd;
        const struct wb_plan *p;
        struct wb_x86_setup_header h;

        (void)diag;
        if (!k)
                return;         /* a refusal promises no more than that there is no kernel */
        p = &k->plan;
        FUZZ_CHECK(wb_x86_setup_header_parse(k->file->data, k->file->size, "fuzz", &h, NULL) == 0);

        FUZZ_CHECK(k->planned);
        FUZZ_CHECK(p->n == (initrd ? 3u : 2u));
        fuzz_touch_plan(p);
        for (size_t i = 0; i < p->n; i++)
                FUZZ_CHECK(wb_memmap_is_ram(map, p->segments[i].mem,
                                            p->segments[i].mem + p->segments[i].memsz));
        FUZZ_CHECK(k->entry == p->segments[0].mem + 0x200);
        FUZZ_CHECK(p->segments[0].bufsz == h.kernel_size);
        FUZZ_CHECK(p->segments[0].buf == k->file->data + h.setup_size);
        /* A kernel that cannot be moved runs only where it was linked. */
        if (!h.relocatable)
                FUZZ_CHECK(p->segments[0].mem == h.pref_address);
        else
                FUZZ_CHECK(p->segments[0].mem >= WB_X86_MIN_KERNEL_ADDR &&
                           p->segments[0].mem % (h.kernel_alignment > 4096 ? h.kernel_alignment : 4096) == 0);
        FUZZ_CHECK(k->entry_rsi == p->segments[p->n - 1].mem);
        FUZZ_CHECK(k->entry_rsi + p->segments[p->n - 1].memsz <= (UINT64_C(1) << 32));
        if (initrd)
                FUZZ_CHECK(p->segments[1].bufsz == initrd->size && p->segments[1].buf == initrd->data);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct fuzz_image img;
        const struct wb_classic_input extra = {
                .initrd = &img.initrd,
                .cmdline = "console=ttyS0 root=/dev/vda1 ro",
                .running_boot_params = running_params,
                .running_boot_params_size = sizeof(running_params),
                .acpi_rsdp = 0xf0000,
        };
        struct wb_kernel *k = NULL;
        struct wb_diag diag;
        int r;

        fuzz_image_init(&img, data, size, initrd_bytes, sizeof(initrd_bytes));
        check_header(data, size);

        r = wb_kernel_load(&img.ctx, &img.file, NULL, &k, &diag);
        if (r == 0) {
                FUZZ_CHECK(k->ops == &wb_format_bzimage || k->ops == &wb_format_elf_x86_64);
                FUZZ_CHECK(!k->planned);
                FUZZ_CHECK(k->file_cmdline_max <= k->cmdline_max);
                wb_kernel_free(k);
        }
        r = wb_kernel_load(&img.ctx, &img.file, "bzImage64", &k, &diag);
        if (r < 0)
                return 0;
        FUZZ_CHECK(k->ops == &wb_format_bzimage);
        wb_kernel_free(k);

        fuzz_image_classic(&img, "bzImage", &extra, check_plan);
        return 0;
}
