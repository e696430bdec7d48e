#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# make bench: Debian's kexec-tools and warmboot side by side, in the same
# QEMU guest (TCG, -cpu max), the same Debian kernel, the same initrds and
# command lines. Everything that loads or executes a kernel runs inside
# the guests; this script only builds images, starts QEMU and reads the
# serial logs (timestamped on this side, tests/guest/lib.sh).
#
#   1. load time and peak RSS: initrds of BENCH_SIZES MiB (a real initrd
#      with random bytes appended), -s and -c, both tools, BENCH_ROUNDS
#      rounds each, timed in the guest (bench/wbtime.c);
#   2. exec latency: kexec -e to the next kernel's init (host timestamps),
#      split into the hand-off (to the new kernel's first message) and the
#      new kernel's own boot (the rest): -s, -c, -c -i for both, and warmboot's
#      -c --verify=sha256; the initrd is the bench image itself;
#   3. reboot time: in the Debian 12 system guest of tests/system (when its
#      image is built: make image), systemctl reboot to the next login
#      prompt, through SeaBIOS, through OVMF (UEFI) and through warmboot's
#      kexec reboot (bench/system.sh); in the busybox guest, reboot -f
#      through SeaBIOS to the next init (what exec latency is compared
#      with), and without the Debian image also OVMF and kexec under OVMF;
#   4. footprint: binary sizes; peak RSS from 1.
#
# Prints the table and the targets of issue 8, writes bench/results.json
# and bench/load.png (both regenerated, not committed).
#
# TCG timings on a shared machine are noisy, and noise only ever adds time:
# the targets are judged on the best round (min), as tests/guest/demo.sh
# does; the table shows min / median / max.
#
# Env: KEXEC_BIN (warmboot, default build/static/kexec), BENCH_ROUNDS (3),
# BENCH_EXEC_ROUNDS (rounds of the exec chain, 8), BENCH_REBOOT_ROUNDS
# (busybox firmware and kexec reboots, 5),
# BENCH_SIZES (10,30,100,300), BENCH_MEM (guest MiB, 2048), BENCH_ONLY
# (a subset of "load exec cold ovmf system"; default "load exec cold
# ovmf"), BENCH_SYSTEM=1 (add "system": the Debian guest's reboots, about
# 10 more minutes under TCG), BENCH_SYS_ROUNDS (its rounds, 1),
# BENCH_EXEC_CONFIGS (the exec chain's configurations, ';'-separated
# "TOOL OPTIONS", e.g. "wb -c --console-serial;wb -c -i --console-serial"),
# BENCH_CMDLINE (more kernel parameters for every guest kernel).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
"$root/tests/guest/deps.sh"
"$here/deps.sh"
export WB_LOGS=${WB_LOGS:-$root/build/bench/logs}
export WB_WORK=${WB_WORK:-$root/build/bench/work}
# shellcheck source=../tests/guest/lib.sh
. "$root/tests/guest/lib.sh"

ROUNDS=${BENCH_ROUNDS:-3}
EXEC_ROUNDS=${BENCH_EXEC_ROUNDS:-8}
REBOOT_ROUNDS=${BENCH_REBOOT_ROUNDS:-5}
SIZES=${BENCH_SIZES:-10,30,100,300}
MEM=${BENCH_MEM:-2048}
ONLY=${BENCH_ONLY:-load exec cold ovmf${BENCH_SYSTEM:+ system}}
OVMF=${BENCH_OVMF:-/usr/share/ovmf/OVMF.fd}
out=$WB_BUILD/bench
samples=$out/samples.txt
json=$here/results.json
png=$here/load.png
# earlyprintk: the next kernel's first line leaves at once (hops, below);
# loglevel=6: notices (that line) and worse, not the info lines of a boot.
APPEND="console=ttyS0 earlyprintk=ttyS0 loglevel=6 panic=-1${BENCH_CMDLINE:+ $BENCH_CMDLINE}"

wb=$KEXEC_BIN
[ -x "$wb" ] || wb_die "no warmboot kexec at $wb (make static)"
for f in "$out/wbtime" "$out/hashspeed"; do
	[ -x "$f" ] || wb_die "no $f (make bench builds it)"
