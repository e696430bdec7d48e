#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# cmdline: a chain of three kernels in one QEMU run:
#   stage 1 --reuse-cmdline --append--> stage 2 --command-line--> stage 3
set -eu

scenario_cmdline() {
	local d=$WB_GUEST/scenarios/cmdline w=$WB_WORK/cmdline rc=0 s1 s2 s3
	local kexec append='BOOT_IMAGE=/vmlinuz console=ttyS0 quiet panic=-1 wb.scenario=cmdline'
	kexec=$(wb_kexec_bin)
	wb_mkinitrd -z "$w/stage3.img" stage3
	wb_mkinitrd -s "$d/stage2.sh" -k "$kexec" -b "$w/stage3.img" \
		"$w/stage2.img" stage2
	wb_mkinitrd -s "$d/stage1.sh" -k "$kexec" -b "$w/stage2.img" \
		"$w/stage1.img" stage1
	wb_qemu cmdline "$w/stage1.img" "$append" || rc=$?
	local log=$WB_LOGS/cmdline.log
	wb_guest_results cmdline "$log"
	wb_run_checks cmdline "$log" "$rc" 1 stage1 stage2 stage3
	s1=$(wb_boot "$log" 1 2)
	s2=$(wb_boot "$log" 2 2)
	s3=$(wb_boot "$log" 3 2)
	wb_check_eq cmdline/append "$(wb_words "$s2")" \
		"$(wb_words "$s1 wb.extra=1" BOOT_IMAGE)"
	# --command-line is taken verbatim: compare exactly (bar the newline).
	wb_check_eq cmdline/command-line "${s3%"${s3##*[! ]}"}" "console=ttyS0 wb.only=1"
}
