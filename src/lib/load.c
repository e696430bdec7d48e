// SPDX-License-Identifier: MIT
/*
 * Loading, unloading and executing kernels. Preparation checks and plans
 * everything without the kernel; only commit, unload and exec call it,
 * and only through ctx->sys.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/kexec.h>

#include <warmboot/cmdline.h>
#include <warmboot/crash.h>
#include <warmboot/ctx.h>
#include <warmboot/error.h>
#include <warmboot/image.h>
#include <warmboot/load.h>
#include <warmboot/memmap.h>
#include <warmboot/plan.h>
#include <warmboot/purgatory.h>
#include <warmboot/sys.h>

#include "util.h"
#include "x86/boot.h"
#include "x86/classic.h"

/* kexec_load's flags name the architecture of the image (include/uapi/linux/kexec.h). */
#define WB_KEXEC_ARCH KEXEC_ARCH_X86_64

/* Purgatory has 32-bit signed absolute relocations (-mcmodel=small): below 2 GiB. */
#define WB_PURGATORY_MAX_ADDR (UINT64_C(1) << 31)

/*
 * kexec_file_load reads the initrd with kernel_read_file(), which refuses
 * files above INT_MAX bytes (fs/kernel_read_file.c).
 */
#define WB_FILE_INITRD_MAX ((uint64_t)0x7fffffff)

static int open_initrd(const char *path, uint64_t max, int *ret_fd, struct wb_diag *diag)
{
        const struct wb_file_rules rules = {
                .max = max, .noun = "initrd", .a_noun = "an initrd file", .empty_err = EINVAL,
                .limit_by = "the kernel reads",
        };
        uint64_t size;

        return wb_open_checked(path, &rules, ret_fd, &size, diag);
}

static int check_crash_reservation(const struct wb_ctx *ctx, const char *path, struct wb_diag *diag)
{
        uint64_t size;
        int r;

        r = wb_crash_size(ctx, &size, diag);
        if (r < 0)
                return r;
        if (size == 0)
                return wb_diag_set(diag, EADDRNOTAVAIL, path,
                                   "no memory is reserved for a crash kernel; boot the running kernel with crashkernel=SIZE (e.g. crashkernel=256M) on its command line");
        wb_debug(ctx, "crashkernel= reservation: %llu bytes", (unsigned long long)size);
        return 0;
}

/* The kexec_load side of a load: everything the segments point into. */
struct wb_classic {
        struct wb_memmap *memmap;       /* the firmware's */
        const struct wb_memmap *place;  /* where segments go: memmap, or the crash reservation */
        struct wb_file *initrd;
        char *running_boot_params;
        size_t running_boot_params_size;
        struct wb_kernel *kernel;       /* loaded again, with its segments planned */
        struct wb_purgatory *purgatory;
        uint8_t *purgatory_image;
        struct wb_plan plan;            /* the kernel's segments, then purgatory */
        unsigned long flags;            /* KEXEC_* of kexec_load(2) */
        /* A panic kernel's: the reservation as a map, its ELF core header, its memory map. */
        struct wb_crash_info *crash_info;
        struct wb_memmap *crash_place;
        struct wb_memmap *crash_e820;
        uint8_t *elfcorehdr;
        char *crash_cmdline;
};

/* Largest initrd kexec_load takes from us: it must fit in RAM next to the kernel anyway. */
#define WB_CLASSIC_INITRD_MAX (UINT64_C(4) << 30)

/*
 * kexec_load refuses segment lists above half of RAM (kernel/kexec_core.c,
 * sanity_check_segment_list(): "Verify that no more than half of memory
 * will be consumed").
 */
static uint64_t ram_total(const struct wb_memmap *map)
{
        uint64_t sum = 0;

        for (size_t i = 0; i < map->n; i++)
                if (map->ranges[i].type == WB_MEM_RAM)
                        sum += map->ranges[i].end - map->ranges[i].start;
        return sum;
}

static void classic_free(struct wb_classic *c)
{
        if (!c)
                return;
        free(c->crash_cmdline);
        free(c->elfcorehdr);
        free(c->crash_e820);
        free(c->crash_place);
        free(c->crash_info);
        free(c->purgatory_image);
        wb_purgatory_free(c->purgatory);
        wb_kernel_free(c->kernel);
        free(c->running_boot_params);
        wb_file_close(c->initrd);
        free(c->memmap);
        free(c);
}

