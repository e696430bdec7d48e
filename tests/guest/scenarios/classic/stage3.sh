#!/bin/sh
# SPDX-License-Identifier: MIT
#
# classic, stage 3: kexec_load with -i: purgatory skips the check and
# says so on ttyS0.
# The users' lines are kept verbatim, unquoted $(uname -r) included.
# shellcheck disable=SC2046
set -eu
# shellcheck source=../../guest/wblib.sh
. /wb/lib.sh

wb_expect_rc no-checks-load 0 kexec -c -i -l --initrd=/boot/initrd.img-$(uname -r) --reuse-cmdline --append=wb.i=1 --console-serial /boot/vmlinuz-$(uname -r)
wb_exec no-checks-exec
