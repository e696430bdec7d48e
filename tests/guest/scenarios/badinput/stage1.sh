#!/bin/sh
# SPDX-License-Identifier: MIT
#
# badinput (no crashkernel=): with a good kernel loaded, every bad load
# must exit 1 with one "kexec: ..." stderr line and change nothing.
# The users' lines are kept verbatim, unquoted $(uname -r) included.
# shellcheck disable=SC2046
set -eu
# shellcheck source=../../guest/wblib.sh
. /wb/lib.sh

K=/boot/vmlinuz-$(uname -r)
I=/boot/initrd.img-$(uname -r)

wb_expect_rc setup-load 0 kexec -l --initrd="$I" --reuse-cmdline "$K"
wb_expect_value setup-kexec_loaded /sys/kernel/kexec_loaded 1

wb_expect_err missing-image is "kexec: /nonexistent: cannot open: No such file or directory" \
	kexec -l /nonexistent

head -c 100000 "$K" >/tmp/truncated
wb_expect_err truncated-bzimage has "truncated" \
	kexec -l --initrd="$I" --reuse-cmdline /tmp/truncated

head -c 65536 /dev/urandom >/tmp/random
wb_expect_err random-file has "not a kernel image warmboot knows" \
	kexec -l --initrd="$I" --reuse-cmdline /tmp/random

wb_expect_err missing-initrd is "kexec: /nonexistent.img: cannot open: No such file or directory" \
	kexec -l --initrd=/nonexistent.img --reuse-cmdline "$K"

long=$(head -c 4096 </dev/zero | tr '\0' x)
if [ "${#long}" = 4096 ]; then
	wb_expect_err long-cmdline has "command line too long" \
		kexec -l --initrd="$I" --command-line="$long" "$K"
else
	wb_fail long-cmdline "test bug: built a ${#long}-byte command line"
fi

wb_expect_err panic-no-crashkernel has "crashkernel=" \
	kexec -p --initrd="$I" --reuse-cmdline "$K"
wb_expect_value panic-no-crashkernel-crash_loaded /sys/kernel/kexec_crash_loaded 0

# The same on kexec_load (-c), where warmboot places the segments itself.
wb_expect_err c-truncated-bzimage has "truncated" \
	kexec -c -l --initrd="$I" --reuse-cmdline /tmp/truncated
wb_expect_err c-missing-initrd is "kexec: /nonexistent.img: cannot open: No such file or directory" \
	kexec -c -l --initrd=/nonexistent.img --reuse-cmdline "$K"
# An ELF vmlinux whose segment is at 0x200000000000: not RAM here. Only
# kexec_load takes an ELF, with -c and by the automatic choice alike.
wb_expect_err c-elf-not-ram has "not RAM" \
	kexec -c -l --reuse-cmdline /boot/vmlinux-outside-ram
wb_expect_err elf-not-ram has "not RAM" \
	kexec -l --reuse-cmdline /boot/vmlinux-outside-ram

wb_expect_value end-kexec_loaded /sys/kernel/kexec_loaded 1
