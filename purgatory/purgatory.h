/* SPDX-License-Identifier: MIT */
#ifndef WARMBOOT_PURGATORY_PURGATORY_H
#define WARMBOOT_PURGATORY_PURGATORY_H

/* Declarations shared inside the purgatory blob; nothing here is for the library. */

#include <stddef.h>

#include "params.h"

/* Filled in by the loader before the blob goes to the kernel (see params.h). */
extern struct wb_purgatory_params wb_purgatory_params;

/*
 * Called by purgatory_start (entry64.S) on purgatory's own stack. Returns
 * when the kernel may be entered; otherwise it resets the machine.
 */
void purgatory_main(void);

/* The compiler may emit calls to these even with -ffreestanding (string.c). */
void *memcpy(void *dest, const void *src, size_t n);
void *memset(void *dest, int c, size_t n);

#endif
