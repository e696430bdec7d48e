#!/bin/sh
# SPDX-License-Identifier: MIT
#
# classic, stage 4: a 200 MB initrd on kexec_load in this 1 GiB guest:
# stage 5's initrd followed by 200 MiB of zeros, which the kernel's
# initramfs unpacker skips. Purgatory checks all of it, with the default
# check (4-lane CRC32C).
# The users' lines are kept verbatim, unquoted $(uname -r) included.
# shellcheck disable=SC2046
set -eu
# shellcheck source=../../guest/wblib.sh
. /wb/lib.sh

# busybox head takes no "200M", and its small copies are slow under TCG:
# dd in 1 MiB blocks.
{ cat /boot/initrd.img-$(uname -r); dd if=/dev/zero bs=1M count=200 2>/dev/null; } >/tmp/big.img
echo "WB-NOTE big initrd: $(stat -c %s /tmp/big.img) bytes"
echo "WB-NOTE before the load: $(grep -E '^(MemFree|MemAvailable|Shmem):' /proc/meminfo | tr -s ' ' | tr '\n' ' ')"
wb_expect_rc big-initrd-load 0 kexec -c -l --initrd=/tmp/big.img --reuse-cmdline --append=wb.big=1 --console-serial /boot/vmlinuz-$(uname -r)
echo "WB-NOTE after the load: $(grep -E '^(MemFree|MemAvailable|Shmem):' /proc/meminfo | tr -s ' ' | tr '\n' ' ')"
wb_exec big-initrd-exec
