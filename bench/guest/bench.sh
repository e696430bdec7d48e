#!/bin/sh
# SPDX-License-Identifier: MIT
#
# The bench guest's scenario (run by /init, busybox sh). What it does is
# on the kernel command line, wb.bench=:
#
#   load    load time and peak RSS: for each size in wb.sizes= (MiB) a
#           real initrd (/boot/initrd.img) with random bytes appended up
#           to that size; wb.rounds= rounds, each loading it with both
#           tools on both paths (-s, -c), interleaved; one line each:
#             WB-LOAD <tool> <path> <MiB> <round> <ms> <peak RSS KiB> <status>
#           Also WB-HASH lines: the check algorithms' speed here.
#   exec    one step of a chain of kexec reboots, wb.step= (0 on the
#           first boot): load step+1 of plan wb.plan= (/bench/plan-NAME,
#           lines "TOOL OPTIONS..."), print WB-EXEC-STEP and WB-KEXEC-E,
#           kexec -e. The next kernel runs the next step. The initrd
#           handed on is this very image, rebuilt (see below).
#   cold    firmware reboot: print WB-REBOOT, reboot -f. The host stops
#           QEMU after enough boots.
#
# Tools: kt = Debian's kexec-tools (/sbin/kexec), wb = warmboot
# (/sbin/kexec-wb). Both get the same kernel, initrd and command line.
#
# The image is A followed by a cpio of /boot/vmlinuz and /boot/self.img,
# where self.img is A: so the image can be rebuilt here, byte for byte the
# same layout, and handed to the next kernel.
set -u
export PATH=/sbin:/bin

K=/boot/vmlinuz
arg() {
	sed -n "s/.*wb\.$1=\([^ ]*\).*/\1/p" /proc/cmdline
}
tool_bin() {
	case $1 in
	kt) echo /sbin/kexec ;;
	wb) echo /sbin/kexec-wb ;;
	*) echo /bin/false ;;
	esac
}

# timed OUT CMD...: run CMD under wbtime; "<ms> <rss KiB> <status>" into OUT.
timed() {
	out=$1
	shift
	wbtime "$@" >/tmp/timed.out 2>/tmp/timed.err
	t=$(sed -n 's/^WB-TIME //p' /tmp/timed.err | tail -n 1)
	[ -n "$t" ] || t="0 0 255"
	echo "$t" >"$out"
	case $t in
	*" 0") ;;
	*)
		echo "WB-NOTE failed: $*"
		sed 's/^/WB-NOTE | /' /tmp/timed.out /tmp/timed.err | head -n 20
		;;
	esac
}

# mkinitrd MIB OUT: the real initrd, then random bytes up to MIB MiB.
mkinitrd() {
	{
		cat /boot/initrd.img
		dd if=/dev/urandom bs=1048576 count="$1" 2>/dev/null
	} >"$2"
	truncate -s $(($1 * 1048576)) "$2"
	[ "$(stat -c %s "$2")" = $(($1 * 1048576)) ] || echo "WB-NOTE $2: short: $(stat -c %s "$2") bytes"
}

bench_load() {
	rounds=$(arg rounds)
	sizes=$(arg sizes | tr , ' ')
	cl="console=ttyS0 quiet panic=-1"
	echo "WB-NOTE kexec-tools: $(/sbin/kexec --version 2>&1 | head -n 1)"
	echo "WB-NOTE warmboot: $(/sbin/kexec-wb --version 2>&1 | head -n 1)"
	echo "WB-NOTE memory: $(grep MemTotal /proc/meminfo | tr -s ' ')"
	hashspeed 32
	# One load of each kind first, untimed: binaries and libraries into the page cache.
	mkinitrd 10 /tmp/initrd.img
	for tool in kt wb; do
		for path in s c; do
			b=$(tool_bin $tool)
			$b -l -$path --initrd=/tmp/initrd.img --command-line="$cl" $K >/dev/null 2>&1
			$b -u -$path >/dev/null 2>&1
		done
	done
	for size in $sizes; do
		rm -f /tmp/initrd.img
		mkinitrd "$size" /tmp/initrd.img
		r=1
		while [ "$r" -le "$rounds" ]; do
			# Alternate which tool goes first, round by round.
			if [ $((r % 2)) = 1 ]; then order="kt wb"; else order="wb kt"; fi
			for path in s c; do
				for tool in $order; do
					b=$(tool_bin $tool)
					timed /tmp/t "$b" -l -$path --initrd=/tmp/initrd.img --command-line="$cl" $K
					echo "WB-LOAD $tool $path $size $r $(cat /tmp/t)"
					$b -u -$path >/dev/null 2>&1 || echo "WB-NOTE unload failed: $tool -$path"
				done
			done
			r=$((r + 1))
		done
	done
	rm -f /tmp/initrd.img
}

# This image again, for the next kernel: A, then a cpio of the kernel and A.
self_image() {
	[ -s /tmp/next.img ] && return 0
	(cd / && printf 'boot/vmlinuz\nboot/self.img\n' | cpio -o -H newc 2>/dev/null) >/tmp/tail.cpio
	cat /boot/self.img /tmp/tail.cpio >/tmp/next.img
	rm -f /tmp/tail.cpio
}

bench_exec() {
	step=$(arg step)
	plan=/bench/plan-$(arg plan)
	n=$(grep -c . "$plan")
	next=$((step + 1))
	if [ "$next" -gt "$n" ]; then
		echo "WB-EXEC-DONE $step"
		return 0
	fi
	# shellcheck disable=SC2046 # TOOL and its options, split on purpose
	set -- $(sed -n "${next}p" "$plan")
	tool=$1
	shift
	b=$(tool_bin "$tool")
	self_image
	cl=$(sed "s/wb\.step=[0-9]*/wb.step=$next/" /proc/cmdline)
	timed /tmp/t "$b" -l "$@" --initrd=/tmp/next.img --command-line="$cl" $K
	echo "WB-NOTE load for step $next: $(cat /tmp/t) (initrd $(stat -c %s /tmp/next.img) bytes)"
	echo "WB-EXEC-STEP $next $tool $*"
	echo "WB-KEXEC-E"
	"$b" -e
	echo "WB-EXEC-FAILED $next"
}

case $(arg bench) in
load) bench_load ;;
exec) bench_exec ;;
cold)
	echo "WB-REBOOT"
	reboot -f
	;;
*) echo "WB-NOTE no wb.bench= on the command line" ;;
esac
