// SPDX-License-Identifier: MIT
/* x86 bzImage (boot protocol 2.04 and newer), the format of /boot/vmlinuz-*. */

#include <errno.h>
#include <stdlib.h>

#include <warmboot/ctx.h>
#include <warmboot/error.h>
#include <warmboot/image.h>

#include "../x86/setup_header.h"

static int bzimage_probe(const struct wb_ctx *ctx, const uint8_t *buf, uint64_t len)
{
        const char *failed;

        if (wb_x86_setup_header_check(buf, len, &failed) < 0) {
                wb_debug(ctx, "bzImage probe: %s", failed);
                return -ENOEXEC;
        }
        return 0;
}

static int bzimage_load(const struct wb_ctx *ctx, const struct wb_file *file,
                        struct wb_kernel **ret_kernel, struct wb_diag *diag)
{
        struct wb_x86_setup_header *hdr;
        struct wb_kernel *k;
        int r;

        hdr = malloc(sizeof(*hdr));
        if (!hdr)
                return wb_diag_set(diag, ENOMEM, file->path, "out of memory");
        r = wb_x86_setup_header_parse(file->data, file->size, file->path, hdr, diag);
        if (r < 0)
                goto out_hdr;
        k = calloc(1, sizeof(*k));
        if (!k) {
                r = wb_diag_set(diag, ENOMEM, file->path, "out of memory");
                goto out_hdr;
        }
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
        k->priv = hdr;
        wb_debug(ctx, "bzImage: protocol %u.%02u, setup %llu bytes, kernel %llu bytes, cmdline_size %u, xloadflags 0x%x",
                 hdr->version >> 8, hdr->version & 0xff,
                 (unsigned long long)hdr->setup_size, (unsigned long long)hdr->kernel_size,
                 hdr->cmdline_size, hdr->xloadflags);
        *ret_kernel = k;
        return 0;

out_hdr:
        free(hdr);
        return r;
}

static void bzimage_cleanup(struct wb_kernel *kernel)
{
        if (!kernel)
                return;
        free(kernel->priv);
        free(kernel);
}

const struct wb_image_ops wb_format_bzimage = {
        .name = "bzImage",
        .probe = bzimage_probe,
        .load = bzimage_load,
        .cleanup = bzimage_cleanup,
};
