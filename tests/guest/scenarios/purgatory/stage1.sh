#!/bin/sh
# SPDX-License-Identifier: MIT
#
# purgatory, stage 1 (crashkernel=256M): the test hook is only in the
# test build; then a load with a
# corrupted digest and kexec -e: purgatory must reset, not boot stage 2.
# The users' lines are kept verbatim, unquoted $(uname -r) included.
# shellcheck disable=SC2046
set -eu
# shellcheck source=../../guest/wblib.sh
. /wb/lib.sh

K=/boot/vmlinuz-$(uname -r)
I=/boot/initrd.img-$(uname -r)

# The hook is compiled out of the real binary: the variable does nothing.
wb_expect_rc hook-absent-load 0 env WB_TEST_CORRUPT_DIGEST=1 kexec -c -d -l --initrd="$I" --reuse-cmdline "$K"
wb_expect_stderr hook-absent lacks "test hook"
wb_expect_rc hook-absent-unload 0 kexec -u

wb_expect_rc corrupt-load 0 env WB_TEST_CORRUPT_DIGEST=1 kexec-test -c -d -l --initrd=/boot/initrd.img-$(uname -r) --reuse-cmdline --console-serial /boot/vmlinuz-$(uname -r)
wb_expect_stderr corrupt-hook has "test hook: purgatory digest corrupted on purpose"
wb_expect_value corrupt-kexec_loaded /sys/kernel/kexec_loaded 1
wb_exec corrupt-exec
