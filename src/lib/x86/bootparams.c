// SPDX-License-Identifier: MIT
/*
 * The zero page (struct boot_params) for a kernel entered through the
 * 64-bit boot protocol: the image's setup header, the firmware memory map
 * as e820, command line and initrd addresses, and what the running kernel
 * learned from firmware that the new one cannot ask for again (screen,
 * ACPI RSDP, EDD), as the kernel's own kexec-bzimage64.c carries over.
 */

#include <errno.h>
#include <string.h>

#include <warmboot/memmap.h>

#include "../util.h"
#include "bootparams.h"
#include "boot.h"

/* Protocol of the minimal header made for an ELF vmlinux: 2.15, whose fields we set. */
#define WB_X86_SYNTH_VERSION    0x020fu
/* Its jump byte: a header ending at 0x268, like 2.15 kernels'. */
#define WB_X86_SYNTH_HDR_END    0x268u

static int copy_setup_header(const struct wb_x86_boot_params_request *req, uint8_t *bp)
{
        uint64_t end;

        if (!req->image) {
                /* An ELF vmlinux has no setup header: make the fields the kernel reads. */
                wb_put_le16(bp + WB_X86_HDR_BOOT_FLAG, WB_X86_BOOT_FLAG);
                bp[WB_X86_HDR_JUMP_OFFSET] = (uint8_t)(WB_X86_SYNTH_HDR_END - 0x202);
                wb_put_le32(bp + WB_X86_HDR_MAGIC, WB_X86_HDR_MAGIC_VALUE);
                wb_put_le16(bp + WB_X86_HDR_VERSION, WB_X86_SYNTH_VERSION);
                wb_put_le32(bp + WB_X86_HDR_CMDLINE_SIZE, 2047);
                return 0;
        }
        if (req->image_size <= WB_X86_HDR_JUMP_OFFSET)
                return -ENOEXEC;
        end = 0x202u + req->image[WB_X86_HDR_JUMP_OFFSET];
        if (end > req->image_size || end > WB_X86_BP_E820_TABLE)
                return -ENOEXEC;
        memcpy(bp + WB_X86_BP_HDR, req->image + WB_X86_BP_HDR, end - WB_X86_BP_HDR);
        return 0;
}

/* Carries over what only firmware could tell the running kernel. */
static void copy_from_running(const struct wb_x86_boot_params_request *req, uint8_t *bp)
{
        const uint8_t *run = req->running;

        if (!run || req->running_size < WB_X86_BP_SIZE)
                return;
        memcpy(bp + WB_X86_BP_SCREEN_INFO, run + WB_X86_BP_SCREEN_INFO, WB_X86_BP_SCREEN_INFO_SIZE);
        memcpy(bp + WB_X86_BP_ACPI_RSDP_ADDR, run + WB_X86_BP_ACPI_RSDP_ADDR, 8);
        memcpy(bp + WB_X86_HDR_HARDWARE_SUBARCH, run + WB_X86_HDR_HARDWARE_SUBARCH, 4);
        bp[WB_X86_BP_EDDBUF_ENTRIES] = run[WB_X86_BP_EDDBUF_ENTRIES];
        memcpy(bp + WB_X86_BP_EDDBUF, run + WB_X86_BP_EDDBUF, WB_X86_BP_EDDBUF_SIZE);
        bp[WB_X86_BP_EDD_MBR_SIG_ENTRIES] = run[WB_X86_BP_EDD_MBR_SIG_ENTRIES];
        memcpy(bp + WB_X86_BP_EDD_MBR_SIG_BUFFER, run + WB_X86_BP_EDD_MBR_SIG_BUFFER,
               WB_X86_BP_EDD_MBR_SIG_SIZE);
}

static int fill_e820(const struct wb_memmap *map, uint8_t *bp)
{
        uint64_t ext_mem_k = 0;

        if (map->n > WB_X86_BP_E820_MAX)
                return -E2BIG;
        for (size_t i = 0; i < map->n; i++) {
                const struct wb_mem_range *r = &map->ranges[i];
                uint8_t *e = bp + WB_X86_BP_E820_TABLE + i * WB_X86_BP_E820_ENTRY_SIZE;

                wb_put_le64(e, r->start);
                wb_put_le64(e + 8, r->end - r->start);
                wb_put_le32(e + 16, (uint32_t)r->type);
                /* KiB of RAM from 1 MiB up, in the range that holds 1 MiB: the old BIOS sizes. */
                if (r->type == WB_MEM_RAM && r->start <= 0x100000 && r->end > 0x100000)
                        ext_mem_k = ((r->end - 1) >> 10) - (0x100000 >> 10);
        }
        bp[WB_X86_BP_E820_ENTRIES] = (uint8_t)map->n;
        wb_put_le16(bp + WB_X86_BP_EXT_MEM_K, (uint16_t)(ext_mem_k > 0xfc00 ? 0xfc00 : ext_mem_k));
        wb_put_le32(bp + WB_X86_BP_ALT_MEM_K, (uint32_t)(ext_mem_k > UINT32_MAX ? UINT32_MAX : ext_mem_k));
        return 0;
}

int wb_x86_boot_params_build(const struct wb_x86_boot_params_request *req, uint8_t *buf, uint64_t size)
{
        const char *cmdline = req->cmdline ? req->cmdline : "";
        uint64_t cmdline_len = strlen(cmdline) + 1;
        uint64_t cmdline_addr = req->params_addr + req->cmdline_offset;
        int r;

        if (req->cmdline_offset < WB_X86_BP_SIZE || size < req->cmdline_offset ||
            size - req->cmdline_offset < cmdline_len)
                return -ENOBUFS;
        memset(buf, 0, size);
        r = copy_setup_header(req, buf);
        if (r < 0)
                return r;
        copy_from_running(req, buf);
        r = fill_e820(req->memmap, buf);
        if (r < 0)
                return r;
        /*
         * Booted through EFI, the running kernel found ACPI in EFI's tables;
         * the new one gets no EFI runtime from us, so it needs the RSDP here.
         */
        if (!wb_le64(buf + WB_X86_BP_ACPI_RSDP_ADDR) && req->acpi_rsdp)
                wb_put_le64(buf + WB_X86_BP_ACPI_RSDP_ADDR, req->acpi_rsdp);

        buf[WB_X86_HDR_TYPE_OF_LOADER] = WB_X86_LOADER_KEXEC;
        /* As the kernel's kexec_file_load: no LOADED_HIGH, KASLR, QUIET or heap flags. */
        buf[WB_X86_HDR_LOADFLAGS] = 0;

        memcpy(buf + req->cmdline_offset, cmdline, cmdline_len);
        wb_put_le32(buf + WB_X86_HDR_CMD_LINE_PTR, (uint32_t)cmdline_addr);
        wb_put_le32(buf + WB_X86_BP_EXT_CMD_LINE_PTR, (uint32_t)(cmdline_addr >> 32));

        if (req->initrd_size) {
                wb_put_le32(buf + WB_X86_HDR_RAMDISK_IMAGE, (uint32_t)req->initrd_addr);
                wb_put_le32(buf + WB_X86_HDR_RAMDISK_SIZE, (uint32_t)req->initrd_size);
                wb_put_le32(buf + WB_X86_BP_EXT_RAMDISK_IMAGE, (uint32_t)(req->initrd_addr >> 32));
                wb_put_le32(buf + WB_X86_BP_EXT_RAMDISK_SIZE, (uint32_t)(req->initrd_size >> 32));
        }
        return 0;
}
