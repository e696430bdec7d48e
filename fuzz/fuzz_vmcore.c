// SPDX-License-Identifier: MIT
/*
 * The dump reader of vmcore-dmesg: wb_vmcore_open() on a fuzzed
 * /proc/vmcore (ELF core header, program headers, notes, VMCOREINFO),
 * then its summary, vmcoreinfo lookups and the walk of the printk ring
 * buffer that the crashed kernel left, through a source that reads the
 * input and fails past its end, as a short file would.
 */

#include <errno.h>
#include <string.h>

#include <warmboot/error.h>
#include <warmboot/vmcore.h>

#include "fuzz.h"
#include "tests/support/vmcore_image.h"

struct walk {
        size_t records;
        uint64_t bytes;
};

static int on_record(void *data, uint64_t ts_nsec, const char *text, size_t len)
{
        struct walk *w = data;
        volatile char sink = 0;

        (void)ts_nsec;
        for (size_t i = 0; i < len; i++)
                sink ^= text[i];
        (void)sink;
        w->records++;
        w->bytes += len;
        return 0;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
        (void)argc, (void)argv;
        return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        static const char *const keys[] = {
                "OSRELEASE", "PAGESIZE", "SYMBOL(prb)", "NUMBER(phys_base)", "KERNELOFFSET",
                "OFFSET(printk_info.text_len)", "SIZE(prb_desc)", "",
        };
        struct img_mem m = { data, size };
        const struct wb_vmcore_source src = { .read = img_mem_read, .data = &m, .size = size };
        struct wb_vmcore_summary sum;
        struct wb_vmcore *vm = NULL;
        struct walk w = { 0 };
        struct wb_diag diag;
        uint64_t v;
        int r;

        r = wb_vmcore_open(&src, &vm, &diag);
        if (r < 0) {
                FUZZ_CHECK(vm == NULL);
                FUZZ_CHECK(r == -ENOEXEC || r == -EBADMSG || r == -ENOENT || r == -EIO || r == -ENOMEM);
                FUZZ_CHECK(diag.reason[0] != '\0');
                return 0;
        }
        wb_vmcore_summary(vm, &sum);
        FUZZ_CHECK(sum.nr_ram_loads <= sum.nr_loads && sum.osrelease != NULL);
        (void)strlen(sum.osrelease);
        for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
                (void)wb_vmcore_info_value(vm, keys[i], &v);
        r = wb_vmcore_dmesg(vm, on_record, &w, &diag);
        FUZZ_CHECK(r == 0 || r == -ENOENT || r == -EBADMSG || r == -EIO || r == -ENOMEM);
        wb_vmcore_free(vm);
        return 0;
}
