/* SPDX-License-Identifier: MIT */
#ifndef WB_FUZZ_H
#define WB_FUZZ_H

/*
 * Shared by the libFuzzer targets under fuzz/ (docs/testing.md). Each
 * target calls library code directly on the fuzzer's bytes: parsers,
 * the planner, kexec_run() with fuzz_sys. None of them can reach the
 * real kernel seam (wb_sys_linux), and none reads a path the input names
 * outside a private fixture folder.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <warmboot/ctx.h>
#include <warmboot/error.h>
#include <warmboot/image.h>
#include <warmboot/memmap.h>
#include <warmboot/sys.h>

/* libFuzzer's entry points. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/*
 * An oracle: a property the code under test promises did not hold.
 * Prints what and aborts, so that libFuzzer saves the input as a crash.
 */
#define FUZZ_CHECK(cond)                                                        \
        do {                                                                    \
                if (!(cond))                                                    \
                        fuzz_violation(__FILE__, __LINE__, #cond);              \
        } while (0)

_Noreturn void fuzz_violation(const char *file, int line, const char *what);

/* Reads fixed-size values off the front of the input; zeros once it runs out. */
struct fuzz_input {
        const uint8_t *p;
        size_t n;
};

uint8_t fuzz_u8(struct fuzz_input *in);
uint16_t fuzz_u16(struct fuzz_input *in);
uint32_t fuzz_u32(struct fuzz_input *in);
uint64_t fuzz_u64(struct fuzz_input *in);

/*
 * An address-like value: mostly small page multiples (where memory maps
 * and segments meet), sometimes any 64-bit value, sometimes one near the
 * top of the address space (where sums overflow).
 */
uint64_t fuzz_addr(struct fuzz_input *in);

/* The n-byte (n <= 8) little-endian value at p, as image and boot_params fields are stored. */
uint64_t fuzz_le(const uint8_t *p, size_t n);

/* A wb_file over bytes in memory (fd -1): what wb_file_open() would give. */
struct wb_file fuzz_file(const char *path, const uint8_t *data, size_t size);

/*
 * Memory maps from /proc/iomem of real machines (tests/data): a 1 GiB
 * QEMU guest, and a 25 GiB host with RAM above 4 GiB. Parsed once.
 */
const struct wb_memmap *fuzz_memmap_qemu(void);
const struct wb_memmap *fuzz_memmap_host(void);

/* Reads every byte a plan's segments point to, so that ASan sees a bad buf or bufsz. */
void fuzz_touch_plan(const struct wb_plan *plan);

/*
 * What the image targets (fuzz_bzimage, fuzz_elf) set up for each input:
 * a context whose log reads every line to add up their lengths (so that
 * the debug lines are formatted and ASan sees each byte, with nothing
 * printed), the input and an initrd as in-memory files, and both fixed
 * memory maps. ctx points at logged: the struct must stay where
 * fuzz_image_init() filled it.
 */
struct fuzz_image {
        size_t logged;
        struct wb_ctx ctx;
        struct wb_file file;
        struct wb_file initrd;
        const struct wb_memmap *maps[2];
};

void fuzz_image_init(struct fuzz_image *img, const uint8_t *data, size_t size,
                     const uint8_t *initrd, size_t initrd_size);

/*
 * Sees one wb_kernel_load_classic() attempt: the planned kernel, or NULL
 * and the diag when it was refused; in->memmap is the map it was given.
 */
typedef void fuzz_classic_check(const struct wb_kernel *k, const struct wb_classic_input *in,
                                const struct wb_diag *diag);

/*
 * Plans the input as format into each memory map twice, with nothing but
 * the map and with the map added to extra (initrd, command line, ...),
 * and hands every attempt to check. A refusal must leave no kernel.
 */
void fuzz_image_classic(const struct fuzz_image *img, const char *format,
                        const struct wb_classic_input *extra, fuzz_classic_check *check);

/*
 * A kernel seam that only counts: loads succeed, or fail with the errno
 * the target sets; reboot, shutdown and running a program fail (the
 * first two would not return; nothing is ever executed).
 */
struct fuzz_sys {
        struct wb_sys sys;
        int kexec_file_load_ret;
        int kexec_load_ret;
        unsigned long calls;
};

void fuzz_sys_init(struct fuzz_sys *f);

/*
 * A private fixture folder for a target that needs files, removed at
 * exit: under $TMPDIR, else /dev/shm (files rewritten on every input are
 * slow on a disk: ext4 flushes a file truncated over its data), else /tmp.
 * Returns its path (static storage); aborts on failure.
 */
const char *fuzz_mkroot(const char *name);

/* Creates root + rel and its parents. */
void fuzz_mkdirs(const char *root, const char *rel);

/* Writes len bytes as root + rel (replacing it). */
void fuzz_put(const char *root, const char *rel, const void *data, size_t len);

#endif
