# SPDX-License-Identifier: MIT
# sysvinit: `warmboot enable`, then `reboot`: runlevel 6 loads the kernel
# (/etc/init.d/warmboot-load) and ends in kexec -e after umountroot
# (/etc/init.d/warmboot-kexec); no second firmware banner, data intact.
. "$WB_LIB/scenarios/common.sh"

boot_1() {
	wb_eq sysvinit/init "$WB_INIT" sysvinit
	ls /etc/rc6.d | tr '\n' ' ' | sed 's/^/WB-RC6 /'
	echo
	wb_ok sysvinit/enable warmboot enable
	wb_status enabled
	wb_eq sysvinit/next-kexec "$(wb_json next_reboot)" kexec
	wb_eq sysvinit/nothing-loaded-at-boot "$(cat /sys/kernel/kexec_loaded)" 0
	wb_write_data
	wb_reboot reboot
}

boot_2() {
	wb_check_data sysvinit
	wb_status after-kexec
	wb_eq sysvinit/this-boot-kexec "$(wb_json this_boot)" kexec
	wb_done
}
