#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# status: one boot with crashkernel=256M; all checks run in the guest.
set -eu

scenario_status() {
	local d=$WB_GUEST/scenarios/status w=$WB_WORK/status rc=0
	local append='console=ttyS0 quiet panic=-1 crashkernel=256M wb.scenario=status'
	wb_mkinitrd -z "$w/stage2.img" stage2
	wb_mkinitrd -s "$d/stage1.sh" -k "$(wb_kexec_bin)" -b "$w/stage2.img" \
		"$w/stage1.img" stage1
	wb_qemu status "$w/stage1.img" "$append" || rc=$?
	local log=$WB_LOGS/status.log
	wb_guest_results status "$log"
	wb_run_checks status "$log" "$rc" 1 stage1
}
