/* SPDX-License-Identifier: MIT */
#ifndef WARMBOOT_X86_SETUP_HEADER_H
#define WARMBOOT_X86_SETUP_HEADER_H

#include <stdint.h>

#include "boot.h"

struct wb_diag;

/*
 * The cheap part of recognising a bzImage: boot flag and "HdrS" (the
 * file may still be too short for the rest of the header, which
 * wb_x86_setup_header_parse checks). Returns 0 or -ENOEXEC with
 * *ret_failed (when not NULL) naming the first check that failed.
 */
int wb_x86_setup_header_check(const uint8_t *buf, uint64_t len, const char **ret_failed);

/*
 * Parses and validates the setup header of the bzImage in buf: protocol
 * version, sizes against the file length, payload bounds. Returns 0 and
 * *ret, or -ENOEXEC with diag (naming path) saying what is wrong.
 */
int wb_x86_setup_header_parse(const uint8_t *buf, uint64_t len, const char *path,
                              struct wb_x86_setup_header *ret, struct wb_diag *diag);

/*
 * NULL when the kernel's kexec_file_load bzImage64 loader accepts an image
 * with this header, else a static string saying why it would not.
 */
const char *wb_x86_file_load_refusal(const struct wb_x86_setup_header *h);

#endif
