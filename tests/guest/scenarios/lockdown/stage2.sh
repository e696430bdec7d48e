#!/bin/sh
# SPDX-License-Identifier: MIT
#
# lockdown, stage 2: the kernel loaded before lockdown booted; lockdown is
# a property of a boot, and this one was not asked for it. Then: a panic
# kernel loaded, lockdown raised, and unloading it still works (kexec -u
# goes through kexec_file_load, which lockdown allows; kexec_load it
# refuses even for an unload).
set -eu
# shellcheck source=../../guest/wblib.sh
. /wb/lib.sh

K=/boot/vmlinuz-$(uname -r)
I=/boot/initrd.img-$(uname -r)
LD=/sys/kernel/security/lockdown

wb_expect_value stage2-lockdown-none $LD "[none] integrity confidentiality"
wb_expect_value stage2-kexec_loaded /sys/kernel/kexec_loaded 0
wb_expect_rc stage2-load-panic 0 kexec -p --initrd="$I" --reuse-cmdline "$K"
echo integrity >$LD
wb_expect_value stage2-lockdown-integrity $LD "none [integrity] confidentiality"
wb_expect_rc stage2-unload-panic 0 kexec -p -u
wb_expect_value stage2-unloaded /sys/kernel/kexec_crash_loaded 0
