# SPDX-License-Identifier: MIT
# systemd, three boots:
#  1 (firmware)  `warmboot enable`, then `systemctl reboot`
#  2 (kexec)     host: no second firmware banner; the command line is kept
#                and a file written without fsync just before the reboot
#                is intact. Then `warmboot status` in each state, the
#                failure ones too (image deleted, kexec disabled by sysctl),
#                and `systemctl reboot` with kexec disabled
#  3 (firmware)  host: a banner: the failure states told the truth
. "$WB_LIB/scenarios/common.sh"

wb_reason_matches() { # NAME REGEX
	r=$(wb_json reason)
	if printf '%s\n' "$r" | grep -Eiq "$2"; then
		wb_pass "$1"
	else
		wb_fail "$1" "reason '$r' does not match /$2/"
	fi
}

boot_1() {
	wb_status disabled
	wb_eq status/disabled/enabled "$(wb_json enabled)" false
	wb_eq status/disabled/next "$(wb_json next_reboot)" firmware
	wb_reason_matches status/disabled/reason 'disabled|ENABLED'
	wb_eq status/disabled/loaded "$(wb_json loaded)" false
	wb_eq status/disabled/crash-loaded "$(wb_json crash_loaded)" false
	wb_eq status/disabled/cold "$(wb_json cold_pending)" false
	wb_eq status/disabled/this-boot-firmware "$(wb_json this_boot)" firmware
	wb_ok kexec/enable warmboot enable
	wb_eq kexec/conf-enabled "$(grep '^ENABLED=' /etc/warmboot.conf | tail -n 1)" ENABLED=yes
	wb_status enabled
	wb_eq kexec/enabled-next-kexec "$(wb_json next_reboot)" kexec
	# Nothing is loaded while the system runs: only the reboot loads.
	wb_eq kexec/nothing-loaded-at-boot "$(cat /sys/kernel/kexec_loaded)" 0
	wb_eq kexec/load-unit-active "$(systemctl is-active warmboot-load.service)" active
	systemctl show -p After,Requires,RequiresMountsFor,Conflicts,Before warmboot-load.service | sed 's/^/WB-UNIT /'
	systemctl cat systemd-reboot.service | sed 's/^/WB-UNIT /'
	wb_write_data
	wb_reboot systemctl reboot
}

boot_2() {
	wb_check_data kexec
	wb_eq kexec/same-kernel "$(uname -r)" "$(cat "$WB_STATE/kernel.before")"
	wb_last_journal 12

	img=/boot/vmlinuz-$(uname -r)
	wb_status enabled
	wb_eq status/enabled/enabled "$(wb_json enabled)" true
	wb_eq status/enabled/next "$(wb_json next_reboot)" kexec
	wb_eq status/enabled/kernel "$(wb_json kernel)" "$img"
	wb_eq status/enabled/initrd "$(wb_json initrd)" "/boot/initrd.img-$(uname -r)"
	wb_eq status/enabled/cmdline "$(wb_json cmdline)" "$(cat /proc/cmdline)"
	wb_eq status/enabled/syscall-set "$([ "$(wb_json syscall)" != null ] && [ -n "$(wb_json syscall)" ] && echo yes)" yes
	wb_eq status/enabled/loaded "$(wb_json loaded)" false
	wb_eq status/enabled/this-boot-kexec "$(wb_json this_boot)" kexec
	wb_eq status/enabled/type-of-loader "$(wb_json type_of_loader)" 208

	warmboot load
	wb_status loaded
	wb_eq status/loaded/loaded "$(wb_json loaded)" true
	wb_eq status/loaded/kexec_loaded "$(cat /sys/kernel/kexec_loaded)" 1
	kexec -u

	# The image deleted: the next reboot cannot kexec.
	mv "$img" /root/vmlinuz.moved
	wb_status no-image
	wb_eq status/no-image/next "$(wb_json next_reboot)" firmware
	wb_reason_matches status/no-image/reason 'vmlinuz|image|not found|no such|missing'
	if warmboot load >/dev/null 2>&1; then
		wb_fail status/no-image/load-fails "warmboot load succeeded without an image"
	else
		wb_pass status/no-image/load-fails
	fi
	mv /root/vmlinuz.moved "$img"
	wb_status restored
	wb_eq status/restored/next "$(wb_json next_reboot)" kexec

	# kexec disabled until the next boot: this reboot goes through the firmware.
	sysctl -q kernel.kexec_load_disabled=1
	wb_status sysctl-disabled
	wb_eq status/kexec-disabled/next "$(wb_json next_reboot)" firmware
	wb_reason_matches status/kexec-disabled/reason 'kexec_load_disabled|disabled'
	wb_reboot systemctl reboot
}

boot_3() {
	wb_status after-firmware
	wb_eq status/after/next "$(wb_json next_reboot)" kexec
	wb_eq status/after/this-boot-firmware "$(wb_json this_boot)" firmware
	wb_last_journal 8
	wb_done
}
