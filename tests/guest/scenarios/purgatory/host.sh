#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# purgatory: a corrupted digest (the test build's hook) makes purgatory
# reset the machine instead of starting the kernel. QEMU runs without
# -no-reboot, so the reset restarts the firmware; it is stopped at the
# second SeaBIOS banner (the re-booted stage 1 would loop). Booted with
# crashkernel=256M, which also lets stage 1 check that -c -p is refused.
set -eu

scenario_purgatory() {
	local d=$WB_GUEST/scenarios/purgatory w=$WB_WORK/purgatory rc=0 hop
	local append='console=ttyS0 quiet panic=-1 crashkernel=256M wb.scenario=purgatory'
	local log=$WB_LOGS/purgatory.log
	if [ ! -x "$KEXEC_TEST_BIN" ]; then
		rm -f "$log"
		wb_fail purgatory/test-binary "no executable test build at ${KEXEC_TEST_BIN#"$WB_ROOT"/} (build it with: make build/test/kexec)"
		return 0
	fi
	wb_mkinitrd -z "$w/stage2.img" stage2
	wb_mkinitrd -s "$d/stage1.sh" -k "$(wb_kexec_bin)" -b "$w/stage2.img" \
		-f "$KEXEC_TEST_BIN:/sbin/kexec-test" "$w/stage1.img" stage1
	wb_qemu -r -x 'SeaBIOS (version' -c 2 purgatory "$w/stage1.img" "$append" || rc=$?
	wb_guest_results purgatory "$log"
	case $rc in
	0) wb_pass purgatory/qemu-reset ;;
	3) wb_fail purgatory/qemu-reset "QEMU ended before a second firmware banner" ;;
	124) wb_fail purgatory/qemu-reset "no second firmware banner within ${WB_TIMEOUT}s" ;;
	*) wb_fail purgatory/qemu-reset "QEMU exited with status $rc" ;;
	esac
	# Stage 2 never starts: the reset comes first.
	wb_check_eq purgatory/boot-chain "$(wb_boots "$log" | cut -f 1 | paste -sd ' ' -)" stage1
	wb_check_eq purgatory/firmware-banners "$(wb_banners "$log")" 2
	hop=$(wb_hop "$log" 1)
	wb_check_eq purgatory/digest-mismatch "$(wb_purgatory_says "$log" 1)" \
		"warmboot purgatory: digest mismatch, rebooting"
	# The firmware banner comes after purgatory's line.
	wb_check_eq purgatory/reset-after-mismatch "$(printf '%s\n' "$hop" |
		sed -n '/warmboot purgatory: digest mismatch/,$p' | grep -c 'SeaBIOS (version' || true)" 1
}
