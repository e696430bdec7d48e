# SPDX-License-Identifier: MIT
# systemd, three boots:
#  1 (firmware)  install a kernel package of another version: its postinst
#                hook (/etc/kernel/postinst.d/zz-warmboot) records it
#  2 (kexec)     host: no banner; it runs the new kernel. Then a kernel
#                loaded by hand, `warmboot disable`, and `reboot`
#  3 (firmware)  host: a banner: the reboot unloaded it
. "$WB_LIB/scenarios/common.sh"

boot_1() {
	deb=$(ls /var/cache/wb-test/linux-image-*.deb | head -n 1)
	new=$(dpkg-deb -f "$deb" Package | sed 's/^linux-image-//')
	echo "$new" >"$WB_STATE/kernel.new"
	sync
	wb_ok newkernel/enable warmboot enable
	wb_eq newkernel/hook-installed "$([ -x /etc/kernel/postinst.d/zz-warmboot ] && echo yes)" yes
	echo "WB-INSTALL-START $new"
	# --force-unsafe-io: no fsync per file (minutes under TCG); the hooks
	# run as in any installation.
	if dpkg --force-unsafe-io -i "$deb" >"$WB_STATE/dpkg.log" 2>&1; then
		wb_pass newkernel/dpkg-install
	else
		wb_fail newkernel/dpkg-install "dpkg -i $deb failed"
		tail -n 10 "$WB_STATE/dpkg.log" | sed 's/^/WB-DETAIL newkernel\/dpkg-install: /'
	fi
	echo "WB-INSTALL-END"
	grep -i warmboot "$WB_STATE/dpkg.log" | sed 's/^/WB-DPKG /'
	wb_eq newkernel/initrd-built "$([ -s "/boot/initrd.img-$new" ] && echo yes)" yes
	wb_status installed
	wb_eq newkernel/status-kernel "$(wb_json kernel)" "/boot/vmlinuz-$new"
	wb_eq newkernel/status-initrd "$(wb_json initrd)" "/boot/initrd.img-$new"
	wb_eq newkernel/next-kexec "$(wb_json next_reboot)" kexec
	wb_reboot systemctl reboot
}

boot_2() {
	wb_eq newkernel/booted-new "$(uname -r)" "$(cat "$WB_STATE/kernel.new")"
	wb_ok disable/load warmboot load
	wb_eq disable/loaded "$(cat /sys/kernel/kexec_loaded)" 1
	wb_ok disable/disable warmboot disable
	wb_status disabled
	wb_eq disable/next-firmware "$(wb_json next_reboot)" firmware
	wb_eq disable/enabled-false "$(wb_json enabled)" false
	wb_reboot reboot
}

boot_3() {
	wb_eq disable/still-disabled "$(grep '^ENABLED=' /etc/warmboot.conf | tail -n 1)" ENABLED=no
	wb_done
}
