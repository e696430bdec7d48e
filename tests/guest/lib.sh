#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# Host-side helpers of the guest test bed (sourced by run.sh and demo.sh):
# build test initramfs images, boot them in QEMU with a timestamped serial
# log, and turn the log into PASS/FAIL lines.
#
# Everything that loads or executes a kernel runs inside QEMU, never here.
set -eu

WB_GUEST=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
WB_ROOT=$(cd "$WB_GUEST/../.." && pwd)
WB_BUILD=$WB_ROOT/build
WB_CACHE=${WB_CACHE:-$WB_BUILD/guest-cache}
WB_LOGS=${WB_LOGS:-$WB_BUILD/guest-logs}
WB_WORK=${WB_WORK:-$WB_BUILD/guest-work}
# A guard against hangs, not a speed target: a loaded 2-core machine runs the
# 5-kernel classic chain in 60 s quiet and past 120 s busy.
WB_TIMEOUT=${WB_TIMEOUT:-400}
# KEXEC_BIN: our static binary; "none" builds images without kexec (to
# test this harness), "kexec-tools" uses Debian's kexec (guest only).
KEXEC_BIN=${KEXEC_BIN:-$WB_BUILD/static/kexec}
# KEXEC_TEST_BIN: the test-only build (make build/test/kexec) with the
# hook that corrupts purgatory's digest on request; installed in the
# guests that need it as /sbin/kexec-test, never as kexec.
KEXEC_TEST_BIN=${KEXEC_TEST_BIN:-$WB_BUILD/test/kexec}
export WB_CACHE

WB_PASSED=0
WB_FAILED=0
WB_TMP=
WB_QPID=

# On any exit: stop a QEMU we started (timeout(1) runs in its own process
# group, so ^C does not reach it) and remove our temp dir.
wb_cleanup() {
	[ -z "$WB_QPID" ] || kill "$WB_QPID" 2>/dev/null || true
	[ -z "$WB_TMP" ] || rm -rf "$WB_TMP"
}
trap wb_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

wb_tmp() {
	if [ -z "$WB_TMP" ]; then
		mkdir -p "$WB_BUILD"
		WB_TMP=$(mktemp -d "$WB_BUILD/.guest-tmp.XXXXXX")
	fi
}

wb_die() {
	echo "guest: $*" >&2
	exit 1
}

# ---------------------------------------------------------------- results

# wb_pass NAME / wb_fail NAME DETAIL...: one line per check, counted.
wb_pass() {
	WB_PASSED=$((WB_PASSED + 1))
	printf 'PASS %s\n' "$1"
}
wb_fail() {
	local n=$1
	shift
	WB_FAILED=$((WB_FAILED + 1))
	printf 'FAIL %s: %s\n' "$n" "$*"
}
# Indented extra lines under a failure.
wb_note() {
	printf '     | %s\n' "$@"
}

# wb_check_eq NAME GOT WANT
wb_check_eq() {
	if [ "$2" = "$3" ]; then
		wb_pass "$1"
	else
		wb_fail "$1" "got '$2'"
		wb_note "want '$3'"
	fi
}

# ---------------------------------------------------------------- kernel

# Sets WB_VMLINUZ and WB_KVER (downloads once, see kernel.sh).
wb_kernel() {
	[ -n "${WB_KVER:-}" ] && return 0
	local out
	out=$("$WB_GUEST/kernel.sh") || wb_die "cannot get the guest kernel"
	WB_VMLINUZ=$(printf '%s\n' "$out" | sed -n 1p)
	WB_KVER=$(printf '%s\n' "$out" | sed -n 2p)
	[ -s "$WB_VMLINUZ" ] || wb_die "no kernel at '$WB_VMLINUZ'"
}

