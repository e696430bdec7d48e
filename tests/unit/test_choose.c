// SPDX-License-Identifier: MIT
/*
 * Kernel choice (include/warmboot/choose.h) over fixture /boot trees of
 * Debian, Fedora and Arch shapes, a Debian 12 grub.cfg with its
 * "Advanced options" submenu, a Fedora grub.cfg that pulls in BLS
 * entries, and BLS entries on their own.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <warmboot/choose.h>
#include <warmboot/ctx.h>
#include <warmboot/error.h>
#include <warmboot/load.h>
#include <warmboot/state.h>

#include "fixtures.h"

/* FX_PROC_CMDLINE without BOOT_IMAGE= and the newline. */
#define REUSED "root=/dev/vda1 ro crashkernel=256M console=ttyS0"
#define DEB "6.1.0-9-amd64"
#define DEB_NEW "6.1.0-10-amd64"
#define FED "6.5.6-300.fc39.x86_64"
#define FED_NEW "6.5.10-300.fc39.x86_64"
#define UUID "0f5c3ad5-0a4e-4f6a-9e1c-5b0e2a3c4d5e"

struct fixture {
        char *root;
        struct wb_ctx ctx;
        struct wb_diag diag;
        struct wb_choice *choice;
};

static int setup(void **state)
{
        struct fixture *fx = calloc(1, sizeof(*fx));

        assert_non_null(fx);
        fx->root = fx_mkdtemp();
        fx_system(fx->root);
        fx->ctx = (struct wb_ctx) { .root = fx->root };
        *state = fx;
        return 0;
}

static int teardown(void **state)
{
        struct fixture *fx = *state;

        wb_choice_free(fx->choice);
        fx_rmtree(fx->root);
        free(fx);
        return 0;
}

/* A bzImage whose setup header carries version (kernel_version of boot.rst). */
static void image_with_version(const char *root, const char *rel, const char *version)
{
        size_t len;
        uint8_t *b = fx_bzimage_build(NULL, &len);

        /* The string at 0x300, inside the setup sectors; the field holds its offset less 0x200. */
        b[0x20e] = 0x00;
        b[0x20f] = 0x01;
        snprintf((char *)b + 0x300, 128, "%s (builder@host) #1 SMP PREEMPT_DYNAMIC", version);
        free(fx_write(root, rel, b, len));
        free(b);
}

static void image(const char *root, const char *rel)
{
        free(fx_bzimage_write(root, rel, NULL));
}

static int choose(struct fixture *fx, const struct wb_choose_request *req)
{
        wb_choice_free(fx->choice);
        fx->choice = NULL;
        memset(&fx->diag, 0, sizeof(fx->diag));
        return wb_choose(&fx->ctx, req, &fx->choice, &fx->diag);
}

static void assert_choice(const struct fixture *fx, const char *kernel, const char *initrd, const char *cmdline)
{
        assert_non_null(fx->choice);
        assert_string_equal(fx->choice->kernel, kernel);
        if (initrd)
                assert_string_equal(fx->choice->initrd, initrd);
        else
                assert_null(fx->choice->initrd);
        assert_string_equal(fx->choice->cmdline, cmdline);
}

static void debian_boot(const char *root)
{
        image(root, "/boot/vmlinuz-" DEB);
        fx_put(root, "/boot/initrd.img-" DEB, "initrd 9\n");
        image(root, "/boot/vmlinuz-" DEB_NEW);
        fx_put(root, "/boot/initrd.img-" DEB_NEW, "initrd 10\n");
        fx_put(root, "/boot/config-" DEB, "CONFIG_KEXEC=y\n");
        fx_put(root, "/boot/System.map-" DEB, "ffffffff81000000 T _text\n");
}

/* ---- versions ---- */

static void test_version_order(void **state)
{
        /* Each row: a < b. */
        static const char *const less[][2] = {
                { "6.1.0-9", "6.1.0-10" },
                { "6.1.0-10", "6.10.0-1" },
                { "6.1.0-9-amd64", "6.1.0-10-amd64" },
                { "5.10.0-26-amd64", "6.1.0-9-amd64" },
                { "6.5.6-300.fc39.x86_64", "6.5.10-200.fc39.x86_64" },
                { "6.5.6-200.fc39.x86_64", "6.5.6-300.fc39.x86_64" },
                { "6.1.0~rc1", "6.1.0" },
                { "6.1", "6.1.0" },
                { "6.1.0", "6.1.0a" },
                { "6.1.0a", "6.1.0+" },
                { "6.6.1-arch1-1", "6.6.2-arch1-1" },
                { "1.09", "1.10" },
                { "", "0.1" },
        };

        (void)state;
        for (size_t i = 0; i < sizeof(less) / sizeof(less[0]); i++) {
                if (!(wb_version_compare(less[i][0], less[i][1]) < 0))
                        fail_msg("want %s < %s", less[i][0], less[i][1]);
                if (!(wb_version_compare(less[i][1], less[i][0]) > 0))
                        fail_msg("want %s > %s", less[i][1], less[i][0]);
        }
        assert_int_equal(wb_version_compare("6.1.0-9", "6.1.0-9"), 0);
        assert_int_equal(wb_version_compare("6.01", "6.1"), 0);
}

