# SPDX-License-Identifier: MIT
# Guest-side helpers shared by the scenarios (sourced by guest/boot).

# Write DATA (4 MiB of random bytes) to /root/wb-data *without* fsync just
# before a reboot; its digest is kept (synced) beforehand to compare after.
wb_write_data() {
	head -c 4194304 /dev/urandom >/run/wb-data
	sha256sum </run/wb-data | cut -d ' ' -f 1 >"$WB_STATE/data.sha256"
	cat /proc/cmdline >"$WB_STATE/cmdline.before"
	uname -r >"$WB_STATE/kernel.before"
	sync
	# From here on nothing calls sync or fsync: the reboot must write it.
	cp /run/wb-data /root/wb-data
}
wb_check_data() {
	wb_eq "$1/data-intact" "$(sha256sum </root/wb-data | cut -d ' ' -f 1)" "$(cat "$WB_STATE/data.sha256")"
	wb_eq "$1/cmdline-kept" "$(cat /proc/cmdline)" "$(cat "$WB_STATE/cmdline.before")"
}
# How the last boot ended, as its journal tells (systemd only).
wb_last_journal() {
	journalctl -b -1 -o short-monotonic --no-pager 2>/dev/null | tail -n "${1:-6}" | sed 's/^/WB-JOURNAL-1 /'
}