# wb_unpack_vmlinux BZIMAGE OUT: write the ELF vmlinux a bzImage carries
# (its compressed payload, Documentation/arch/x86/boot.rst) to OUT. The
# format is told by its magic; the kernel appends the uncompressed size (4
# bytes) to most streams, which some tools call trailing garbage and exit
# non-zero over a whole output: judge the ELF that comes out, not the
# status.
wb_unpack_vmlinux() {
	local in=$1 out=$2 sects ver off len magic tool end t o f
	[ "$(od -An -c -j $((0x202)) -N 4 "$in" | tr -d ' ')" = HdrS ] ||
		{ echo "$in: no bzImage header" >&2; return 1; }
	ver=$(od -An --endian=little -tu2 -j $((0x206)) -N 2 "$in" | tr -d ' ')
	[ "$ver" -ge $((0x208)) ] ||
		{ echo "$in: boot protocol $ver has no payload fields" >&2; return 1; }
	sects=$(od -An -tu1 -j $((0x1f1)) -N 1 "$in" | tr -d ' ')
	[ "$sects" != 0 ] || sects=4
	# payload_offset and payload_length, from the protected-mode code.
	# shellcheck disable=SC2046 # two numbers, split on purpose
	set -- $(od -An --endian=little -tu4 -j $((0x248)) -N 8 "$in")
	off=$(((sects + 1) * 512 + $1))
	len=$2
	magic=$(tail -c +$((off + 1)) "$in" | head -c 6 | od -An -tx1 | tr -d ' \n')
	case $magic in
	02214c18*) tool="lz4 -dc" ;;
	1f8b*) tool="gzip -dc" ;;
	fd377a585a00) tool="xz -dc --single-stream" ;;
	28b52ffd*) tool="zstd -dcq" ;;
	5d0000*) tool="xz -dc --format=lzma" ;;
	425a68*) tool="bzip2 -dc" ;;
	894c5a4f*) tool="lzop -dc" ;;
	*) echo "$in: payload magic $magic is no compression known here" >&2; return 1 ;;
	esac
	command -v "${tool%% *}" >/dev/null ||
		{ echo "$in: its payload needs ${tool%% *}, not installed" >&2; return 1; }
	# shellcheck disable=SC2086 # $tool is a command and its options
	tail -c +$((off + 1)) "$in" | head -c "$len" | $tool >"$out" 2>/dev/null || true
	readelf -h "$out" 2>/dev/null | grep -q 'Type: *EXEC' ||
		{ echo "$in: ${tool%% *} gave no ELF executable" >&2; return 1; }
	# Whole: every PT_LOAD's bytes are in the file.
	end=0
	while read -r t o _ _ f _; do
		[ "$t" = LOAD ] || continue
		[ $((o + f)) -le "$end" ] || end=$((o + f))
	done < <(readelf -lW "$out")
	if [ "$end" = 0 ] || [ "$end" -gt "$(stat -c %s "$out")" ]; then
		echo "$in: the unpacked ELF is cut short" >&2
		return 1
	fi
}

# Sets WB_VMLINUX: the guest kernel as an ELF vmlinux, unpacked once from
# the bzImage and cached next to it.
wb_vmlinux() {
	[ -n "${WB_VMLINUX:-}" ] && return 0
	wb_kernel
	local out
	out=$(dirname "$WB_VMLINUZ")/vmlinux-$WB_KVER
	if [ ! -s "$out" ]; then
		(
			flock 9
			[ -s "$out" ] && exit 0
			wb_unpack_vmlinux "$WB_VMLINUZ" "$out.tmp" || { rm -f "$out.tmp"; exit 1; }
			mv "$out.tmp" "$out"
		) 9>"$WB_CACHE/.vmlinux.lock" || wb_die "cannot unpack an ELF vmlinux from $WB_VMLINUZ"
	fi
	WB_VMLINUX=$out
}

