#!/bin/sh
# SPDX-License-Identifier: MIT
#
# badinput (no crashkernel=): the hostile-input matrix. With a good kernel
# loaded, every bad request must exit 1 with exactly one stderr line, the
# exact "kexec: ..." message below, and leave that kernel loaded
# (wb_expect_err compares kexec_loaded and kexec_crash_loaded before and
# after; end-kexec_loaded checks it once more). Messages that quote sizes
# take them from the image's own setup header, so they stay exact for any
# guest kernel. sysctl kernel.kexec_load_disabled=1 is one-way: it comes last.
# The users' lines are kept verbatim, unquoted $(uname -r) included.
# shellcheck disable=SC2046
set -eu
# shellcheck source=../../guest/wblib.sh
. /wb/lib.sh

K=/boot/vmlinuz-$(uname -r)
I=/boot/initrd.img-$(uname -r)

# u8|u32 OFFSET FILE: an unsigned little-endian field of FILE.
u8() { od -An -tu1 -j "$1" -N1 "$2" | tr -d ' '; }
u32() { od -An -tu4 -j "$1" -N4 "$2" | tr -d ' '; }
# poke OFFSET BYTES FILE: overwrites bytes of FILE (BYTES in printf's \ooo escapes).
poke() {
	# shellcheck disable=SC2059
	printf "$2" | dd of="$3" bs=1 seek="$1" conv=notrunc 2>/dev/null
}

# The kernel's setup header (Documentation/arch/x86/boot.rst).
size=$(stat -c %s "$K")
sects=$(u8 $((0x1f1)) "$K")
[ "$sects" != 0 ] || sects=4
setup=$(((sects + 1) * 512))
kernel=$(($(u32 $((0x1f4)) "$K") * 16))
cmdline_size=$(u32 $((0x238)) "$K")
not_bz="not a kernel image warmboot knows (tried: bzImage, elf-x86_64)"

# Before anything is loaded: -e must refuse, not reboot.
wb_expect_err exec-nothing-loaded is "kexec: nothing has been loaded; load a kernel first with kexec -l KERNEL" \
	kexec -e

wb_expect_rc setup-load 0 kexec -l --initrd="$I" --reuse-cmdline "$K"
wb_expect_value setup-kexec_loaded /sys/kernel/kexec_loaded 1

# ---- options
wb_expect_err unknown-option is "kexec: unknown option '--bogus' (see kexec --help)" \
	kexec --bogus -l "$K"
wb_expect_err missing-argument is "kexec: option '--initrd' needs an argument" \
	kexec -l "$K" --initrd
wb_expect_err kexec-tools-only-option is "kexec: --mem-min is not supported" \
	kexec --mem-min=0 -l "$K"

# ---- images
wb_expect_err missing-image is "kexec: /nonexistent: cannot open: No such file or directory" \
	kexec -l /nonexistent

: >/tmp/empty
wb_expect_err empty-image is "kexec: /tmp/empty: file is empty" \
	kexec -l /tmp/empty

head -c 544 "$K" >/tmp/cut-in-header
wb_expect_err truncated-in-header is "kexec: /tmp/cut-in-header: truncated bzImage: the file ends inside its setup header (544 bytes, the header needs 616)" \
	kexec -l /tmp/cut-in-header

if [ "$setup" -gt 8192 ]; then
	head -c 8192 "$K" >/tmp/cut-in-setup
	wb_expect_err truncated-in-setup is "kexec: /tmp/cut-in-setup: truncated bzImage: its header says the setup code alone is $setup bytes, the file has 8192" \
		kexec -l /tmp/cut-in-setup
else
	wb_fail truncated-in-setup "test bug: this kernel's setup code is only $setup bytes"
fi

head -c 100000 "$K" >/tmp/truncated
wb_expect_err truncated-in-kernel is "kexec: /tmp/truncated: truncated bzImage: its header says $((setup + kernel)) bytes, the file has 100000" \
	kexec -l --initrd="$I" --reuse-cmdline /tmp/truncated

# setup_sects 255: 128 KiB of setup code, which pushes the kernel past the end.
cp "$K" /tmp/setup-sects
poke $((0x1f1)) '\377' /tmp/setup-sects
if [ "$size" -ge 131072 ] && [ $((size - 131072)) -lt "$kernel" ]; then
	wb_expect_err setup-sects-huge is "kexec: /tmp/setup-sects: truncated bzImage: its header says $((131072 + kernel)) bytes, the file has $size" \
		kexec -l /tmp/setup-sects
else
	wb_fail setup-sects-huge "test bug: setup_sects 255 still fits this $size-byte kernel"
fi
rm -f /tmp/setup-sects

# syssize 0x0fffffff: a protected-mode kernel of 4 GiB, in a 14 MB file.
cp "$K" /tmp/syssize
poke $((0x1f4)) '\377\377\377\017' /tmp/syssize
wb_expect_err syssize-past-end is "kexec: /tmp/syssize: truncated bzImage: its header says $((setup + 0x0fffffff * 16)) bytes, the file has $size" \
	kexec -l /tmp/syssize
rm -f /tmp/syssize

seq 1 20000 >/tmp/junk
wb_expect_err junk-file is "kexec: /tmp/junk: $not_bz" \
	kexec -l --initrd="$I" --reuse-cmdline /tmp/junk