done
kt=$(wb_kexec_tools)
wb_kernel
mkdir -p "$out" "$WB_WORK" "$WB_LOGS"
t_start=$(date +%s)
# The guests are timed against the host's clock: on a shared machine, give
# them (QEMU inherits this) a larger share of the CPU than other work. Only
# works as root; harmless otherwise.
renice -n -19 -p $$ >/dev/null 2>&1 || true

# ------------------------------------------------------------ the image

# Exec plan: each round, every configuration once, in a rotating order.
plan_exec=$WB_WORK/plan-exec
plan_reboot=$WB_WORK/plan-reboot
configs=("kt -s" "kt -c" "kt -c -i" "wb -s" "wb -c" "wb -c -i" "wb -c --verify=sha256")
if [ -n "${BENCH_EXEC_CONFIGS:-}" ]; then
	IFS=';' read -r -a configs <<<"$BENCH_EXEC_CONFIGS"
fi
: >"$plan_exec"
: >"$plan_reboot"
for r in $(seq "$EXEC_ROUNDS"); do
	n=${#configs[@]}
	for i in $(seq 0 $((n - 1))); do
		printf '%s\n' "${configs[$(((i + r - 1) % n))]}" >>"$plan_exec"
	done
done
for r in $(seq "$REBOOT_ROUNDS"); do
	printf '%s\n' "wb -s" "wb -c" >>"$plan_reboot"
done

echo "bench: building the guest image (kexec-tools $(strings "$kt" | grep -m1 -o 'kexec-tools [0-9.]*' || echo '?'), warmboot ${wb#"$root"/})"
wb_mkinitrd -z "$WB_WORK/real.img" real
wb_mkinitrd -s "$here/guest/bench.sh" -k "$kt" -f "$wb:/sbin/kexec-wb" \
	-f "$out/wbtime:/bin/wbtime" -f "$out/hashspeed:/bin/hashspeed" \
	-f "$WB_WORK/real.img:/boot/initrd.img" \
	-f "$plan_exec:/bench/plan-exec" -f "$plan_reboot:/bench/plan-reboot" \
	"$WB_WORK/self.img" bench
wb_tmp
stage=$(mktemp -d "$WB_TMP/tail.XXXXXX")
mkdir -p "$stage/boot"
cp "$WB_VMLINUZ" "$stage/boot/vmlinuz"
cp "$WB_WORK/self.img" "$stage/boot/self.img"
(cd "$stage" && printf 'boot/vmlinuz\nboot/self.img\n' | cpio -o -H newc -R 0:0 --quiet) >"$WB_WORK/tail.cpio"
cat "$WB_WORK/self.img" "$WB_WORK/tail.cpio" >"$WB_WORK/bench.img"
rm -rf "$stage" "$WB_WORK/tail.cpio"
img=$WB_WORK/bench.img
img_bytes=$(stat -c %s "$img")
kernel_bytes=$(stat -c %s "$WB_VMLINUZ")

# ------------------------------------------------------------ runs

# BENCH_APPEND=1: keep the samples of an earlier run, replacing those of the
# parts run now (e.g. BENCH_APPEND=1 BENCH_ONLY=system after a full run).
if [ "${BENCH_APPEND:-}" = 1 ] && [ -e "$samples" ]; then
	forget=
	for part in $ONLY; do
		case $part in
		load) forget="$forget|load/|rss/|fail/|hash/" ;;
		exec) forget="$forget|exec-" ;;
		cold) forget="$forget|reboot-[a-z]*/seabios/firmware" ;;
		ovmf) forget="$forget|reboot-[a-z]*/ovmf/firmware|reboot-[a-z]*/ovmf/wb " ;;
		system) forget="$forget|reboot-sys" ;;
		esac
	done
	grep -Ev "^(size/|image/${forget})" "$samples" >"$samples.tmp" || true
	mv "$samples.tmp" "$samples"
else
	: >"$samples"
fi
sample() { printf '%s\t%s\n' "$1" "$2" >>"$samples"; }

# bench_qemu [wb_qemu options] NAME APPEND [EXTRA QEMU ARGS]: the bench guest.
bench_qemu() {
	local opts=()
	while [ $# -gt 0 ]; do
		case $1 in
		-r) opts+=("$1"); shift ;;
		-t | -x | -c) opts+=("$1" "$2"); shift 2 ;;
		*) break ;;
		esac
	done
	local name=$1 append=$2 rc=0
	shift 2
	WB_QEMU_EXTRA="-m $MEM $*" wb_qemu ${opts[@]+"${opts[@]}"} "$name" "$img" "$append" || rc=$?
	return "$rc"
}

