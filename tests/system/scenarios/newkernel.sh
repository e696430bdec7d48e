# SPDX-License-Identifier: MIT
# systemd, three boots:
#  1 (firmware)  install a kernel package of another version (a real
#                bookworm one, image.sh downloads it): its postinst hook
#                (/etc/kernel/postinst.d/zz-warmboot) records it
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
	# Its output goes to the console as it comes (the host stamps it).
	# INITRD=No: the initramfs hook skips (mkinitramfs takes minutes under
	# TCG); image.sh made this kernel's initramfs with the same tools, and
	# it is put in place below. Every other hook runs, ours last.
	if { INITRD=No dpkg --force-unsafe-io -i "$deb" 2>&1; echo "rc=$?" >"$WB_STATE/dpkg.rc"; } |
		tee "$WB_STATE/dpkg.log" | sed -u 's/^/WB-DPKG /' && [ "$(cat "$WB_STATE/dpkg.rc")" = rc=0 ]; then
		wb_pass newkernel/dpkg-install
	else
		wb_fail newkernel/dpkg-install "dpkg -i $deb failed ($(cat "$WB_STATE/dpkg.rc"))"
	fi
	echo "WB-INSTALL-END"
	# The hook is quiet when it works.
	if grep -qi 'warmboot' "$WB_STATE/dpkg.log"; then
		wb_fail newkernel/hook-quiet "the hook printed: $(grep -i warmboot "$WB_STATE/dpkg.log" | head -n 2 | tr '\n' '|')"
	else
		wb_pass newkernel/hook-quiet
	fi
	cp "/var/cache/wb-test/initrd.img-$new" "/boot/initrd.img-$new"
	wb_eq newkernel/initrd-in-place "$([ -s "/boot/initrd.img-$new" ] && echo yes)" yes
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