/* Purgatory goes last: its parameters name every other segment and their digest. */
static int add_purgatory(const struct wb_ctx *ctx, const struct wb_load_request *req,
                         struct wb_classic *c, struct wb_diag *diag)
{
        struct wb_purgatory_params params = {
                .entry_rip = c->kernel->entry,
                .entry_rsi = c->kernel->entry_rsi,
                .serial_port = req->serial_port,
                .serial_baud = req->serial_baud,
        };
        uint64_t addr, entry;
        size_t slot;
        int r;

        r = wb_purgatory_open_embedded(&c->purgatory);
        if (r < 0)
                return wb_diag_set(diag, r, NULL, "the built-in purgatory is unusable: %s", strerror(-r));
        /* Hash each byte once, here; with -i purgatory is told not to look. */
        if (!req->no_verify && req->verify != WB_VERIFY_NONE) {
                uint32_t alg = req->verify == WB_VERIFY_SHA256 ? WB_PURGATORY_ALG_SHA256 :
                                                                 WB_PURGATORY_ALG_CRC32C_4LANE;

                r = wb_purgatory_set_check(&params, alg, c->plan.segments, c->plan.n);
                if (r < 0)
                        return wb_diag_set(diag, r, req->kernel_path, "cannot describe the segments to purgatory: %s",
                                           strerror(-r));
        }
#ifdef WB_TEST_HOOKS
        /* Only in the test build (make build/test/kexec): proves purgatory catches a bad digest. */
        if (getenv("WB_TEST_CORRUPT_DIGEST")) {
                params.digest[0] ^= 0xff;
                wb_debug(ctx, "test hook: purgatory digest corrupted on purpose");
        }
        /* And lets the guest tests run purgatory's CRC32C both ways (the digest is the same). */
        {
                const char *impl = getenv("WB_TEST_CRC32C");

                if (impl && strcmp(impl, "insn") == 0)
                        params.flags |= WB_PURGATORY_F_CRC32_INSN;
                else if (impl)
                        params.flags &= ~WB_PURGATORY_F_CRC32_INSN;
                if (impl)
                        wb_debug(ctx, "test hook: purgatory computes CRC32C with %s",
                                 (params.flags & WB_PURGATORY_F_CRC32_INSN) ? "the crc32 instruction" : "tables");
        }
#endif
        slot = c->plan.n;
        r = wb_x86_place(&c->plan, c->place, &(struct wb_place_request) {
                                .name = "purgatory",
                                .bufsz = wb_purgatory_bufsz(c->purgatory),
                                .memsz = wb_purgatory_memsz(c->purgatory),
                                .align = wb_purgatory_align(c->purgatory),
                                .min = WB_X86_MIN_PURGATORY_ADDR,
                                .max = WB_PURGATORY_MAX_ADDR,
                                .top_down = true,
                         }, req->kernel_path, &addr, diag);
        if (r < 0)
                return r;
        r = wb_purgatory_place(c->purgatory, addr, &params, &c->purgatory_image, &entry);
        if (r < 0)
                return wb_diag_set(diag, r, NULL, "cannot relocate purgatory to 0x%llx: %s",
                                   (unsigned long long)addr, strerror(-r));
        c->plan.segments[slot].buf = c->purgatory_image;
        c->plan.entry = entry;
        wb_debug(ctx, "purgatory at 0x%llx, entry 0x%llx: it %s %u regions, then enters 0x%llx with rsi 0x%llx",
                 (unsigned long long)addr, (unsigned long long)entry,
                 !params.verify ? "does not check" :
                 params.algorithm == WB_PURGATORY_ALG_SHA256 ? "checks the SHA-256 of" :
                 (params.flags & WB_PURGATORY_F_CRC32_INSN) ? "checks the CRC32C (4 lanes, crc32 instruction) of" :
                 "checks the CRC32C (4 lanes, tables) of", params.nr_regions,
                 (unsigned long long)params.entry_rip, (unsigned long long)params.entry_rsi);
        return 0;
}

/*
 * The ACPI RSDP EFI handed the running kernel, from /sys/firmware/efi/systab
 * ("ACPI20=0x..." preferred to "ACPI=0x..."); 0 when not booted through EFI.
 */
