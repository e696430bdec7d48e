// SPDX-License-Identifier: MIT
/* The list of image formats and the code that picks one for a file. */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <warmboot/ctx.h>
#include <warmboot/error.h>
#include <warmboot/image.h>

#include "../util.h"

const struct wb_image_ops *const wb_image_formats[] = {
        &wb_format_bzimage,
        &wb_format_elf_x86_64,
        NULL,
};

/* kexec-tools' -t names for x86_64 that mean one of our formats. */
static const struct {
        const char *alias;
        const char *format;
} type_aliases[] = {
        { "bzImage64", "bzImage" },
        { "elf-x86_64", "elf-x86_64" },
};

/* Magic numbers of files people hand to kexec by mistake. */
#define ELF_MAGIC               "\177ELF"
#define ELF_E_MACHINE_OFFSET    18              /* e_machine, u16, same in ELF32 and ELF64 */
#define EM_386                  3
#define EM_X86_64               62
#define EM_AARCH64              183
#define EM_RISCV                243
#define ARM64_IMAGE_MAGIC_OFFSET 0x38           /* Documentation/arch/arm64/booting.rst */
#define ARM64_IMAGE_MAGIC       "ARM\x64"
#define RISCV_IMAGE_MAGIC_OFFSET 0x38           /* Documentation/arch/riscv/boot-image-header.rst */
#define RISCV_IMAGE_MAGIC       "RSC\x05"
#define PE_MAGIC                "MZ"
#define GZIP_MAGIC              "\x1f\x8b"
#define ZSTD_MAGIC              "\x28\xb5\x2f\xfd"
#define XZ_MAGIC                "\xfd" "7zXZ"
#define CPIO_NEWC_MAGIC         "070701"

static bool has_bytes(const struct wb_file *f, uint64_t off, const char *magic, size_t n)
{
        return f->size >= off + n && memcmp(f->data + off, magic, n) == 0;
}

/* A short guess at what a file no format recognises is, for the error line. */
static const char *describe_foreign(const struct wb_file *f)
{
        if (has_bytes(f, 0, ELF_MAGIC, 4)) {
                if (f->size < ELF_E_MACHINE_OFFSET + 2)
                        return "a truncated ELF file";
                switch (wb_le16(f->data + ELF_E_MACHINE_OFFSET)) {
                case EM_X86_64:
                        return "an x86_64 ELF file that is not a loadable vmlinux";
                case EM_386:
                        return "a 32-bit x86 ELF file";
                case EM_AARCH64:
                        return "an arm64 ELF file, not for this x86_64 machine";
                case EM_RISCV:
                        return "a RISC-V ELF file, not for this x86_64 machine";
                default:
                        return "an ELF file for another architecture";
                }
        }
        if (has_bytes(f, ARM64_IMAGE_MAGIC_OFFSET, ARM64_IMAGE_MAGIC, 4))
                return "an arm64 Image, not for this x86_64 machine";
        if (has_bytes(f, RISCV_IMAGE_MAGIC_OFFSET, RISCV_IMAGE_MAGIC, 4))
                return "a RISC-V Image, not for this x86_64 machine";
        if (has_bytes(f, 0, CPIO_NEWC_MAGIC, 6))
                return "a cpio archive: an initramfs, not a kernel";
        if (has_bytes(f, 0, GZIP_MAGIC, 2))
                return "gzip-compressed data (an initramfs, or a compressed kernel: give the bzImage itself)";
        if (has_bytes(f, 0, ZSTD_MAGIC, 4))
                return "zstd-compressed data";
        if (has_bytes(f, 0, XZ_MAGIC, 6))
                return "xz-compressed data";
        if (has_bytes(f, 0, PE_MAGIC, 2))
                return "a PE/EFI executable without a Linux boot header";
        return NULL;
}

static const struct wb_image_ops *format_by_name(const char *name)
{
        for (size_t i = 0; i < WB_ARRAY_SIZE(type_aliases); i++)
                if (strcasecmp(name, type_aliases[i].alias) == 0)
                        name = type_aliases[i].format;
        for (size_t i = 0; wb_image_formats[i]; i++)
                if (strcasecmp(name, wb_image_formats[i]->name) == 0)
                        return wb_image_formats[i];
        return NULL;
}

static void format_list(char *buf, size_t size)
{
        size_t used = 0;

        buf[0] = '\0';
        for (size_t i = 0; wb_image_formats[i] && used < size; i++) {
                int n = snprintf(buf + used, size - used, "%s%s", i ? ", " : "",
                                 wb_image_formats[i]->name);
                if (n < 0)
                        break;
                used += (size_t)n;
        }
}

int wb_image_identify(const struct wb_ctx *ctx, const struct wb_file *file,
                      const char *type, const struct wb_image_ops **ret_ops,
                      struct wb_diag *diag)
{
        const struct wb_image_ops *ops;
        const char *guess;
        char names[128];

        format_list(names, sizeof(names));
        if (type) {
                ops = format_by_name(type);
                if (!ops)
                        return wb_diag_set(diag, EINVAL, file->path,
                                           "unknown image type '%s' (known: %s)", type, names);
                if (ops->probe(ctx, file->data, file->size) < 0)
                        return wb_diag_set(diag, ENOEXEC, file->path, "not a %s", ops->name);
                *ret_ops = ops;
                return 0;
        }
        for (size_t i = 0; wb_image_formats[i]; i++) {
                ops = wb_image_formats[i];
                if (ops->probe(ctx, file->data, file->size) == 0) {
                        wb_debug(ctx, "%s: %s", file->path, ops->name);
                        *ret_ops = ops;
                        return 0;
                }
        }
        guess = describe_foreign(file);
        if (guess)
                return wb_diag_set(diag, ENOEXEC, file->path,
                                   "not a kernel image warmboot knows (tried: %s): %s", names, guess);
        return wb_diag_set(diag, ENOEXEC, file->path,
                           "not a kernel image warmboot knows (tried: %s)", names);
}

int wb_kernel_load(const struct wb_ctx *ctx, const struct wb_file *file, const char *type,
                   struct wb_kernel **ret_kernel, struct wb_diag *diag)
{
        return wb_kernel_load_classic(ctx, file, type, NULL, ret_kernel, diag);
}

int wb_kernel_load_classic(const struct wb_ctx *ctx, const struct wb_file *file, const char *type,
                           const struct wb_classic_input *classic,
                           struct wb_kernel **ret_kernel, struct wb_diag *diag)
{
        const struct wb_image_ops *ops;
        int r;

        r = wb_image_identify(ctx, file, type, &ops, diag);
        if (r < 0)
                return r;
        return ops->load(ctx, file, classic, ret_kernel, diag);
}

void wb_kernel_free(struct wb_kernel *kernel)
{
        if (kernel)
                kernel->ops->cleanup(kernel);
}
