#!/bin/sh
# SPDX-License-Identifier: MIT
#
# secureboot, stage 1: booted by OVMF under Secure Boot, so locked down.
# /boot/vmlinuz-$(uname -r) is signed with the key in the firmware's db,
# /boot/vmlinuz-debian with Debian's (not in this db).
# shellcheck disable=SC2046
set -eu
# shellcheck source=../../guest/wblib.sh
. /wb/lib.sh

K=/boot/vmlinuz-$(uname -r)
I=/boot/initrd.img-$(uname -r)

if dmesg | grep -q 'secureboot: Secure boot enabled'; then
	wb_pass secure-boot
else
	wb_fail secure-boot "the kernel did not see Secure Boot"
fi
wb_expect_value lockdown /sys/kernel/security/lockdown "none [integrity] confidentiality"

# warmboot's policy front end says what the next reboot will do, and why.
wb_expect_rc warmboot-enable 0 warmboot enable
wb_run warmboot status --json
for want in '"lockdown":"integrity"' '"next_reboot":"kexec"' '"syscall":"kexec_file_load"' 'only an image signed by a key the kernel trusts'; do
	if grep -qF "$want" "$WB_OUT"; then
		wb_pass "warmboot-status: $want"
	else
		wb_fail "warmboot-status: $want" "not in warmboot status --json"
		wb_show "warmboot-status: $want"
	fi
done

# Under Secure Boot IMA's policy refuses kexec_load first (EACCES), and
# signatures are enforced (ENOKEY, not lockdown's EPERM).
wb_expect_err c-refused is "kexec: $K: the kernel is locked down (integrity), and its IMA policy refuses kexec_load, whose kernel it cannot appraise; use kexec_file_load (-s) with a signed kernel" \
	kexec -c -l --initrd="$I" --reuse-cmdline "$K"
wb_expect_err untrusted-signature-refused is "kexec: /boot/vmlinuz-debian: the image is not signed by a key the kernel knows, and this kernel only loads signed images (Secure Boot, lockdown or CONFIG_KEXEC_SIG_FORCE)" \
	kexec -l --initrd="$I" --reuse-cmdline /boot/vmlinuz-debian

# The signed kernel: the automatic choice takes kexec_file_load, and the
# kernel checks the signature against the firmware's db.
wb_expect_choice load-file "kexec: debug: using kexec_file_load" \
	kexec -d -l --initrd="$I" --reuse-cmdline "$K"
wb_expect_value kexec_loaded /sys/kernel/kexec_loaded 1
# And warmboot's own load of the same choice, which the reboot boots.
wb_expect_rc warmboot-load 0 warmboot load
wb_expect_value warmboot-load-kexec_loaded /sys/kernel/kexec_loaded 1
wb_exec exec