static uint64_t efi_acpi_rsdp(const struct wb_ctx *ctx)
{
        unsigned long long acpi20 = 0, acpi = 0;
        char *text, *line, *save = NULL;

        if (wb_read_text(ctx, "/sys/firmware/efi/systab", 4096, &text, NULL) < 0)
                return 0;
        for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                if (strncmp(line, "ACPI20=", 7) == 0)
                        acpi20 = strtoull(line + 7, NULL, 0);
                else if (strncmp(line, "ACPI=", 5) == 0)
                        acpi = strtoull(line + 5, NULL, 0);
        }
        free(text);
        return acpi20 ? acpi20 : acpi;
}

/*
 * A panic kernel goes inside the crashkernel= reservation, with the ELF
 * core header of the crashed kernel first (at the bottom, as the kernel
 * places its own), "elfcorehdr=" on its command line and a memory map
 * confined to the reservation. Fills c->crash_* and *pre.
 */
static int prepare_crash(const struct wb_ctx *ctx, const struct wb_load *load, struct wb_classic *c,
                         struct wb_plan *pre, struct wb_diag *diag)
{
        const char *path = load->req.kernel_path;
        uint64_t hdr_addr;
        size_t hdr_size;
        int r;

        r = wb_crash_info_read(ctx, &c->crash_info, diag);
        if (r < 0)
                return r;
        c->crash_place = calloc(1, sizeof(*c->crash_place));
        c->crash_e820 = calloc(1, sizeof(*c->crash_e820));
        if (!c->crash_place || !c->crash_e820)
                return wb_diag_set(diag, ENOMEM, path, "out of memory");
        r = wb_memmap_add(c->crash_place, c->crash_info->crash_start, c->crash_info->crash_end, WB_MEM_RAM);
        if (r < 0)
                return wb_diag_set(diag, r, "/proc/iomem", "bad \"Crash kernel\" range");
        r = wb_crash_elfcorehdr(c->crash_info, &c->elfcorehdr, &hdr_size);
        if (r < 0)
                return wb_diag_set(diag, r, path, "cannot describe the memory for a dump: %s", strerror(-r));
        r = wb_x86_place(pre, c->crash_place, &(struct wb_place_request) {
                                .name = "ELF core header",
                                .buf = c->elfcorehdr,
                                .bufsz = hdr_size,
                                .memsz = hdr_size,
                                .align = WB_CRASH_ELFCOREHDR_ALIGN,
                                .top_down = false,
                         }, path, &hdr_addr, diag);
        if (r < 0)
                return r;
        r = wb_crash_memmap(c->memmap, c->crash_info, hdr_addr, hdr_addr + pre->segments[pre->n - 1].memsz,
                            c->crash_e820);
        if (r < 0)
                return wb_diag_set(diag, r, path, "the capture kernel's memory map has too many ranges");
        /* As the kernel's own loader: elfcorehdr= first, then the user's line. */
        if (asprintf(&c->crash_cmdline, "elfcorehdr=0x%llx %s", (unsigned long long)hdr_addr,
                     load->cmdline) < 0) {
                c->crash_cmdline = NULL;
                return wb_diag_set(diag, ENOMEM, path, "out of memory");
        }
        if (strlen(c->crash_cmdline) > load->kernel->cmdline_max)
                return wb_diag_set(diag, E2BIG, path,
                                   "command line too long: with \"elfcorehdr=\" it is %zu bytes, this kernel takes at most %llu",
                                   strlen(c->crash_cmdline), (unsigned long long)load->kernel->cmdline_max);
        wb_debug(ctx, "panic kernel: reservation [0x%llx, 0x%llx), %zu CPU notes, ELF core header at 0x%llx (%zu bytes)",
                 (unsigned long long)c->crash_info->crash_start, (unsigned long long)c->crash_info->crash_end,
                 c->crash_info->nr_cpus, (unsigned long long)hdr_addr, hdr_size);
        return 0;
}

