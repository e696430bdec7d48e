# SPDX-License-Identifier: MIT
# Debian 13, systemd 257. Since 255, `systemctl reboot` (and logind)
# kexec by themselves when a kernel is loaded at the time of the request;
# warmboot loads only during the shutdown, after that decision, so its
# drop-in still makes the final step (systemd-reboot.service) a kexec.
# Three boots:
#  1 (firmware)  `warmboot enable`, then `systemctl reboot`
#  2 (kexec)     host: no second firmware banner; the command line is kept
#                and a file written without fsync just before the reboot
#                is intact; the last boot's journal shows warmboot's final
#                step asked for the kexec. Then `warmboot disable` and
#                `systemctl reboot`
#  3 (firmware)  host: a banner: disabled, nothing was loaded (else
#                systemctl or the final step would have kexec'd)
. "$WB_LIB/scenarios/common.sh"

boot_1() {
	v=$(systemctl --version | awk 'NR == 1 { print $2 }')
	wb_detail kexec255/systemd "systemd $v"
	wb_eq kexec255/systemd-255-or-later "$([ "${v%%[!0-9]*}" -ge 255 ] 2>/dev/null && echo yes)" yes
	wb_ok kexec255/enable warmboot enable
	wb_status enabled
	wb_eq kexec255/enabled-next-kexec "$(wb_json next_reboot)" kexec
	wb_eq kexec255/nothing-loaded-at-boot "$(cat /sys/kernel/kexec_loaded)" 0
	wb_eq kexec255/load-unit-active "$(systemctl is-active warmboot-load.service)" active
	# systemd-shutdown's kexec ending runs this path's `kexec -e` (and
	# reboot(RB_KEXEC) only if it cannot be executed): warmboot's.
	wb_eq kexec255/usr-sbin-kexec-is-warmboot "$(/usr/sbin/kexec --version 2>&1 | grep -c warmboot)" 1
	wb_detail kexec255/shutdown-kexec-path "systemd-shutdown names $(grep -ao '/[a-z/]*sbin/kexec' /usr/lib/systemd/systemd-shutdown | sort -u | paste -sd ' ' -)"
	systemctl cat systemd-reboot.service | sed 's/^/WB-UNIT /'
	wb_write_data
	wb_reboot systemctl reboot
}

boot_2() {
	wb_check_data kexec255
	wb_eq kexec255/same-kernel "$(uname -r)" "$(cat "$WB_STATE/kernel.before")"
	wb_last_journal 12
	# The kexec came from warmboot's final step, not from systemd alone.
	j=$(journalctl -b -1 -o cat --no-pager 2>/dev/null)
	wb_eq kexec255/final-step-asked "$(printf '%s\n' "$j" | grep -c 'a kernel is loaded: rebooting with kexec')" 1
	wb_eq kexec255/manager-kexec "$(printf '%s\n' "$j" | grep -c "Kexec requested from client.*systemd-reboot.service")" 1
	wb_status after-kexec
	wb_eq kexec255/this-boot-kexec "$(wb_json this_boot)" kexec
	wb_eq kexec255/nothing-loaded-after "$(cat /sys/kernel/kexec_loaded)" 0
	wb_ok kexec255/disable warmboot disable
	wb_status disabled
	wb_eq kexec255/disabled-next-firmware "$(wb_json next_reboot)" firmware
	wb_reboot systemctl reboot
}

boot_3() {
	wb_status after-firmware
	wb_eq kexec255/this-boot-firmware "$(wb_json this_boot)" firmware
	wb_eq kexec255/still-disabled "$(grep '^ENABLED=' /etc/warmboot.conf | tail -n 1)" ENABLED=no
	wb_last_journal 8
	wb_done
}