# Debian's kexec-tools binary, unpacked under the cache with the Xen
# libraries it links (for the guest only: reference runs of this suite).
# Prints its path.
wb_kexec_tools() {
	local dir=$WB_CACHE/kexec-tools
	if [ ! -x "$dir/sbin/kexec" ]; then
		mkdir -p "$WB_CACHE"
		(
			flock 9
			[ -x "$dir/sbin/kexec" ] && exit 0
			tmp=$(mktemp -d "$WB_CACHE/.kexec-tools.XXXXXX")
			trap 'rm -rf "$tmp"' EXIT
			chmod 755 "$tmp"
			cd "$tmp"
			apt-get download kexec-tools libxenmisc4.17 libxencall1 \
				libxendevicemodel1 libxenevtchn1 libxenforeignmemory1 \
				libxengnttab1 libxenhypfs1 libxenstore4 libxentoollog1 \
				libxentoolcore1 libyajl2 >apt.log 2>&1 ||
				{ cat apt.log >&2; exit 1; }
			for deb in ./*.deb; do dpkg -x "$deb" x; done
			rm -rf "$dir"
			mv x "$dir"
		) 9>"$WB_CACHE/.kexec-tools.lock" || wb_die "cannot get kexec-tools"
	fi
	printf '%s\n' "$dir/sbin/kexec"
}

# Resolve KEXEC_BIN to a file (or "" for none).
wb_kexec_bin() {
	case $KEXEC_BIN in
	none) printf '\n' ;;
	kexec-tools) wb_kexec_tools ;;
	*) printf '%s\n' "$KEXEC_BIN" ;;
	esac
}

# ---------------------------------------------------------------- images

# Copy the shared libraries a dynamic ELF needs into staging dir $2,
# found with readelf (never by running the binary on the host), looking in
# the host's library dirs and in the unpacked kexec-tools packages.
wb_copy_libs() {
	local bin=$1 dst=$2 interp lib path d
	interp=$(readelf -l "$bin" 2>/dev/null |
		sed -n 's/.*Requesting program interpreter: \(.*\)]/\1/p')
	if [ -n "$interp" ] && [ ! -e "$dst$interp" ]; then
		mkdir -p "$dst$(dirname "$interp")"
		cp -L "$interp" "$dst$interp"
	fi
	for lib in $(readelf -d "$bin" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
		[ -e "$dst/lib/x86_64-linux-gnu/$lib" ] && continue
		mkdir -p "$dst/lib/x86_64-linux-gnu"
		path=
		for d in /lib/x86_64-linux-gnu /usr/lib/x86_64-linux-gnu \
			"$WB_CACHE/kexec-tools/usr/lib/x86_64-linux-gnu" \
			"$WB_CACHE/kexec-tools/lib/x86_64-linux-gnu"; do
			if [ -e "$d/$lib" ]; then path=$d/$lib; break; fi
		done
		[ -n "$path" ] || wb_die "$bin needs $lib, not found on the host"
		cp -L "$path" "$dst/lib/x86_64-linux-gnu/$lib"
		wb_copy_libs "$path" "$dst"
	done
}

# wb_mkinitrd [-s SCRIPT] [-k KEXEC] [-b INITRD] [-f FILE:PATH]... [-z] OUT NAME
#   NAME   initrd name: printed as WB-<NAME>-INIT and WB-INITRD=<NAME>
#   -s     scenario script, run by /init
#   -k     kexec binary, installed as /sbin/kexec
#   -b     also carry the guest kernel as /boot/vmlinuz-$KVER and INITRD as
#          /boot/initrd.img-$KVER plus /boot/initramfs-$KVER.img (same
#          bytes: Debian and RHEL names)
#   -f     also carry FILE as PATH (mode kept); may be repeated
#   -z     gzip the cpio (otherwise plain: the big images hold an already
#          compressed kernel, and inflating them under TCG costs time)
wb_mkinitrd() {
	local OPTIND opt script='' kexec='' boot='' zip='' out name st spec
	local files=()
	while getopts s:k:b:f:z opt; do
		case $opt in
		s) script=$OPTARG ;;
		k) kexec=$OPTARG ;;
		b) boot=$OPTARG ;;
		f) files+=("$OPTARG") ;;
		z) zip=1 ;;
		*) wb_die "wb_mkinitrd: bad option" ;;
		esac
	done
	shift $((OPTIND - 1))
	out=$1 name=$2
	wb_kernel
	wb_tmp
	st=$(mktemp -d "$WB_TMP/initrd.XXXXXX")

	# The busybox tree is the same in every image: make it once per run.
	if [ ! -d "$WB_TMP/base" ]; then
		local a b=$WB_TMP/base.tmp
		mkdir -p "$b/bin" "$b/sbin" "$b/proc" "$b/sys" "$b/dev" \
			"$b/tmp" "$b/wb" "$b/boot"
		cp /bin/busybox "$b/bin/busybox"
		for a in $(/bin/busybox --list); do
			[ "$a" = busybox ] || ln -s busybox "$b/bin/$a"
		done
		mv "$b" "$WB_TMP/base"
	fi
	rmdir "$st"
	cp -a "$WB_TMP/base" "$st"
	cp "$WB_GUEST/guest/init" "$st/init"
	cp "$WB_GUEST/guest/wblib.sh" "$st/wb/lib.sh"
	chmod 755 "$st/init"
	printf '%s\n' "$name" >"$st/wb/initrd-name"
	printf '%s\n' "$name" >"$st/wb-initrd"
	[ -z "$script" ] || cp "$script" "$st/wb/scenario.sh"
	if [ -n "$kexec" ]; then
		[ -f "$kexec" ] || wb_die "no kexec binary at $kexec"
		cp "$kexec" "$st/sbin/kexec"
		chmod 755 "$st/sbin/kexec"
		wb_copy_libs "$kexec" "$st"
	fi
	if [ -n "$boot" ]; then
		cp "$WB_VMLINUZ" "$st/boot/vmlinuz-$WB_KVER"
		cp "$boot" "$st/boot/initrd.img-$WB_KVER"
		ln "$st/boot/initrd.img-$WB_KVER" "$st/boot/initramfs-$WB_KVER.img"
	fi
	for spec in ${files[@]+"${files[@]}"}; do
		[ -f "${spec%%:*}" ] || wb_die "wb_mkinitrd: no file ${spec%%:*}"
		mkdir -p "$st$(dirname "${spec#*:}")"
		cp "${spec%%:*}" "$st${spec#*:}"
	done

	mkdir -p "$(dirname "$out")"
	(
		cd "$st"
		find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet
	) >"$out.tmp"
	if [ -n "$zip" ]; then
		gzip -n -6 <"$out.tmp" >"$out"
		rm -f "$out.tmp"
	else
		mv "$out.tmp" "$out"
	fi
	rm -rf "$st"
}

# ---------------------------------------------------------------- QEMU

# Timestamp serial lines with host monotonic milliseconds since start:
# "[   12345] text". Strips CR and terminal escapes. With a pattern, sends
# SIGTERM to PID once the pattern was seen COUNT times (exit 0), and exits
# 3 if the stream ended before that.
wb_stamp() {
	perl -e '
		use strict; use warnings;
		my ($pid, $pat, $count) = @ARGV;
		$| = 1;
		my $now;
		if (eval { require Time::HiRes; 1 }) {
			$now = sub { Time::HiRes::clock_gettime(Time::HiRes::CLOCK_MONOTONIC()) };
		} else {
			# perl-base only: clock_gettime(CLOCK_MONOTONIC) by number.
			$now = sub {
				my $ts = "\0" x 16;
				syscall(228, 1, $ts) == 0 or die "clock_gettime: $!";
				my ($s, $ns) = unpack("q q", $ts);
				return $s + $ns / 1e9;
			};
		}
		my $t0 = $now->();
		my $seen = 0;
		my $hit = $pat eq "" ? 1 : 0;
		while (my $l = <STDIN>) {
			my $ms = int(($now->() - $t0) * 1000);
			$l =~ s/\r//g;
			$l =~ s/\e\[[0-9;?]*[A-Za-z]//g;
			$l =~ s/\e[c78]//g;
			chomp $l;
			printf "[%8d] %s\n", $ms, $l;
			if (!$hit && index($l, $pat) >= 0 && ++$seen >= $count) {
				$hit = 1;
				kill "TERM", $pid;
			}
		}
		exit($hit ? 0 : 3);
	' "$@"
}

# wb_qemu [-r] [-t SECS] [-x PATTERN] [-c COUNT] NAME INITRD APPEND
#   Boot the guest kernel with INITRD; serial log in $WB_LOGS/NAME.log,
#   QEMU's own stderr in $WB_LOGS/NAME.qemu.err.
#   -r  allow guest reboots (no -no-reboot): for the cold-reboot demo
#   -x  stop QEMU once PATTERN was seen COUNT (-c, default 1) times
#   Returns 0 when QEMU exited by itself (guest poweroff) or was stopped
#   by -x; 124 on timeout; else QEMU's status.
wb_qemu() {
	local OPTIND opt reboot=1 t=$WB_TIMEOUT pat='' count=1
	while getopts rt:x:c: opt; do
		case $opt in
		r) reboot= ;;
		t) t=$OPTARG ;;
		x) pat=$OPTARG ;;
		c) count=$OPTARG ;;
		*) wb_die "wb_qemu: bad option" ;;
		esac
	done
	shift $((OPTIND - 1))
	local name=$1 initrd=$2 append=$3
	wb_kernel
	wb_tmp
	mkdir -p "$WB_LOGS"
	local log=$WB_LOGS/$name.log err=$WB_LOGS/$name.qemu.err
	local fifo=$WB_TMP/$name.fifo
	rm -f "$fifo"
	mkfifo "$fifo"
	# WB_QEMU_KERNEL: another image of the guest kernel (e.g. signed with another key).
	local args=(-accel tcg -cpu max -m 1024 -nographic -nic none
		-kernel "${WB_QEMU_KERNEL:-$WB_VMLINUZ}" -initrd "$initrd" -append "$append")
	[ -z "$reboot" ] || args+=(-no-reboot)
	# WB_QEMU_EXTRA: more QEMU arguments for one boot (e.g. "-smp 2").
	# shellcheck disable=SC2206
	[ -z "${WB_QEMU_EXTRA:-}" ] || args+=($WB_QEMU_EXTRA)

	# QEMU writes into the FIFO, the stamper reads it: the stamper knows
	# QEMU's (timeout's) pid so it can stop it on a pattern.
	timeout -k 5 "$t" qemu-system-x86_64 "${args[@]}" \
		</dev/null >"$fifo" 2>"$err" &
	local qpid=$! src=0 qrc=0
	WB_QPID=$qpid
	wb_stamp "$qpid" "$pat" "$count" <"$fifo" >"$log" || src=$?
	wait "$qpid" || qrc=$?
	WB_QPID=
	rm -f "$fifo"
	if [ -n "$pat" ]; then
		# Our own SIGTERM makes timeout exit 124 as well; tell them apart.
		[ "$src" = 0 ] && return 0
		[ "$qrc" = 0 ] && return 3
	fi
	return "$qrc"
}

# ---------------------------------------------------------------- logs

# Log text without the timestamp prefix.
wb_text() {
	sed 's/^\[ *[0-9]*\] //' "$1"
}

# Number of firmware (SeaBIOS) boots in a log.
wb_banners() {
	grep -c 'SeaBIOS (version' "$1" || true
}

# Millisecond timestamp of the Nth (default 1st) line containing TEXT.
wb_ts() {
	awk -v pat="$2" -v n="${3:-1}" '
		index($0, pat) && ++seen == n {
			sub(/^\[ */, ""); sub(/\].*/, ""); print; exit
		}' "$1"
}

