#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# crash: panic-kernel load/unload, then a real panic into the crash kernel,
# once through kexec_file_load (the default) and once through kexec_load
# (-c, where warmboot builds the ELF core header itself). The crash kernel
# reads the dump with vmcore-dmesg.
set -eu

# crash_boot NAME MODE: one boot; MODE is passed to stage 1 as wb.mode=.
crash_boot() {
	local name=$1 mode=$2 d=$WB_GUEST/scenarios/crash w=$WB_WORK/$1 rc=0 s1 s2
	local append="BOOT_IMAGE=/vmlinuz console=ttyS0 quiet panic=-1 crashkernel=256M wb.scenario=$name wb.mode=$mode"
	local vd=$WB_BUILD/static/vmcore-dmesg
	[ -x "$vd" ] || wb_die "no $vd: run make static"
	wb_mkinitrd -z -s "$d/stage2.sh" -f "$vd:/sbin/vmcore-dmesg" "$w/stage2.img" stage2
	wb_mkinitrd -s "$d/stage1.sh" -k "$(wb_kexec_bin)" -b "$w/stage2.img" \
		"$w/stage1.img" stage1
	# Two CPUs: the dump has one crash note each.
	WB_QEMU_EXTRA="-smp 2" wb_qemu "$name" "$w/stage1.img" "$append" || rc=$?
	local log=$WB_LOGS/$name.log
	wb_guest_results "$name" "$log"
	wb_run_checks "$name" "$log" "$rc" 1 stage1 stage2
	s1=$(wb_boot "$log" 1 2)
	s2=$(wb_boot "$log" 2 2)
	# --reuse-cmdline for a panic kernel drops BOOT_IMAGE= and crashkernel=
	# (as kexec-tools does); the loader adds elfcorehdr=, stage 1 the
	# expected dump size (wb.ram=) and the capture kernel's usual words.
	wb_check_eq "$name/panic-cmdline" \
		"$(wb_words "$s2" elfcorehdr wb.ram irqpoll nr_cpus reset_devices)" \
		"$(wb_words "$s1" BOOT_IMAGE crashkernel)"
	case " $s2 " in
	*" elfcorehdr="*) wb_pass "$name/elfcorehdr" ;;
	*) wb_fail "$name/elfcorehdr" "no elfcorehdr= in '$s2'" ;;
	esac
}

scenario_crash() {
	crash_boot crash ""
	crash_boot crash-classic -c
}
