#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# lockdown: kernels loaded, then the guest locks itself down (integrity,
# what Secure Boot selects) at run time. Every load is then refused with
# the reason; the kernel loaded before stays loaded and still boots; a
# panic kernel the kernel itself drops on a refused panic load is said to
# be gone; unloading works under lockdown.
set -eu

scenario_lockdown() {
	local d=$WB_GUEST/scenarios/lockdown w=$WB_WORK/lockdown rc=0
	local append='console=ttyS0 quiet panic=-1 crashkernel=256M wb.scenario=lockdown'
	wb_mkinitrd -z "$w/panic.img" panic
	wb_mkinitrd -z -s "$d/stage2.sh" -k "$(wb_kexec_bin)" -b "$w/panic.img" "$w/stage2.img" stage2
	wb_mkinitrd -s "$d/stage1.sh" -k "$(wb_kexec_bin)" -b "$w/stage2.img" \
		"$w/stage1.img" stage1
	wb_qemu lockdown "$w/stage1.img" "$append" || rc=$?
	local log=$WB_LOGS/lockdown.log
	wb_guest_results lockdown "$log"
	wb_run_checks lockdown "$log" "$rc" 1 stage1 stage2
}
