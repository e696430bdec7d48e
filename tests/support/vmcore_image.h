/* SPDX-License-Identifier: MIT */
#ifndef WB_TEST_VMCORE_IMAGE_H
#define WB_TEST_VMCORE_IMAGE_H

/*
 * A small synthetic /proc/vmcore, shared by tests/unit/test_vmcore.c and
 * the fuzz_vmcore seed (fuzz/mkseeds.c), so that the dump both start from
 * is built by one piece of code: an ELF core file with a VMCOREINFO note
 * and one RAM segment holding a printk ring buffer
 * (kernel/printk/printk_ringbuffer.h layout, offsets as its vmcoreinfo
 * states them) of three records: "second" (finalized), "third"
 * (committed, its text block wrapped) and "in progress" (reserved, so
 * skipped). Pointers go through both the kernel image mapping and the
 * direct map. Plain C, no test framework, no state.
 */

#include <stddef.h>
#include <stdint.h>

/* The RAM segment: where it is, and where things are in it. */
#define VM_RAM_PADDR    UINT64_C(0x1000000)
#define VM_RAM_SIZE     0x2000u
#define VM_TEXT_MAP     UINT64_C(0xffffffff80000000)    /* __START_KERNEL_map, phys_base 0 */
#define VM_DIRECT_MAP   UINT64_C(0xffff888000000000)
#define VM_PRB_VAR      0x000u          /* the "prb" pointer variable */
#define VM_RING         0x100u          /* struct printk_ringbuffer */
#define VM_DESCS        0x400u          /* reached through the direct map */
#define VM_INFOS        0x800u
#define VM_DATA         0x1000u
#define VM_SIZE_BITS    8               /* a 256-byte text ring */

/* The whole dump, malloc'd, and its length; NULL when out of memory. */
uint8_t *img_vmcore(size_t *ret_len);

/*
 * A struct wb_vmcore_source over a buffer: { .read = img_mem_read,
 * .data = &mem, .size = mem.len }. Reads past the end fail with -EIO, as
 * they would on a short file.
 */
struct img_mem {
        const uint8_t *buf;
        size_t len;
};

int img_mem_read(void *data, uint64_t off, void *buf, size_t len);

#endif