# Text of the Nth kexec hand-over in a log: the lines after the guest's
# Nth WB-KEXEC-E, up to the next stage's WB-...-INIT or the end.
wb_hop() {
	wb_text "$1" | awk -v n="$2" '
		index($0, "WB-KEXEC-E") { on = (++k == n); next }
		on && /WB-[A-Z0-9]+-INIT/ { exit }
		on { print }'
}

# What purgatory said on the serial port in hand-over N, its lines joined
# with "|" ("" when it said nothing).
wb_purgatory_says() {
	wb_hop "$1" "$2" | sed -n 's/.*\(warmboot purgatory: .*\)/\1/p' |
		sed 's/ *$//' | paste -sd '|' -
}

# Boots seen in a log, one per line: "NAME<TAB>CMDLINE<TAB>INITRD<TAB>END"
# where END is the script status (or "-") and "poweroff" if reached.
wb_boots() {
	wb_text "$1" | awk '
		function flush() { if (name != "") print name "\t" cmd "\t" rd "\t" end }
		match($0, /WB-[A-Z0-9]+-INIT/) {
			flush()
			name = tolower(substr($0, RSTART + 3, RLENGTH - 8))
			cmd = ""; rd = ""; end = "-"
			next
		}
		name != "" && (i = index($0, "WB-CMDLINE=")) { cmd = substr($0, i + 11) }
		name != "" && (i = index($0, "WB-INITRD=")) { rd = substr($0, i + 10) }
		name != "" && (i = index($0, "WB-SCRIPT-RC=")) { end = "rc=" substr($0, i + 13) }
		name != "" && index($0, "-POWEROFF") { end = end " poweroff" }
		END { flush() }'
}

