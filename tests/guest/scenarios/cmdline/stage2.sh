#!/bin/sh
# SPDX-License-Identifier: MIT
#
# cmdline, stage 2: replace the command line outright; stage 3 prints it.
# The users' lines are kept verbatim, unquoted $(uname -r) included.
# shellcheck disable=SC2046
set -eu
# shellcheck source=../../guest/wblib.sh
. /wb/lib.sh

wb_expect_rc command-line-load 0 kexec -l --initrd=/boot/initrd.img-$(uname -r) --command-line="console=ttyS0 wb.only=1" /boot/vmlinuz-$(uname -r)
wb_exec command-line-exec