/* Plans the kexec_load side of load: memory map, segments, purgatory. */
static int prepare_classic(const struct wb_ctx *ctx, struct wb_load *load, struct wb_diag *diag)
{
        const struct wb_load_request *req = &load->req;
        struct wb_plan pre = { 0 };
        struct wb_classic *c;
        uint64_t ram, used;
        int r;

        c = calloc(1, sizeof(*c));
        if (!c)
                return wb_diag_set(diag, ENOMEM, req->kernel_path, "out of memory");
        r = wb_memmap_read(ctx, &c->memmap, diag);
        if (r < 0)
                goto fail;
        c->place = c->memmap;
        if (req->crash) {
                r = prepare_crash(ctx, load, c, &pre, diag);
                if (r < 0)
                        goto fail;
                c->place = c->crash_place;
        }
        if (req->initrd_path) {
                r = wb_file_open(req->initrd_path, WB_CLASSIC_INITRD_MAX, &c->initrd, diag);
                if (r < 0)
                        goto fail;
        }
        /* The firmware facts the running kernel holds (screen, ACPI RSDP, EDD); optional. */
        if (wb_read_text(ctx, "/sys/kernel/boot_params/data", WB_X86_BP_SIZE,
                         &c->running_boot_params, &c->running_boot_params_size) < 0)
                wb_debug(ctx, "no /sys/kernel/boot_params/data: the new kernel finds ACPI and the screen itself");
        /* The format was identified by wb_load_prepare(): place with its ops, no second probe. */
        r = load->kernel->ops->load(ctx, load->kernel_file, &(struct wb_classic_input) {
                                        .acpi_rsdp = efi_acpi_rsdp(ctx),
                                        .memmap = c->place,
                                        .e820 = req->crash ? c->crash_e820 : c->memmap,
                                        .preplaced = &pre,
                                        .initrd = c->initrd,
                                        .cmdline = req->crash ? c->crash_cmdline : load->cmdline,
                                        .running_boot_params = (const uint8_t *)c->running_boot_params,
                                        .running_boot_params_size = c->running_boot_params_size,
                                   }, &c->kernel, diag);
        if (r < 0)
                goto fail;
        c->plan = c->kernel->plan;
        r = add_purgatory(ctx, req, c, diag);
        if (r < 0)
                goto fail;
        ram = ram_total(c->memmap);
        used = wb_plan_memsz(&c->plan);
        if (!req->crash && used > ram / 2) {
                r = wb_diag_set(diag, ENOMEM, req->initrd_path ? req->initrd_path : req->kernel_path,
                                "kernel and initrd take %llu MiB, more than half the RAM (%llu MiB), which kexec_load refuses",
                                (unsigned long long)(used >> 20), (unsigned long long)(ram >> 20));
                goto fail;
        }
        c->flags = WB_KEXEC_ARCH | (req->crash ? KEXEC_ON_CRASH : 0);
        for (size_t i = 0; i < c->plan.n; i++)
                wb_debug(ctx, "segment %zu: %s at [0x%llx, 0x%llx), %zu bytes from the file",
                         i, c->plan.names[i], (unsigned long long)c->plan.segments[i].mem,
                         (unsigned long long)(c->plan.segments[i].mem + c->plan.segments[i].memsz),
                         c->plan.segments[i].bufsz);
        load->classic = c;
        load->syscall = WB_SYSCALL_CLASSIC;
        return 0;

fail:
        classic_free(c);
        return r;
}

/*
 * Chooses the syscall for a load and checks the command line against its
 * limit. Returns 0 and *ret, or a negative errno with diag filled.
 */
static int choose_syscall(const struct wb_ctx *ctx, const struct wb_load_request *req,
                          const struct wb_kernel *kernel, size_t cmdline_bytes,
                          enum wb_syscall *ret, struct wb_diag *diag)
{
        const char *path = req->kernel_path;
        const char *why_not_file = NULL;
        char why[WB_DIAG_REASON_MAX];

        if (cmdline_bytes > kernel->cmdline_max)
                return wb_diag_set(diag, E2BIG, path,
                                   "command line too long: %zu bytes, this kernel takes at most %llu",
                                   cmdline_bytes, (unsigned long long)kernel->cmdline_max);
        if (kernel->file_load_refusal) {
                why_not_file = kernel->file_load_refusal;
        } else if (cmdline_bytes > kernel->file_cmdline_max) {
                snprintf(why, sizeof(why),
                         "command line too long: %zu bytes, at most %llu on kexec_file_load (the image's limit of %llu less what the kernel keeps for elfcorehdr=)",
                         cmdline_bytes, (unsigned long long)kernel->file_cmdline_max,
                         (unsigned long long)kernel->cmdline_max);
                why_not_file = why;
        }