static void test_image_release(void **state)
{
        struct fixture *fx = *state;
        char *rel = NULL;

        image_with_version(fx->root, "/boot/vmlinuz-linux", "6.6.1-arch1-1");
        assert_int_equal(wb_image_release(&fx->ctx, "/boot/vmlinuz-linux", &rel), 0);
        assert_string_equal(rel, "6.6.1-arch1-1");
        free(rel);
        /* The default fixture image carries no version; a text file is no image. */
        image(fx->root, "/boot/vmlinuz-x");
        assert_int_equal(wb_image_release(&fx->ctx, "/boot/vmlinuz-x", &rel), -ENOEXEC);
        fx_put(fx->root, "/boot/vmlinuz-txt", "not a kernel\n");
        assert_int_equal(wb_image_release(&fx->ctx, "/boot/vmlinuz-txt", &rel), -ENOEXEC);
        assert_int_equal(wb_image_release(&fx->ctx, "/boot/vmlinuz-none", &rel), -ENOENT);
}

/* ---- current ---- */

static void test_current_debian(void **state)
{
        struct fixture *fx = *state;

        debian_boot(fx->root);
        assert_int_equal(choose(fx, &(struct wb_choose_request) { .release = DEB }), 0);
        assert_choice(fx, "/boot/vmlinuz-" DEB, "/boot/initrd.img-" DEB, REUSED);
        assert_string_equal(fx->choice->source, "running kernel " DEB);
        assert_string_equal(fx->choice->version, DEB);

        /* APPEND adds words; CMDLINE replaces the line; INITRD none and a path. */
        assert_int_equal(choose(fx, &(struct wb_choose_request) { .release = DEB, .append = "quiet" }), 0);
        assert_string_equal(fx->choice->cmdline, REUSED " quiet");
        assert_int_equal(choose(fx, &(struct wb_choose_request) {
                                .release = DEB, .cmdline = "root=/dev/sda2", .append = "quiet",
                                .initrd = WB_INITRD_NONE }), 0);
        assert_choice(fx, "/boot/vmlinuz-" DEB, NULL, "root=/dev/sda2 quiet");
        assert_int_equal(choose(fx, &(struct wb_choose_request) {
                                .release = DEB, .initrd = WB_INITRD_PATH, .initrd_path = "/boot/my.img" }), 0);
        assert_string_equal(fx->choice->initrd, "/boot/my.img");
}

static void test_current_fedora(void **state)
{
        struct fixture *fx = *state;

        image(fx->root, "/boot/vmlinuz-" FED);
        fx_put(fx->root, "/boot/initramfs-" FED ".img", "initramfs\n");
        image(fx->root, "/boot/vmlinuz-0-rescue-" UUID);
        fx_put(fx->root, "/boot/.vmlinuz-" FED ".hmac", "hmac\n");
        assert_int_equal(choose(fx, &(struct wb_choose_request) { .release = FED }), 0);
        assert_choice(fx, "/boot/vmlinuz-" FED, "/boot/initramfs-" FED ".img", REUSED);
}

static void arch_boot(const char *root)
{
        image(root, "/boot/vmlinuz-linux");
        image(root, "/boot/vmlinuz-linux-lts");
        fx_put(root, "/boot/initramfs-linux.img", "linux\n");
        fx_put(root, "/boot/initramfs-linux-fallback.img", "fallback\n");
        fx_put(root, "/boot/initramfs-linux-lts.img", "lts\n");
        fx_put(root, "/boot/intel-ucode.img", "ucode\n");
}

static void test_current_arch_by_name(void **state)
{
        struct fixture *fx = *state;

        arch_boot(fx->root);
        assert_int_equal(choose(fx, &(struct wb_choose_request) { .release = "6.6.1-arch1-1" }), 0);
        assert_choice(fx, "/boot/vmlinuz-linux", "/boot/initramfs-linux.img", REUSED);
        assert_int_equal(choose(fx, &(struct wb_choose_request) { .release = "6.1.63-1-lts" }), 0);
        assert_choice(fx, "/boot/vmlinuz-linux-lts", "/boot/initramfs-linux-lts.img", REUSED);
        /* linux-zen is not installed: the plain linux package is the best guess. */
        assert_int_equal(choose(fx, &(struct wb_choose_request) { .release = "6.6.1-zen1-1-zen" }), 0);
        assert_string_equal(fx->choice->kernel, "/boot/vmlinuz-linux");
}

static void test_current_arch_by_header(void **state)
{
        struct fixture *fx = *state;

        arch_boot(fx->root);
        /* The headers say which is which, whatever the names suggest. */
        image_with_version(fx->root, "/boot/vmlinuz-linux", "6.6.1-arch1-1");
        image_with_version(fx->root, "/boot/vmlinuz-linux-lts", "6.6.1-arch1-2");
        assert_int_equal(choose(fx, &(struct wb_choose_request) { .release = "6.6.1-arch1-2" }), 0);
        assert_choice(fx, "/boot/vmlinuz-linux-lts", "/boot/initramfs-linux-lts.img", REUSED);
}

