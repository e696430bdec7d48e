// SPDX-License-Identifier: MIT
/*
 * warmboot's purgatory, the part in C: runs after the old kernel is gone
 * (relocate_kernel jumped to purgatory_start) and before the new one
 * starts. It checks that the segments in memory are the ones the loader
 * hashed and resets the machine when they are not: starting a kernel
 * from corrupted memory is worse than a reboot. The check is the one the
 * loader chose: four interleaved CRC32C lanes (the default: it guards
 * against corruption, not an attacker, and costs little) or SHA-256.
 *
 * Freestanding: no libc, no interrupts, no floating point or vector
 * registers; the only devices touched are a 16550 UART (when asked), the
 * 8042 keyboard controller and the PCI reset control register.
 */

#include <stdint.h>

#include "crc32c.h"
#include "params.h"
#include "purgatory.h"
#include "sha256.h"

/*
 * Initialised and forced into .data so that it is part of the file image,
 * where the loader patches it; never in .bss, whatever its value.
 */
__attribute__((section(".data"), aligned(16)))
struct wb_purgatory_params wb_purgatory_params = {
        .algorithm = WB_PURGATORY_ALG_CRC32C_4LANE,
};

/* The CRC32C tables when the crc32 instruction is not used: built here, never in the file. */
static struct wb_crc32c_table crc32c_table;

/* 16550 registers (offsets from the base port) and bits. */
#define UART_THR        0       /* transmit holding register; divisor latch low with DLAB */
#define UART_IER        1       /* interrupt enable; divisor latch high with DLAB */
#define UART_FCR        2
#define UART_LCR        3
#define UART_MCR        4
#define UART_LSR        5
#define UART_LCR_8N1    0x03
#define UART_LCR_DLAB   0x80
#define UART_FCR_ENABLE_CLEAR 0x07
#define UART_MCR_DTR_RTS 0x03
#define UART_LSR_THRE   0x20
#define UART_CLOCK_DIV  115200  /* 1.8432 MHz / 16 */
#define UART_WAIT_LOOPS 100000  /* about 0.1 s of port reads: a stuck UART does not hang us */

/* Reset controls (Linux's arch/x86/kernel/reboot.c does the same). */
#define KBD_STATUS_PORT 0x64
#define KBD_STATUS_IBF  0x02    /* input buffer full: controller busy */
#define KBD_CMD_RESET   0xfe    /* pulse the CPU reset line */
#define KBD_WAIT_LOOPS  0x10000
#define PCI_RESET_PORT  0xcf9   /* Reset Control Register */
#define PCI_RESET_SYS   0x02    /* SYS_RST: a hard reset, not a CPU-only one */
#define PCI_RESET_COLD  0x0e    /* SYS_RST | RST_CPU | FULL_RST: do it, power cycle */
#define IO_DELAY_PORT   0x80    /* POST code port: a write takes about a microsecond */

static inline void outb(uint16_t port, uint8_t v)
{
        __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
        uint8_t v;

        __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
        return v;
}

/* Roughly us microseconds: there is no timer we could trust here. */
static void io_delay(unsigned int us)
{
        while (us--)
                outb(IO_DELAY_PORT, 0);
}

static void uart_init(uint16_t port, uint32_t baud)
{
        uint32_t div = baud ? UART_CLOCK_DIV / baud : 1;

        if (div == 0)
                div = 1;
        if (div > 0xffff)
                div = 0xffff;
        outb(port + UART_IER, 0);
        outb(port + UART_LCR, UART_LCR_DLAB);
        outb(port + UART_THR, (uint8_t)div);
        outb(port + UART_IER, (uint8_t)(div >> 8));
        outb(port + UART_LCR, UART_LCR_8N1);
        outb(port + UART_FCR, UART_FCR_ENABLE_CLEAR);
        outb(port + UART_MCR, UART_MCR_DTR_RTS);
}

static void uart_putc(uint16_t port, char c)
{
        unsigned int i;

        for (i = 0; i < UART_WAIT_LOOPS; i++)
                if (inb(port + UART_LSR) & UART_LSR_THRE)
                        break;
        outb(port + UART_THR, (uint8_t)c);
}

/* One line on the serial port, if the loader gave one. */
static void say(const struct wb_purgatory_params *p, const char *line)
{
        if (!p->serial_port)
                return;
        while (*line)
                uart_putc(p->serial_port, *line++);
        uart_putc(p->serial_port, '\r');
        uart_putc(p->serial_port, '\n');
}

/*
 * Resets the machine: the 8042's reset line, then the PCI reset control
 * register, then a triple fault (an exception with an empty IDT), each
 * for the machines where the one before does nothing.
 */
