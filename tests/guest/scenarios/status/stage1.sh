#!/bin/sh
# SPDX-License-Identifier: MIT
#
# status: -S / -l -S / -p -S exit codes, -u and -p -u, and kexec -e with
# nothing loaded. Booted with crashkernel=256M so a panic kernel can load.
# -S (like kexec-tools): exit 1 if the kernel of that type is loaded, else
# 0; the type is the panic kernel unless -l is given.
# The users' lines are kept verbatim, unquoted $(uname -r) included.
# shellcheck disable=SC2046
set -eu
# shellcheck source=../../guest/wblib.sh
. /wb/lib.sh

K=/boot/vmlinuz-$(uname -r)
I=/boot/initrd.img-$(uname -r)

wb_expect_value empty-kexec_loaded /sys/kernel/kexec_loaded 0
wb_expect_value empty-kexec_crash_loaded /sys/kernel/kexec_crash_loaded 0
wb_expect_rc empty-S 0 kexec -S
wb_expect_rc empty-l-S 0 kexec -l -S
wb_expect_rc empty-p-S 0 kexec -p -S
wb_expect_rc empty-u 0 kexec -u

# kexec -e with nothing loaded: exit 1 and says so.
wb_run kexec -e
if [ "$rc" = 1 ] && cat "$WB_OUT" "$WB_ERR" | grep -qi 'nothing has been loaded'; then
	wb_pass exec-nothing-loaded
else
	wb_fail exec-nothing-loaded "want exit 1 and a line with 'nothing has been loaded'"
	wb_show exec-nothing-loaded
fi

# The RHEL spelling of the seed line.
wb_expect_rc rhel-load 0 kexec -l --initrd=/boot/initramfs-$(uname -r).img --reuse-cmdline /boot/vmlinuz-$(uname -r)
wb_expect_value rhel-kexec_loaded /sys/kernel/kexec_loaded 1
wb_expect_rc loaded-l-S 1 kexec -l -S
wb_expect_rc loaded-S 0 kexec -S
wb_expect_rc loaded-p-S 0 kexec -p -S
wb_expect_rc unload 0 kexec -u
wb_expect_value unload-kexec_loaded /sys/kernel/kexec_loaded 0
wb_expect_rc unloaded-l-S 0 kexec -l -S

# Panic kernel loaded: -S and -p -S say 1, -l -S says 0.
wb_expect_rc panic-load 0 kexec -p "$K" --initrd="$I" --reuse-cmdline
wb_expect_value panic-kexec_crash_loaded /sys/kernel/kexec_crash_loaded 1
wb_expect_rc panic-S 1 kexec -S
wb_expect_rc panic-p-S 1 kexec -p -S
wb_expect_rc panic-l-S 0 kexec -l -S

# With both loaded, -u drops only the normal kernel, -p -u the panic one.
wb_expect_rc both-load 0 kexec -l "$K" --initrd="$I" --reuse-cmdline
wb_expect_value both-kexec_loaded /sys/kernel/kexec_loaded 1
wb_expect_rc both-u 0 kexec -u
wb_expect_value both-u-kexec_loaded /sys/kernel/kexec_loaded 0
wb_expect_value both-u-kexec_crash_loaded /sys/kernel/kexec_crash_loaded 1
wb_expect_rc both-p-u 0 kexec -p -u
wb_expect_value both-p-u-kexec_crash_loaded /sys/kernel/kexec_crash_loaded 0
wb_expect_rc end-S 0 kexec -S
