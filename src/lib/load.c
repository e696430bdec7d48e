// SPDX-License-Identifier: MIT
/*
 * Loading, unloading and executing kernels. Preparation checks and plans
 * everything without the kernel; only commit, unload and exec call it,
 * and only through ctx->sys.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/kexec.h>

#include <warmboot/cmdline.h>
#include <warmboot/ctx.h>
#include <warmboot/error.h>
#include <warmboot/image.h>
#include <warmboot/load.h>
#include <warmboot/sys.h>

#include "util.h"

/*
 * kexec_file_load reads the initrd with kernel_read_file(), which refuses
 * files above INT_MAX bytes (fs/kernel_read_file.c).
 */
#define WB_FILE_INITRD_MAX ((uint64_t)0x7fffffff)

static int open_initrd(const char *path, uint64_t max, int *ret_fd, struct wb_diag *diag)
{
        struct stat st;
        int fd, r;

        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
                r = errno;
                return wb_diag_set(diag, r, path, "cannot open: %s", strerror(r));
        }
        if (fstat(fd, &st) < 0) {
                r = wb_diag_set(diag, errno, path, "cannot stat: %s", strerror(errno));
                goto out_close;
        }
        if (S_ISDIR(st.st_mode)) {
                r = wb_diag_set(diag, EISDIR, path, "is a directory, not an initrd file");
                goto out_close;
        }
        if (!S_ISREG(st.st_mode)) {
                r = wb_diag_set(diag, EINVAL, path, "not a regular file");
                goto out_close;
        }
        if (st.st_size == 0) {
                r = wb_diag_set(diag, EINVAL, path, "initrd is empty");
                goto out_close;
        }
        if ((uint64_t)st.st_size > max) {
                r = wb_diag_set(diag, EFBIG, path, "initrd is %llu bytes, more than the %llu the kernel reads",
                                (unsigned long long)st.st_size, (unsigned long long)max);
                goto out_close;
        }
        *ret_fd = fd;
        return 0;

out_close:
        close(fd);
        return r;
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

/* Chooses the syscall for a load and checks the command line against its limit. */
static int choose_syscall(const struct wb_ctx *ctx, const struct wb_load_request *req,
                          const struct wb_kernel *kernel, size_t cmdline_bytes,
                          enum wb_syscall *ret, struct wb_diag *diag)
{
        const char *path = req->kernel_path;

        if (cmdline_bytes > kernel->cmdline_max)
                return wb_diag_set(diag, E2BIG, path,
                                   "command line too long: %zu bytes, this kernel takes at most %llu",
                                   cmdline_bytes, (unsigned long long)kernel->cmdline_max);
        if (req->syscall == WB_SYSCALL_CLASSIC)
                return wb_diag_set(diag, EOPNOTSUPP, NULL, "kexec_load is not available yet");

        /* Until kexec_load lands, the automatic choice is kexec_file_load. */
        if (kernel->file_load_refusal)
                return wb_diag_set(diag, ENOEXEC, path, "kexec_file_load cannot load it: %s",
                                   kernel->file_load_refusal);
        if (cmdline_bytes > kernel->file_cmdline_max)
                return wb_diag_set(diag, E2BIG, path,
                                   "command line too long: %zu bytes, at most %llu on kexec_file_load (the image's limit of %llu less what the kernel keeps for elfcorehdr=)",
                                   cmdline_bytes, (unsigned long long)kernel->file_cmdline_max,
                                   (unsigned long long)kernel->cmdline_max);
        wb_debug(ctx, "using kexec_file_load%s", req->syscall == WB_SYSCALL_AUTO ?
                 " (automatic choice: the kernel parses the image itself)" : " (-s)");
        *ret = WB_SYSCALL_FILE;
        return 0;
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
        *ret_load = load;
        return 0;

fail:
        wb_load_free(load);
        return r;
}

int wb_load_commit(const struct wb_ctx *ctx, const struct wb_load *load, struct wb_diag *diag)
{
        char why[WB_DIAG_REASON_MAX];
        int r;

        wb_debug(ctx, "kexec_file_load(kernel=%s, initrd=%s, cmdline_len=%lu, flags=0x%lx)",
                 load->kernel_file->path, load->initrd_path ? load->initrd_path : "none",
                 load->cmdline_len, load->file_flags);
        r = ctx->sys->ops->kexec_file_load(ctx->sys->data, load->kernel_file->fd, load->initrd_fd,
                                           load->cmdline, load->cmdline_len, load->file_flags);
        if (r < 0)
                return wb_diag_set(diag, r, load->kernel_file->path, "%s",
                                   wb_explain_kexec_error(ctx, r, load->syscall, load->crash,
                                                          why, sizeof(why)));
        return 0;
}

void wb_load_free(struct wb_load *load)
{
        if (!load)
                return;
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
        int r = -ENOSYS;

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