        switch (req->syscall) {
        case WB_SYSCALL_FILE:
                if (why_not_file)
                        goto refuse_file;
                wb_debug(ctx, "using kexec_file_load (-s)");
                *ret = WB_SYSCALL_FILE;
                return 0;
        case WB_SYSCALL_CLASSIC:
                if (kernel->classic_refusal)
                        return wb_diag_set(diag, ENOEXEC, path, "%s", kernel->classic_refusal);
                wb_debug(ctx, "using kexec_load (-c)");
                *ret = WB_SYSCALL_CLASSIC;
                return 0;
        case WB_SYSCALL_AUTO:
                break;
        }
        if (!why_not_file) {
                wb_debug(ctx, "using kexec_file_load: the automatic choice, the kernel parses and checks the image itself");
                *ret = WB_SYSCALL_FILE;
                return 0;
        }
        if (kernel->classic_refusal)
                return wb_diag_set(diag, ENOEXEC, path, "%s; and %s", why_not_file, kernel->classic_refusal);
        wb_debug(ctx, "using kexec_load: kexec_file_load would not do (%s)", why_not_file);
        *ret = WB_SYSCALL_CLASSIC;
        return 0;

refuse_file:
        return wb_diag_set(diag, kernel->file_load_refusal ? ENOEXEC : E2BIG, path,
                           "%s%s", kernel->file_load_refusal ? "kexec_file_load cannot load it: " : "",
                           why_not_file);
}

int wb_load_prepare(const struct wb_ctx *ctx, const struct wb_load_request *req,
                    struct wb_load **ret_load, struct wb_diag *diag)
{
        const char *cmdline = req->cmdline ? req->cmdline : "";
        size_t cmdline_bytes = strlen(cmdline);
        struct wb_load *load;
        int r;

        if (!req->kernel_path)
                return wb_diag_set(diag, EINVAL, NULL, "no kernel image given");
        if (cmdline_bytes > WB_CMDLINE_MAX)
                return wb_diag_set(diag, E2BIG, req->kernel_path,
                                   "command line too long: %zu bytes", cmdline_bytes);
        load = calloc(1, sizeof(*load));
        if (!load)
                return wb_diag_set(diag, ENOMEM, req->kernel_path, "out of memory");
        load->req = *req;
        load->initrd_fd = -1;
        load->crash = req->crash;

        if (req->crash) {
                r = check_crash_reservation(ctx, req->kernel_path, diag);
                if (r < 0)
                        goto fail;
        }
        r = wb_file_open(req->kernel_path, WB_KERNEL_MAX_SIZE, &load->kernel_file, diag);
        if (r < 0)
                goto fail;
        r = wb_kernel_load(ctx, load->kernel_file, req->type, &load->kernel, diag);
        if (r < 0)
                goto fail;
        r = choose_syscall(ctx, req, load->kernel, cmdline_bytes, &load->syscall, diag);
        if (r < 0)
                goto fail;
        if (load->syscall == WB_SYSCALL_FILE && (req->no_verify || req->serial_port))
                wb_debug(ctx, "purgatory options (-i, --console-serial) do nothing on kexec_file_load, whose purgatory is the kernel's");
        if (req->initrd_path) {
                r = open_initrd(req->initrd_path, WB_FILE_INITRD_MAX, &load->initrd_fd, diag);
                if (r < 0)
                        goto fail;
                load->initrd_path = strdup(req->initrd_path);
                if (!load->initrd_path) {
                        r = wb_diag_set(diag, ENOMEM, req->initrd_path, "out of memory");
                        goto fail;
                }
        }
        /*
         * Always hand the kernel a NUL-terminated line, even an empty one:
         * with cmdline_len 0, bzImage64's setup_cmdline() writes the NUL one
         * byte before its buffer.
         */
        load->cmdline = strdup(cmdline);
        if (!load->cmdline) {
                r = wb_diag_set(diag, ENOMEM, req->kernel_path, "out of memory");
                goto fail;
        }
        load->cmdline_len = (unsigned long)cmdline_bytes + 1;
        load->file_flags = (req->crash ? KEXEC_FILE_ON_CRASH : 0) |
                           (req->initrd_path ? 0 : KEXEC_FILE_NO_INITRAMFS);
        if (load->syscall == WB_SYSCALL_CLASSIC) {
                r = prepare_classic(ctx, load, diag);
                if (r < 0)
                        goto fail;
        }
        *ret_load = load;
        return 0;

fail:
        wb_load_free(load);
        return r;
}