# ts_of LINE: the host millisecond stamp of a log line.
log_events() { # LOG: "ms<TAB>text" lines
	sed -n 's/^\[ *\([0-9]*\)\] \(.*\)$/\1\t\2/p' "$1"
}

# Hops of a log: after each line matching START, the next kernel's first
# message and its init. Prints "LABEL<TAB>total ms<TAB>kernel ms<TAB>handoff
# ms"; LABEL from the last WB-EXEC-STEP (or "-"). The hand-off ends where
# the next kernel starts: its "Linux version" line, the first printk of
# start_kernel(), which earlyprintk sends out at once (the guests boot with
# earlyprintk=ttyS0 loglevel=6, see APPEND); its own boot is the rest, up to
# init. Not its /proc/uptime: the kernel's clock starts late in its boot,
# and how late varies (under TCG its quick TSC calibration against the PIT
# fails in most boots, and then the clock starts only with the HPET
# calibration). Without that line (a kernel with no early console) the
# split falls back to the uptime.
hops() {
	log_events "$1" | awk -F '\t' -v start="$2" '
		index($2, "WB-EXEC-STEP ") == 1 { label = substr($2, 14); sub(/^[0-9]+ /, "", label) }
		# Markers may follow firmware output on the same line ("Booting from ROM..").
		$2 == start { t0 = $1; tk = ""; waiting = 1; next }
		waiting && tk == "" && index($2, "] Linux version ") { tk = $1; next }
		waiting && $2 ~ /WB-[A-Z0-9]+-INIT$/ { t1 = $1; waiting = 0; up = 1; next }
		up && index($2, "WB-UPTIME=") == 1 {
			u = (tk == "" ? substr($2, 11) * 1000 : t1 - tk)
			printf "%s\t%d\t%d\t%d\n", (label == "" ? "-" : label), t1 - t0, u, t1 - t0 - u
			up = 0; label = ""
		}'
}

run_load() {
	echo "bench: load times, sizes $SIZES MiB, $ROUNDS rounds (the longest part)"
	local log=$WB_LOGS/bench-load.log
	WB_TIMEOUT=3000 bench_qemu bench-load "$APPEND wb.bench=load wb.rounds=$ROUNDS wb.sizes=$SIZES" ||
		echo "bench: load guest ended with status $? (see ${log#"$root"/})"
	wb_text "$log" | awk '
		$1 == "WB-LOAD" { print "load/" $2 "/" $3 "/" $4 "\t" $6; print "rss/" $2 "/" $3 "/" $4 "\t" $7
			if ($8 != 0) print "fail/load/" $2 "/" $3 "/" $4 "\t" $8 }
		$1 == "WB-HASH" { print "hash/" $2 "\t" $3 }' >>"$samples"
	wb_text "$log" | grep '^WB-NOTE' | sed 's/^WB-NOTE /  guest: /' | head -n 20 || true
}

run_exec() {
	echo "bench: exec latency, $(grep -c . "$plan_exec") kexec reboots in one guest"
	local log=$WB_LOGS/bench-exec.log
	WB_TIMEOUT=1200 bench_qemu bench-exec "$APPEND wb.bench=exec wb.plan=exec wb.step=0" ||
		echo "bench: exec guest ended with status $? (see ${log#"$root"/})"
	hops "$log" WB-KEXEC-E | while IFS=$'\t' read -r label total kern hand; do
		sample "exec-total/$label" "$total"
		sample "exec-kernel/$label" "$kern"
		sample "exec-handoff/$label" "$hand"
	done
	local done_steps
	done_steps=$(hops "$log" WB-KEXEC-E | wc -l)
	[ "$done_steps" = "$(grep -c . "$plan_exec")" ] ||
		echo "bench: only $done_steps of $(grep -c . "$plan_exec") kexec reboots completed (see ${log#"$root"/})"
}

