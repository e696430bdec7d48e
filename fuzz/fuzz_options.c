// SPDX-License-Identifier: MIT
/*
 * kexec's option parser, kexec_options_parse(), on any argv: the input
 * split at NUL bytes, after argv[0] = "kexec". It must either refuse
 * with a one-line message or return options that make sense together.
 */

#include <stdlib.h>
#include <string.h>

#include "src/cli/options.h"

#include "fuzz.h"

#define MAX_ARGS 64

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
        (void)argc, (void)argv;
        return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        char *argv[MAX_ARGS + 2], *copy;
        struct kexec_opts o;
        char err[256];
        int argc = 0, r;

        /* One copy, NUL-terminated, so that each argument can point into it. */
        copy = malloc(size + 1);
        if (!copy)
                abort();
        memcpy(copy, data, size);
        copy[size] = '\0';
        argv[argc++] = "kexec";
        for (size_t i = 0; i < size && argc <= MAX_ARGS; ) {
                argv[argc++] = copy + i;
                i += strlen(copy + i) + 1;
        }
        argv[argc] = NULL;

        memset(err, 0xa5, sizeof(err));
        r = kexec_options_parse(argc, argv, &o, err, sizeof(err));
        if (r < 0) {
                FUZZ_CHECK(memchr(err, '\0', sizeof(err)) != NULL);
                FUZZ_CHECK(err[0] != '\0');
        } else if (!o.help && !o.version && !o.print_ckr_size) {
                FUZZ_CHECK(!o.do_load || o.image);
                FUZZ_CHECK(!o.load_option || o.do_load);
                FUZZ_CHECK(!o.do_status || (!o.do_load && !o.do_exec && !o.do_unload));
                FUZZ_CHECK(!o.console_serial || o.serial_port != 0);
                FUZZ_CHECK(o.serial_baud == 0 || (o.serial_baud >= 50 && o.serial_baud <= 115200));
        }
        free(copy);
        return 0;
}
