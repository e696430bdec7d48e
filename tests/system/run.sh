#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# System tests: warmboot installed (make install DESTDIR=) into a real
# Debian 12 guest, booted in QEMU (TCG) from a virtio disk with the
# image's own kernel and initrd, rebooted through systemd or sysvinit;
# and into a Debian 13 guest (systemd 257, whose `systemctl reboot` kexecs
# by itself when a kernel is loaded already).
# Each scenario reads the serial log: a kexec reboot shows no second
# "SeaBIOS (version" banner. Prints PASS/FAIL lines, then
# "N passed, N failed".
#
#   tests/system/run.sh [FILTER]    FILTER: substring of scenario names
#
# Env: WB_SYS_JOBS (QEMUs at once, default 2), WB_SYS_TIMEOUT (seconds
# per scenario, default 900), KEXEC_BIN / WARMBOOT_BIN (default
# build/static/kexec and build/static/warmboot; while the latter does not
# exist, a stand-in script is installed and said so).
#
# Nothing here loads or executes a kernel on this machine, and nothing is
# installed into its /: every reboot happens inside QEMU.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=../guest/lib.sh
. "$root/tests/guest/lib.sh"

# name:variant, in the order results are printed
# (the longest first: two run at once)
scenarios="kexec255:trixie newkernel:systemd kexec:systemd cold:systemd sysvinit:sysvinit"
filter=${1:-}
jobs=${WB_SYS_JOBS:-2}
timeout=${WB_SYS_TIMEOUT:-900}
logs=$root/build/system-logs
work=$root/build/system-work
kexec_bin=${KEXEC_BIN:-$root/build/static/kexec}
warmboot_bin=${WARMBOOT_BIN:-$root/build/static/warmboot}

finish() {
	echo "$WB_PASSED passed, $WB_FAILED failed"
	[ "$WB_FAILED" = 0 ] && [ "$WB_PASSED" -gt 0 ]
}

# A variant is a tree of an image (image.sh SUITE): its Debian suite, the
# tree's folder there, and the init system that tree boots.
variant_suite() { case $1 in trixie) echo trixie ;; *) echo bookworm ;; esac; }
variant_tree() { case $1 in sysvinit) echo sysvinit ;; *) echo systemd ;; esac; }
# Field KEY of image DIR's info file.
info() { sed -n "s/^$2=//p" "$1/info"; }

"$root/tests/guest/deps.sh"
t_start=$(date +%s)

selected=
for s in $scenarios; do
	case ${s%%:*} in *"$filter"*) selected="$selected $s" ;; esac
done
[ -n "$selected" ] || { echo "no scenario matches '$filter'"; exit 1; }
variants=$(for s in $selected; do echo "${s#*:}"; done | sort -u)
suites=$(for v in $variants; do variant_suite "$v"; done | sort -u)