# run_cold NAME FIRMWARE [QEMU ARGS]: REBOOT_ROUNDS firmware reboots in one guest.
run_cold() {
	local name=$1 fw=$2
	shift 2
	echo "bench: $REBOOT_ROUNDS firmware reboots ($fw)"
	local log=$WB_LOGS/bench-$name.log
	WB_TIMEOUT=1200 bench_qemu -r -x WB-UPTIME= -c $((REBOOT_ROUNDS + 1)) "bench-$name" \
		"$APPEND wb.bench=cold" "$@" ||
		echo "bench: $name guest ended with status $? (see ${log#"$root"/})"
	hops "$log" WB-REBOOT | while IFS=$'\t' read -r _ total kern hand; do
		sample "reboot-total/$fw/firmware" "$total"
		sample "reboot-kernel/$fw/firmware" "$kern"
		sample "reboot-handoff/$fw/firmware" "$hand"
	done
}

# kexec reboots under OVMF: the same chain as exec, with the reboot plan.
run_ovmf_kexec() {
	echo "bench: $((2 * REBOOT_ROUNDS)) kexec reboots under OVMF"
	local log=$WB_LOGS/bench-ovmf-kexec.log
	WB_TIMEOUT=1200 bench_qemu bench-ovmf-kexec "$APPEND wb.bench=exec wb.plan=reboot wb.step=0" -bios "$OVMF" ||
		echo "bench: ovmf-kexec guest ended with status $? (see ${log#"$root"/})"
	hops "$log" WB-KEXEC-E | while IFS=$'\t' read -r label total kern hand; do
		sample "reboot-total/ovmf/$label" "$total"
		sample "reboot-kernel/ovmf/$label" "$kern"
		sample "reboot-handoff/ovmf/$label" "$hand"
	done
}

for part in $ONLY; do
	case $part in
	load) run_load ;;
	exec) run_exec ;;
	cold) run_cold cold-seabios seabios ;;
	system)
		src=0
		BENCH_ROUNDS=${BENCH_SYS_ROUNDS:-1} "$here/system.sh" "$samples" || src=$?
		[ "$src" = 0 ] || echo "bench: no Debian guest reboots (status $src)"
		;;
	ovmf)
		run_cold cold-ovmf ovmf -bios "$OVMF"
		run_ovmf_kexec
		;;
	*) wb_die "unknown part '$part' in BENCH_ONLY" ;;
	esac
done

