#!/bin/sh
# SPDX-License-Identifier: MIT
#
# cmdline, stage 1: --reuse-cmdline plus --append; stage 2 carries kexec
# and goes on with --command-line (see stage2.sh).
# The users' lines are kept verbatim, unquoted $(uname -r) included.
# shellcheck disable=SC2046
set -eu
# shellcheck source=../../guest/wblib.sh
. /wb/lib.sh

wb_expect_rc append-load 0 kexec -l --initrd=/boot/initrd.img-$(uname -r) --reuse-cmdline --append="wb.extra=1" /boot/vmlinuz-$(uname -r)
wb_exec append-exec