static void test_current_symlinks_last(void **state)
{
        struct fixture *fx = *state;
        char *link;

        image(fx->root, "/boot/vmlinuz-" DEB_NEW);
        fx_put(fx->root, "/boot/initrd.img-" DEB_NEW, "initrd\n");
        link = fx_path(fx->root, "/boot/vmlinuz");

        assert_int_equal(symlink("vmlinuz-" DEB_NEW, link), 0);
        free(link);
        assert_int_equal(choose(fx, &(struct wb_choose_request) { .release = DEB }), 0);
        assert_choice(fx, "/boot/vmlinuz", NULL, REUSED);
        assert_non_null(strstr(fx->choice->source, "no image named for the running kernel " DEB));
}

static void test_current_missing(void **state)
{
        struct fixture *fx = *state;

        image(fx->root, "/boot/vmlinuz-" DEB_NEW);
        assert_int_equal(choose(fx, &(struct wb_choose_request) { .release = DEB }), -ENOENT);
        assert_null(fx->choice);
        assert_string_equal(fx->diag.path, "/boot/vmlinuz-" DEB);
        assert_non_null(strstr(fx->diag.reason, "no image for the running kernel " DEB));
        /* No release at all. */
        assert_int_equal(choose(fx, &(struct wb_choose_request) { .release = NULL }), -EINVAL);
}

static void test_current_installed_since_boot(void **state)
{
        struct fixture *fx = *state;
        struct wb_diag d;

        debian_boot(fx->root);
        fx_put(fx->root, WB_STATE_BOOT_ID_PATH, "5b6c2e8a-1111-4222-8333-944455556666\n");
        assert_int_equal(wb_state_kernel_installed(&fx->ctx, DEB_NEW, "/boot/vmlinuz-" DEB_NEW, &d), 0);
        assert_int_equal(choose(fx, &(struct wb_choose_request) { .release = DEB }), 0);
        assert_choice(fx, "/boot/vmlinuz-" DEB_NEW, "/boot/initrd.img-" DEB_NEW, REUSED);
        assert_string_equal(fx->choice->source, "kernel " DEB_NEW ", installed since boot");

        /* After a reboot (another boot id) the record is stale: the running kernel again. */
        fx_put(fx->root, WB_STATE_BOOT_ID_PATH, "9d0e1f2a-7777-4888-9999-aaaabbbbcccc\n");
        assert_int_equal(choose(fx, &(struct wb_choose_request) { .release = DEB }), 0);
        assert_string_equal(fx->choice->kernel, "/boot/vmlinuz-" DEB);

        /* Removed: forgotten. Another version's removal keeps the record. */
        fx_put(fx->root, WB_STATE_BOOT_ID_PATH, "5b6c2e8a-1111-4222-8333-944455556666\n");
        assert_int_equal(wb_state_kernel_removed(&fx->ctx, DEB, &d), 0);
        assert_int_equal(choose(fx, &(struct wb_choose_request) { .release = DEB }), 0);
        assert_string_equal(fx->choice->kernel, "/boot/vmlinuz-" DEB_NEW);
        assert_int_equal(wb_state_kernel_removed(&fx->ctx, DEB_NEW, &d), 0);
        assert_int_equal(choose(fx, &(struct wb_choose_request) { .release = DEB }), 0);
        assert_string_equal(fx->choice->kernel, "/boot/vmlinuz-" DEB);

        /* The record's image is gone: the running kernel. */
        assert_int_equal(wb_state_kernel_installed(&fx->ctx, "6.2.0-1-amd64", NULL, &d), 0);
        assert_int_equal(choose(fx, &(struct wb_choose_request) { .release = DEB }), 0);
        assert_string_equal(fx->choice->kernel, "/boot/vmlinuz-" DEB);
        /* Versions that are not one word are refused. */
        assert_int_equal(wb_state_kernel_installed(&fx->ctx, "../../etc", NULL, &d), -EINVAL);
        assert_int_equal(wb_state_kernel_installed(&fx->ctx, "6.1 x", NULL, &d), -EINVAL);
}

/* ---- newest ---- */

static void test_newest(void **state)
{
        struct fixture *fx = *state;

        debian_boot(fx->root);
        image(fx->root, "/boot/vmlinuz-6.10.0-1-amd64");
        fx_put(fx->root, "/boot/initrd.img-6.10.0-1-amd64", "initrd\n");
        /* Not kernels to choose: backups, signatures, rescue images, dpkg leftovers. */
        image(fx->root, "/boot/vmlinuz-7.0.0-1-amd64.old");
        image(fx->root, "/boot/vmlinuz-7.0.0-1-amd64.sig");
        image(fx->root, "/boot/vmlinuz-7.0.0-1-amd64.dpkg-tmp");
        image(fx->root, "/boot/vmlinuz-0-rescue-" UUID);
        image(fx->root, "/boot/vmlinuz-9-rescue-" UUID);
        free(fx_mkdir(fx->root, "/boot/vmlinuz-8.0-a-folder"));
        assert_int_equal(choose(fx, &(struct wb_choose_request) { .kernel = WB_KERNEL_NEWEST }), 0);
        assert_choice(fx, "/boot/vmlinuz-6.10.0-1-amd64", "/boot/initrd.img-6.10.0-1-amd64", REUSED);
        assert_string_equal(fx->choice->version, "6.10.0-1-amd64");
}