# Footprint: what each tool puts on a system.
wb_size=$(stat -c %s "$wb")
kt_size=$(stat -c %s "$kt")
kt_libs=0
for lib in $(readelf -d "$kt" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
	[ "$lib" = libc.so.6 ] && continue
	for d in "$WB_CACHE/kexec-tools/usr/lib/x86_64-linux-gnu" "$WB_CACHE/kexec-tools/lib/x86_64-linux-gnu" \
		/usr/lib/x86_64-linux-gnu /lib/x86_64-linux-gnu; do
		if [ -e "$d/$lib" ]; then
			kt_libs=$((kt_libs + $(stat -L -c %s "$d/$lib")))
			break
		fi
	done
done
sample "size/wb" "$wb_size"
sample "size/kt" "$kt_size"
sample "size/kt-libs" "$kt_libs"
sample "image/initrd-bytes" "$img_bytes"
sample "image/kernel-bytes" "$kernel_bytes"

# ------------------------------------------------------------ results

# Aggregate: "key<TAB>n<TAB>min<TAB>median<TAB>max" per key.
stats=$out/stats.txt
sort -t "$(printf '\t')" -k1,1 -s "$samples" | awk -F '\t' '
	function flush(   i, j, t, med) {
		if (key == "") return
		for (i = 2; i <= n; i++) { t = v[i]; for (j = i - 1; j >= 1 && v[j] > t; j--) v[j + 1] = v[j]; v[j + 1] = t }
		med = (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
		printf "%s\t%d\t%s\t%s\t%s\n", key, n, v[1], med, v[n]
	}
	$1 != key { flush(); key = $1; n = 0 }
	{ v[++n] = $2 + 0 }
	END { flush() }' >"$stats"

# st KEY FIELD (n min med max): "" when absent.
st() {
	awk -F '\t' -v k="$1" -v f="$2" '$1 == k {
		i = (f == "n") ? 2 : (f == "min") ? 3 : (f == "med") ? 4 : 5; print $i; exit }' "$stats"
}
fmt_s() { # ms -> seconds, 2 decimals
	[ -n "$1" ] && awk -v v="$1" 'BEGIN { printf "%.2f", v / 1000 }' || printf -- '-'
}
mmm_s() { # KEY: "min / med / max" in seconds
	local a b c
	a=$(st "$1" min) b=$(st "$1" med) c=$(st "$1" max)
	[ -n "$b" ] || { printf -- '-'; return; }
	printf '%s / %s / %s' "$(fmt_s "$a")" "$(fmt_s "$b")" "$(fmt_s "$c")"
}
mib() { awk -v v="$1" 'BEGIN { printf "%.1f", v / 1024 }'; }

echo
echo "warmboot bench: Debian $WB_KVER in QEMU $(qemu-system-x86_64 --version | sed -n 's/.*version \([^ ]*\).*/\1/p') (TCG, -cpu max, $MEM MiB); seconds as min / median / max of $ROUNDS rounds (exec: $EXEC_ROUNDS, reboots: $REBOOT_ROUNDS)"
echo
echo "1. Load time (kernel + initrd; initrd = real initrd + random bytes)"
printf '  %-8s %-4s %-24s %-24s %s\n' "initrd" "path" "kexec-tools" "warmboot" "ratio (min)"
for size in ${SIZES//,/ }; do
	for path in s c; do
		k=$(st "load/kt/$path/$size" min) w=$(st "load/wb/$path/$size" min)
		ratio=-
		[ -n "$k" ] && [ -n "$w" ] && [ "$k" != 0 ] && ratio=$(awk -v a="$w" -v b="$k" 'BEGIN { printf "%.2fx", a / b }')
		printf '  %-8s %-4s %-24s %-24s %s\n' "$size MiB" "-$path" "$(mmm_s "load/kt/$path/$size")" \
			"$(mmm_s "load/wb/$path/$size")" "$ratio"
	done
done
echo
echo "2. Exec latency: kexec -e to the new kernel's init = hand-off + the new kernel's own boot"
echo "   (initrd: the bench image itself, $(awk -v b="$img_bytes" 'BEGIN { printf "%.1f", b / 1048576 }') MiB; kernel $(awk -v b="$kernel_bytes" 'BEGIN { printf "%.1f", b / 1048576 }') MiB)"
printf '  %-30s %-24s %-24s\n' "" "hand-off" "total"
for c in "${configs[@]}"; do
	name=${c/kt /kexec-tools }
	name=${name/wb /warmboot }
	printf '  %-30s %-24s %-24s\n' "$name" "$(mmm_s "exec-handoff/$c")" "$(mmm_s "exec-total/$c")"
done
echo
echo "3. Reboot time"
if grep -q '^reboot-sys/' "$stats"; then
	echo "   Debian 12 guest (systemd, its own kernel and initramfs, root on virtio): systemctl reboot to the login prompt"
	printf '  %-30s %-24s %-24s %s\n' "" "total" "its boot to prompt" "rounds"
	for k in seabios/firmware seabios/kexec-s seabios/kexec-c ovmf/firmware ovmf/kexec-s ovmf/kexec-c; do
		[ -n "$(st "reboot-sys/$k" n)" ] || continue
		case $k in
		*/firmware) name="${k%%/*}, firmware reboot" ;;
		*/kexec-s) name="${k%%/*}, warmboot kexec -s" ;;
		*/kexec-c) name="${k%%/*}, warmboot kexec -c" ;;
		esac
		name=${name/seabios/SeaBIOS}
		printf '  %-30s %-24s %-24s %s\n' "${name/ovmf/OVMF}" "$(mmm_s "reboot-sys/$k")" \
			"$(mmm_s "reboot-sys-boot/$k")" "$(st "reboot-sys/$k" n)"
	done
	echo "   busybox guest: reboot command to the next init"
else
	echo "   busybox guest: reboot command to the next init (no Debian system image: make image)"
