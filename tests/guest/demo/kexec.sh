#!/bin/sh
# SPDX-License-Identifier: MIT
#
# demo, kexec path: the seed line, then kexec -e (marker printed first).
# The users' lines are kept verbatim, unquoted $(uname -r) included.
# shellcheck disable=SC2046
set -eu
# shellcheck source=../guest/wblib.sh
. /wb/lib.sh

wb_expect_rc demo-load 0 kexec -l --initrd=/boot/initrd.img-$(uname -r) --reuse-cmdline /boot/vmlinuz-$(uname -r)
wb_exec demo-exec
