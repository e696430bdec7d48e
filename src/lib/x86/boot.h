/* SPDX-License-Identifier: MIT */
#ifndef WARMBOOT_X86_BOOT_H
#define WARMBOOT_X86_BOOT_H

/*
 * The x86 Linux boot protocol: offsets into the real-mode setup header
 * of a bzImage (Documentation/arch/x86/boot.rst, "The Real-Mode Kernel
 * Header"), which are also offsets into struct boot_params (the "zero
 * page", arch/x86/include/uapi/asm/bootparam.h), whose hdr member starts
 * at 0x1f1.
 */

#include <stdint.h>

#define WB_X86_SECTOR_SIZE              512u    /* setup_sects counts these */

#define WB_X86_HDR_SETUP_SECTS          0x1f1   /* u8; 0 means 4 */
#define WB_X86_HDR_SYSSIZE              0x1f4   /* u32 since 2.04, in 16-byte units */
#define WB_X86_HDR_BOOT_FLAG            0x1fe   /* u16, 0xaa55 */
#define WB_X86_HDR_JUMP                 0x200   /* the first setup instruction */
#define WB_X86_HDR_MAGIC                0x202   /* "HdrS" */
#define WB_X86_HDR_VERSION              0x206   /* u16 protocol version */
#define WB_X86_HDR_LOADFLAGS            0x211   /* u8 */
#define WB_X86_HDR_CODE32_START         0x214   /* u32 */
#define WB_X86_HDR_INITRD_ADDR_MAX      0x22c   /* u32 since 2.03 */
#define WB_X86_HDR_KERNEL_ALIGNMENT     0x230   /* u32 since 2.05 */
#define WB_X86_HDR_RELOCATABLE          0x234   /* u8 since 2.05 */
#define WB_X86_HDR_MIN_ALIGNMENT        0x235   /* u8 since 2.10, log2 */
#define WB_X86_HDR_XLOADFLAGS           0x236   /* u16 since 2.12 */
#define WB_X86_HDR_CMDLINE_SIZE         0x238   /* u32 since 2.06 */
#define WB_X86_HDR_PAYLOAD_OFFSET       0x248   /* u32 since 2.08 */
#define WB_X86_HDR_PAYLOAD_LENGTH       0x24c   /* u32 since 2.08 */
#define WB_X86_HDR_PREF_ADDRESS         0x258   /* u64 since 2.10 */
#define WB_X86_HDR_INIT_SIZE            0x260   /* u32 since 2.10 */
#define WB_X86_HDR_END                  0x268   /* end of the fields we read */

#define WB_X86_BOOT_FLAG                0xaa55u
#define WB_X86_HDR_MAGIC_VALUE          0x53726448u     /* "HdrS", little-endian */

/* loadflags bit 0: protected-mode code is loaded at 0x100000. */
#define WB_X86_LOADED_HIGH              0x01u

/* xloadflags bits (boot.rst, field "xloadflags"). */
#define WB_X86_XLF_KERNEL_64                    0x0001u /* 64-bit entry at +0x200 */
#define WB_X86_XLF_CAN_BE_LOADED_ABOVE_4G       0x0002u
#define WB_X86_XLF_EFI_HANDOVER_32              0x0004u
#define WB_X86_XLF_EFI_HANDOVER_64              0x0008u
#define WB_X86_XLF_EFI_KEXEC                    0x0010u
#define WB_X86_XLF_5LEVEL                       0x0020u

/* Protocol versions that added the fields we depend on. */
#define WB_X86_PROTO_2_04               0x0204u /* 32-bit syssize */
#define WB_X86_PROTO_2_06               0x0206u /* cmdline_size */
#define WB_X86_PROTO_2_10               0x020au /* pref_address, init_size */
#define WB_X86_PROTO_2_12               0x020cu /* xloadflags: kexec_file_load's minimum */

/* Before 2.06 the command line was limited to 255 bytes (boot.rst). */
#define WB_X86_OLD_CMDLINE_MAX          255u

/*
 * arch/x86/kernel/kexec-bzimage64.c, MAX_ELFCOREHDR_STR_LEN: room the
 * kernel's file loader keeps in the command line for "elfcorehdr=0x... ",
 * for every load, not only crash ones.
 */
#define WB_X86_KEXEC_FILE_CMDLINE_RESERVE 30u

