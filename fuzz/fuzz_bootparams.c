// SPDX-License-Identifier: MIT
/*
 * The zero page: wb_x86_boot_params_build() from a fuzzed setup header
 * (any length, any jump byte), running kernel's boot_params, memory map,
 * command line and initrd. It must stay inside its buffer and write what
 * the 64-bit boot protocol reads where the kernel reads it.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <warmboot/memmap.h>

#include "src/lib/x86/boot.h"
#include "src/lib/x86/bootparams.h"

#include "fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
        (void)argc, (void)argv;
        return 0;
}

/*
 * Up to want bytes of the input (*got says how many), copied to a buffer
 * of exactly that size, so that ASan sees any read past them.
 */
static uint8_t *take_bytes(struct fuzz_input *in, size_t want, size_t *got)
{
        size_t n = want < in->n ? want : in->n;
        uint8_t *b = malloc(n ? n : 1);

        if (!b)
                abort();
        memcpy(b, in->p, n);
        in->p += n;
        in->n -= n;
        *got = n;
        return b;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct fuzz_input in = { data, size };
        static struct wb_memmap map;
        struct wb_x86_boot_params_request req;
        uint8_t flags = fuzz_u8(&in), *image, *running, *buf, *raw, short_buf;
        uint64_t start = 0, bufsize;
        size_t image_len, running_len, cmdline_len;
        unsigned int nranges;
        char *cmdline;
        int r;

        memset(&map, 0, sizeof(map));
        nranges = fuzz_u8(&in);
        if (flags & 0x80)
                nranges += 64;  /* around the zero page's 128 e820 slots */
        for (unsigned int i = 0; i < nranges; i++) {
                uint64_t gap = (uint64_t)fuzz_u8(&in) << 12, len = fuzz_addr(&in);

                if (start > UINT64_MAX - gap)
                        break;
                start += gap;
                if (!len || start > UINT64_MAX - len)
                        break;
                if (wb_memmap_add(&map, start, start + len, fuzz_u8(&in) & 1 ? WB_MEM_RAM : WB_MEM_RESERVED) < 0)
                        break;
                start += len;
        }
        req = (struct wb_x86_boot_params_request) {
                .memmap = &map,
                .params_addr = fuzz_addr(&in),
                .cmdline_offset = WB_X86_BP_SIZE + (flags & 8 ? fuzz_u16(&in) : 0) - (flags & 16 ? 1 : 0),
                .initrd_addr = fuzz_addr(&in),
                .initrd_size = flags & 2 ? fuzz_addr(&in) : 0,
                .acpi_rsdp = flags & 4 ? fuzz_u64(&in) : 0,
        };
        raw = take_bytes(&in, fuzz_u16(&in) % 4096, &cmdline_len);
        cmdline = malloc(cmdline_len + 1);
        if (!cmdline)
                abort();
        memcpy(cmdline, raw, cmdline_len);
        cmdline[cmdline_len] = '\0';
        free(raw);
        req.cmdline = flags & 32 ? NULL : cmdline;
        running = take_bytes(&in, flags & 64 ? fuzz_u16(&in) % 4200 : 0, &running_len);
        req.running = running_len ? running : NULL;
        req.running_size = running_len;
        short_buf = fuzz_u8(&in) & 1;
        /* The rest is the image: its setup header, maybe cut short. */
        image = take_bytes(&in, in.n, &image_len);
        req.image = flags & 1 ? NULL : image;
        req.image_size = image_len;

        bufsize = req.cmdline_offset + strlen(req.cmdline ? req.cmdline : "") + 1 - short_buf;
        buf = malloc(bufsize);
        if (!buf)
                abort();
        r = wb_x86_boot_params_build(&req, buf, bufsize);
        if (r == 0) {
                uint64_t cmd = req.params_addr + req.cmdline_offset;
                const char *line = req.cmdline ? req.cmdline : "";

                FUZZ_CHECK(req.cmdline_offset >= WB_X86_BP_SIZE);
                FUZZ_CHECK(map.n <= WB_X86_BP_E820_MAX && buf[WB_X86_BP_E820_ENTRIES] == map.n);
                FUZZ_CHECK(strcmp((const char *)buf + req.cmdline_offset, line) == 0);
                FUZZ_CHECK(fuzz_le(buf + WB_X86_HDR_CMD_LINE_PTR, 4) == (uint32_t)cmd);
                FUZZ_CHECK(fuzz_le(buf + WB_X86_BP_EXT_CMD_LINE_PTR, 4) == cmd >> 32);
                FUZZ_CHECK(buf[WB_X86_HDR_TYPE_OF_LOADER] == WB_X86_LOADER_KEXEC);
                FUZZ_CHECK(fuzz_le(buf + WB_X86_HDR_BOOT_FLAG, 2) == (req.image ? fuzz_le(image + WB_X86_HDR_BOOT_FLAG, 2) : 0xaa55));
                for (size_t i = 0; i < map.n; i++) {
                        const uint8_t *e = buf + WB_X86_BP_E820_TABLE + i * WB_X86_BP_E820_ENTRY_SIZE;

                        FUZZ_CHECK(fuzz_le(e, 8) == map.ranges[i].start);
                        FUZZ_CHECK(fuzz_le(e + 8, 8) == map.ranges[i].end - map.ranges[i].start);
                        FUZZ_CHECK(fuzz_le(e + 16, 4) == map.ranges[i].type);
                }
                if (req.initrd_size)
                        FUZZ_CHECK(fuzz_le(buf + WB_X86_HDR_RAMDISK_SIZE, 4) == (uint32_t)req.initrd_size &&
                                   fuzz_le(buf + WB_X86_BP_EXT_RAMDISK_SIZE, 4) == req.initrd_size >> 32);
        } else {
                FUZZ_CHECK(r == -ENOBUFS || r == -E2BIG || r == -ENOEXEC);
                if (r == -E2BIG)
                        FUZZ_CHECK(map.n > WB_X86_BP_E820_MAX);
                if (r == -ENOEXEC)
                        FUZZ_CHECK(req.image != NULL);
        }
        free(buf);
        free(image);
        free(running);
        free(cmdline);
        return 0;
}