/* kexec_file_load errnos after which the automatic choice tries kexec_load. */
static bool file_load_falls_back(int r)
{
        return r == -ENOSYS || r == -EOPNOTSUPP || r == -ENOEXEC || r == -EINVAL;
}

static int commit_file(const struct wb_ctx *ctx, const struct wb_load *load)
{
        wb_debug(ctx, "kexec_file_load(kernel=%s, initrd=%s, cmdline_len=%lu, flags=0x%lx)",
                 load->kernel_file->path, load->initrd_path ? load->initrd_path : "none",
                 load->cmdline_len, load->file_flags);
        return ctx->sys->ops->kexec_file_load(ctx->sys->data, load->kernel_file->fd, load->initrd_fd,
                                              load->cmdline, load->cmdline_len, load->file_flags);
}

static int commit_classic(const struct wb_ctx *ctx, const struct wb_load *load)
{
        const struct wb_classic *c = load->classic;

        wb_debug(ctx, "kexec_load(entry=0x%llx, %zu segments, flags=0x%lx)",
                 (unsigned long long)c->plan.entry, c->plan.n, c->flags);
        return ctx->sys->ops->kexec_load(ctx->sys->data, c->plan.entry, c->plan.segments,
                                         c->plan.n, c->flags);
}

static int commit(const struct wb_ctx *ctx, struct wb_load *load, struct wb_diag *diag)
{
        char why[WB_DIAG_REASON_MAX], first[WB_DIAG_REASON_MAX];
        int r;

        if (load->syscall == WB_SYSCALL_CLASSIC) {
                r = commit_classic(ctx, load);
                goto out;
        }
        r = commit_file(ctx, load);
        if (r == 0 || load->req.syscall != WB_SYSCALL_AUTO || !file_load_falls_back(r))
                goto out;

        wb_explain_kexec_error(ctx, r, WB_SYSCALL_FILE, load->crash, first, sizeof(first));
        wb_debug(ctx, "kexec_file_load failed (%s): falling back to kexec_load", first);
        if (load->kernel->classic_refusal)
                return wb_diag_set(diag, r, load->kernel_file->path, "%s; and %s", first,
                                   load->kernel->classic_refusal);
        r = prepare_classic(ctx, load, diag);
        if (r < 0)
                return r;
        r = commit_classic(ctx, load);
        if (r < 0)
                return wb_diag_set(diag, r, load->kernel_file->path,
                                   "kexec_file_load failed (%s), and so did kexec_load: %s", first,
                                   wb_explain_kexec_error(ctx, r, WB_SYSCALL_CLASSIC, load->crash,
                                                          why, sizeof(why)));
out:
        /* cppcheck-suppress identicalConditionAfterEarlyExit ; "goto out" comes here with r < 0 too */
        if (r < 0)
                return wb_diag_set(diag, r, load->kernel_file->path, "%s",
                                   wb_explain_kexec_error(ctx, r, load->syscall, load->crash,
                                                          why, sizeof(why)));
        return 0;
}

/*
 * A panic kernel is loaded into the one crashkernel= reservation, so both
 * system calls free the panic kernel already loaded before they load the
 * new one (kernel/kexec_file.c, kernel/kexec.c), and a load the kernel
 * then refuses (a signature lockdown does not accept, no memory) leaves
 * none. The checks before the call catch what they can; what only the
 * kernel refuses is said, so that nobody believes the old one still there.
 */
int wb_load_commit(const struct wb_ctx *ctx, struct wb_load *load, struct wb_diag *diag)
{
        bool before = false, after = true;
        int r;

        if (load->crash && wb_kexec_loaded(ctx, true, &before, NULL) < 0)
                before = false;
        r = commit(ctx, load, diag);
        if (r < 0 && before && diag && wb_kexec_loaded(ctx, true, &after, NULL) == 0 && !after) {
                size_t len = strlen(diag->reason);

                snprintf(diag->reason + len, sizeof(diag->reason) - len,
                         "; the panic kernel loaded before is gone too (the kernel unloads it before any panic kernel load)");
        }
        return r;
}

