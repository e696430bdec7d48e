#!/bin/sh
# SPDX-License-Identifier: MIT
#
# crash, stage 1 (crashkernel=256M): load and unload panic kernels, then
# load one for real and panic; the crash kernel is stage 2. wb.mode= on
# the command line picks the syscall ("" automatic, -c kexec_load).
# The users' lines are kept verbatim, unquoted $(uname -r) included.
# shellcheck disable=SC2046,SC2086
set -eu
# shellcheck source=../../guest/wblib.sh
. /wb/lib.sh

MODE=$(sed -n 's/.*wb\.mode=\([^ ]*\).*/\1/p' /proc/cmdline)

wb_expect_value initial-kexec_crash_loaded /sys/kernel/kexec_crash_loaded 0
wb_expect_rc p-load 0 kexec $MODE -p /boot/vmlinuz-$(uname -r) --initrd=/boot/initrd.img-$(uname -r) --reuse-cmdline
wb_expect_value p-kexec_crash_loaded /sys/kernel/kexec_crash_loaded 1
wb_expect_value p-kexec_loaded /sys/kernel/kexec_loaded 0
wb_expect_rc p-u 0 kexec $MODE -p -u
wb_expect_value p-u-kexec_crash_loaded /sys/kernel/kexec_crash_loaded 0

# The seed's "-p -l" line: -p wins, the normal kernel stays as it was.
wb_expect_rc l-load 0 kexec $MODE -l --initrd=/boot/initrd.img-$(uname -r) --reuse-cmdline /boot/vmlinuz-$(uname -r)
wb_expect_rc pl-load 0 kexec $MODE -p -l --initrd=/boot/initrd.img-$(uname -r) --reuse-cmdline /boot/vmlinuz-$(uname -r)
wb_expect_value pl-kexec_crash_loaded /sys/kernel/kexec_crash_loaded 1
wb_expect_value pl-kexec_loaded /sys/kernel/kexec_loaded 1
wb_expect_rc pl-p-u 0 kexec $MODE -p -u
wb_expect_value pl-p-u-kexec_crash_loaded /sys/kernel/kexec_crash_loaded 0
wb_expect_value pl-p-u-kexec_loaded /sys/kernel/kexec_loaded 1
wb_expect_rc pl-u 0 kexec $MODE -u

# What the dump must hold: the RAM of /proc/iomem, less the first MiB and
# the reservation, which the capture kernel reuses.
ram=0
for r in $(sed -n 's/^\([0-9a-f]*\)-\([0-9a-f]*\) : System RAM$/\1-\2/p' /proc/iomem); do
	s=$((0x${r%-*})) e=$((0x${r#*-} + 1))
	[ "$s" -ge $((0x100000)) ] || s=$((0x100000))
	[ "$e" -gt "$s" ] && ram=$((ram + e - s))
done
ram=$((ram - $(cat /sys/kernel/kexec_crash_size)))

# A real panic boots the crash kernel (stage 2), with kdump's usual words.
wb_expect_rc panic-load 0 kexec $MODE -p /boot/vmlinuz-$(uname -r) --initrd=/boot/initrd.img-$(uname -r) --reuse-cmdline --append="irqpoll nr_cpus=1 reset_devices wb.ram=$ram"
echo WB-PANIC
echo c >/proc/sysrq-trigger
wb_fail panic "still running after sysrq-c"