rm -rf "$work"
mkdir -p "$work" "$logs"
rm -f "$logs"/*

# ------------------------------------------------------------------ images

# The images the selected scenarios need, built at once when missing
# (debootstrap: network and dpkg bound).
t0=$(date +%s)
for s in $suites; do
	"$here/image.sh" "$s" >"$work/image.$s" &
done
for s in $suites; do
	wait -n || { wb_fail setup/image "tests/system/image.sh failed"; finish; exit 1; }
done
t_image=$(($(date +%s) - t0))
declare -A cache kver kver2
for s in $suites; do
	cache[$s]=$(cat "$work/image.$s")
	kver[$s]=$(info "${cache[$s]}" KVER)
	kver2[$s]=$(info "${cache[$s]}" KVER2)
	echo "guest image ${cache[$s]#"$root"/} (kernel ${kver[$s]}${kver2[$s]:+, second kernel ${kver2[$s]}})"
done
echo "images ready in ${t_image} s"

[ -x "$kexec_bin" ] || { wb_fail setup/kexec "no $kexec_bin (make static)"; finish; exit 1; }

# ------------------------------------------------------------------ disks

# make_disk VARIANT: copy the cached tree, install warmboot and the test
# runner into the copy, make it an ext4 disk, extract the kernel/initrd.
make_disk() {
	local v=$1 st=$work/$1.root s
	s=$(variant_suite "$v")
	cp -a "${cache[$s]}/$(variant_tree "$v")/root" "$st"
	# make install-static: make install, then the static binaries over it.
	# Should the whole install fail (e.g. a file of another part of the
	# tree not written yet), install ours and the binaries, and say so.
	if ! make -s -C "$root" install-static DESTDIR="$st" >"$work/$v.install.log" 2>&1; then
		echo "note: make install-static failed ($(grep -m 1 -iE 'error|cannot' "$work/$v.install.log")); installed install-integration and the static binaries only" >>"$work/notes"
		make -s -C "$root" install-integration DESTDIR="$st" >>"$work/$v.install.log" 2>&1 ||
			{ cat "$work/$v.install.log" >&2; return 1; }
		install -D -m 0755 "$kexec_bin" "$st/usr/sbin/kexec"
		[ ! -x "$warmboot_bin" ] || install -D -m 0755 "$warmboot_bin" "$st/usr/sbin/warmboot"
	fi
	# Static binaries only: the guest's libc is not this machine's business.
	for b in kexec warmboot; do
		[ ! -e "$st/usr/sbin/$b" ] || ! file "$st/usr/sbin/$b" | grep -q 'dynamically linked' ||
			echo "note: the guest's /usr/sbin/$b is dynamically linked" >>"$work/notes"
	done
	if [ ! -x "$st/usr/sbin/warmboot" ]; then
		if [ -x "$warmboot_bin" ]; then
			install -m 0755 "$warmboot_bin" "$st/usr/sbin/warmboot"
			echo "note: make install did not install warmboot; copied ${warmboot_bin#"$root"/}" >>"$work/notes"
		else
			install -m 0755 "$here/guest/warmboot-standin" "$st/usr/sbin/warmboot"
			echo "note: no ${warmboot_bin#"$root"/}: the guests run tests/system/guest/warmboot-standin" >>"$work/notes"
		fi
	fi
	if [ "$v" = sysvinit ]; then
		chroot "$st" update-rc.d warmboot-load defaults >>"$work/$v.install.log" 2>&1 &&
			chroot "$st" update-rc.d warmboot-kexec defaults >>"$work/$v.install.log" 2>&1 ||
			{ cat "$work/$v.install.log" >&2; return 1; }
	fi
	mkdir -p "$st/usr/local/lib/wb-test/scenarios"
	install -m 0755 "$here/guest/boot" "$st/usr/local/lib/wb-test/boot"
	cp "$here"/scenarios/*.sh "$st/usr/local/lib/wb-test/scenarios/"
	cp "$st/boot/vmlinuz-${kver[$s]}" "$work/$v.vmlinuz"
	cp "$st/boot/initrd.img-${kver[$s]}" "$work/$v.initrd"
	mkfs.ext4 -q -F -L wbroot -d "$st" "$work/$v.raw" 3G >"$work/$v.mkfs.log" 2>&1 ||
		{ cat "$work/$v.mkfs.log" >&2; return 1; }
	rm -rf "$st"
}

t0=$(date +%s)
for v in $variants; do
	make_disk "$v" || { wb_fail "setup/disk-$v" "cannot make the $v disk"; finish; exit 1; }
done
t_disks=$(($(date +%s) - t0))
[ -e "$work/notes" ] && sort -u "$work/notes"
echo "disks ready in ${t_disks} s"

# ------------------------------------------------------------------ QEMU

# boot_guest NAME VARIANT: boot a fresh overlay of the variant's disk with
# wb.test=NAME until the guest powers off; log in $logs/NAME.log.
# cache=unsafe: the guest's flushes return at once (the disk lives as long
# as QEMU, across the guest's reboots, so what the guest wrote is kept
# whatever it flushed); it spares TCG the host's fsyncs.
boot_guest() {
	local name=$1 v=$2 ov=$work/$1.qcow2 rc=0
	qemu-img create -q -f qcow2 -F raw -b "$work/$v.raw" "$ov"
	local fifo=$work/$name.fifo
	mkfifo "$fifo"
	timeout -k 5 "$timeout" qemu-system-x86_64 -accel tcg -cpu max -m 1024 -nographic \
		-nic none -kernel "$work/$v.vmlinuz" -initrd "$work/$v.initrd" \
		-append "root=/dev/vda rw console=ttyS0 wb.test=$name" \
		-drive "file=$ov,if=virtio,format=qcow2,cache=unsafe" \
		</dev/null >"$fifo" 2>"$logs/$name.qemu.err" &
	local qpid=$!
	WB_QPID=$qpid
	echo "$qpid" >"$work/$name.qpid"
	wb_stamp "$qpid" "" 1 <"$fifo" >"$logs/$name.log" || true
	wait "$qpid" || rc=$?
	WB_QPID=
	rm -f "$fifo" "$ov" "$work/$name.qpid"
	return $rc
}

# ------------------------------------------------------------------ checks

# How each boot was reached, in order: "fw" when a firmware banner came
# before it (since the previous boot), "kexec" otherwise.
boot_path() {
	wb_text "$1" | awk '
		index($0, "SeaBIOS (version") { fw = 1 }
		index($0, "WB-BOOT n=") { printf "%s%s", sep, (fw ? "fw" : "kexec"); sep = " "; fw = 0 }
		END { print "" }'
}
# Field KEY of the WB-BOOT line of boot N.
boot_field() {
	awk -v n="$2" -v k="$3" '
		index($0, "] WB-BOOT n=" n " ") {
			for (i = 1; i <= NF; i++) if (index($i, k "=") == 1) { print substr($i, length(k) + 2); exit }
		}' "$1"
}
# Host milliseconds each reboot took: WB-REBOOT to the next WB-BOOT.
reboot_times() {
	awk '
		/WB-REBOOT/ { t = $0; sub(/^\[ */, "", t); sub(/\].*/, "", t); r = t; how = $0; sub(/.*WB-REBOOT /, "", how) }
		/WB-BOOT n=/ && r != "" { t = $0; sub(/^\[ */, "", t); sub(/\].*/, "", t); printf "%s%s: %.1f s", sep, how, (t - r) / 1000; sep = ", "; r = "" }
		END { print "" }' "$1"
}

