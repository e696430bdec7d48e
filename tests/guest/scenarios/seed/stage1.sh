#!/bin/sh
# SPDX-License-Identifier: MIT
#
# seed, stage 1: the exact kexec-reboot line users run, then kexec -e.
# The host checks what stage 2 saw (cmdline, initrd) and the banner count.
# The users' lines are kept verbatim, unquoted $(uname -r) included.
# shellcheck disable=SC2046
set -eu
# shellcheck source=../../guest/wblib.sh
. /wb/lib.sh

wb_expect_rc seed-load 0 kexec -l --initrd=/boot/initrd.img-$(uname -r) --reuse-cmdline /boot/vmlinuz-$(uname -r)
wb_expect_value seed-kexec_loaded /sys/kernel/kexec_loaded 1
wb_exec seed-exec