static void test_newest_arch(void **state)
{
        struct fixture *fx = *state;

        arch_boot(fx->root);
        image_with_version(fx->root, "/boot/vmlinuz-linux", "6.6.1-arch1-1");
        image_with_version(fx->root, "/boot/vmlinuz-linux-lts", "6.1.63-1-lts");
        assert_int_equal(choose(fx, &(struct wb_choose_request) { .kernel = WB_KERNEL_NEWEST }), 0);
        assert_choice(fx, "/boot/vmlinuz-linux", "/boot/initramfs-linux.img", REUSED);
}

static void test_newest_none(void **state)
{
        struct fixture *fx = *state;

        fx_put(fx->root, "/boot/config-6.1.0", "x\n");
        assert_int_equal(choose(fx, &(struct wb_choose_request) { .kernel = WB_KERNEL_NEWEST }), -ENOENT);
        assert_string_equal(fx->diag.path, "/boot");
}

/* ---- grub ---- */

/* The shape grub-mkconfig writes on Debian 12 (GRUB_DEFAULT=saved here), /boot on the root. */
static const char debian_grub_cfg[] =
        "#\n# DO NOT EDIT THIS FILE\n#\n"
        "### BEGIN /etc/grub.d/00_header ###\n"
        "if [ -s $prefix/grubenv ]; then\n  set have_grubenv=true\n  load_env\nfi\n"
        "if [ \"${next_entry}\" ] ; then\n"
        "   set default=\"${next_entry}\"\n   set next_entry=\n   save_env next_entry\n   set boot_once=true\n"
        "else\n   set default=\"${saved_entry}\"\nfi\n\n"
        "if [ x\"${feature_menuentry_id}\" = xy ]; then\n  menuentry_id_option=\"--id\"\n"
        "else\n  menuentry_id_option=\"\"\nfi\n\nexport menuentry_id_option\n\n"
        "function savedefault {\n\tif [ -z \"${boot_once}\" ]; then\n\t  saved_entry=\"${chosen}\"\n"
        "\t  save_env saved_entry\n\tfi\n}\n"
        "function load_video {\n  if [ x$feature_all_video_module = xy ]; then\n    insmod all_video\n  fi\n}\n"
        "set timeout=5\n"
        "### END /etc/grub.d/00_header ###\n\n"
        "### BEGIN /etc/grub.d/10_linux ###\n"
        "function gfxmode {\n\tset gfxpayload=\"${1}\"\n}\n"
        "set linux_gfx_mode=\nexport linux_gfx_mode\n"
        "menuentry 'Debian GNU/Linux' --class debian --class gnu-linux --class gnu --class os "
        "$menuentry_id_option 'gnulinux-simple-" UUID "' {\n"
        "\tload_video\n\tinsmod gzio\n"
        "\tif [ x$grub_platform = xxen ]; then insmod xzio; insmod lzopio; fi\n"
        "\tinsmod part_gpt\n\tinsmod ext2\n\tsearch --no-floppy --fs-uuid --set=root " UUID "\n"
        "\techo\t'Loading Linux " DEB_NEW " ...'\n"
        "\tlinux\t/boot/vmlinuz-" DEB_NEW " root=UUID=" UUID " ro  quiet\n"
        "\techo\t'Loading initial ramdisk ...'\n"
        "\tinitrd\t/boot/initrd.img-" DEB_NEW "\n"
        "}\n"
        "submenu 'Advanced options for Debian GNU/Linux' $menuentry_id_option 'gnulinux-advanced-" UUID "' {\n"
        "\tmenuentry 'Debian GNU/Linux, with Linux " DEB_NEW "' --class debian --class gnu-linux --class gnu --class os "
        "$menuentry_id_option 'gnulinux-" DEB_NEW "-advanced-" UUID "' {\n"
        "\t\tlinux\t/boot/vmlinuz-" DEB_NEW " root=UUID=" UUID " ro  quiet\n"
        "\t\tinitrd\t/boot/initrd.img-" DEB_NEW "\n\t}\n"
        "\tmenuentry 'Debian GNU/Linux, with Linux " DEB_NEW " (recovery mode)' --class debian "
        "$menuentry_id_option 'gnulinux-" DEB_NEW "-recovery-" UUID "' {\n"
        "\t\tlinux\t/boot/vmlinuz-" DEB_NEW " root=UUID=" UUID " ro single \n"
        "\t\tinitrd\t/boot/initrd.img-" DEB_NEW "\n\t}\n"
        "\tmenuentry 'Debian GNU/Linux, with Linux " DEB "' --class debian --class gnu-linux --class gnu --class os "
        "$menuentry_id_option 'gnulinux-" DEB "-advanced-" UUID "' {\n"
        "\t\tlinux\t/boot/vmlinuz-" DEB " root=UUID=" UUID " ro  quiet \"acpi_osi=Windows 2020\"\n"
        "\t\tinitrd\t/boot/initrd.img-" DEB "\n\t}\n"
        "}\n\n"
        "### END /etc/grub.d/10_linux ###\n\n"
        "### BEGIN /etc/grub.d/30_uefi-firmware ###\n"
        "menuentry 'UEFI Firmware Settings' $menuentry_id_option 'uefi-firmware' {\n\tfwsetup\n}\n"
        "### END /etc/grub.d/30_uefi-firmware ###\n";

