#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# Build the Debian guests of the system tests, once, and print the folder
# that holds them. SUITE bookworm (Debian 12, systemd 252; the default):
#
#   <dir>/systemd/root/    root file system: systemd, udev, initramfs-tools,
#                          busybox, linux-image-cloud-amd64, and the test hooks
#   <dir>/sysvinit/root/   the same with sysvinit-core instead of systemd-sysv
#   <dir>/kernel2/         a second cloud kernel .deb of another version
#                          (also inside both trees, see below)
#   <dir>/info             KVER=, KVER2=, MIRROR=, SUITE=
#
# SUITE trixie (Debian 13, systemd 257): <dir>/systemd/root/ and <dir>/info
# only (KVER2= empty), the same packages and test hooks: the one scenario
# that runs there is about systemd >= 255's own kexec handling, not about
# sysvinit or kernel packages, which bookworm covers.
#
# The folder is build/system-cache/SUITE-<key>, key = hash of this script:
# a change here rebuilds, anything else (warmboot, the scenarios) does not.
# run.sh copies a tree, installs warmboot into the copy (make install
# DESTDIR=) and turns it into an ext4 disk with mkfs.ext4 -d: no loop
# mounts, no root partition table (the guests boot with root=/dev/vda).
#
# Nothing here boots or loads a kernel: debootstrap and chroot only run
# Debian's package scripts in a folder.
#
#   tests/system/image.sh [SUITE]          build if needed, print the folder
#   tests/system/image.sh [SUITE] --key    print the folder without building
#
# Env: WB_SYS_CACHE (default build/system-cache), WB_MIRROR (default: the
# Debian mirror apt uses on this machine, from /etc/apt/sources.list*).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cache=${WB_SYS_CACHE:-$root/build/system-cache}
suite=bookworm
case ${1:-} in
bookworm | trixie) suite=$1; shift ;;
"" | --key) ;;
*) echo "usage: $0 [bookworm|trixie] [--key]" >&2; exit 2 ;;
esac
key=$(sha256sum "$here/image.sh" | cut -c 1-16)
dir=$cache/$suite-$key

if [ "${1:-}" = --key ]; then
	printf '%s\n' "$dir"
	exit 0
fi

# The suite in each line: tests/system/run.sh builds both at once.
log() { printf 'image %s: %s\n' "$suite" "$*" >&2; }
die() {
	printf 'image %s: %s\n' "$suite" "$*" >&2
	exit 1
}

[ -e "$dir/done" ] && { printf '%s\n' "$dir"; exit 0; }
[ "$(id -u)" = 0 ] || die "debootstrap and chroot need root"

mkdir -p "$cache"
# One lock per suite: tests/system/run.sh builds both at once (make check one after the other).
exec 9>"$cache/.lock.$suite"
flock 9
# Someone else may have built it while we waited.
[ -e "$dir/done" ] && { printf '%s\n' "$dir"; exit 0; }

# ------------------------------------------------------------------ tools

missing=
command -v debootstrap >/dev/null || missing="$missing debootstrap"
command -v qemu-img >/dev/null || missing="$missing qemu-utils"
command -v mkfs.ext4 >/dev/null || missing="$missing e2fsprogs"
command -v zstd >/dev/null || missing="$missing zstd"
if [ -n "$missing" ]; then
	log "installing$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

# ------------------------------------------------------------------ mirror