# Field F (1 name, 2 cmdline, 3 initrd, 4 end) of boot number N (1-based).
wb_boot() {
	wb_boots "$1" | awk -F '\t' -v n="$2" -v f="$3" 'NR == n { print $f }'
}

# Normalise a command line: single spaces, no leading/trailing space, and
# drop the words named in the remaining arguments (e.g. BOOT_IMAGE).
wb_words() {
	local line=$1
	shift
	printf '%s\n' "$line" | awk -v drop="$*" '
		BEGIN { n = split(drop, d, " "); for (i = 1; i <= n; i++) skip[d[i]] = 1 }
		{
			out = ""
			for (i = 1; i <= NF; i++) {
				key = $i; sub(/=.*/, "", key)
				if (key in skip) continue
				out = out (out == "" ? "" : " ") $i
			}
			print out
		}'
}

# Turn the guest's WB-PASS/WB-FAIL lines into results named PREFIX/<name>,
# with WB-DETAIL lines shown under failures.
wb_guest_results() {
	local prefix=$1 log=$2 line n rest
	while IFS= read -r line; do
		case $line in
		*WB-PASS\ *)
			wb_pass "$prefix/${line#*WB-PASS }" ;;
		*WB-FAIL\ *)
			rest=${line#*WB-FAIL }
			n=${rest%%: *}
			wb_fail "$prefix/$n" "${rest#*: }" ;;
		*WB-DETAIL\ *)
			rest=${line#*WB-DETAIL }
			wb_note "${rest#*: }" ;;
		esac
	done < <(wb_text "$log")
}

