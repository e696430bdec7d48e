#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# Reboot time in the Debian 12 system guest of tests/system (systemd,
# Debian's own kernel and initramfs, root on a virtio disk, warmboot
# installed with make install-static): from `systemctl reboot` to the next
# boot's login prompt on the serial console, through the firmware (SeaBIOS,
# OVMF) or through warmboot's kexec reboot (kexec_file_load, kexec_load).
#
#   bench/system.sh SAMPLES     appends "reboot-sys/<fw>/<method><TAB>ms"
#                               and "reboot-sys-boot/...": the new system's
#                               uptime at its prompt (its own boot)
#
# Uses the cached image (tests/system/image.sh --key) when it is there;
# builds it only with BENCH_SYSTEM_IMAGE=build (debootstrap: minutes).
# Exit status 2: no image, nothing measured.
#
# Env: BENCH_ROUNDS (3), BENCH_OVMF, WB_LOGS, WB_WORK (as run.sh).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
samples=$1
# shellcheck source=../tests/guest/lib.sh
. "$root/tests/guest/lib.sh"
ROUNDS=${BENCH_ROUNDS:-3}
OVMF=${BENCH_OVMF:-/usr/share/ovmf/OVMF.fd}

cache=$("$root/tests/system/image.sh" --key)
if [ ! -e "$cache/done" ]; then
	if [ "${BENCH_SYSTEM_IMAGE:-}" = build ]; then
		cache=$("$root/tests/system/image.sh")
	else
		echo "bench: no Debian system image at ${cache#"$root"/} (make image, or BENCH_SYSTEM_IMAGE=build)"
		exit 2
	fi
fi
# shellcheck source=/dev/null
. "$cache/info"
w=$WB_WORK/system
rm -rf "$w"
mkdir -p "$w" "$WB_LOGS"
w=$(cd "$w" && pwd)

# The disk: the systemd tree, warmboot installed as the system tests do,
# the serial getty back (the tests mask it), and the reboot driver.
echo "bench: Debian system disk from ${cache#"$root"/} (kernel $KVER)"
st=$w/root
cp -a "$cache/systemd/root" "$st"
make -s -C "$root" install-static DESTDIR="$st" >"$w/install.log" 2>&1 ||
	{ tail -n 20 "$w/install.log" >&2; wb_die "make install-static DESTDIR= failed"; }
rm -f "$st/etc/systemd/system/serial-getty@ttyS0.service" \
	"$st/etc/systemd/system/multi-user.target.wants/wb-test.service"
install -D -m 0755 "$here/guest/reboot" "$st/usr/local/lib/wb-bench/reboot"
cat >"$st/etc/systemd/system/wb-bench.service" <<'EOF'
[Unit]
Description=warmboot bench: reboot timing
After=multi-user.target getty.target
ConditionKernelCommandLine=wb.reboot

[Service]
Type=oneshot
ExecStart=/usr/local/lib/wb-bench/reboot

[Install]
WantedBy=multi-user.target
EOF
ln -sf ../wb-bench.service "$st/etc/systemd/system/multi-user.target.wants/wb-bench.service"
cp "$st/boot/vmlinuz-$KVER" "$w/vmlinuz"
cp "$st/boot/initrd.img-$KVER" "$w/initrd"
mkfs.ext4 -q -F -L wbroot -d "$st" "$w/disk.raw" 3G >"$w/mkfs.log" 2>&1 ||
	{ cat "$w/mkfs.log" >&2; wb_die "mkfs.ext4 failed"; }
rm -rf "$st"

# boot_sys NAME METHODS [QEMU ARGS]: a fresh overlay, ROUNDS reboots with
# each method, in turn, then poweroff. Prints "METHOD<TAB>ms" per reboot.
boot_sys() {
	local name=$1 methods=$2 rc=0 k
	shift 2
	k=$(echo "$methods" | tr , '\n' | wc -l)
	local ov=$w/$name.qcow2 log=$WB_LOGS/$name.log fifo=$w/$name.fifo
	qemu-img create -q -f qcow2 -F raw -b "$w/disk.raw" "$ov"
	mkfifo "$fifo"
	timeout -k 5 $((300 + ROUNDS * k * 300)) qemu-system-x86_64 -accel tcg -cpu max -m "${BENCH_MEM:-2048}" \
		-nographic -nic none -kernel "$w/vmlinuz" -initrd "$w/initrd" \
		-append "root=/dev/vda rw console=ttyS0 ${BENCH_SYS_APPEND-quiet} wb.reboot=$methods wb.rounds=$ROUNDS" \
		-drive "file=$ov,if=virtio,format=qcow2,cache=unsafe" "$@" \
		</dev/null >"$fifo" 2>"$WB_LOGS/$name.qemu.err" &
	WB_QPID=$!
	wb_stamp "$WB_QPID" "" 1 <"$fifo" >"$log" || true
	wait "$WB_QPID" || rc=$?
	WB_QPID=
	rm -f "$fifo" "$ov"
	[ "$rc" = 0 ] || echo "bench: $name: QEMU ended with status $rc (see ${log#"$root"/})" >&2
	# WB-REBOOT to the next boot's WB-SYS-PROMPT (said as soon as agetty has
	# printed the login prompt); and that boot's uptime then: its own boot.
	sed -n 's/^\[ *\([0-9]*\)\] \(.*\)$/\1\t\2/p' "$log" | awk -F '\t' '
		(i = index($2, "WB-REBOOT ")) { t0 = $1; split(substr($2, i + 10), m, " "); next }
		t0 != "" && (i = index($2, "WB-SYS-PROMPT uptime=")) {
			print m[1] "\t" $1 - t0 "\t" int(substr($2, i + 21) * 1000); t0 = ""
		}'
}

# run_sys FW METHODS [QEMU ARGS]
run_sys() {
	local fw=$1 methods=$2 n=0 method ms want
	shift 2
	[ -n "$methods" ] || return 0
	want=$((ROUNDS * $(echo "$methods" | tr , '\n' | wc -l)))
	echo "bench: Debian guest under $fw: $ROUNDS reboots each: ${methods//,/, }"
	while IFS=$'\t' read -r method ms up; do
		printf 'reboot-sys/%s/%s\t%s\n' "$fw" "$method" "$ms" >>"$samples"
		printf 'reboot-sys-boot/%s/%s\t%s\n' "$fw" "$method" "$up" >>"$samples"
		n=$((n + 1))
	done < <(boot_sys "bench-sys-$fw" "$methods" "$@")
	[ "$n" = "$want" ] || echo "bench: Debian guest under $fw: $n of $want reboots timed (see ${WB_LOGS#"$root"/}/bench-sys-$fw.log)"
}

run_sys seabios "${BENCH_SYS_SEABIOS-firmware,kexec-c}"
run_sys ovmf "${BENCH_SYS_OVMF-firmware,kexec-s,kexec-c}" -bios "$OVMF"
rm -f "$w/disk.raw"