fi
printf '  %-30s %-24s %-24s\n' "" "hand-off" "total"
for k in seabios/firmware ovmf/firmware "ovmf/wb -s" "ovmf/wb -c"; do
	[ -n "$(st "reboot-total/$k" n)" ] || continue
	case $k in
	seabios/firmware) name="SeaBIOS reboot -f" ;;
	ovmf/firmware) name="OVMF reboot -f" ;;
	"ovmf/wb -s") name="OVMF, warmboot kexec -s" ;;
	"ovmf/wb -c") name="OVMF, warmboot kexec -c" ;;
	esac
	printf '  %-30s %-24s %-24s\n' "$name" "$(mmm_s "reboot-handoff/$k")" "$(mmm_s "reboot-total/$k")"
done
echo
echo "4. Footprint"
big=$(echo "${SIZES//,/ }" | tr ' ' '\n' | sort -n | tail -n 1)
printf '  %-30s %s\n' "warmboot kexec (static, musl)" "$wb_size bytes"
printf '  %-30s %s\n' "kexec-tools kexec (dynamic)" "$kt_size bytes + $kt_libs bytes of libraries besides libc"
for path in s c; do
	printf '  %-30s %s\n' "peak RSS, -$path, $big MiB initrd" \
		"kexec-tools $(mib "$(st "rss/kt/$path/$big" max)") MiB, warmboot $(mib "$(st "rss/wb/$path/$big" max)") MiB (max of rounds)"
done
hs=$(awk -F '\t' '$1 ~ /^hash\// { sub(/^hash\//, "", $1); printf "%s%s %s MB/s", sep, $1, $4; sep = ", " }' "$stats")
[ -z "$hs" ] || echo "  in-guest speeds: $hs"

# ---- targets
echo
echo "Targets (issue 8), on the best round (min)"
verdict() { # NAME OK DETAIL
	printf '  %-4s %-52s %s\n' "$([ "$2" = 1 ] && echo met || echo NOT)" "$1" "$3"
}
lt() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a != "" && b != "" && a + 0 <= b + 0) }'; }
targets=()
for path in s c; do
	k=$(st "load/kt/$path/$big" min) w=$(st "load/wb/$path/$big" min) ok=0
	[ -n "$k" ] && lt "$w" "$(awk -v k="$k" 'BEGIN { print k / 2 }')" && ok=1
	verdict "load -$path at $big MiB <= 0.5x kexec-tools" "$ok" "$(fmt_s "$w") s vs $(fmt_s "$k") s"
	targets+=("load-$path:$ok")
done
r=$(st "rss/wb/s/$big" max) ok=0
lt "$r" 8192 && ok=1
verdict "peak RSS -s at $big MiB <= 8 MiB" "$ok" "$(mib "$r") MiB"
targets+=("rss-s:$ok")
r=$(st "rss/wb/c/$big" max) ok=0
lt "$r" $(((big + 8) * 1024)) && ok=1
verdict "peak RSS -c at $big MiB <= initrd + 8 MiB" "$ok" "$(mib "$r") MiB"
targets+=("rss-c:$ok")
w=$(st "exec-handoff/wb -c" min) k=$(st "exec-handoff/kt -c" min) ok=0
[ -n "$k" ] && lt "$w" "$(awk -v k="$k" 'BEGIN { print k * 0.4 }')" && ok=1
verdict "hand-off, -c verified <= 0.4x kexec-tools -c" "$ok" "$(fmt_s "$w") s vs $(fmt_s "$k") s"
targets+=("handoff-vs-kt:$ok")
c=$(st "reboot-handoff/seabios/firmware" min) ok=0
lt "$w" "$c" && ok=1
verdict "hand-off, -c verified <= SeaBIOS reboot" "$ok" "$(fmt_s "$w") s vs $(fmt_s "$c") s"
targets+=("handoff-vs-seabios:$ok")
# The Debian guest's reboots when measured, else the busybox guest's.
if [ -n "$(st reboot-sys/ovmf/firmware n)" ]; then
	o=$(st reboot-sys/ovmf/firmware min) rk=(reboot-sys/ovmf/kexec-s reboot-sys/ovmf/kexec-c) where="Debian"
else
	o=$(st reboot-total/ovmf/firmware min) rk=("reboot-total/ovmf/wb -s" "reboot-total/ovmf/wb -c") where="busybox"