static void grubenv(const char *root, const char *path, const char *lines)
{
        char block[1025];
        size_t n = (size_t)snprintf(block, sizeof(block), "# GRUB Environment Block\n%s", lines);

        /* grub-editenv pads the block to 1 KiB with '#'. */
        memset(block + n, '#', 1024 - n);
        block[1024] = '\0';
        fx_put(root, path, block);
}

static int choose_grub(struct fixture *fx)
{
        return choose(fx, &(struct wb_choose_request) { .kernel = WB_KERNEL_GRUB });
}

static void test_grub_debian(void **state)
{
        struct fixture *fx = *state;

        debian_boot(fx->root);
        fx_put(fx->root, "/boot/grub/grub.cfg", debian_grub_cfg);
        /* No grubenv: saved_entry is empty, grub boots entry 0. */
        assert_int_equal(choose_grub(fx), 0);
        assert_choice(fx, "/boot/vmlinuz-" DEB_NEW, "/boot/initrd.img-" DEB_NEW, "root=UUID=" UUID " ro quiet");
        assert_string_equal(fx->choice->source, "grub entry 'Debian GNU/Linux'");

        /* saved_entry by ids through the submenu, as grub-set-default writes it. */
        grubenv(fx->root, "/boot/grub/grubenv",
                "saved_entry=gnulinux-advanced-" UUID ">gnulinux-" DEB "-advanced-" UUID "\n");
        assert_int_equal(choose_grub(fx), 0);
        assert_choice(fx, "/boot/vmlinuz-" DEB, "/boot/initrd.img-" DEB,
                      "root=UUID=" UUID " ro quiet acpi_osi=Windows 2020");

        /* By titles. */
        grubenv(fx->root, "/boot/grub/grubenv",
                "saved_entry=Advanced options for Debian GNU/Linux>Debian GNU/Linux, with Linux " DEB_NEW " (recovery mode)\n");
        assert_int_equal(choose_grub(fx), 0);
        assert_string_equal(fx->choice->cmdline, "root=UUID=" UUID " ro single");

        /* next_entry (grub-reboot) wins over saved_entry, by index. */
        grubenv(fx->root, "/boot/grub/grubenv", "saved_entry=0\nnext_entry=1>2\n");
        assert_int_equal(choose_grub(fx), 0);
        assert_string_equal(fx->choice->kernel, "/boot/vmlinuz-" DEB);

        /* An explicit command line and INITRD=none still win over the entry's. */
        assert_int_equal(choose(fx, &(struct wb_choose_request) {
                                .kernel = WB_KERNEL_GRUB, .cmdline = "root=/dev/sdb1", .append = "x=1",
                                .initrd = WB_INITRD_NONE }), 0);
        assert_choice(fx, "/boot/vmlinuz-" DEB, NULL, "root=/dev/sdb1 x=1");

        /* A default that names nothing: grub boots the first entry. */
        grubenv(fx->root, "/boot/grub/grubenv", "saved_entry=gnulinux-5.10.0-1-amd64-advanced\n");
        assert_int_equal(choose_grub(fx), 0);
        assert_string_equal(fx->choice->source, "grub entry 'Debian GNU/Linux'");
}

static void test_grub_default_not_linux(void **state)
{
        struct fixture *fx = *state;

        fx_put(fx->root, "/boot/grub/grub.cfg", debian_grub_cfg);
        grubenv(fx->root, "/boot/grub/grubenv", "saved_entry=1\n");
        assert_int_equal(choose_grub(fx), -EINVAL);
        assert_string_equal(fx->diag.path, "/boot/grub/grub.cfg");
        assert_string_equal(fx->diag.reason,
                            "grub's default \"1\" is the submenu 'Advanced options for Debian GNU/Linux', not an entry");
        grubenv(fx->root, "/boot/grub/grubenv", "saved_entry=uefi-firmware\n");
        assert_int_equal(choose_grub(fx), -EINVAL);
        assert_string_equal(fx->diag.reason,
                            "grub's default entry 'UEFI Firmware Settings' boots no Linux kernel (no linux line)");
}

static void test_grub_separate_boot(void **state)
{
        struct fixture *fx = *state;

        /* /boot a partition of its own: grub's paths are relative to it. */
        debian_boot(fx->root);
        fx_put(fx->root, "/boot/grub/grub.cfg",
               "set default=\"0\"\n"
               "menuentry \"Debian\" {\n  linux (hd0,msdos1)/vmlinuz-" DEB " root=/dev/sda2 ro\n"
               "  initrd /initrd.img-" DEB "\n}\n");
        assert_int_equal(choose_grub(fx), 0);
        assert_choice(fx, "/boot/vmlinuz-" DEB, "/boot/initrd.img-" DEB, "root=/dev/sda2 ro");

        /* A btrfs subvolume in front of /boot; an image that exists nowhere is reported as written. */
        fx_put(fx->root, "/boot/grub/grub.cfg",
               "menuentry 'Ubuntu' {\n  linux /@/boot/vmlinuz-" DEB " root=/dev/sda2 rootflags=subvol=@ $vt_handoff\n"
               "  initrd /@/boot/initrd.img-gone\n}\n");
        assert_int_equal(choose_grub(fx), 0);
        assert_choice(fx, "/boot/vmlinuz-" DEB, "/@/boot/initrd.img-gone", "root=/dev/sda2 rootflags=subvol=@");
}

