// SPDX-License-Identifier: MIT
/* vmcore-dmesg(8): the crashed kernel's log, from /proc/vmcore or a saved dump. */

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <warmboot/error.h>
#include <warmboot/vmcore.h>

#include "kexec.h"

#define DEFAULT_VMCORE "/proc/vmcore"

static int fd_read(void *data, uint64_t off, void *buf, size_t len)
{
        int fd = *(int *)data;
        size_t done = 0;

        while (done < len) {
                ssize_t n = pread(fd, (char *)buf + done, len - done, (off_t)(off + done));

                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0)
                        return -errno;
                if (n == 0)
                        return -EIO;
                done += (size_t)n;
        }
        return 0;
}

/* One record, as kexec-tools' vmcore-dmesg and dmesg print it; control bytes escaped. */
static int print_record(void *data, uint64_t ts_nsec, const char *text, size_t len)
{
        FILE *out = data;

        fprintf(out, "[%5llu.%06llu] ", (unsigned long long)(ts_nsec / 1000000000u),
                (unsigned long long)(ts_nsec % 1000000000u / 1000u));
        for (size_t i = 0; i < len; i++) {
                unsigned char c = (unsigned char)text[i];

                if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f)
                        fprintf(out, "\\x%02x", c);
                else
                        fputc(c, out);
        }
        fputc('\n', out);
        return 0;
}

static void usage(FILE *out)
{
        fputs("Usage: vmcore-dmesg [--summary] [DUMP]\n"
              "Print the log of the kernel that crashed, from DUMP (default /proc/vmcore,\n"
              "in a capture kernel booted by a panic).\n"
              "\n"
              "  -s, --summary   print what the dump holds instead: memory segments and bytes,\n"
              "                  notes, the crashed kernel's release\n"
              "  -h, --help      show this help\n"
              "  -v, --version   show the version\n", out);
}

int main(int argc, char **argv)
{
        static const struct option options[] = {
                { "summary", no_argument, NULL, 's' },
                { "help", no_argument, NULL, 'h' },
                { "version", no_argument, NULL, 'v' },
                { NULL, 0, NULL, 0 },
        };
        struct wb_diag diag = { .path = "" };
        struct wb_vmcore *vmcore = NULL;
        struct wb_vmcore_source src;
        const char *path = DEFAULT_VMCORE;
        bool summary = false;
        struct stat st;
        int fd, opt, r;

        opterr = 0;
        while ((opt = getopt_long(argc, argv, "shv", options, NULL)) != -1) {
                switch (opt) {
                case 's':
                        summary = true;
                        break;
                case 'h':
                        usage(stdout);
                        return EXIT_SUCCESS;
                case 'v':
                        printf("vmcore-dmesg (warmboot) %s\n", WARMBOOT_VERSION);
                        return EXIT_SUCCESS;
                default:
                        fprintf(stderr, "vmcore-dmesg: unknown option '%s' (see vmcore-dmesg --help)\n",
                                argv[optind - 1]);
                        return EXIT_FAILURE;
                }
        }
        if (optind < argc)
                path = argv[optind++];
        if (optind < argc) {
                fprintf(stderr, "vmcore-dmesg: unexpected argument '%s'\n", argv[optind]);
                return EXIT_FAILURE;
        }
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0 || fstat(fd, &st) < 0) {
                fprintf(stderr, "vmcore-dmesg: %s: cannot open: %s\n", path, strerror(errno));
                return EXIT_FAILURE;
        }
        src = (struct wb_vmcore_source) { .read = fd_read, .data = &fd, .size = (uint64_t)st.st_size };
        r = wb_vmcore_open(&src, &vmcore, &diag);
        if (r == 0 && summary) {
                struct wb_vmcore_summary s;

                wb_vmcore_summary(vmcore, &s);
                printf("release: %.*s\nloads: %zu\nload bytes: %llu\nram loads: %zu\nram bytes: %llu\nnotes: %zu\n",
                       (int)strcspn(s.osrelease, "\n"), s.osrelease, s.nr_loads,
                       (unsigned long long)s.load_bytes, s.nr_ram_loads,
                       (unsigned long long)s.ram_bytes, s.nr_notes);
        } else if (r == 0) {
                r = wb_vmcore_dmesg(vmcore, print_record, stdout, &diag);
        }
        if (r < 0)
                fprintf(stderr, "vmcore-dmesg: %s: %s\n", path, diag.reason);
        wb_vmcore_free(vmcore);
        close(fd);
        return r < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
