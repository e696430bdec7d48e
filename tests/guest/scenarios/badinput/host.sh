#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# badinput: one boot without crashkernel=; all checks run in the guest.
set -eu

scenario_badinput() {
	local d=$WB_GUEST/scenarios/badinput w=$WB_WORK/badinput rc=0
	local append='console=ttyS0 quiet panic=-1 wb.scenario=badinput'
	wb_mkinitrd -z "$w/stage2.img" stage2
	wb_mkinitrd -s "$d/stage1.sh" -k "$(wb_kexec_bin)" -b "$w/stage2.img" \
		"$w/stage1.img" stage1
	wb_qemu badinput "$w/stage1.img" "$append" || rc=$?
	local log=$WB_LOGS/badinput.log
	wb_guest_results badinput "$log"
	wb_run_checks badinput "$log" "$rc" 1 stage1
}