# The Debian mirror this machine's apt uses for suite $1: the first "deb"
# source with that suite, from one-line .list files or deb822 .sources.
host_mirror() {
	local f suite=$1
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -r "$f" ] || continue
		awk -v s="$suite" '
			$1 == "deb" {
				i = 2
				if ($i ~ /^\[/) { while ($i !~ /\]$/ && i < NF) i++; i++ }
				if ($(i + 1) == s) { print $i; exit }
			}' "$f"
	done | head -n 1 | grep . && return 0
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -r "$f" ] || continue
		awk -v s="$suite" '
			function flush() {
				if (types ~ /(^| )deb( |$)/ && enabled != "no" && (" " suites " ") ~ (" " s " ") && uris != "") {
					split(uris, u, " "); print u[1]; found = 1; exit
				}
				types = ""; suites = ""; uris = ""; enabled = ""
			}
			/^[ \t]*$/ { flush(); next }
			/^#/ { next }
			tolower($1) == "types:" { $1 = ""; types = $0 }
			tolower($1) == "suites:" { $1 = ""; suites = $0 }
			tolower($1) == "uris:" { $1 = ""; uris = $0; sub(/^ +/, "", uris) }
			tolower($1) == "enabled:" { enabled = tolower($2) }
			END { if (!found) flush() }' "$f"
	done | head -n 1 | grep .
}
mirror=${WB_MIRROR:-}
# A bookworm machine has no trixie source: its bookworm mirror carries
# every suite of the archive.
[ -n "$mirror" ] || mirror=$(host_mirror "$suite") || mirror=$(host_mirror bookworm) ||
	die "no '$suite' Debian source in /etc/apt/sources.list*: set WB_MIRROR"
log "mirror $mirror"

# ------------------------------------------------------------------ build

t0=$(date +%s)
# This suite's old keys and half-built trees go (and for bookworm, those
# named by the key alone, from before trixie had its own).
for old in "$cache"/*/; do
	old=${old%/}
	case ${old##*/} in
	"$suite"-*) ;;
	????????????????) [ "$suite" = bookworm ] || continue ;;
	*) continue ;;
	esac
	[ "$old" = "$dir" ] || rm -rf "$old"
done
rm -rf "$dir"
mkdir -p "$dir"
work=$dir/tmp
mkdir -p "$work"

# Whatever happens, leave no /proc mounted inside a tree.
trees=()
cleanup() {
	local t
	for t in ${trees[@]+"${trees[@]}"}; do
		mountpoint -q "$t/proc" 2>/dev/null && umount -l "$t/proc"
	done
	return 0
}
trap cleanup EXIT

sys=$dir/systemd/root
mkdir -p "$dir/systemd"
trees+=("$sys")
pkgs=systemd,systemd-sysv,udev,kmod,initramfs-tools,zstd,busybox,procps,jq
log "debootstrap $suite ($pkgs)"
if ! debootstrap --variant=minbase --include="$pkgs" "$suite" "$sys" "$mirror" >"$work/debootstrap.log" 2>&1; then
	tail -n 20 "$work/debootstrap.log" >&2
	[ -f "$sys/debootstrap/debootstrap.log" ] && tail -n 20 "$sys/debootstrap/debootstrap.log" >&2
	die "debootstrap $suite $mirror failed (log: ${work#"$root"/}/debootstrap.log)"
fi

in_root() { # in_root TREE COMMAND...: run in the tree, with /proc there
	local t=$1
	shift
	mountpoint -q "$t/proc" || mount -t proc proc "$t/proc"
	chroot "$t" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8 "$@"
	local rc=$?
	umount -l "$t/proc"
	return $rc
}

# ---- what both variants share

# Root on the virtio disk, no fsck (the disk is made fresh for each run).
printf '/dev/vda / ext4 rw,errors=remount-ro 0 0\n' >"$sys/etc/fstab"
echo wbguest >"$sys/etc/hostname"
printf '127.0.0.1 localhost\n127.0.1.1 wbguest\n' >"$sys/etc/hosts"
in_root "$sys" passwd -d root >/dev/null

# The initramfs: the root disk's drivers only (MODULES=list), so that it is
# small to load under TCG and quick to rebuild in the guest when a second
# kernel is installed. The cloud kernel has virtio_blk as a module. Set
# before the kernel is installed: its initramfs is made once, this way.
printf 'virtio_pci\nvirtio_blk\n' >>"$sys/etc/initramfs-tools/modules"
printf 'MODULES=list\n' >"$sys/etc/initramfs-tools/conf.d/wb-test.conf"
log "linux-image-cloud-amd64"
in_root "$sys" apt-get install -y -q --no-install-recommends linux-image-cloud-amd64 >"$work/kernel.log" 2>&1 ||
	{ tail -n 30 "$work/kernel.log" >&2; die "apt-get install linux-image-cloud-amd64 failed"; }
