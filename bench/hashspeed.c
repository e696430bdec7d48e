// SPDX-License-Identifier: MIT
/*
 * bench/hashspeed: how fast each segment check runs on this CPU (in the
 * bench guest: under QEMU's TCG). Hashes a buffer of MiB mebibytes
 * (default 64) with each algorithm purgatory knows, the same code
 * purgatory runs, and prints one line per algorithm:
 *   WB-HASH <name> <MB/s>
 * Usage: hashspeed [MiB]
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <purgatory/crc32c.h>
#include <purgatory/sha256.h>

static struct wb_crc32c_table table;

static double now(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void report(const char *name, size_t len, double secs, const uint8_t *d, size_t dlen)
{
        unsigned int x = 0;

        for (size_t i = 0; i < dlen; i++)
                x = x * 31 + d[i];
        printf("WB-HASH %s %.1f (%08x)\n", name, (double)len / 1e6 / secs, x);
}

int main(int argc, char **argv)
{
        size_t len = (size_t)(argc > 1 ? atoi(argv[1]) : 64) << 20;
        uint8_t *buf = malloc(len), d[32];
        struct wb_crc32c4 c;
        double t;

        if (!buf)
                return 1;
        for (size_t i = 0; i < len; i++)
                buf[i] = (uint8_t)(i * 2654435761u >> 13);
        wb_crc32c_table_init(&table);

        if (wb_crc32c_cpu_has_insn()) {
                t = now();
                wb_crc32c4_init(&c, NULL);
                wb_crc32c4_region(&c, buf, len);
                wb_crc32c4_final(&c, d);
                report("crc32c-4lane-insn", len, now() - t, d, 16);
        }
        t = now();
        wb_crc32c4_init(&c, &table);
        wb_crc32c4_region(&c, buf, len);
        wb_crc32c4_final(&c, d);
        report("crc32c-4lane-table", len, now() - t, d, 16);

        t = now();
        wb_sha256(buf, len / 4, d);
        report("sha256", len / 4, now() - t, d, 32);

        t = now();
        memcpy(buf, buf + len / 2, len / 2);
        report("memcpy", len / 2, now() - t, buf, 1);
        free(buf);
        return 0;
}