fi
for key in "${rk[@]}"; do
	m=${key##*/}
	m=${m#wb }
	m=${m#kexec}
	x=$(st "$key" min) ok=0
	[ -n "$x" ] && [ -n "$o" ] && lt "$(awk -v x="$x" 'BEGIN { print x * 5 }')" "$o" && ok=1
	verdict "reboot (kexec $m, $where) >= 5x faster than OVMF" "$ok" "$(fmt_s "$x") s vs $(fmt_s "$o") s$([ -n "$x" ] && [ -n "$o" ] && awk -v x="$x" -v o="$o" 'BEGIN { printf " (%.1fx)", o / x }')"
	targets+=("reboot${m}:$ok")
done
ok=0
[ "$wb_size" -le 153600 ] && ok=1
verdict "static binary <= 150 KiB" "$ok" "$wb_size bytes"
targets+=("size:$ok")

# ---- results.json
{
	printf '{\n'
	printf '  "generated": "%s",\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
	printf '  "guest": {"kernel": "%s", "qemu": "%s", "accel": "tcg", "cpu": "max", "memory_mib": %s, "rounds": {"load": %s, "exec": %s, "reboot": %s, "system": %s}},\n' \
		"$WB_KVER" "$(qemu-system-x86_64 --version | sed -n 's/.*version \([^ ]*\).*/\1/p')" "$MEM" \
		"$ROUNDS" "$EXEC_ROUNDS" "$REBOOT_ROUNDS" "${BENCH_SYS_ROUNDS:-1}"
	printf '  "judged_on": "min",\n' 
	printf '  "tools": {"kexec-tools": "%s", "warmboot": "%s"},\n' \
		"$(strings "$kt" | grep -m1 -o 'kexec-tools [0-9.]*' || echo '?')" "${wb#"$root"/}"
	printf '  "units": {"time": "ms", "rss": "KiB", "size": "bytes", "hash": "MB/s"},\n'
	printf '  "stats": {\n'
	awk -F '\t' '{ printf "%s    \"%s\": {\"n\": %s, \"min\": %s, \"median\": %s, \"max\": %s}", (NR > 1 ? ",\n" : ""), $1, $2, $3, $4, $5 }
		END { printf "\n" }' "$stats"
	printf '  },\n'
	printf '  "targets": {'
	sep=
	for t in "${targets[@]}"; do
		printf '%s"%s": %s' "$sep" "${t%:*}" "$([ "${t##*:}" = 1 ] && echo true || echo false)"
		sep=', '
	done
	printf '},\n'
	printf '  "samples": [\n'
	awk -F '\t' '{ printf "%s    [\"%s\", %s]", (NR > 1 ? ",\n" : ""), $1, $2 } END { printf "\n" }' "$samples"
	printf '  ]\n}\n'
} >"$json"

# ---- the plot: median load time against initrd size
dat=$out/load.dat
for size in ${SIZES//,/ }; do
	printf '%s' "$size"
	for k in kt/s wb/s kt/c wb/c; do
		v=$(st "load/$k/$size" min)
		printf ' %s' "${v:-NaN}"
	done
	printf '\n'
done | awk '{ printf "%s", $1; for (i = 2; i <= NF; i++) printf " %s", ($i == "NaN" ? "NaN" : $i / 1000); printf "\n" }' >"$dat"
if command -v gnuplot >/dev/null && [ -s "$dat" ]; then
	gnuplot <<EOF || echo "bench: gnuplot failed"
set terminal pngcairo size 800,500 font ",10" noenhanced
set output "$png"
set title "Load time against initrd size (kernel $(awk -v b="$kernel_bytes" 'BEGIN { printf "%.1f", b / 1048576 }') MiB; QEMU TCG guest; best of $ROUNDS)"
set xlabel "initrd size (MiB)"
set ylabel "load time (s)"
set key top left
set grid
set logscale y
plot "$dat" using 1:2 with linespoints lw 2 pt 7 title "kexec-tools -s", \
     "$dat" using 1:3 with linespoints lw 2 pt 5 title "warmboot -s", \
     "$dat" using 1:4 with linespoints lw 2 pt 7 dt 2 title "kexec-tools -c", \
     "$dat" using 1:5 with linespoints lw 2 pt 5 dt 2 title "warmboot -c"
EOF
fi
echo
echo "results: ${json#"$root"/}, plot: ${png#"$root"/}, logs: ${WB_LOGS#"$root"/}/bench-*.log ($(($(date +%s) - t_start)) s)"