kver=$(cd "$sys/boot" && ls vmlinuz-* | sed 's/^vmlinuz-//' | sort -V | tail -n 1)
[ -n "$kver" ] || die "no kernel in the image's /boot"
log "kernel $kver"
in_root "$sys" lsinitramfs "/boot/initrd.img-$kver" >"$work/initrd.list"
grep -q '/virtio_blk\.ko' "$work/initrd.list" || die "the initramfs has no virtio_blk"

# Modules the guests do not need and TCG is slow to load (the QEMU CPU
# model "max" offers virtualisation extensions).
printf 'blacklist kvm\nblacklist kvm_amd\nblacklist kvm_intel\n' >"$sys/etc/modprobe.d/wb-test.conf"
# Messages on the console that a test prints with echo > /dev/kmsg.
printf 'kernel.printk_devkmsg = on\n' >"$sys/etc/sysctl.d/wb-test.conf"

# Bookworm only: the second kernel (scenario "newkernel") and the sysvinit
# variant; trixie's scenario needs neither.
kver2=
variants=systemd
if [ "$suite" = bookworm ]; then
	# A second kernel of another version, to install in the guest (scenario
	# "newkernel"): the newest bookworm cloud kernel this machine's apt knows
	# (bookworm-security and -updates carry newer ones than the point release
	# that debootstrap installs), else any other version it lists.
	kdir=$dir/kernel2
	mkdir -p "$kdir"
	chmod 755 "$kdir"
	(
		cd "$kdir"
		apt-cache show linux-image-cloud-amd64 >/dev/null 2>&1 || apt-get update -qq
		want=
		for v in $(apt-cache madison linux-image-cloud-amd64 | awk '{print $3}'); do
			apt-get download "linux-image-cloud-amd64=$v" >/dev/null 2>&1 || continue
			meta=$(ls linux-image-cloud-amd64_*.deb)
			dep=$(dpkg-deb -f "$meta" Depends | tr ',' '\n' |
				sed -n 's/^ *\(linux-image-[0-9][^ ]*-cloud-amd64\) *\((= *\([^)]*\))\)\{0,1\}.*/\1=\3/p' | head -n 1)
			rm -f "$meta"
			[ -n "$dep" ] || continue
			pkg=${dep%%=*}
			[ "$pkg" = "linux-image-$kver" ] && continue
			want=$dep
			break
		done
		[ -n "$want" ] || { log "apt knows no cloud kernel but $kver"; exit 1; }
		apt-get download "${want%=}" >"$work/kernel2.log" 2>&1 ||
			{ cat "$work/kernel2.log" >&2; exit 1; }
	) || die "cannot download a second kernel"
	deb2=$(cd "$kdir" && ls linux-image-*-cloud-amd64_*.deb | head -n 1)
	kver2=$(dpkg-deb -f "$kdir/$deb2" Package | sed 's/^linux-image-//')
	log "second kernel $kver2 ($deb2)"
	mkdir -p "$sys/var/cache/wb-test"
	cp "$kdir/$deb2" "$sys/var/cache/wb-test/"
	# Its initramfs, made here: mkinitramfs takes minutes under TCG, and what
	# the guest test is about is warmboot's hook and reboot, not Debian's
	# initramfs builder. Same tools and configuration: the package installed
	# in a throwaway copy of the tree.
	log "second kernel's initramfs"
	k2=$work/k2root
	cp -a "$sys" "$k2"
	trees+=("$k2")
	in_root "$k2" dpkg --force-unsafe-io -i "/var/cache/wb-test/$deb2" >"$work/k2.log" 2>&1 ||
		{ tail -n 30 "$work/k2.log" >&2; die "dpkg -i $deb2 failed in a copy of the tree"; }
	[ -s "$k2/boot/initrd.img-$kver2" ] || die "no initrd.img-$kver2 made"
	cp "$k2/boot/initrd.img-$kver2" "$sys/var/cache/wb-test/initrd.img-$kver2"
	rm -rf "$k2"
	# Its dependencies are in the image already; check now, not in the guest.
	for d in $(dpkg-deb -f "$kdir/$deb2" Depends | tr ',|' '\n\n' | awk '{print $1}'); do
		[ -e "$sys/var/lib/dpkg/info/$d.list" ] || [ -e "$sys/var/lib/dpkg/info/$d:amd64.list" ] ||
			case $d in linux-initramfs-tool) ;; *) log "note: $deb2 depends on $d, not in the image" ;; esac
	done

	# ---- the sysvinit variant: a copy with sysvinit-core instead of systemd-sysv

	log "sysvinit variant"
	sysv=$dir/sysvinit/root
	mkdir -p "$dir/sysvinit"
	trees+=("$sysv")
	cp -a "$sys" "$sysv"
	printf '#!/bin/sh\nexit 101\n' >"$sysv/usr/sbin/policy-rc.d"
	chmod 755 "$sysv/usr/sbin/policy-rc.d"
	in_root "$sysv" apt-get install -y -q sysvinit-core >"$work/sysvinit.log" 2>&1 ||
		{ tail -n 30 "$work/sysvinit.log" >&2; die "apt-get install sysvinit-core failed"; }
	rm -f "$sysv/usr/sbin/policy-rc.d"
	[ -x "$sysv/sbin/init" ] && [ ! -L "$sysv/sbin/init" ] ||
		die "sysvinit variant: /sbin/init is not sysvinit's"
	ls "$sysv/etc/rc6.d/" >"$work/rc6.list"
	grep -q 'reboot$' "$work/rc6.list" ||
		die "sysvinit variant: no reboot script in /etc/rc6.d"
	variants="systemd sysvinit"
