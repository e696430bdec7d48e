/* SPDX-License-Identifier: MIT */
/*
 * purgatory_start: where the old kernel's relocate_kernel jumps at
 * "kexec -e". All we rely on is what it guarantees: 64-bit mode, paging
 * on with all RAM identity-mapped, interrupts off. The stack, the GDT and
 * the segment registers are whatever they are; we set up our own.
 *
 * Then the hand-off to the new kernel as Linux's 64-bit boot protocol
 * wants it (Documentation/arch/x86/boot.rst): a GDT with 4G flat
 * __BOOT_CS (0x10, execute/read) and __BOOT_DS (0x18, read/write),
 * CS = __BOOT_CS, DS = ES = SS = __BOOT_DS, interrupts off, %rsi = the
 * boot_params. We also clear every other general register and the flags.
 */

#include "params.h"

#define STACK_SIZE 16384

        .code64
        .section .text.entry, "ax", @progbits
        .globl  purgatory_start
        .type   purgatory_start, @function
purgatory_start:
        cli
        leaq    purgatory_stack_end(%rip), %rsp
        pushq   $0
        popfq                           /* IF, DF, AC, TF clear */

        call    purgatory_main          /* returns only when the kernel may start */

        lgdt    purgatory_gdt_desc(%rip)
        movl    $WB_PURGATORY_BOOT_DS, %eax
        movl    %eax, %ds
        movl    %eax, %es
        movl    %eax, %ss
        xorl    %eax, %eax
        movl    %eax, %fs
        movl    %eax, %gs
        /* Reload CS with a far return to the next instruction. */
        leaq    1f(%rip), %rax
        pushq   $WB_PURGATORY_BOOT_CS
        pushq   %rax
        lretq
1:
        movq    wb_purgatory_params+WB_PURGATORY_PARAMS_ENTRY_RSP(%rip), %rax
        testq   %rax, %rax
        jz      2f
        movq    %rax, %rsp
2:
        movq    wb_purgatory_params+WB_PURGATORY_PARAMS_ENTRY_RSI(%rip), %rsi
        xorl    %eax, %eax
        xorl    %ebx, %ebx
        xorl    %ecx, %ecx
        xorl    %edx, %edx
        xorl    %edi, %edi
        xorl    %ebp, %ebp
        xorl    %r8d, %r8d
        xorl    %r9d, %r9d
        xorl    %r10d, %r10d
        xorl    %r11d, %r11d
        xorl    %r12d, %r12d
        xorl    %r13d, %r13d
        xorl    %r14d, %r14d
        xorl    %r15d, %r15d
        /* Through memory, so that no register has to hold the target. */
        jmpq    *wb_purgatory_params+WB_PURGATORY_PARAMS_ENTRY_RIP(%rip)
        .size   purgatory_start, . - purgatory_start

        .section .data
        .balign 16
purgatory_gdt:
        .quad   0                       /* 0x00: null */
        .quad   0                       /* 0x08: unused */
        .quad   0x00af9b000000ffff      /* 0x10: __BOOT_CS, 64-bit code, execute/read, 4G flat */
        .quad   0x00cf93000000ffff      /* 0x18: __BOOT_DS, data, read/write, 4G flat */
purgatory_gdt_end:

        .balign 16
purgatory_gdt_desc:
        .word   purgatory_gdt_end - purgatory_gdt - 1
        .quad   purgatory_gdt           /* absolute: relocated to the load address */

        .section .bss
        .balign 16
purgatory_stack:
        .skip   STACK_SIZE
purgatory_stack_end:

        .section .note.GNU-stack, "", @progbits
