/* SPDX-License-Identifier: MIT */
/*
 * The purgatory ELF (built from purgatory/ by the host gcc, see the
 * Makefile), embedded as read-only bytes: wb_purgatory_elf up to
 * wb_purgatory_elf_end. src/lib/purgatory.c parses it.
 */

#ifndef WB_PURGATORY_ELF
#error "WB_PURGATORY_ELF must name the purgatory ELF file; the Makefile passes it"
#endif

        .section .rodata.wb_purgatory, "a", @progbits
        .balign 16
        .globl  wb_purgatory_elf
        .type   wb_purgatory_elf, @object
wb_purgatory_elf:
        .incbin WB_PURGATORY_ELF
        .size   wb_purgatory_elf, . - wb_purgatory_elf
        .globl  wb_purgatory_elf_end
        .type   wb_purgatory_elf_end, @object
wb_purgatory_elf_end:
        .size   wb_purgatory_elf_end, 0

        .section .note.GNU-stack, "", @progbits
