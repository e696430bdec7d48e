// SPDX-License-Identifier: MIT
/* Placement shared by the x86 formats on the kexec_load path: initrd and zero page. */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <warmboot/error.h>
#include <warmboot/image.h>
#include <warmboot/memmap.h>
#include <warmboot/plan.h>

#include "boot.h"
#include "bootparams.h"
#include "classic.h"

/* Highest address the zero page and command line take: cmd_line_ptr is 32 bits wide. */
#define WB_X86_BOOTPARAM_MAX    (UINT64_C(1) << 32)

int wb_x86_place(struct wb_plan *plan, const struct wb_memmap *map,
                 const struct wb_place_request *req, const char *path,
                 uint64_t *ret_addr, struct wb_diag *diag)
{
        int r = wb_plan_add(plan, map, req, ret_addr);

        if (r == -ENOMEM)
                return wb_diag_set(diag, ENOMEM, path,
                                   "no free RAM for the %s: %llu bytes, aligned to 0x%llx, in [0x%llx, 0x%llx)",
                                   req->name, (unsigned long long)req->memsz,
                                   (unsigned long long)req->align, (unsigned long long)req->min,
                                   (unsigned long long)(req->max ? req->max : UINT64_MAX));
        if (r == -E2BIG)
                return wb_diag_set(diag, E2BIG, path, "more than %d segments", WB_PLAN_MAX_SEGMENTS);
        if (r < 0)
                return wb_diag_set(diag, r, path, "cannot place the %s: %s", req->name, strerror(-r));
        return 0;
}

int wb_x86_place_boot_data(struct wb_kernel *kernel, const struct wb_x86_boot_data_request *req,
                           uint8_t **ret_params, struct wb_diag *diag)
{
        const struct wb_classic_input *in = req->in;
        const char *cmdline = in->cmdline ? in->cmdline : "";
        uint64_t initrd_addr = 0, initrd_size = 0, params_addr, params_size;
        uint8_t *params;
        int r;

        if (in->initrd) {
                initrd_size = in->initrd->size;
                r = wb_x86_place(&kernel->plan, in->memmap, &(struct wb_place_request) {
                                        .name = "initrd",
                                        .buf = in->initrd->data,
                                        .bufsz = initrd_size,
                                        .memsz = initrd_size,
                                        .align = WB_PAGE_SIZE,
                                        .min = WB_X86_MIN_INITRD_ADDR,
                                        .max = req->initrd_max,
                                        .top_down = true,
                                 }, in->initrd->path, &initrd_addr, diag);
                if (r < 0)
                        return r;
        }

        /* The zero page, then the command line right after it, in one segment. */
        params_size = WB_X86_BP_SIZE + strlen(cmdline) + 1;
        params = malloc(params_size);
        if (!params)
                return wb_diag_set(diag, ENOMEM, req->path, "out of memory");
        r = wb_x86_place(&kernel->plan, in->memmap, &(struct wb_place_request) {
                                .name = "boot parameters",
                                .buf = params,
                                .bufsz = params_size,
                                .memsz = params_size,
                                .align = WB_PAGE_SIZE,
                                .min = WB_X86_MIN_BOOTPARAM_ADDR,
                                .max = WB_X86_BOOTPARAM_MAX,
                                .top_down = true,
                         }, req->path, &params_addr, diag);
        if (r < 0)
                goto fail;
        r = wb_x86_boot_params_build(&(struct wb_x86_boot_params_request) {
                                        .image = req->image,
                                        .image_size = req->image_size,
                                        .running = in->running_boot_params,
                                        .running_size = in->running_boot_params_size,
                                        .memmap = in->e820 ? in->e820 : in->memmap,
                                        .params_addr = params_addr,
                                        .cmdline_offset = WB_X86_BP_SIZE,
                                        .cmdline = cmdline,
                                        .initrd_addr = initrd_addr,
                                        .initrd_size = initrd_size,
                                        .acpi_rsdp = in->acpi_rsdp,
                                     }, params, params_size);
        if (r == -E2BIG) {
                r = wb_diag_set(diag, E2BIG, req->path,
                                "the memory map has more than %u ranges, more than the zero page holds",
                                WB_X86_BP_E820_MAX);
                goto fail;
        }
        if (r < 0) {
                r = wb_diag_set(diag, r, req->path, "corrupt setup header: cannot build boot parameters");
                goto fail;
        }
        kernel->entry_rsi = params_addr;
        kernel->planned = true;
        *ret_params = params;
        return 0;

fail:
        free(params);
        return r;
}
