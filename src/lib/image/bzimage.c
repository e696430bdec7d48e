// SPDX-License-Identifier: MIT
/* x86 bzImage (boot protocol 2.04 and newer), the format of /boot/vmlinuz-*. */

#include <errno.h>
#include <stdlib.h>

#include <warmboot/ctx.h>
#include <warmboot/error.h>
#include <warmboot/image.h>

#include "../x86/classic.h"
#include "../x86/setup_header.h"

/* Room below 4 GiB for kernels that cannot go above it. */
#define FOUR_GIB (UINT64_C(1) << 32)

struct bzimage {
        struct wb_x86_setup_header hdr;
        uint8_t *params;        /* the zero page segment, on the kexec_load path */
};

static int bzimage_probe(const struct wb_ctx *ctx, const uint8_t *buf, uint64_t len)
{
        const char *failed;

        if (wb_x86_setup_header_check(buf, len, &failed) < 0) {
                wb_debug(ctx, "bzImage probe: %s", failed);
                return -ENOEXEC;
        }
        return 0;
}

/* NULL when kexec_load can enter this kernel, else why not. */
static const char *classic_refusal(const struct wb_x86_setup_header *h)
{
        if (h->version < WB_X86_PROTO_2_12 || !(h->xloadflags & WB_X86_XLF_KERNEL_64))
                return "kexec_load enters kernels through the 64-bit entry point, which this one lacks (XLF_KERNEL_64)";
        return NULL;
}

/* Places the protected-mode kernel, then the shared x86 boot data. */
static int bzimage_plan(struct wb_kernel *k, struct bzimage *bz, const struct wb_classic_input *in,
                        struct wb_diag *diag)
{
        const struct wb_x86_setup_header *h = &bz->hdr;
        const struct wb_file *file = k->file;
        bool above_4g = h->xloadflags & WB_X86_XLF_CAN_BE_LOADED_ABOVE_4G;
        uint64_t min = h->pref_address > WB_X86_MIN_KERNEL_ADDR ? h->pref_address : WB_X86_MIN_KERNEL_ADDR;
        uint64_t memsz = h->init_size > h->kernel_size ? h->init_size : h->kernel_size;
        uint64_t align = h->kernel_alignment, kernel_addr;
        int r;

        if (k->classic_refusal)
                return wb_diag_set(diag, ENOEXEC, file->path, "%s", k->classic_refusal);
        if (in->preplaced)
                k->plan = *in->preplaced;
        if (h->relocatable && (h->kernel_alignment & (h->kernel_alignment - 1)))
                return wb_diag_set(diag, ENOEXEC, file->path,
                                   "corrupt bzImage header: kernel_alignment 0x%x is not a power of two",
                                   h->kernel_alignment);
        if (!h->relocatable) {
                /* Only where it was linked to run: exactly there, so a page-aligned place. */
                if (h->pref_address % WB_PAGE_SIZE || h->pref_address > UINT64_MAX - memsz - WB_PAGE_SIZE)
                        return wb_diag_set(diag, ENOEXEC, file->path,
                                           "corrupt bzImage header: the kernel is not relocatable and its address 0x%llx is not one kexec_load can load it at",
                                           (unsigned long long)h->pref_address);
                align = WB_PAGE_SIZE;
                min = h->pref_address;
        }
        r = wb_x86_place(&k->plan, in->memmap, &(struct wb_place_request) {
                                .name = "kernel",
                                .buf = file->data + h->setup_size,
                                .bufsz = h->kernel_size,
                                .memsz = memsz,
                                .align = align,
                                .min = min,
                                .max = h->relocatable ? (above_4g ? 0 : FOUR_GIB) :
                                        min + ((memsz + WB_PAGE_SIZE - 1) & ~(WB_PAGE_SIZE - 1)),
                                /* A fixed kernel goes at the bottom of its window: min itself. */
                                .top_down = h->relocatable,
                         }, file->path, &kernel_addr, diag);
        if (r < 0)
                return r;
        k->entry = kernel_addr + WB_X86_ENTRY64_OFFSET;
        return wb_x86_place_boot_data(k, &(struct wb_x86_boot_data_request) {
                                        .in = in,
                                        .path = file->path,
                                        .image = file->data,
                                        .image_size = file->size,
                                        .initrd_max = above_4g ? 0 : (uint64_t)h->initrd_addr_max + 1,
                                      }, &bz->params, diag);
}

static void bzimage_cleanup(struct wb_kernel *kernel)
{
        struct bzimage *bz;

        if (!kernel)
                return;
        bz = kernel->priv;
        if (bz)
                free(bz->params);
        free(bz);
        free(kernel);
}

static int bzimage_load(const struct wb_ctx *ctx, const struct wb_file *file,
                        const struct wb_classic_input *classic,
                        struct wb_kernel **ret_kernel, struct wb_diag *diag)
{
        struct wb_x86_setup_header *hdr;
        struct bzimage *bz;
        struct wb_kernel *k;
        int r;

        k = calloc(1, sizeof(*k));
        bz = calloc(1, sizeof(*bz));
        if (!k || !bz) {
                r = wb_diag_set(diag, ENOMEM, file->path, "out of memory");
                goto fail;
        }
        k->priv = bz;
        hdr = &bz->hdr;
        r = wb_x86_setup_header_parse(file->data, file->size, file->path, hdr, diag);
        if (r < 0)
                goto fail;
        k->ops = &wb_format_bzimage;
        k->file = file;
        k->arch = WB_ARCH_X86_64;
        k->boot_protocol = hdr->version;
        k->cmdline_max = hdr->cmdline_size;
        /*
         * bzImage64_load() wants cmdline_len (with its NUL) plus its
         * reserve to fit cmdline_size, so one byte less than the reserve.
         */
        k->file_cmdline_max = hdr->cmdline_size > WB_X86_KEXEC_FILE_CMDLINE_RESERVE ?
                hdr->cmdline_size - WB_X86_KEXEC_FILE_CMDLINE_RESERVE - 1 : 0;
        k->file_load_refusal = wb_x86_file_load_refusal(hdr);
        k->classic_refusal = classic_refusal(hdr);
        wb_debug(ctx, "bzImage: protocol %u.%02u, setup %llu bytes, kernel %llu bytes, init_size %u, cmdline_size %u, xloadflags 0x%x",
                 hdr->version >> 8, hdr->version & 0xff,
                 (unsigned long long)hdr->setup_size, (unsigned long long)hdr->kernel_size,
                 hdr->init_size, hdr->cmdline_size, hdr->xloadflags);
        if (classic) {
                r = bzimage_plan(k, bz, classic, diag);
                if (r < 0)
                        goto fail;
        }
        *ret_kernel = k;
        return 0;

fail:
        bzimage_cleanup(k);
        if (!k)
                free(bz);
        return r;
}

const struct wb_image_ops wb_format_bzimage = {
        .name = "bzImage",
        .probe = bzimage_probe,
        .load = bzimage_load,
        .cleanup = bzimage_cleanup,
};
