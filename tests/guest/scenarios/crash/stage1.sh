#!/bin/sh
# SPDX-License-Identifier: MIT
#
# crash, stage 1 (crashkernel=256M): load and unload panic kernels, then
# load one for real and panic; the crash kernel is stage 2.
# The users' lines are kept verbatim, unquoted $(uname -r) included.
# shellcheck disable=SC2046
set -eu
# shellcheck source=../../guest/wblib.sh
. /wb/lib.sh

wb_expect_value initial-kexec_crash_loaded /sys/kernel/kexec_crash_loaded 0
wb_expect_rc p-load 0 kexec -p /boot/vmlinuz-$(uname -r) --initrd=/boot/initrd.img-$(uname -r) --reuse-cmdline
wb_expect_value p-kexec_crash_loaded /sys/kernel/kexec_crash_loaded 1
wb_expect_value p-kexec_loaded /sys/kernel/kexec_loaded 0
wb_expect_rc p-u 0 kexec -p -u
wb_expect_value p-u-kexec_crash_loaded /sys/kernel/kexec_crash_loaded 0

# The seed's "-p -l" line: -p wins, the normal kernel stays as it was.
wb_expect_rc l-load 0 kexec -l --initrd=/boot/initrd.img-$(uname -r) --reuse-cmdline /boot/vmlinuz-$(uname -r)
wb_expect_rc pl-load 0 kexec -p -l --initrd=/boot/initrd.img-$(uname -r) --reuse-cmdline /boot/vmlinuz-$(uname -r)
wb_expect_value pl-kexec_crash_loaded /sys/kernel/kexec_crash_loaded 1
wb_expect_value pl-kexec_loaded /sys/kernel/kexec_loaded 1
wb_expect_rc pl-p-u 0 kexec -p -u
wb_expect_value pl-p-u-kexec_crash_loaded /sys/kernel/kexec_crash_loaded 0
wb_expect_value pl-p-u-kexec_loaded /sys/kernel/kexec_loaded 1
wb_expect_rc pl-u 0 kexec -u

# A real panic boots the crash kernel (stage 2).
wb_expect_rc panic-load 0 kexec -p /boot/vmlinuz-$(uname -r) --initrd=/boot/initrd.img-$(uname -r) --reuse-cmdline
echo WB-PANIC
echo c >/proc/sysrq-trigger
wb_fail panic "still running after sysrq-c"