/* The parsed setup header, host byte order. */
struct wb_x86_setup_header {
        uint8_t setup_sects;            /* after the 0 -> 4 rule */
        uint32_t syssize;               /* 16-byte units */
        uint16_t version;
        uint8_t loadflags;
        uint32_t code32_start;
        uint32_t initrd_addr_max;
        uint32_t kernel_alignment;
        uint8_t relocatable;
        uint8_t min_alignment;
        uint16_t xloadflags;
        uint32_t cmdline_size;
        uint32_t payload_offset;
        uint32_t payload_length;
        uint64_t pref_address;
        uint32_t init_size;
        uint64_t setup_size;            /* (setup_sects + 1) * 512 */
        uint64_t kernel_size;           /* syssize * 16: the protected-mode part */
};

#endif

/*
 * struct boot_params, the zero page (Documentation/arch/x86/zero-page.rst,
 * arch/x86/include/uapi/asm/bootparam.h): offsets of what we fill in.
 */
#define WB_X86_BP_SIZE                  0x1000u /* sizeof(struct boot_params) */
#define WB_X86_BP_SCREEN_INFO           0x000   /* struct screen_info, 0x40 bytes */
#define WB_X86_BP_SCREEN_INFO_SIZE      0x40u
#define WB_X86_BP_EXT_MEM_K             0x002   /* screen_info.ext_mem_k, u16 */
#define WB_X86_BP_ACPI_RSDP_ADDR        0x070   /* u64 */
#define WB_X86_BP_EXT_RAMDISK_IMAGE     0x0c0   /* u32, bits 32-63 */
#define WB_X86_BP_EXT_RAMDISK_SIZE      0x0c4   /* u32 */
#define WB_X86_BP_EXT_CMD_LINE_PTR      0x0c8   /* u32 */
#define WB_X86_BP_ALT_MEM_K             0x1e0   /* u32 */
#define WB_X86_BP_E820_ENTRIES          0x1e8   /* u8 */
#define WB_X86_BP_EDDBUF_ENTRIES        0x1e9   /* u8 */
#define WB_X86_BP_EDD_MBR_SIG_ENTRIES   0x1ea   /* u8 */
#define WB_X86_BP_HDR                   0x1f1   /* struct setup_header */
#define WB_X86_BP_EDD_MBR_SIG_BUFFER    0x290   /* u32[16] */
#define WB_X86_BP_EDD_MBR_SIG_SIZE      0x40u
#define WB_X86_BP_E820_TABLE            0x2d0   /* struct boot_e820_entry[128] */
#define WB_X86_BP_E820_MAX              128u    /* E820_MAX_ENTRIES_ZEROPAGE */
#define WB_X86_BP_E820_ENTRY_SIZE       20u     /* u64 addr, u64 size, u32 type, packed */
#define WB_X86_BP_EDDBUF                0xd00   /* struct edd_info[6] */
#define WB_X86_BP_EDDBUF_SIZE           0x1ecu

/* Setup header fields a boot loader writes (boot.rst), as boot_params offsets. */
#define WB_X86_HDR_TYPE_OF_LOADER       0x210   /* u8 */
#define WB_X86_HDR_RAMDISK_IMAGE        0x218   /* u32 */
#define WB_X86_HDR_RAMDISK_SIZE         0x21c   /* u32 */
#define WB_X86_HDR_CMD_LINE_PTR         0x228   /* u32 */
#define WB_X86_HDR_HARDWARE_SUBARCH     0x23c   /* u32 */

/*
 * The setup header runs from 0x1f1 to 0x202 plus the byte at 0x201, the
 * offset of the jump at 0x200 (boot.rst: "the end of the setup header can
 * be calculated as follows: 0x0202 + byte value at offset 0x0201").
 */
#define WB_X86_HDR_JUMP_OFFSET          0x201

/*
 * type_of_loader 0xd0: boot loader ID 0xD, "kexec-tools" in boot.rst's
 * table, which the kernel's own kexec_file_load also uses.
 */
#define WB_X86_LOADER_KEXEC             0xd0u

/* The 64-bit entry point is 0x200 bytes into the protected-mode kernel (boot.rst, 64-bit protocol). */
#define WB_X86_ENTRY64_OFFSET           0x200u

/* Lowest addresses the kernel's own kexec_file_load uses (kexec-bzimage64.c MIN_*_ADDR). */
#define WB_X86_MIN_PURGATORY_ADDR       0x3000u
#define WB_X86_MIN_BOOTPARAM_ADDR       0x3000u
#define WB_X86_MIN_KERNEL_ADDR          0x100000u
#define WB_X86_MIN_INITRD_ADDR          0x1000000u
