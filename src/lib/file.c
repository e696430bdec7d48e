// SPDX-License-Identifier: MIT
/* Kernel images are mapped, not read: the bytes are only looked at, never copied. */

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <warmboot/error.h>
#include <warmboot/image.h>

#include "util.h"

int wb_open_checked(const char *path, const struct wb_file_rules *rules, int *ret_fd,
                    uint64_t *ret_size, struct wb_diag *diag)
{
        struct stat st;
        int fd, r;

        /* O_NONBLOCK: a FIFO would block open() until someone writes to it; it is refused below. */
        fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
        if (fd < 0) {
                r = errno;
                return wb_diag_set(diag, r, path, "cannot open: %s", strerror(r));
        }
        if (fstat(fd, &st) < 0) {
                r = wb_diag_set(diag, errno, path, "cannot stat: %s", strerror(errno));
                goto out_close;
        }
        if (S_ISDIR(st.st_mode)) {
                r = wb_diag_set(diag, EISDIR, path, "is a directory, not %s", rules->a_noun);
                goto out_close;
        }
        if (!S_ISREG(st.st_mode)) {
                r = wb_diag_set(diag, EINVAL, path, "not a regular file");
                goto out_close;
        }
        if (st.st_size == 0) {
                r = wb_diag_set(diag, rules->empty_err, path, "%s is empty", rules->noun);
                goto out_close;
        }
        if ((uint64_t)st.st_size > rules->max) {
                r = wb_diag_set(diag, EFBIG, path, "%s is %llu bytes, more than the %llu %s", rules->noun,
                                (unsigned long long)st.st_size, (unsigned long long)rules->max,
                                rules->limit_by);
                goto out_close;
        }
        /* A regular file ignores it, but the fd goes to the kernel as plain as it came. */
        if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) < 0) {
                r = wb_diag_set(diag, errno, path, "cannot read: %s", strerror(errno));
                goto out_close;
        }
        *ret_fd = fd;
        *ret_size = (uint64_t)st.st_size;
        return 0;

out_close:
        close(fd);
        return r;
}

int wb_file_open(const char *path, uint64_t max_size, struct wb_file **ret_file,
                 struct wb_diag *diag)
{
        const struct wb_file_rules rules = {
                .max = max_size, .noun = "file", .a_noun = "a file", .empty_err = ENOEXEC,
                .limit_by = "warmboot accepts",
        };
        struct wb_file *file;
        uint64_t size;
        void *map;
        int fd, r;

        r = wb_open_checked(path, &rules, &fd, &size, diag);
        if (r < 0)
                return r;
        map = mmap(NULL, (size_t)size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (map == MAP_FAILED) {
                r = wb_diag_set(diag, errno, path, "cannot read: %s", strerror(errno));
                goto out_close;
        }
        file = calloc(1, sizeof(*file));
        if (!file) {
                r = wb_diag_set(diag, ENOMEM, path, "out of memory");
                goto out_unmap;
        }
        file->path = strdup(path);
        if (!file->path) {
                r = wb_diag_set(diag, ENOMEM, path, "out of memory");
                goto out_free;
        }
        file->fd = fd;
        file->data = map;
        file->size = size;
        *ret_file = file;
        return 0;

out_free:
        free(file);
out_unmap:
        munmap(map, (size_t)size);
out_close:
        close(fd);
        return r;
}

void wb_file_close(struct wb_file *file)
{
        if (!file)
                return;
        munmap((void *)file->data, (size_t)file->size);
        close(file->fd);
        free(file->path);
        free(file);
}
