#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# seed: stage 1 --kexec -e--> stage 2, one QEMU run, one firmware boot.
# BOOT_IMAGE= on the first command line checks that --reuse-cmdline drops
# it; the quoted parameter checks that quoting survives the reuse.
set -eu

scenario_seed() {
	local d=$WB_GUEST/scenarios/seed w=$WB_WORK/seed rc=0 s1 s2
	local append='BOOT_IMAGE=/vmlinuz console=ttyS0 quiet panic=-1 wb.q="two words" wb.scenario=seed'
	wb_mkinitrd -z -s "$d/stage2.sh" "$w/stage2.img" stage2
	wb_mkinitrd -s "$d/stage1.sh" -k "$(wb_kexec_bin)" -b "$w/stage2.img" \
		"$w/stage1.img" stage1
	wb_qemu seed "$w/stage1.img" "$append" || rc=$?
	local log=$WB_LOGS/seed.log
	wb_guest_results seed "$log"
	wb_run_checks seed "$log" "$rc" 1 stage1 stage2
	s1=$(wb_boot "$log" 1 2)
	s2=$(wb_boot "$log" 2 2)
	wb_check_eq seed/stage1-cmdline "$(wb_words "$s1")" "$(wb_words "$append")"
	wb_check_eq seed/reuse-cmdline "$(wb_words "$s2")" "$(wb_words "$s1" BOOT_IMAGE)"
	wb_check_eq seed/stage2-initrd "$(wb_boot "$log" 2 3)" stage2
}
