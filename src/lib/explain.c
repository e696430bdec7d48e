// SPDX-License-Identifier: MIT
/*
 * Turning kexec errnos into reasons a user can act on. The kernel says
 * EPERM for four different things; the system's state tells which.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <warmboot/ctx.h>
#include <warmboot/error.h>

#include "util.h"

/* include/uapi/linux/capability.h */
#define WB_CAP_SYS_BOOT 22

/* True when /sys/kernel/security/lockdown selects integrity or confidentiality. */
static bool locked_down(const struct wb_ctx *ctx, char *mode, size_t size)
{
        char *text, *open, *close;
        bool locked = false;

        if (wb_read_text(ctx, "/sys/kernel/security/lockdown", 256, &text, NULL) < 0)
                return false;
        /* The file reads "none [integrity] confidentiality": the selected one is bracketed. */
        open = strchr(text, '[');
        close = open ? strchr(open, ']') : NULL;
        if (open && close) {
                *close = '\0';
                locked = strcmp(open + 1, "none") != 0;
                snprintf(mode, size, "%s", open + 1);
        }
        free(text);
        return locked;
}

/* CAP_SYS_BOOT in the effective set, from /proc/self/status; true when unknown. */
static bool has_cap_sys_boot(const struct wb_ctx *ctx)
{
        char *text, *line;
        bool has = true;

        if (wb_read_text(ctx, "/proc/self/status", 65536, &text, NULL) < 0)
                return true;
        line = strstr(text, "\nCapEff:");
        if (line) {
                char *end;
                unsigned long long caps;

                errno = 0;
                caps = strtoull(line + 8, &end, 16);
                if (!errno && end != line + 8)
                        has = (caps >> WB_CAP_SYS_BOOT) & 1;
        }
        free(text);
        return has;
}

static const char *explain_eperm(const struct wb_ctx *ctx, enum wb_syscall syscall, bool crash,
                                 char *buf, size_t size)
{
        uint64_t v;
        char mode[64];

        if (wb_read_u64(ctx, "/proc/sys/kernel/kexec_load_disabled", &v) == 0 && v) {
                snprintf(buf, size, "kexec is disabled on this system (sysctl kernel.kexec_load_disabled=1, which stays set until the next boot)");
                return buf;
        }
        if (!has_cap_sys_boot(ctx)) {
                snprintf(buf, size, "permission denied: loading a kernel needs root (the CAP_SYS_BOOT capability)");
                return buf;
        }
        if (locked_down(ctx, mode, sizeof(mode))) {
                if (syscall == WB_SYSCALL_CLASSIC)
                        snprintf(buf, size, "the kernel is locked down (%s), which forbids kexec_load; use kexec_file_load (-s) with a signed kernel", mode);
                else
                        snprintf(buf, size, "the kernel is locked down (%s) and refused the load; only a kernel signed with a trusted key can be loaded", mode);
                return buf;
        }
        if (wb_read_u64(ctx, crash ? "/proc/sys/kernel/kexec_load_limit_panic" :
                        "/proc/sys/kernel/kexec_load_limit_reboot", &v) == 0 && v == 0) {
                snprintf(buf, size, "no more loads are allowed (sysctl kernel.%s is 0)",
                         crash ? "kexec_load_limit_panic" : "kexec_load_limit_reboot");
                return buf;
        }
        snprintf(buf, size, "operation not permitted (kexec needs CAP_SYS_BOOT, and can be disabled by sysctl kernel.kexec_load_disabled or by lockdown)");
        return buf;
}

/*
 * EACCES is a security module's: IMA's policy under Secure Boot (its arch
 * policy) appraises kernel images, which it can only do on a file, so it
 * refuses every kexec_load (security_kernel_load_data()); on
 * kexec_file_load, an appraisal that failed, or SELinux and the like.
 */
static const char *explain_eacces(const struct wb_ctx *ctx, enum wb_syscall syscall, char *buf, size_t size)
{
        char mode[64];

        if (syscall != WB_SYSCALL_CLASSIC)
                snprintf(buf, size, "a security module of the kernel (IMA appraisal, SELinux, ...) refused the image");
        else if (locked_down(ctx, mode, sizeof(mode)))
                snprintf(buf, size, "the kernel is locked down (%s), and its IMA policy refuses kexec_load, whose kernel it cannot appraise; use kexec_file_load (-s) with a signed kernel", mode);
        else
                snprintf(buf, size, "the kernel's IMA policy (or another security module) refuses kexec_load, whose kernel it cannot appraise; use kexec_file_load (-s)");
        return buf;
}

const char *wb_explain_kexec_error(const struct wb_ctx *ctx, int err, enum wb_syscall syscall,
                                   bool crash, char *buf, size_t size)
{
        const char *what = NULL;
        bool file = syscall != WB_SYSCALL_CLASSIC;

        switch (-err) {
        case EPERM:
                return explain_eperm(ctx, syscall, crash, buf, size);
        case EACCES:
                return explain_eacces(ctx, syscall, buf, size);
        case ENOSYS:
                what = file ? "this kernel has no kexec_file_load (built without CONFIG_KEXEC_FILE); try kexec_load (-c)" :
                              "this kernel has no kexec_load (built without CONFIG_KEXEC)";
                break;
        case ENOEXEC:
                what = file ? "the running kernel's kexec_file_load does not accept this image (it takes 64-bit relocatable bzImages, boot protocol 2.12 or newer)" :
                              "the running kernel refused the image";
                break;
        case EKEYREJECTED:
                what = "the kernel rejected the image's signature: this kernel only loads images signed by a key it trusts (Secure Boot, lockdown or CONFIG_KEXEC_SIG_FORCE), and refuses kexec_load as well";
                break;
        case ENOKEY:
                what = "the image is not signed by a key the kernel knows, and this kernel only loads signed images (Secure Boot, lockdown or CONFIG_KEXEC_SIG_FORCE)";
                break;
        case EBADMSG:
                what = "the image's signature is malformed, and this kernel only loads signed images (Secure Boot, lockdown or CONFIG_KEXEC_SIG_FORCE)";
                break;
        case ENOPKG:
                what = "the kernel cannot check the image's signature (a hash or signature algorithm is missing from it), and it only loads signed images";
                break;
        case EBUSY:
                what = "another kexec load or a reboot is under way; try again";
                break;
        case ENOMEM:
                what = crash ? "the crash kernel and its initrd do not fit in the crashkernel= reservation; reserve more memory or use a smaller initrd" :
                               "not enough free memory for the new kernel and its initrd";
                break;
        case EADDRNOTAVAIL:
                what = crash ? "no room for the crash kernel: is memory reserved with crashkernel=, and is it large enough?" :
                               "no free physical memory range fits the new kernel";
                break;
        case EINVAL:
                what = file ? "the kernel refused the arguments (often a command line too long for this kernel, or a flag it does not know)" :
                              "the kernel refused the segment list";
                break;
        case EFBIG:
        case E2BIG:
                what = "the kernel or initrd is too large for the kernel to read";
                break;
        default:
                break;
        }
        if (what)
                snprintf(buf, size, "%s", what);
        else
                /* As in every case above, automatic means kexec_file_load: never "automatic failed". */
                snprintf(buf, size, "%s failed: %s",
                         wb_syscall_name(file ? WB_SYSCALL_FILE : WB_SYSCALL_CLASSIC), strerror(-err));
        return buf;
}