const struct wb_plan *wb_load_plan(const struct wb_load *load)
{
        return load->classic ? &load->classic->plan : NULL;
}

void wb_load_free(struct wb_load *load)
{
        if (!load)
                return;
        classic_free(load->classic);
        free(load->cmdline);
        free(load->initrd_path);
        if (load->initrd_fd >= 0)
                close(load->initrd_fd);
        wb_kernel_free(load->kernel);
        wb_file_close(load->kernel_file);
        free(load);
}

int wb_unload(const struct wb_ctx *ctx, bool crash, enum wb_syscall syscall, struct wb_diag *diag)
{
        const struct wb_sys *sys = ctx->sys;
        char why[WB_DIAG_REASON_MAX];
        int r;

        if (syscall != WB_SYSCALL_CLASSIC) {
                r = sys->ops->kexec_file_load(sys->data, -1, -1, NULL, 0,
                                              KEXEC_FILE_UNLOAD | (crash ? KEXEC_FILE_ON_CRASH : 0));
                wb_debug(ctx, "kexec_file_load unload: %s", r < 0 ? strerror(-r) : "done");
                if (r == 0 || syscall == WB_SYSCALL_FILE || r != -ENOSYS)
                        goto out;
                /* Automatic: a kernel without kexec_file_load may still have kexec_load. */
                syscall = WB_SYSCALL_CLASSIC;
        }
        /* kexec_load(2): zero segments unload the image of that kind. */
        r = sys->ops->kexec_load(sys->data, 0, NULL, 0, crash ? KEXEC_ON_CRASH : 0);
        wb_debug(ctx, "kexec_load unload: %s", r < 0 ? strerror(-r) : "done");
out:
        if (r < 0)
                return wb_diag_set(diag, r, NULL, "cannot unload the %s kernel: %s",
                                   crash ? "panic" : "loaded",
                                   wb_explain_kexec_error(ctx, r, syscall, crash, why, sizeof(why)));
        return 0;
}

int wb_kexec_loaded(const struct wb_ctx *ctx, bool crash, bool *ret_loaded, struct wb_diag *diag)
{
        const char *path = crash ? "/sys/kernel/kexec_crash_loaded" : "/sys/kernel/kexec_loaded";
        uint64_t v;
        int r;

        r = wb_read_u64(ctx, path, &v);
        if (r == -ENOENT)
                return wb_diag_set(diag, r, path, "missing: this kernel has no kexec support (CONFIG_KEXEC_CORE)");
        if (r < 0)
                return wb_diag_set(diag, r, path, "cannot read: %s", strerror(-r));
        *ret_loaded = v != 0;
        return 0;
}

int wb_crash_size(const struct wb_ctx *ctx, uint64_t *ret_size, struct wb_diag *diag)
{
        const char *path = "/sys/kernel/kexec_crash_size";
        int r;

        r = wb_read_u64(ctx, path, ret_size);
        if (r == -ENOENT)
                return wb_diag_set(diag, r, path, "missing: this kernel has no crash kernel support (CONFIG_CRASH_DUMP)");
        if (r < 0)
                return wb_diag_set(diag, r, path, "cannot read: %s", strerror(-r));
        return 0;
}

int wb_exec(const struct wb_ctx *ctx, const struct wb_exec_options *opts, struct wb_diag *diag)
{
        const struct wb_sys *sys = ctx->sys;
        int r;

        if (opts->sync) {
                wb_debug(ctx, "syncing filesystems");
                sys->ops->sync(sys->data);
        }
        if (opts->ifdown) {
                /* As kexec-tools: an interface that will not go down does not stop the reboot. */
                r = sys->ops->ifdown(sys->data);
                wb_debug(ctx, "network interfaces down: %s", r < 0 ? strerror(-r) : "done");
        }
        r = sys->ops->reboot_kexec(sys->data);
        return wb_diag_set(diag, r < 0 ? r : -EIO, NULL,
                           "reboot into the loaded kernel failed: %s", strerror(r < 0 ? -r : EIO));
}
