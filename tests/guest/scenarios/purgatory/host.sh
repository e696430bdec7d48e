#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# purgatory: a corrupted digest (the test build's hook) makes purgatory
# reset the machine instead of starting the kernel, with the default
# check (4-lane CRC32C) and with --verify=sha256: one QEMU run each. QEMU
# runs without -no-reboot, so the reset restarts the firmware; it is
# stopped at the second SeaBIOS banner (the re-booted stage 1 would
# loop). A third run checks the other CRC32C implementation in purgatory:
# the loader hashes with whichever it timed faster (tables, under TCG) and
# the test hook makes purgatory use the crc32 instruction: the same
# digest, so stage 2 boots. Booted with crashkernel=256M (a reserved
# region in the memory map the loader must avoid).
set -eu

# purgatory_reset CASE WANT: stage 1 loads with a corrupted digest
# (wb.case=CASE picks the check); purgatory must say WANT, then reset.
purgatory_reset() {
	local c=$1 want=$2 w=$WB_WORK/purgatory rc=0 hop
	local append="console=ttyS0 quiet panic=-1 crashkernel=256M wb.scenario=purgatory wb.case=$c"
	local log=$WB_LOGS/purgatory-$c.log p=purgatory/$c
	wb_qemu -r -x 'SeaBIOS (version' -c 2 "purgatory-$c" "$w/stage1.img" "$append" || rc=$?
	wb_guest_results "$p" "$log"
	case $rc in
	0) wb_pass "$p/qemu-reset" ;;
	3) wb_fail "$p/qemu-reset" "QEMU ended before a second firmware banner" ;;
	124) wb_fail "$p/qemu-reset" "no second firmware banner within ${WB_TIMEOUT}s" ;;
	*) wb_fail "$p/qemu-reset" "QEMU exited with status $rc" ;;
	esac
	# Stage 2 never starts: the reset comes first.
	wb_check_eq "$p/boot-chain" "$(wb_boots "$log" | cut -f 1 | paste -sd ' ' -)" stage1
	wb_check_eq "$p/firmware-banners" "$(wb_banners "$log")" 2
	hop=$(wb_hop "$log" 1)
	wb_check_eq "$p/digest-mismatch" "$(wb_purgatory_says "$log" 1)" "$want"
	# The firmware banner comes after purgatory's line.
	wb_check_eq "$p/reset-after-mismatch" "$(printf '%s\n' "$hop" |
		sed -n '/warmboot purgatory: digest mismatch/,$p' | grep -c 'SeaBIOS (version' || true)" 1
	wb_show_log "$log" "$before_case"
}

scenario_purgatory() {
	local d=$WB_GUEST/scenarios/purgatory w=$WB_WORK/purgatory rc=0 before_case
	local log=$WB_LOGS/purgatory.log
	if [ ! -x "$KEXEC_TEST_BIN" ]; then
		rm -f "$log"
		wb_fail purgatory/test-binary "no executable test build at ${KEXEC_TEST_BIN#"$WB_ROOT"/} (build it with: make build/test/kexec)"
		return 0
	fi
	wb_mkinitrd -z "$w/stage2.img" stage2
	wb_mkinitrd -s "$d/stage1.sh" -k "$(wb_kexec_bin)" -b "$w/stage2.img" \
		-f "$KEXEC_TEST_BIN:/sbin/kexec-test" "$w/stage1.img" stage1

	before_case=$WB_FAILED
	purgatory_reset crc32c "warmboot purgatory: digest mismatch, rebooting"
	before_case=$WB_FAILED
	purgatory_reset sha256 "warmboot purgatory: digest mismatch, rebooting"

	# The crc32 instruction in purgatory, the loader's digest: stage 2 boots.
	local append='console=ttyS0 quiet panic=-1 crashkernel=256M wb.scenario=purgatory wb.case=insn'
	wb_qemu purgatory "$w/stage1.img" "$append" || rc=$?
	wb_guest_results purgatory/insn "$log"
	wb_run_checks purgatory/insn "$log" "$rc" 1 stage1 stage2
	wb_check_eq purgatory/insn/purgatory "$(wb_purgatory_says "$log" 1)" \
		"warmboot purgatory: ok (crc32c/insn)"
}
