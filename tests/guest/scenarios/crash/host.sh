#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# crash: panic-kernel load/unload, then a real panic into the crash kernel.
set -eu

scenario_crash() {
	local d=$WB_GUEST/scenarios/crash w=$WB_WORK/crash rc=0 s1 s2
	local append='BOOT_IMAGE=/vmlinuz console=ttyS0 quiet panic=-1 crashkernel=256M wb.scenario=crash'
	wb_mkinitrd -z -s "$d/stage2.sh" "$w/stage2.img" stage2
	wb_mkinitrd -s "$d/stage1.sh" -k "$(wb_kexec_bin)" -b "$w/stage2.img" \
		"$w/stage1.img" stage1
	wb_qemu crash "$w/stage1.img" "$append" || rc=$?
	local log=$WB_LOGS/crash.log
	wb_guest_results crash "$log"
	wb_run_checks crash "$log" "$rc" 1 stage1 stage2
	s1=$(wb_boot "$log" 1 2)
	s2=$(wb_boot "$log" 2 2)
	# --reuse-cmdline for a panic kernel drops BOOT_IMAGE= and crashkernel=
	# (as kexec-tools does); the loader adds elfcorehdr= (and memmap=,
	# acpi_rsdp= on the kexec_load path), which the comparison ignores.
	wb_check_eq crash/panic-cmdline "$(wb_words "$s2" elfcorehdr memmap acpi_rsdp disable_cpu_apicid)" \
		"$(wb_words "$s1" BOOT_IMAGE crashkernel)"
	case " $s2 " in
	*" elfcorehdr="*) wb_pass crash/elfcorehdr ;;
	*) wb_fail crash/elfcorehdr "no elfcorehdr= in '$s2'" ;;
	esac
}