# check_scenario NAME VARIANT QEMU_RC: the checks common to every scenario,
# then the scenario's own. Prints PASS/FAIL lines.
check_scenario() {
	local name=$1 v=$2 qrc=$3 log=$logs/$1.log want path n i s init
	s=$(variant_suite "$v")
	init=$(variant_tree "$v")
	case $name in
	kexec | newkernel | kexec255) want="fw kexec fw" ;;
	cold) want="fw fw kexec" ;;
	sysvinit) want="fw kexec" ;;
	esac
	case $qrc in
	0) wb_pass "$name/qemu-exit" ;;
	124) wb_fail "$name/qemu-exit" "QEMU timed out after ${timeout}s" ;;
	*) wb_fail "$name/qemu-exit" "QEMU exited with status $qrc" ;;
	esac
	path=$(boot_path "$log")
	wb_check_eq "$name/boot-path" "$path" "$want"
	if grep -aq '^\[ *[0-9]*\] WB-DONE' "$log"; then
		wb_pass "$name/guest-finished"
	else
		wb_fail "$name/guest-finished" "no WB-DONE in the log"
	fi
	# The guest's own checks (their names start with the scenario's).
	local line rest
	while IFS= read -r line; do
		case $line in
		WB-PASS\ *) wb_pass "${line#WB-PASS }" ;;
		WB-FAIL\ *) rest=${line#WB-FAIL }; wb_fail "${rest%%: *}" "${rest#*: }" ;;
		WB-DETAIL\ *) rest=${line#WB-DETAIL }; wb_note "${rest#*: }" ;;
		esac
	done < <(wb_text "$log")
	# Every boot ran the scenario's init: the one of its variant.
	n=$(grep -ac '^\[ *[0-9]*\] WB-BOOT n=' "$log" || true)
	for i in $(seq 1 "$n"); do
		[ "$(boot_field "$log" "$i" init)" = "$init" ] ||
			wb_fail "$name/init-$i" "boot $i ran $(boot_field "$log" "$i" init), not $init"
	done
	# The loader field of kexec boots: the kernel's kexec loaders write
	# their own type_of_loader, QEMU's direct boot writes 0xb0.
	set -- $path
	for i in $(seq 1 $#); do
		local how=${!i} ldr
		ldr=$(boot_field "$log" "$i" loader)
		if [ "$how" = kexec ]; then
			[ "$ldr" != 0xb0 ] || wb_fail "$name/loader-$i" "kexec boot $i says type_of_loader $ldr, as QEMU's"
		else
			[ "$ldr" = 0xb0 ] || wb_fail "$name/loader-$i" "firmware boot $i says type_of_loader $ldr, not QEMU's 0xb0"
		fi
	done
	case $name in
	kexec | newkernel | cold | kexec255)
		# systemd-shutdown's own words for the kexec ending (252 and 257).
		if grep -aq 'systemd-shutdown\[1\]: Rebooting with kexec' "$log"; then
			wb_pass "$name/systemd-shutdown-kexec"
		else
			wb_fail "$name/systemd-shutdown-kexec" "no 'systemd-shutdown[1]: Rebooting with kexec.' on the console"
		fi
		;;
	sysvinit)
		if grep -aq 'warmboot: rebooting with kexec' "$log"; then
			wb_pass "$name/rc6-kexec"
		else
			wb_fail "$name/rc6-kexec" "no 'warmboot: rebooting with kexec' from /etc/init.d/warmboot-kexec"
		fi
		;;
	esac
	case $name in
	newkernel)
		wb_check_eq "$name/kernel-after-reboot" "$(boot_field "$log" 2 kernel)" "${kver2[$s]}" ;;
	kexec | sysvinit | kexec255)
		wb_check_eq "$name/kernel-after-reboot" "$(boot_field "$log" 2 kernel)" "${kver[$s]}" ;;
	esac
}

