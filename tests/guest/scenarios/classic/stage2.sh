#!/bin/sh
# SPDX-License-Identifier: MIT
#
# classic, stage 2 (booted from the ELF vmlinux): kexec_load (-c) with
# warmboot's purgatory, which checks the SHA-256 of the segments
# (--verify=sha256) and says so on ttyS0.
# The users' lines are kept verbatim, unquoted $(uname -r) included.
# shellcheck disable=SC2046
set -eu
# shellcheck source=../../guest/wblib.sh
. /wb/lib.sh

wb_expect_value c-stage2-kexec_loaded /sys/kernel/kexec_loaded 0
wb_expect_rc c-load 0 kexec -c -l --verify=sha256 --initrd=/boot/initrd.img-$(uname -r) --reuse-cmdline --append=wb.c=1 --console-serial /boot/vmlinuz-$(uname -r)
wb_expect_value c-kexec_loaded /sys/kernel/kexec_loaded 1
wb_exec c-exec
