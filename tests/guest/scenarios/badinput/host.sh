#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# badinput: one boot without crashkernel=; all checks run in the guest.
set -eu

# badinput_elf OUT: a small x86_64 ELF executable whose one PT_LOAD (4 KiB,
# entry at its start) sits at 0x200000000000, above any RAM the guest has.
badinput_elf() {
	perl -e '
		my $at = 0x200000000000;
		my $ehdr = pack("a4 C C C C x8 v v V Q< Q< Q< V v v v v v v",
			"\x7fELF", 2, 1, 1, 0,         # ELF64, little-endian, SysV
			2, 62, 1, $at, 64, 0, 0,        # ET_EXEC, EM_X86_64, entry, e_phoff
			64, 56, 1, 64, 0, 0);           # sizes, one program header
		my $phdr = pack("V V Q< Q< Q< Q< Q< Q<",
			1, 5, 0x1000, $at, $at, 0x1000, 0x1000, 0x1000); # PT_LOAD R+X
		my $head = $ehdr . $phdr;
		print $head, "\0" x (0x1000 - length($head)), "\xf4" x 0x1000;
	' >"$1"
}

# badinput_elf_overlap OUT: an x86_64 ELF executable whose two PT_LOADs,
# both in RAM, overlap: [0x1000000, 0x1002000) and [0x1001000, 0x1002000).
badinput_elf_overlap() {
	perl -e '
		my $ehdr = pack("a4 C C C C x8 v v V Q< Q< Q< V v v v v v v",
			"\x7fELF", 2, 1, 1, 0,         # ELF64, little-endian, SysV
			2, 62, 1, 0x1000000, 64, 0, 0,  # ET_EXEC, EM_X86_64, entry, e_phoff
			64, 56, 2, 64, 0, 0);           # sizes, two program headers
		my $ph0 = pack("V V Q< Q< Q< Q< Q< Q<",
			1, 5, 0x1000, 0x1000000, 0x1000000, 0x1000, 0x2000, 0x1000);
		my $ph1 = pack("V V Q< Q< Q< Q< Q< Q<",
			1, 6, 0x2000, 0x1001000, 0x1001000, 0x1000, 0x1000, 0x1000);
		my $head = $ehdr . $ph0 . $ph1;
		print $head, "\0" x (0x1000 - length($head)), "\xf4" x 0x2000;
	' >"$1"
}

scenario_badinput() {
	local d=$WB_GUEST/scenarios/badinput w=$WB_WORK/badinput rc=0
	local append='console=ttyS0 quiet panic=-1 wb.scenario=badinput'
	mkdir -p "$w"
	badinput_elf "$w/vmlinux-outside-ram"
	badinput_elf_overlap "$w/vmlinux-overlap"
	# Runs a command as root without CAP_SYS_BOOT (busybox has no way to).
	${MUSL_CC:-musl-gcc} -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Os -static \
		-o "$w/nocap" "$WB_GUEST/nocap.c"
	wb_mkinitrd -z "$w/stage2.img" stage2
	wb_mkinitrd -s "$d/stage1.sh" -k "$(wb_kexec_bin)" -b "$w/stage2.img" \
		-f "$w/vmlinux-outside-ram:/boot/vmlinux-outside-ram" \
		-f "$w/vmlinux-overlap:/boot/vmlinux-overlap" \
		-f "$w/nocap:/sbin/nocap" "$w/stage1.img" stage1
	wb_qemu badinput "$w/stage1.img" "$append" || rc=$?
	local log=$WB_LOGS/badinput.log
	wb_guest_results badinput "$log"
	wb_run_checks badinput "$log" "$rc" 1 stage1
}