fi

# ---- the test hooks: each boot runs /usr/local/lib/wb-test/boot when it
# is there (run.sh installs it with the scenarios) and the command line
# names a test (wb.test=NAME). It writes to the serial port itself.

# systemd: a service after multi-user.target; no getty on the serial port
# (agetty's vhangup would cut the test's output off).
mkdir -p "$sys/etc/systemd/system/multi-user.target.wants"
cat >"$sys/etc/systemd/system/wb-test.service" <<'EOF'
[Unit]
Description=warmboot system test step
After=multi-user.target
ConditionPathExists=/usr/local/lib/wb-test/boot
ConditionKernelCommandLine=wb.test

[Service]
Type=simple
ExecStart=/usr/local/lib/wb-test/boot

[Install]
WantedBy=multi-user.target
EOF
ln -s ../wb-test.service "$sys/etc/systemd/system/multi-user.target.wants/wb-test.service"
for u in serial-getty@ttyS0.service getty@tty1.service e2scrub_reap.service e2scrub_all.timer \
	apt-daily.timer apt-daily-upgrade.timer; do
	ln -sf /dev/null "$sys/etc/systemd/system/$u"
done
# A persistent journal: `journalctl -b -1` shows how the last boot ended.
mkdir -p "$sys/var/log/journal"

# sysvinit: an inittab entry, after runlevel 2's scripts; no gettys.
if [ -n "${sysv:-}" ]; then
	sed -i -e '/^[1-6]:[0-9]*:respawn:.*getty/s/^/#/' "$sysv/etc/inittab"
	printf 'wb:2345:once:/bin/sh -c "[ -x /usr/local/lib/wb-test/boot ] && grep -q wb.test= /proc/cmdline && exec /usr/local/lib/wb-test/boot"\n' \
		>>"$sysv/etc/inittab"
fi

# ---- smaller trees: no package downloads, lists, docs or locales
for v in $variants; do
	t=$dir/$v/root
	rm -rf "$t/var/cache/apt/"*.bin "$t/var/cache/apt/archives/"*.deb \
		"$t/var/lib/apt/lists/"*_dists_* "$t/usr/share/doc/"* \
		"$t/usr/share/man/"* "$t/usr/share/locale/"* "$t/usr/share/info/"*
done

for v in $variants; do
	t=$dir/$v/root
	[ -s "$t/boot/vmlinuz-$kver" ] && [ -s "$t/boot/initrd.img-$kver" ] ||
		die "$v: no /boot/vmlinuz-$kver or initrd"
done
printf 'KVER=%s\nKVER2=%s\nMIRROR=%s\nSUITE=%s\n' "$kver" "$kver2" "$mirror" "$suite" >"$dir/info"
rm -rf "$work"
touch "$dir/done"
log "done in $(($(date +%s) - t0)) s: ${dir#"$root"/}"
printf '%s\n' "$dir"