static __attribute__((noreturn)) void machine_reset(void)
{
        /* The operand of lidt: read by the CPU, not by C (cppcheck cannot see that). */
        static const struct __attribute__((packed)) {
                uint16_t limit;         /* cppcheck-suppress unusedStructMember */
                uint64_t base;          /* cppcheck-suppress unusedStructMember */
        } no_idt = { 0, 0 };
        unsigned int i, j;
        uint8_t cf9;

        for (i = 0; i < 10; i++) {
                for (j = 0; j < KBD_WAIT_LOOPS; j++) {
                        if (!(inb(KBD_STATUS_PORT) & KBD_STATUS_IBF))
                                break;
                        io_delay(2);
                }
                io_delay(50);
                outb(KBD_STATUS_PORT, KBD_CMD_RESET);
                io_delay(50);
        }

        cf9 = inb(PCI_RESET_PORT) & (uint8_t)~PCI_RESET_COLD;
        outb(PCI_RESET_PORT, cf9 | PCI_RESET_SYS);
        io_delay(50);
        outb(PCI_RESET_PORT, cf9 | PCI_RESET_COLD);
        io_delay(50);

        __asm__ volatile("lidt %0\n\tint3" : : "m"(no_idt) : "memory");
        /* Not reached: the triple fault resets the CPU. */
        for (;;)
                __asm__ volatile("cli\n\thlt");
}

/* 1 when got[0..n) equals the loader's digest, else 0; constant time, for what it is worth. */
static int digest_equal(const struct wb_purgatory_params *p, const uint8_t *got, uint32_t n)
{
        uint8_t diff = 0;
        uint32_t i;

        for (i = 0; i < n; i++)
                diff |= got[i] ^ p->digest[i];
        return diff == 0;
}

/* SHA-256 of the regions (at most WB_PURGATORY_MAX_REGIONS) as one message. */
static int sha256_match(const struct wb_purgatory_params *p)
{
        uint8_t got[WB_SHA256_DIGEST_SIZE];
        struct wb_sha256_ctx ctx;
        uint32_t i;

        wb_sha256_init(&ctx);
        for (i = 0; i < p->nr_regions; i++)
                wb_sha256_update(&ctx, (const void *)(uintptr_t)p->regions[i].start,
                                 (size_t)p->regions[i].len);
        wb_sha256_final(&ctx, got);
        return digest_equal(p, got, WB_SHA256_DIGEST_SIZE);
}

/*
 * The 4-lane CRC32C of the regions. With the instruction when the loader
 * chose it and this CPU has it (checked again: the loader may have run on
 * another CPU model than the one that jumps here); else with tables built
 * now, which give the same bits.
 */
static int crc32c_match(const struct wb_purgatory_params *p, const char **how)
{
        const struct wb_crc32c_table *tab = NULL;
        uint8_t got[WB_CRC32C4_DIGEST_SIZE], rest = 0;
        struct wb_crc32c4 c;
        uint32_t i;

        *how = "warmboot purgatory: ok (crc32c/insn)";
        if (!(p->flags & WB_PURGATORY_F_CRC32_INSN) || !wb_crc32c_cpu_has_insn()) {
                wb_crc32c_table_init(&crc32c_table);
                tab = &crc32c_table;
                *how = "warmboot purgatory: ok (crc32c/table)";
        }
        wb_crc32c4_init(&c, tab);
        for (i = 0; i < p->nr_regions; i++)
                wb_crc32c4_region(&c, (const void *)(uintptr_t)p->regions[i].start,
                                  (size_t)p->regions[i].len);
        wb_crc32c4_final(&c, got);
        /* The rest of the 32-byte field is zero: a digest with more is not ours. */
        for (i = WB_CRC32C4_DIGEST_SIZE; i < sizeof(p->digest); i++)
                rest |= p->digest[i];
        return digest_equal(p, got, WB_CRC32C4_DIGEST_SIZE) && rest == 0;
}

void purgatory_main(void)
{
        const struct wb_purgatory_params *p = &wb_purgatory_params;

        if (p->serial_port && p->serial_baud)
                uart_init(p->serial_port, p->serial_baud);
        if (!p->verify) {
                say(p, "warmboot purgatory: ok (check skipped)");
                return;
        }
        if (p->nr_regions > WB_PURGATORY_MAX_REGIONS) {
                say(p, "warmboot purgatory: bad parameters, rebooting");
                machine_reset();
        }
        if (p->algorithm == WB_PURGATORY_ALG_CRC32C_4LANE) {
                const char *ok;

                if (!crc32c_match(p, &ok)) {
                        say(p, "warmboot purgatory: digest mismatch, rebooting");
                        machine_reset();
                }
                say(p, ok);
        } else if (p->algorithm == WB_PURGATORY_ALG_SHA256) {
                if (!sha256_match(p)) {
                        say(p, "warmboot purgatory: digest mismatch, rebooting");
                        machine_reset();
                }
                say(p, "warmboot purgatory: ok (sha256)");
        } else {
                say(p, "warmboot purgatory: bad parameters, rebooting");
                machine_reset();
        }
}
