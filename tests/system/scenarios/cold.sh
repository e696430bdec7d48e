# SPDX-License-Identifier: MIT
# systemd: `warmboot cold` makes the next reboot a firmware one (host: a
# banner before boot 2), and the one after is a kexec reboot again.
. "$WB_LIB/scenarios/common.sh"

boot_1() {
	wb_ok cold/enable warmboot enable
	wb_reboot warmboot cold
}

boot_2() {
	wb_status after-cold
	wb_eq cold/after-cold-pending "$(wb_json cold_pending)" false
	wb_eq cold/after-cold-next-kexec "$(wb_json next_reboot)" kexec
	wb_eq cold/still-enabled "$(wb_json enabled)" true
	wb_eq cold/this-boot-firmware "$(wb_json this_boot)" firmware
	wb_reboot systemctl reboot
}

boot_3() {
	# --no-reboot arms it only.
	wb_ok cold/no-reboot warmboot cold --no-reboot
	wb_status cold-armed
	wb_eq cold/armed-pending "$(wb_json cold_pending)" true
	wb_eq cold/armed-next-firmware "$(wb_json next_reboot)" firmware
	wb_eq cold/armed-reason-given "$([ -n "$(wb_json reason)" ] && [ "$(wb_json reason)" != null ] && echo yes)" yes
	wb_done
}
