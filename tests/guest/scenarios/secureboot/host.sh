#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# secureboot: UEFI Secure Boot for real. OVMF's Secure Boot build with
# Debian's "snakeoil" test variables (PK, KEK and db hold the snakeoil
# certificate, whose key ships in the ovmf package for such tests) boots
# the guest kernel re-signed with that key; the kernel sees Secure Boot,
# locks itself down (integrity) and puts the db certificate in its
# platform keyring. kexec_file_load then takes that signed kernel and
# boots it; kexec_load and Debian's own signature (its CA is not in this
# db) are refused. One QEMU run with -no-reboot: a firmware reboot would
# end it, so stage 2 can only have come through kexec.
set -eu

scenario_secureboot() {
	local d=$WB_GUEST/scenarios/secureboot w=$WB_WORK/secureboot rc=0
	local append='console=ttyS0 quiet panic=-1 wb.scenario=secureboot'
	local ovmf=/usr/share/OVMF sk=/usr/share/ovmf/PkKek-1-snakeoil
	mkdir -p "$w"

	# The Debian signature removed, the snakeoil one added.
	cp "$WB_VMLINUZ" "$w/vmlinuz.nosig"
	sbattach --remove "$w/vmlinuz.nosig" >/dev/null
	openssl pkey -in "$sk.key" -passin pass:snakeoil -out "$w/snakeoil.key"
	sbsign --key "$w/snakeoil.key" --cert "$sk.pem" --output "$w/vmlinuz.signed" \
		"$w/vmlinuz.nosig" >/dev/null 2>&1 || wb_die "sbsign failed"
	cp "$ovmf/OVMF_VARS_4M.snakeoil.fd" "$w/vars.fd"

	wb_mkinitrd -z -s "$d/stage2.sh" "$w/stage2.img" stage2
	wb_mkinitrd -s "$d/stage1.sh" -k "$(wb_kexec_bin)" \
		-f "$w/vmlinuz.signed:/boot/vmlinuz-$WB_KVER" \
		-f "$w/stage2.img:/boot/initrd.img-$WB_KVER" \
		-f "$WB_VMLINUZ:/boot/vmlinuz-debian" \
		-f "${WARMBOOT_BIN:-$WB_ROOT/build/static/warmboot}:/sbin/warmboot" \
		"$w/stage1.img" stage1
	WB_QEMU_KERNEL=$w/vmlinuz.signed \
		WB_QEMU_EXTRA="-machine q35,smm=on -global driver=cfi.pflash01,property=secure,value=on
			-drive if=pflash,format=raw,unit=0,readonly=on,file=$ovmf/OVMF_CODE_4M.secboot.fd
			-drive if=pflash,format=raw,unit=1,file=$w/vars.fd" \
		wb_qemu secureboot "$w/stage1.img" "$append" || rc=$?
	local log=$WB_LOGS/secureboot.log
	wb_guest_results secureboot "$log"
	# OVMF prints no banner on the serial port: none to count.
	wb_run_checks secureboot "$log" "$rc" 0 stage1 stage2
}
