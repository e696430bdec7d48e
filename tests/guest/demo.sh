#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# Demo: reboot a QEMU guest with our kexec, and cold through SeaBIOS, and
# compare the time from the reboot command to the next kernel's init,
# taken from host timestamps of serial lines.
#
# Env: KEXEC_BIN (default build/static/kexec), WB_CACHE,
#      WB_DEMO_RUNS (default 3: TCG timings are noisy, the best run counts).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
"$here/deps.sh"
# shellcheck source=lib.sh
. "$here/lib.sh"

runs=${WB_DEMO_RUNS:-3}
kexec=$(wb_kexec_bin)
if [ -z "$kexec" ] || [ ! -x "$kexec" ]; then
	wb_die "no executable kexec at ${kexec:-(none)} (build it with: make static)"
fi
wb_kernel
w=$WB_WORK/demo
append='console=ttyS0 quiet panic=-1'

# Both paths boot the next kernel with a small (~1 MB) initramfs.
wb_mkinitrd -z "$w/stage2.img" stage2
wb_mkinitrd -s "$here/demo/kexec.sh" -k "$kexec" -b "$w/stage2.img" \
	"$w/stage1.img" stage1
wb_mkinitrd -z -s "$here/demo/cold.sh" "$w/cold.img" cold

# Milliseconds from the first line holding $2 to the Nth ($4) holding $3.
span() {
	local a b
	a=$(wb_ts "$1" "$2")
	b=$(wb_ts "$1" "$3" "${4:-1}")
	[ -n "$a" ] && [ -n "$b" ] || return 1
	echo $((b - a))
}
secs() { printf '%d.%02d s' $(($1 / 1000)) $(($1 % 1000 / 10)); }

# The second boot's uptime at init (ms): the new kernel's own boot time.
# The rest of the span is the hand-over (shutdown, firmware or purgatory,
# decompression).
up_ms() {
	wb_text "$1" | sed -n 's/.*WB-UPTIME=\([0-9]*\)\.\([0-9][0-9]\).*/\1 \2/p' |
		sed -n 2p | { read -r s f && echo $((s * 1000 + 10#$f * 10)); }
}

# run_best KIND: boot KIND (kexec|cold) $runs times; keep the fastest run's
# log as $WB_LOGS/demo-KIND.log and its span (ms) in $best. Not run in a
# subshell, so that the EXIT trap can stop a QEMU still running.
run_best() {
	local kind=$1 i ms rc log=$WB_LOGS/demo-$1.log
	best=
	for i in $(seq "$runs"); do
		rc=0
		if [ "$kind" = kexec ]; then
			wb_qemu demo-try "$w/stage1.img" "$append" || rc=$?
			ms=$(span "$WB_LOGS/demo-try.log" WB-KEXEC-E WB-STAGE2-INIT) || ms=
		else
			# No -no-reboot: the guest resets into SeaBIOS; stop QEMU
			# once the second boot reached init.
			wb_qemu -r -x WB-UPTIME= -c 2 demo-try "$w/cold.img" "$append" || rc=$?
			ms=$(span "$WB_LOGS/demo-try.log" WB-REBOOT WB-COLD-INIT 2) || ms=
		fi
		if [ -z "$ms" ]; then
			mv "$WB_LOGS/demo-try.log" "$log"
			echo "demo: $kind run $i failed (QEMU status $rc); see ${log#"$WB_ROOT"/}" >&2
			exit 1
		fi
		if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then
			best=$ms
			mv "$WB_LOGS/demo-try.log" "$log"
		fi
	done
	rm -f "$WB_LOGS/demo-try.log" "$WB_LOGS/demo-try.qemu.err"
}

row() {
	local kern hand='?' kout='?'
	if kern=$(up_ms "$3") && [ -n "$kern" ]; then
		hand=$(secs $(($2 - kern)))
		kout=$(secs "$kern")
	fi
	printf '  %-10s %11s %11s %11s %9s\n' "$1" "$(secs "$2")" "$hand" "$kout" \
		"$(wb_banners "$3")"
}

echo "warmboot demo: Debian $WB_KVER in QEMU (TCG, 1 GiB), kexec ${kexec#"$WB_ROOT"/}, best of $runs"
run_best kexec
kms=$best
run_best cold
cms=$best
klog=$WB_LOGS/demo-kexec.log
clog=$WB_LOGS/demo-cold.log

printf '  %-10s %11s %11s %11s %9s\n' "" "to new init" "hand-over" "kernel" "SeaBIOS"
row "kexec -e" "$kms" "$klog"
row "reboot -f" "$cms" "$clog"
if [ "$kms" -lt "$cms" ]; then
	printf '  kexec reboot: %s faster (%d%%)\n' \
		"$(secs $((cms - kms)))" $(((cms - kms) * 100 / cms))
else
	printf '  kexec reboot: %s slower\n' "$(secs $((kms - cms)))"
fi
echo "  logs: ${klog#"$WB_ROOT"/}, ${clog#"$WB_ROOT"/}"