/* The microcode initrd first, as Arch's grub-mkconfig writes it: the real one is chosen. */
static void test_grub_arch_microcode(void **state)
{
        struct fixture *fx = *state;

        arch_boot(fx->root);
        fx_put(fx->root, "/boot/grub/grub.cfg",
               "menuentry 'Arch Linux' --class arch $menuentry_id_option 'gnulinux-simple-x' {\n"
               "\tlinux\t/boot/vmlinuz-linux root=UUID=" UUID " rw  loglevel=3 quiet\n"
               "\tinitrd\t/boot/intel-ucode.img /boot/initramfs-linux.img\n}\n");
        assert_int_equal(choose_grub(fx), 0);
        assert_choice(fx, "/boot/vmlinuz-linux", "/boot/initramfs-linux.img",
                      "root=UUID=" UUID " rw loglevel=3 quiet");
}

static void fedora_bls(const char *root)
{
        image(root, "/boot/vmlinuz-" FED);
        fx_put(root, "/boot/initramfs-" FED ".img", "initramfs\n");
        image(root, "/boot/vmlinuz-" FED_NEW);
        fx_put(root, "/boot/initramfs-" FED_NEW ".img", "initramfs\n");
        fx_put(root, "/boot/loader/entries/" UUID "-" FED ".conf",
               "title Fedora Linux (" FED ") 39 (Server Edition)\nversion " FED "\n"
               "linux /vmlinuz-" FED "\ninitrd /initramfs-" FED ".img\n"
               "options root=UUID=" UUID " ro rhgb quiet\ngrub_users $grub_users\n"
               "grub_arg --unrestricted\ngrub_class fedora\n");
        fx_put(root, "/boot/loader/entries/" UUID "-" FED_NEW ".conf",
               "title Fedora Linux (" FED_NEW ") 39 (Server Edition)\nversion " FED_NEW "\n"
               "linux /vmlinuz-" FED_NEW "\ninitrd /initramfs-" FED_NEW ".img\n"
               "options $kernelopts\noptions  mitigations=off\ngrub_class fedora\n");
        fx_put(root, "/boot/loader/entries/" UUID "-0-rescue.conf",
               "title Fedora Linux (0-rescue-" UUID ") 39 (Server Edition)\nversion 0-rescue-" UUID "\n"
               "linux /vmlinuz-0-rescue-" UUID "\ninitrd /initramfs-0-rescue-" UUID ".img\n"
               "options root=UUID=" UUID " ro\n");
}

/* Fedora's grub.cfg: "blscfg" makes the menu from the BLS entries, default from grubenv. */
static void test_grub_fedora_blscfg(void **state)
{
        struct fixture *fx = *state;

        fedora_bls(fx->root);
        fx_put(fx->root, "/boot/grub2/grub.cfg",
               "set pager=1\n"
               "if [ -f ${config_directory}/grubenv ]; then\n  load_env -f ${config_directory}/grubenv\n"
               "elif [ -s $prefix/grubenv ]; then\n  load_env\nfi\n"
               "if [ \"${next_entry}\" ] ; then\n   set default=\"${next_entry}\"\n   set next_entry=\n"
               "   save_env next_entry\n   set boot_once=true\nelse\n   set default=\"${saved_entry}\"\nfi\n"
               "if [ -z \"${kernelopts}\" ]; then\n  set kernelopts=\"root=/dev/mapper/fallback ro \"\nfi\n"
               "### BEGIN /etc/grub.d/10_linux ###\ninsmod part_gpt\ninsmod ext2\n"
               "insmod blscfg\nblscfg\n### END /etc/grub.d/10_linux ###\n");
        grubenv(fx->root, "/boot/grub2/grubenv",
                "saved_entry=" UUID "-" FED_NEW "\nkernelopts=root=UUID=" UUID " ro resume=/dev/vda3 \n"
                "boot_success=1\n");
        assert_int_equal(choose_grub(fx), 0);
        assert_choice(fx, "/boot/vmlinuz-" FED_NEW, "/boot/initramfs-" FED_NEW ".img",
                      "root=UUID=" UUID " ro resume=/dev/vda3  mitigations=off");
        assert_string_equal(fx->choice->version, FED_NEW);

        /* Without grubenv: kernelopts from grub.cfg's fallback, entry 0 (the newest). */
        {
                char *env = fx_path(fx->root, "/boot/grub2/grubenv");

                assert_int_equal(unlink(env), 0);
                free(env);
        }
        assert_int_equal(choose_grub(fx), 0);
        assert_choice(fx, "/boot/vmlinuz-" FED_NEW, "/boot/initramfs-" FED_NEW ".img",
                      "root=/dev/mapper/fallback ro  mitigations=off");
}

