// SPDX-License-Identifier: MIT
/*
 * Parsing of the bzImage real-mode header. Every field is read only
 * after the buffer is known to hold it and the protocol version is known
 * to define it (boot.rst lists the version that added each field).
 */

#include <errno.h>
#include <string.h>

#include <warmboot/error.h>

#include "../util.h"
#include "setup_header.h"

int wb_x86_setup_header_check(const uint8_t *buf, uint64_t len, const char **ret_failed)
{
        const char *failed = NULL;

        /*
         * Only the boot flag and the magic decide: a file that has both but
         * ends inside the rest of the header is a truncated bzImage, and
         * parse says so rather than "not a kernel".
         */
        if (len < WB_X86_HDR_MAGIC + 4)
                failed = "file shorter than a setup header";
        else if (wb_le16(buf + WB_X86_HDR_BOOT_FLAG) != WB_X86_BOOT_FLAG)
                failed = "no 0xaa55 boot flag at 0x1fe";
        else if (wb_le32(buf + WB_X86_HDR_MAGIC) != WB_X86_HDR_MAGIC_VALUE)
                failed = "no \"HdrS\" magic at 0x202";

        if (failed) {
                if (ret_failed)
                        *ret_failed = failed;
                return -ENOEXEC;
        }
        return 0;
}

int wb_x86_setup_header_parse(const uint8_t *buf, uint64_t len, const char *path,
                              struct wb_x86_setup_header *ret, struct wb_diag *diag)
{
        struct wb_x86_setup_header h = { 0 };
        const char *failed;

        if (wb_x86_setup_header_check(buf, len, &failed) < 0)
                return wb_diag_set(diag, ENOEXEC, path, "not a bzImage: %s", failed);
        /* Every real bzImage is longer: its setup code alone is at least 5 sectors. */
        if (len < WB_X86_HDR_END)
                return wb_diag_set(diag, ENOEXEC, path,
                                   "truncated bzImage: the file ends inside its setup header (%llu bytes, the header needs %u)",
                                   (unsigned long long)len, (unsigned)WB_X86_HDR_END);

        h.version = wb_le16(buf + WB_X86_HDR_VERSION);
        h.setup_sects = buf[WB_X86_HDR_SETUP_SECTS];
        if (h.setup_sects == 0)
                h.setup_sects = 4;      /* boot.rst: "if this field is 0, the real value is 4" */
        h.loadflags = buf[WB_X86_HDR_LOADFLAGS];
        h.code32_start = wb_le32(buf + WB_X86_HDR_CODE32_START);

        if (h.version < WB_X86_PROTO_2_04)
                return wb_diag_set(diag, ENOEXEC, path,
                                   "bzImage boot protocol %u.%02u is too old (2.04 or newer needed)",
                                   h.version >> 8, h.version & 0xff);
        h.syssize = wb_le32(buf + WB_X86_HDR_SYSSIZE);
        h.initrd_addr_max = wb_le32(buf + WB_X86_HDR_INITRD_ADDR_MAX);
        if (h.version >= 0x0205) {
                h.kernel_alignment = wb_le32(buf + WB_X86_HDR_KERNEL_ALIGNMENT);
                h.relocatable = buf[WB_X86_HDR_RELOCATABLE];
        }
        h.cmdline_size = h.version >= WB_X86_PROTO_2_06 ?
                wb_le32(buf + WB_X86_HDR_CMDLINE_SIZE) : WB_X86_OLD_CMDLINE_MAX;
        if (h.version >= 0x0208) {
                h.payload_offset = wb_le32(buf + WB_X86_HDR_PAYLOAD_OFFSET);
                h.payload_length = wb_le32(buf + WB_X86_HDR_PAYLOAD_LENGTH);
        }
        if (h.version >= WB_X86_PROTO_2_10) {
                h.min_alignment = buf[WB_X86_HDR_MIN_ALIGNMENT];
                h.pref_address = wb_le64(buf + WB_X86_HDR_PREF_ADDRESS);
                h.init_size = wb_le32(buf + WB_X86_HDR_INIT_SIZE);
        }
        if (h.version >= WB_X86_PROTO_2_12)
                h.xloadflags = wb_le16(buf + WB_X86_HDR_XLOADFLAGS);

        h.setup_size = ((uint64_t)h.setup_sects + 1) * WB_X86_SECTOR_SIZE;
        h.kernel_size = (uint64_t)h.syssize * 16;

        if (h.syssize == 0)
                return wb_diag_set(diag, ENOEXEC, path,
                                   "corrupt bzImage header: syssize is 0 (no protected-mode kernel)");
        if (len < h.setup_size)
                return wb_diag_set(diag, ENOEXEC, path,
                                   "truncated bzImage: its header says the setup code alone is %llu bytes, the file has %llu",
                                   (unsigned long long)h.setup_size, (unsigned long long)len);
        if (len - h.setup_size < h.kernel_size)
                return wb_diag_set(diag, ENOEXEC, path,
                                   "truncated bzImage: its header says %llu bytes, the file has %llu",
                                   (unsigned long long)(h.setup_size + h.kernel_size),
                                   (unsigned long long)len);
        if (h.version >= 0x0208 && h.payload_length &&
            (uint64_t)h.payload_offset + h.payload_length > h.kernel_size)
                return wb_diag_set(diag, ENOEXEC, path,
                                   "corrupt bzImage header: the compressed payload (%u bytes at %u) ends past the kernel (%llu bytes)",
                                   h.payload_length, h.payload_offset,
                                   (unsigned long long)h.kernel_size);
        if (h.cmdline_size == 0)
                return wb_diag_set(diag, ENOEXEC, path,
                                   "corrupt bzImage header: cmdline_size is 0");

        *ret = h;
        return 0;
}

const char *wb_x86_file_load_refusal(const struct wb_x86_setup_header *h)
{
        /* The checks of the kernel's bzImage64_probe(), in its order. */
        if (h->version < WB_X86_PROTO_2_12)
                return "kexec_file_load needs boot protocol 2.12 or newer";
        if (!(h->loadflags & WB_X86_LOADED_HIGH))
                return "a zImage, not a bzImage (LOADED_HIGH is not set)";
        if (!(h->xloadflags & WB_X86_XLF_KERNEL_64))
                return "not a 64-bit kernel (XLF_KERNEL_64 is not set)";
        if (!(h->xloadflags & WB_X86_XLF_CAN_BE_LOADED_ABOVE_4G))
                return "the kernel cannot be loaded above 4 GiB (XLF_CAN_BE_LOADED_ABOVE_4G is not set)";
        return NULL;
}
