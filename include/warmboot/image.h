/* SPDX-License-Identifier: MIT */
#ifndef WARMBOOT_IMAGE_H
#define WARMBOOT_IMAGE_H

#include <stdbool.h>
#include <stdint.h>

#include <warmboot/plan.h>

struct wb_ctx;
struct wb_diag;
struct wb_memmap;

/* Largest kernel image we map: real ones are tens of MiB. */
#define WB_KERNEL_MAX_SIZE (UINT64_C(512) << 20)

/* A file mapped read-only into memory. */
struct wb_file {
        char *path;
        int fd;
        const uint8_t *data;
        uint64_t size;
};

/*
 * Opens path (a regular file of at most max_size bytes) and maps it.
 * Returns 0 and *ret_file, or a negative errno with diag filled:
 * -ENOENT/-EACCES/... from open, -EISDIR or -EINVAL for something that
 * is not a regular file, -EFBIG above max_size, -ENOEXEC when empty.
 */
int wb_file_open(const char *path, uint64_t max_size,
                 struct wb_file **ret_file, struct wb_diag *diag);

/* Unmaps and closes; NULL is fine. */
void wb_file_close(struct wb_file *file);

enum wb_arch {
        WB_ARCH_X86_64,
        WB_ARCH_ARM64,
};

/*
 * What the kexec_load(2) path gives a format's load() so that it can
 * place the image itself: the memory map to place into, the initrd and
 * command line, and the running kernel's firmware-given data.
 */
struct wb_classic_input {
        const struct wb_memmap *memmap;         /* where segments may go */
        const struct wb_memmap *e820;           /* what the new kernel is told; NULL: memmap */
        const struct wb_plan *preplaced;        /* segments placed before the kernel's; may be NULL */
        const struct wb_file *initrd;           /* NULL: none */
        const char *cmdline;
        const uint8_t *running_boot_params;     /* /sys/kernel/boot_params/data, or NULL */
        uint64_t running_boot_params_size;
        /* ACPI RSDP from EFI's system table, for when boot_params has none; 0: unknown. */
        uint64_t acpi_rsdp;
};

/*
 * What a format's load() learned about a kernel image. The fields are the
 * ones the front ends and loaders need; priv belongs to the format.
 */
struct wb_kernel {
        const struct wb_image_ops *ops;
        const struct wb_file *file;
        enum wb_arch arch;
        uint16_t boot_protocol;         /* x86 boot protocol, e.g. 0x020f */
        uint64_t cmdline_max;           /* longest command line (bytes, no NUL) */
        /*
         * Longest command line kexec_file_load takes for this image: the
         * kernel's bzImage64 loader keeps room to add "elfcorehdr=0x...".
         */
        uint64_t file_cmdline_max;
        /* NULL when kexec_file_load's loader takes the image, else why not. */
        const char *file_load_refusal;
        /* NULL when kexec_load can place the image, else why not. */
        const char *classic_refusal;
        /*
         * Only when load() had classic input: the segments of the kernel,
         * initrd and boot data (purgatory is added by the caller), the
         * address to enter and the value the entry wants in %rsi.
         */
        bool planned;
        struct wb_plan plan;
        uint64_t entry;
        uint64_t entry_rsi;
        void *priv;
};

/*
 * A kernel image format. Each lives in its own file under src/lib/image/
 * and exports only its const ops table.
 *
 * probe:   pure and cheap look at the first bytes; 0 when the format
 *          recognises them, -ENOEXEC when not (with one debug line that
 *          names the first check that failed).
 * load:    full validation of a probed image and, when classic is not
 *          NULL, the placement of its segments for kexec_load in
 *          classic->memmap; 0 and *ret_kernel, or a negative errno with diag
 *          saying what is wrong with the file.
 * cleanup: frees what load made; NULL is fine.
 */
struct wb_image_ops {
        const char *name;
        int (*probe)(const struct wb_ctx *ctx, const uint8_t *buf, uint64_t len);
        int (*load)(const struct wb_ctx *ctx, const struct wb_file *file,
                    const struct wb_classic_input *classic,
                    struct wb_kernel **ret_kernel, struct wb_diag *diag);
        void (*cleanup)(struct wb_kernel *kernel);
};

/* The formats, in probe order, NULL-terminated. */
extern const struct wb_image_ops *const wb_image_formats[];

extern const struct wb_image_ops wb_format_bzimage;
extern const struct wb_image_ops wb_format_elf_x86_64;

/*
 * Finds the format of file: the one named type when type is not NULL
 * (kexec-tools' -t names are accepted too), else the first whose probe
 * says yes. Returns 0 and *ret_ops; -ENOEXEC with diag filled when no
 * format knows the file, -EINVAL when type names no format.
 */
int wb_image_identify(const struct wb_ctx *ctx, const struct wb_file *file,
                      const char *type, const struct wb_image_ops **ret_ops,
                      struct wb_diag *diag);

/* Identifies and loads file. Returns 0 and *ret_kernel or a negative errno. */
int wb_kernel_load(const struct wb_ctx *ctx, const struct wb_file *file,
                   const char *type, struct wb_kernel **ret_kernel,
                   struct wb_diag *diag);

/*
 * Identifies and loads file and places its segments for kexec_load as
 * classic asks. Returns 0 and *ret_kernel (with planned set) or a negative
 * errno with diag filled; -ENOMEM means the segments do not fit.
 */
int wb_kernel_load_classic(const struct wb_ctx *ctx, const struct wb_file *file,
                           const char *type, const struct wb_classic_input *classic,
                           struct wb_kernel **ret_kernel, struct wb_diag *diag);

/* Calls the format's cleanup; NULL is fine. */
void wb_kernel_free(struct wb_kernel *kernel);

#endif