static void test_grub_missing_and_limits(void **state)
{
        struct fixture *fx = *state;
        char *big;
        FILE *f;
        char *p;

        assert_int_equal(choose_grub(fx), -ENOENT);
        assert_string_equal(fx->diag.path, "/boot/grub/grub.cfg");

        /* Unterminated quote: the file and the line. */
        fx_put(fx->root, "/boot/grub/grub.cfg", "set default=0\n\nmenuentry 'Debian {\n linux /vmlinuz\n");
        assert_int_equal(choose_grub(fx), -EINVAL);
        assert_string_equal(fx->diag.path, "/boot/grub/grub.cfg");
        assert_non_null(strstr(fx->diag.reason, "line 3"));

        /* A menuentry that never closes. */
        fx_put(fx->root, "/boot/grub/grub.cfg", "menuentry 'Debian' {\n linux /vmlinuz\n");
        assert_int_equal(choose_grub(fx), -EINVAL);
        assert_non_null(strstr(fx->diag.reason, "closing }"));

        /* More than 256 entries. */
        p = fx_path(fx->root, "/boot/grub/grub.cfg");
        f = fopen(p, "w");
        assert_non_null(f);
        for (int i = 0; i < 300; i++)
                fprintf(f, "menuentry 'e%d' {\n linux /vmlinuz-%d\n}\n", i, i);
        fclose(f);
        assert_int_equal(choose_grub(fx), -E2BIG);
        assert_non_null(strstr(fx->diag.reason, "more than 256"));

        /* More than 1 MiB. */
        f = fopen(p, "w");
        assert_non_null(f);
        big = calloc(1, 4096);
        assert_non_null(big);
        memset(big, '#', 4095);
        for (int i = 0; i < 257; i++)
                fprintf(f, "%s\n", big);
        fclose(f);
        free(big);
        free(p);
        assert_int_equal(choose_grub(fx), -EFBIG);
        assert_string_equal(fx->diag.path, "/boot/grub/grub.cfg");

        /* Submenus nested past the limit. */
        fx_put(fx->root, "/boot/grub/grub.cfg",
               "submenu a {\nsubmenu b {\nsubmenu c {\nsubmenu d {\nsubmenu e {\nsubmenu f {\n"
               "submenu g {\nsubmenu h {\nsubmenu i {\nmenuentry x {\nlinux /v\n}\n}\n}\n}\n}\n}\n}\n}\n}\n}\n");
        assert_int_equal(choose_grub(fx), -E2BIG);
}

/* ---- BLS ---- */

static int choose_bls(struct fixture *fx)
{
        return choose(fx, &(struct wb_choose_request) { .kernel = WB_KERNEL_BLS });
}

static void test_bls_fedora(void **state)
{
        struct fixture *fx = *state;

        fedora_bls(fx->root);
        grubenv(fx->root, "/boot/grub2/grubenv", "kernelopts=root=UUID=" UUID " ro \n");
        /* No loader.conf: the newest version first, as the spec orders them. */
        assert_int_equal(choose_bls(fx), 0);
        assert_choice(fx, "/boot/vmlinuz-" FED_NEW, "/boot/initramfs-" FED_NEW ".img",
                      "root=UUID=" UUID " ro  mitigations=off");
        assert_string_equal(fx->choice->source, "boot entry 'Fedora Linux (" FED_NEW ") 39 (Server Edition)'");

        /* loader.conf's default glob. */
        fx_put(fx->root, "/boot/loader/loader.conf", "timeout 3\ndefault " UUID "-6.5.6-*\n");
        assert_int_equal(choose_bls(fx), 0);
        assert_choice(fx, "/boot/vmlinuz-" FED, "/boot/initramfs-" FED ".img", "root=UUID=" UUID " ro rhgb quiet");

        /* systemd-boot's LoaderEntryDefault EFI variable wins over loader.conf. */
        {
                const char *id = UUID "-" FED_NEW ".conf";
                uint8_t var[512] = { 0x07, 0, 0, 0 };
                size_t n = 4;

                for (const char *c = id; *c; c++) {
                        var[n++] = (uint8_t)*c;
                        var[n++] = 0;
                }
                n += 2;
                free(fx_write(fx->root, "/sys/firmware/efi/efivars/LoaderEntryDefault-4a67b082-0a4c-41cf-b6c7-440b29bb8c4f",
                              var, n));
        }
        assert_int_equal(choose_bls(fx), 0);
        assert_string_equal(fx->choice->kernel, "/boot/vmlinuz-" FED_NEW);
}

static void test_bls_esp_sort_key_and_counting(void **state)
{
        struct fixture *fx = *state;

        /* Entries on the ESP: paths relative to it; several initrds, microcode skipped. */
        image(fx->root, "/efi/arch/vmlinuz-linux");
        fx_put(fx->root, "/efi/arch/initramfs-linux.img", "i\n");
        image(fx->root, "/efi/arch/vmlinuz-linux-lts");
        fx_put(fx->root, "/efi/loader/entries/arch.conf",
               "title   Arch Linux\nsort-key arch\nlinux   /arch/vmlinuz-linux\n"
               "initrd  /arch/intel-ucode.img\ninitrd  /arch/initramfs-linux.img\n"
               "options root=PARTUUID=" UUID " rw\n");
        /* A later version but no tries left (+0-3): sorted last. */
        fx_put(fx->root, "/efi/loader/entries/arch-lts+0-3.conf",
               "title Arch LTS\nsort-key arch\nversion 9.9\nlinux /arch/vmlinuz-linux-lts\n"
               "options root=PARTUUID=" UUID " rw\n");
        /* No sort-key: after the ones that have one. */
        fx_put(fx->root, "/efi/loader/entries/zz-other.conf",
               "title Other\nversion 10.0\nlinux /other/vmlinuz\n");
        assert_int_equal(choose_bls(fx), 0);
        assert_choice(fx, "/efi/arch/vmlinuz-linux", "/efi/arch/initramfs-linux.img", "root=PARTUUID=" UUID " rw");
        /* The boot counter is not part of the id. */
        fx_put(fx->root, "/boot/loader/loader.conf", "default arch-lts.conf\n");
        assert_int_equal(choose_bls(fx), 0);
        assert_choice(fx, "/efi/arch/vmlinuz-linux-lts", NULL, "root=PARTUUID=" UUID " rw");
}

