/* SPDX-License-Identifier: MIT */
#ifndef WB_TEST_FIXTURES_H
#define WB_TEST_FIXTURES_H

/*
 * Helpers shared by the unit tests: fixture roots (a temporary folder
 * that stands for "/" through struct wb_ctx.root) and synthetic kernel
 * images. They fail the running cmocka test on any I/O error, so a test
 * never goes on with a half-made fixture.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tests/support/images.h"

/* A fresh, empty folder under $TMPDIR (or /tmp); malloc'd path. */
char *fx_mkdtemp(void);

/* Removes dir and everything under it, then frees the string; NULL is fine. */
void fx_rmtree(char *dir);

/* dir + "/" + rel (rel may start with '/'); malloc'd. */
char *fx_path(const char *dir, const char *rel);

/* Writes a file under dir, creating its parent folders; returns its malloc'd path. */
char *fx_write(const char *dir, const char *rel, const void *data, size_t len);
char *fx_write_str(const char *dir, const char *rel, const char *text);

/* Same as fx_write_str, for callers that do not want the path. */
void fx_put(const char *dir, const char *rel, const char *text);

/* The whole file under dir as a string; malloc'd, NULL when it does not exist. */
char *fx_read(const char *dir, const char *rel);

/* A folder under dir (and its parents); returns its malloc'd path. */
char *fx_mkdir(const char *dir, const char *rel);

/* The crashkernel= reservation fx_system() writes: 256 MiB. */
#define FX_CRASH_SIZE 268435456ull

/* What fx_system() writes as /proc/cmdline, as a boot loader would. */
#define FX_PROC_CMDLINE \
        "BOOT_IMAGE=/boot/vmlinuz-6.1.0-56-cloud-amd64 root=/dev/vda1 ro crashkernel=256M console=ttyS0\n"

/* /proc/iomem of a 1 GiB QEMU guest, as root reads it (with addresses). */
#define FX_PROC_IOMEM \
        "00000000-00000fff : Reserved\n" \
        "00001000-0009fbff : System RAM\n" \
        "0009fc00-0009ffff : Reserved\n" \
        "000a0000-000bffff : PCI Bus 0000:00\n" \
        "000f0000-000fffff : Reserved\n" \
        "  000f0000-000fffff : System ROM\n" \
        "00100000-3ffdffff : System RAM\n" \
        "  12a00000-13801ef1 : Kernel code\n" \
        "  2f000000-3effffff : Crash kernel\n" \
        "3ffe0000-3fffffff : Reserved\n" \
        "40000000-febfffff : PCI Bus 0000:00\n" \
        "fec00000-fec003ff : IOAPIC 0\n" \
        "fee00000-fee00fff : Local APIC\n" \
        "fffc0000-ffffffff : Reserved\n"

/*
 * Fills root with the files of a healthy kexec-capable system: no kernel
 * loaded, FX_CRASH_SIZE reserved, kexec allowed, no lockdown, every
 * capability, FX_PROC_CMDLINE, FX_PROC_IOMEM (no /sys/firmware/memmap),
 * two CPUs with crash notes and a vmcoreinfo note (no /proc/kcore).
 */
void fx_system(const char *root);

/* Number of file descriptors this process has open (from the real /proc/self/fd). */
int fx_count_fds(void);

/*
 * Synthetic bzImages: struct img_bzimage and img_bzimage_default() of
 * tests/support/images.h, shared with the fuzz seeds; built here so that
 * running out of memory fails the test.
 */
/* The image bytes (malloc'd) and their length; NULL spec means the default. */
uint8_t *fx_bzimage_build(const struct img_bzimage *spec, size_t *ret_len);

/* Builds the image and writes it as dir/rel; returns the malloc'd path. */
char *fx_bzimage_write(const char *dir, const char *rel, const struct img_bzimage *spec);

/* Deterministic pseudo-random bytes (xorshift), for "not a kernel" files. */
void fx_random_bytes(uint8_t *buf, size_t len, uint32_t seed);

#endif