run_scenario() {
	local name=$1 v=$2 qrc=0 t0
	# A background subshell: stop our QEMU when the run is stopped.
	trap '[ -z "${WB_QPID:-}" ] || kill "$WB_QPID" 2>/dev/null; exit 143' TERM INT
	t0=$(date +%s)
	boot_guest "$name" "$v" || qrc=$?
	{
		WB_PASSED=0 WB_FAILED=0
		check_scenario "$name" "$v" "$qrc"
		if [ "$WB_FAILED" != 0 ]; then
			wb_note "log: build/system-logs/$name.log" "last lines:"
			wb_text "$logs/$name.log" | grep -av '^ *$' | tail -n 8 | sed 's/^/     |   /'
		fi
		echo "  ($name: $(($(date +%s) - t0)) s; reboots: $(reboot_times "$logs/$name.log"))"
	} >"$logs/$name.result" 2>&1
}

# Stopped (^C, timeout): stop the scenarios still running, and so their QEMUs.
stop_jobs() {
	local p f
	for f in "$work"/*.qpid; do
		[ -e "$f" ] && kill -TERM "$(cat "$f")" 2>/dev/null
	done
	for p in $(jobs -p); do kill -TERM "$p" 2>/dev/null || true; done
	wb_cleanup
}
trap stop_jobs EXIT
t0=$(date +%s)
running=0
for s in $selected; do
	if [ "$running" -ge "$jobs" ]; then
		wait -n || true
		running=$((running - 1))
	fi
	run_scenario "${s%%:*}" "${s#*:}" &
	running=$((running + 1))
done
wait
t_tests=$(($(date +%s) - t0))

for s in $selected; do
	name=${s%%:*}
	if [ -s "$logs/$name.result" ]; then
		while IFS= read -r line; do
			case $line in
			PASS\ *) wb_pass "${line#PASS }" ;;
			FAIL\ *) rest=${line#FAIL }; wb_fail "${rest%%: *}" "${rest#*: }" ;;
			*) printf '%s\n' "$line" ;;
			esac
		done <"$logs/$name.result"
	else
		wb_fail "$name/ran" "no result (see build/system-logs/$name.log)"
	fi
done
echo "  (image ${t_image} s, disks ${t_disks} s, scenarios ${t_tests} s, total $(($(date +%s) - t_start)) s)"
finish