static void test_bls_none_and_efi_only(void **state)
{
        struct fixture *fx = *state;

        assert_int_equal(choose_bls(fx), -ENOENT);
        assert_string_equal(fx->diag.path, "/boot/loader/entries");
        fx_put(fx->root, "/boot/loader/entries/uki.conf", "title UKI\nefi /EFI/Linux/arch.efi\n");
        assert_int_equal(choose_bls(fx), -EINVAL);
        assert_string_equal(fx->diag.path, "/boot/loader/entries/uki.conf");
}

/* ---- paths and preparing ---- */

static void test_path_policy(void **state)
{
        struct fixture *fx = *state;

        debian_boot(fx->root);
        assert_int_equal(choose(fx, &(struct wb_choose_request) {
                                .kernel = WB_KERNEL_PATH, .kernel_path = "/boot/vmlinuz-" DEB }), 0);
        assert_choice(fx, "/boot/vmlinuz-" DEB, "/boot/initrd.img-" DEB, REUSED);
        /* Debian's symlink pair at the root, as /etc/default/kexec names them. */
        image(fx->root, "/vmlinuz");
        fx_put(fx->root, "/initrd.img", "i\n");
        assert_int_equal(choose(fx, &(struct wb_choose_request) {
                                .kernel = WB_KERNEL_PATH, .kernel_path = "/vmlinuz" }), 0);
        assert_choice(fx, "/vmlinuz", "/initrd.img", REUSED);
        /* Any other name: no initrd guessed. */
        image(fx->root, "/opt/bzImage");
        assert_int_equal(choose(fx, &(struct wb_choose_request) {
                                .kernel = WB_KERNEL_PATH, .kernel_path = "/opt/bzImage" }), 0);
        assert_choice(fx, "/opt/bzImage", NULL, REUSED);
}

static void test_prepare(void **state)
{
        struct fixture *fx = *state;
        struct wb_load *load = NULL;
        struct wb_diag d;

        debian_boot(fx->root);
        assert_int_equal(choose(fx, &(struct wb_choose_request) { .release = DEB }), 0);
        assert_int_equal(wb_choice_prepare(&fx->ctx, fx->choice, WB_SYSCALL_AUTO, &load, &d), 0);
        assert_int_equal(load->syscall, WB_SYSCALL_FILE);
        assert_string_equal(load->cmdline, REUSED);
        wb_load_free(load);

        /* A deleted image is named as the system sees it. */
        free(fx->choice->kernel);
        fx->choice->kernel = strdup("/boot/vmlinuz-gone");
        load = NULL;
        assert_int_equal(wb_choice_prepare(&fx->ctx, fx->choice, WB_SYSCALL_AUTO, &load, &d), -ENOENT);
        assert_null(load);
        assert_string_equal(d.path, "/boot/vmlinuz-gone");
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_version_order),
                cmocka_unit_test_setup_teardown(test_image_release, setup, teardown),
                cmocka_unit_test_setup_teardown(test_current_debian, setup, teardown),
                cmocka_unit_test_setup_teardown(test_current_fedora, setup, teardown),
                cmocka_unit_test_setup_teardown(test_current_arch_by_name, setup, teardown),
                cmocka_unit_test_setup_teardown(test_current_arch_by_header, setup, teardown),
                cmocka_unit_test_setup_teardown(test_current_symlinks_last, setup, teardown),
                cmocka_unit_test_setup_teardown(test_current_missing, setup, teardown),
                cmocka_unit_test_setup_teardown(test_current_installed_since_boot, setup, teardown),
                cmocka_unit_test_setup_teardown(test_newest, setup, teardown),
                cmocka_unit_test_setup_teardown(test_newest_arch, setup, teardown),
                cmocka_unit_test_setup_teardown(test_newest_none, setup, teardown),
                cmocka_unit_test_setup_teardown(test_grub_debian, setup, teardown),
                cmocka_unit_test_setup_teardown(test_grub_default_not_linux, setup, teardown),
                cmocka_unit_test_setup_teardown(test_grub_separate_boot, setup, teardown),
                cmocka_unit_test_setup_teardown(test_grub_arch_microcode, setup, teardown),
                cmocka_unit_test_setup_teardown(test_grub_fedora_blscfg, setup, teardown),
                cmocka_unit_test_setup_teardown(test_grub_missing_and_limits, setup, teardown),
                cmocka_unit_test_setup_teardown(test_bls_fedora, setup, teardown),
                cmocka_unit_test_setup_teardown(test_bls_esp_sort_key_and_counting, setup, teardown),
                cmocka_unit_test_setup_teardown(test_bls_none_and_efi_only, setup, teardown),
                cmocka_unit_test_setup_teardown(test_path_policy, setup, teardown),
                cmocka_unit_test_setup_teardown(test_prepare, setup, teardown),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