# Common checks after a run: QEMU ended on its own, the expected chain of
# boots happened, the last stage's script finished, and the number of
# firmware banners. Usage: wb_run_checks PREFIX LOG QEMU_RC BANNERS STAGES...
wb_run_checks() {
	local prefix=$1 log=$2 qrc=$3 banners=$4
	shift 4
	local want="$*" got last end
	if [ "$qrc" = 0 ]; then
		wb_pass "$prefix/qemu-exit"
	elif [ "$qrc" = 124 ]; then
		wb_fail "$prefix/qemu-exit" "QEMU timed out after ${WB_TIMEOUT}s"
	else
		wb_fail "$prefix/qemu-exit" "QEMU exited with status $qrc"
		[ -s "$WB_LOGS/$(basename "$log" .log).qemu.err" ] &&
			wb_note "$(tail -n 3 "$WB_LOGS/$(basename "$log" .log).qemu.err")"
	fi
	got=$(wb_boots "$log" | cut -f 1 | tr '\n' ' ')
	got=${got% }
	wb_check_eq "$prefix/boot-chain" "$got" "$want"
	last=$(wb_boots "$log" | tail -n 1)
	end=$(printf '%s\n' "$last" | cut -f 4)
	case $end in
	"rc=0 poweroff" | "- poweroff") wb_pass "$prefix/guest-finished" ;;
	*) wb_fail "$prefix/guest-finished" "last stage ended with '$end'" ;;
	esac
	wb_check_eq "$prefix/firmware-banners" "$(wb_banners "$log")" "$banners"
}

# After a scenario with failures, point at its log.
wb_show_log() {
	local log=$1 before=$2
	if [ "$WB_FAILED" != "$before" ]; then
		if [ ! -e "$log" ]; then
			wb_note "no log: nothing was booted"
			return 0
		fi
		wb_note "log: ${log#"$WB_ROOT"/}"
		wb_note "last lines:"
		wb_text "$log" | grep -v '^$' | tail -n 8 | sed 's/^/     |   /'
	fi
}
