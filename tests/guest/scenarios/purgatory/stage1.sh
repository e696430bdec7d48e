#!/bin/sh
# SPDX-License-Identifier: MIT
#
# purgatory, stage 1 (crashkernel=256M), by wb.case= on the command line:
#   crc32c  the hooks are only in the test build; then a load with a
#           corrupted digest (default check, 4-lane CRC32C) and kexec -e:
#           purgatory must reset, not boot stage 2
#   sha256  the same with --verify=sha256
#   insn    a good digest, purgatory told to use the crc32 instruction
#           (whatever the loader used): stage 2 boots
# The users' lines are kept verbatim, unquoted $(uname -r) included.
# shellcheck disable=SC2046
set -eu
# shellcheck source=../../guest/wblib.sh
. /wb/lib.sh

K=/boot/vmlinuz-$(uname -r)
I=/boot/initrd.img-$(uname -r)
case=$(sed -n 's/.*wb\.case=\([a-z0-9]*\).*/\1/p' /proc/cmdline)

case $case in
crc32c)
	# The hooks are compiled out of the real binary: the variables do nothing.
	wb_expect_rc hook-absent-load 0 env WB_TEST_CORRUPT_DIGEST=1 WB_TEST_CRC32C=insn kexec -c -d -l --initrd="$I" --reuse-cmdline "$K"
	wb_expect_stderr hook-absent lacks "test hook"
	wb_expect_stderr default-check has "checks the CRC32C (4 lanes"
	wb_expect_rc hook-absent-unload 0 kexec -u

	wb_expect_rc corrupt-load 0 env WB_TEST_CORRUPT_DIGEST=1 kexec-test -c -d -l --initrd=/boot/initrd.img-$(uname -r) --reuse-cmdline --console-serial /boot/vmlinuz-$(uname -r)
	wb_expect_stderr corrupt-hook has "test hook: purgatory digest corrupted on purpose"
	wb_expect_stderr corrupt-check has "checks the CRC32C (4 lanes"
	;;
sha256)
	wb_expect_rc corrupt-load 0 env WB_TEST_CORRUPT_DIGEST=1 kexec-test -c -d -l --verify=sha256 --initrd=/boot/initrd.img-$(uname -r) --reuse-cmdline --console-serial /boot/vmlinuz-$(uname -r)
	wb_expect_stderr corrupt-hook has "test hook: purgatory digest corrupted on purpose"
	wb_expect_stderr corrupt-check has "checks the SHA-256 of"
	;;
insn)
	wb_expect_rc insn-load 0 env WB_TEST_CRC32C=insn kexec-test -c -d -l --initrd=/boot/initrd.img-$(uname -r) --reuse-cmdline --console-serial /boot/vmlinuz-$(uname -r)
	wb_expect_stderr insn-hook has "test hook: purgatory computes CRC32C with the crc32 instruction"
	;;
*)
	wb_fail case "no wb.case= on the command line"
	exit 1
	;;
esac
wb_expect_value kexec_loaded /sys/kernel/kexec_loaded 1
wb_exec exec
