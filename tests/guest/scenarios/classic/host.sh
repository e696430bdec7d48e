#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# classic: the kexec_load path, a chain of five kernels in one QEMU run:
#   stage 1 --ELF vmlinux, default syscall choice--> stage 2
#   --  -c --verify=sha256 --console-serial      --> stage 3
#   --  -c -i --console-serial                    --> stage 4
#   --  -c --console-serial (default check: 4-lane CRC32C),
#       a 200 MB initrd                           --> stage 5
# Each hop appends a word to the command line, checked exactly; each hop
# is checked for what purgatory said on ttyS0. Stage 1 also checks the
# automatic syscall choice on the bzImage (-d).
set -eu

scenario_classic() {
	local d=$WB_GUEST/scenarios/classic w=$WB_WORK/classic rc=0 kexec i
	local append='console=ttyS0 quiet panic=-1 wb.scenario=classic'
	kexec=$(wb_kexec_bin)
	wb_vmlinux
	wb_mkinitrd -z "$w/stage5.img" stage5
	wb_mkinitrd -s "$d/stage4.sh" -k "$kexec" -b "$w/stage5.img" \
		"$w/stage4.img" stage4
	wb_mkinitrd -s "$d/stage3.sh" -k "$kexec" -b "$w/stage4.img" \
		"$w/stage3.img" stage3
	wb_mkinitrd -s "$d/stage2.sh" -k "$kexec" -b "$w/stage3.img" \
		"$w/stage2.img" stage2
	wb_mkinitrd -s "$d/stage1.sh" -k "$kexec" -b "$w/stage2.img" \
		-f "$WB_VMLINUX:/boot/vmlinux-$WB_KVER" "$w/stage1.img" stage1
	wb_qemu classic "$w/stage1.img" "$append" || rc=$?
	local log=$WB_LOGS/classic.log
	wb_guest_results classic "$log"
	wb_run_checks classic "$log" "$rc" 1 stage1 stage2 stage3 stage4 stage5

	# Stage N+1 sees exactly stage N's line (--reuse-cmdline) plus the
	# --append word, bar trailing blanks.
	local s=() words=(wb.elf=1 wb.c=1 wb.i=1 wb.big=1) names=(elf c no-checks big-initrd)
	for i in 1 2 3 4 5; do
		s[i]=$(wb_boot "$log" "$i" 2)
		s[i]=${s[i]%"${s[i]##*[! ]}"}
	done
	for i in 1 2 3 4; do
		wb_check_eq "classic/${names[i - 1]}-cmdline" "${s[i + 1]}" "${s[i]} ${words[i - 1]}"
	done
	wb_check_eq classic/big-initrd-marker "$(wb_boot "$log" 5 3)" stage5

	# Purgatory reports on the serial port only with --console-serial.
	wb_check_eq classic/elf-purgatory "$(wb_purgatory_says "$log" 1)" ""
	wb_check_eq classic/c-purgatory "$(wb_purgatory_says "$log" 2)" "warmboot purgatory: ok (sha256)"
	wb_check_eq classic/no-checks-purgatory "$(wb_purgatory_says "$log" 3)" \
		"warmboot purgatory: ok (check skipped)"
	# The CRC32C implementation is the one the loader timed faster here (the tables under TCG).
	local big
	big=$(wb_purgatory_says "$log" 4)
	case $big in
	"warmboot purgatory: ok (crc32c/table)" | "warmboot purgatory: ok (crc32c/insn)")
		wb_pass classic/big-initrd-purgatory ;;
	*) wb_fail classic/big-initrd-purgatory "got '$big'"
		wb_note "want 'warmboot purgatory: ok (crc32c/table)' or '... (crc32c/insn)'" ;;
	esac
}