# An arm64 Image: "MZ" (its EFI stub), and "ARM\x64" at 0x38 (Documentation/arch/arm64/booting.rst).
{ printf 'MZ\000\221'; head -c 52 /dev/zero; printf 'ARM\144'; head -c 4096 /dev/zero; } >/tmp/Image-arm64
wb_expect_err arm64-image is "kexec: /tmp/Image-arm64: $not_bz: an arm64 Image, not for this x86_64 machine" \
	kexec -l /tmp/Image-arm64

# ELF vmlinux files (made by host.sh): only kexec_load takes them, -c or automatic.
wb_expect_err elf-overlapping is "kexec: /boot/vmlinux-overlap: ELF segment 1 at 0x1001000 overlaps another one" \
	kexec -l --reuse-cmdline /boot/vmlinux-overlap
wb_expect_err elf-not-ram is "kexec: /boot/vmlinux-outside-ram: ELF segment 0 wants [0x200000000000, 0x200000001000), which is not RAM on this machine" \
	kexec -l --reuse-cmdline /boot/vmlinux-outside-ram
wb_expect_err c-elf-not-ram is "kexec: /boot/vmlinux-outside-ram: ELF segment 0 wants [0x200000000000, 0x200000001000), which is not RAM on this machine" \
	kexec -c -l --reuse-cmdline /boot/vmlinux-outside-ram

# ---- initrds
wb_expect_err missing-initrd is "kexec: /nonexistent.img: cannot open: No such file or directory" \
	kexec -l --initrd=/nonexistent.img --reuse-cmdline "$K"
mkdir -p /tmp/initrd-dir
wb_expect_err initrd-directory is "kexec: /tmp/initrd-dir: is a directory, not an initrd file" \
	kexec -l --initrd=/tmp/initrd-dir --reuse-cmdline "$K"
# chmod 000 does not stop root; a FIFO nobody writes to cannot be read (nor block kexec).
mkfifo /tmp/initrd-fifo
wb_expect_err initrd-fifo is "kexec: /tmp/initrd-fifo: not a regular file" \
	kexec -l --initrd=/tmp/initrd-fifo --reuse-cmdline "$K"
: >/tmp/initrd-empty
wb_expect_err initrd-empty is "kexec: /tmp/initrd-empty: initrd is empty" \
	kexec -l --initrd=/tmp/initrd-empty --reuse-cmdline "$K"

# ---- command line
long=$(head -c 4096 </dev/zero | tr '\0' x)
if [ "${#long}" = 4096 ]; then
	wb_expect_err long-cmdline is "kexec: $K: command line too long: 4096 bytes, this kernel takes at most $cmdline_size" \
		kexec -l --initrd="$I" --command-line="$long" "$K"
else
	wb_fail long-cmdline "test bug: built a ${#long}-byte command line"
fi

# ---- panic kernel without crashkernel=
wb_expect_err panic-no-crashkernel is "kexec: $K: no memory is reserved for a crash kernel; boot the running kernel with crashkernel=SIZE (e.g. crashkernel=256M) on its command line" \
	kexec -p --initrd="$I" --reuse-cmdline "$K"
wb_expect_value panic-no-crashkernel-crash_loaded /sys/kernel/kexec_crash_loaded 0

# ---- the same on kexec_load (-c), where warmboot places the segments itself
wb_expect_err c-truncated-bzimage is "kexec: /tmp/truncated: truncated bzImage: its header says $((setup + kernel)) bytes, the file has 100000" \
	kexec -c -l --initrd="$I" --reuse-cmdline /tmp/truncated
wb_expect_err c-missing-initrd is "kexec: /nonexistent.img: cannot open: No such file or directory" \
	kexec -c -l --initrd=/nonexistent.img --reuse-cmdline "$K"

# ---- root without CAP_SYS_BOOT (nocap, tests/guest/nocap.c): the kernel's EPERM, explained
nocap_why="permission denied: loading a kernel needs root (the CAP_SYS_BOOT capability)"
wb_expect_err no-cap-sys-boot is "kexec: $K: $nocap_why" \
	nocap kexec -l --initrd="$I" --reuse-cmdline "$K"
wb_expect_err c-no-cap-sys-boot is "kexec: $K: $nocap_why" \
	nocap kexec -c -l --initrd="$I" --reuse-cmdline "$K"
wb_expect_err no-cap-sys-boot-unload is "kexec: cannot unload the loaded kernel: $nocap_why" \
	nocap kexec -u

# ---- last: kexec disabled until the next boot; everything refuses, and says why
echo 1 >/proc/sys/kernel/kexec_load_disabled
wb_expect_value disabled-sysctl /proc/sys/kernel/kexec_load_disabled 1
off_why="kexec is disabled on this system (sysctl kernel.kexec_load_disabled=1, which stays set until the next boot)"
wb_expect_err disabled-load is "kexec: $K: $off_why" \
	kexec -l --initrd="$I" --reuse-cmdline "$K"
wb_expect_err c-disabled-load is "kexec: $K: $off_why" \
	kexec -c -l --initrd="$I" --reuse-cmdline "$K"
wb_expect_err disabled-unload is "kexec: cannot unload the loaded kernel: $off_why" \
	kexec -u

wb_expect_value end-kexec_loaded /sys/kernel/kexec_loaded 1
