#!/bin/sh
# SPDX-License-Identifier: MIT
#
# lockdown, stage 1: every load refused, with the reason; the kernel loaded
# before still boots (stage 2). Lockdown is raised at run time, as a system booted
# with Secure Boot has it from the start (`lockdown=integrity` at boot
# would leave nothing loadable to test with: this guest boots without
# EFI, so Debian's Secure Boot key is not in any keyring the kernel trusts
# and even its signed vmlinuz is refused).
# shellcheck disable=SC2046
set -eu
# shellcheck source=../../guest/wblib.sh
. /wb/lib.sh

K=/boot/vmlinuz-$(uname -r)
I=/boot/initrd.img-$(uname -r)
LD=/sys/kernel/security/lockdown

u32() { od -An -tu4 -j "$1" -N4 "$2" | tr -d ' '; }
poke() {
	# shellcheck disable=SC2059
	printf "$2" | dd of="$3" bs=1 seek="$1" conv=notrunc 2>/dev/null
}

wb_expect_value lockdown-none $LD "[none] integrity confidentiality"
wb_expect_rc load 0 kexec -l --initrd="$I" --reuse-cmdline "$K"
wb_expect_rc load-panic 0 kexec -p --initrd="$I" --reuse-cmdline "$K"

echo integrity >$LD
wb_expect_value lockdown-integrity $LD "none [integrity] confidentiality"

c_why="the kernel is locked down (integrity), which forbids kexec_load; use kexec_file_load (-s) with a signed kernel"
s_why="the kernel is locked down (integrity) and refused the load; only a kernel signed with a trusted key can be loaded"
wb_expect_err c-refused is "kexec: $K: $c_why" \
	kexec -c -l --initrd="$I" --reuse-cmdline "$K"
wb_expect_err s-refused is "kexec: $K: $s_why" \
	kexec -s -l --initrd="$I" --reuse-cmdline "$K"
# The automatic choice does not fall back to kexec_load: lockdown forbids it too.
wb_expect_err auto-refused is "kexec: $K: $s_why" \
	kexec -l --initrd="$I" --reuse-cmdline "$K"
wb_expect_err c-panic-refused is "kexec: $K: $c_why" \
	kexec -c -p --initrd="$I" --reuse-cmdline "$K"

# The same kernel without its signature: the certificate table (PE data
# directory 4, 144 bytes into the PE32+ optional header, which follows the
# 24-byte COFF header at e_lfanew, 0x3c) zeroed.
pe=$(u32 $((0x3c)) "$K")
cp "$K" /tmp/unsigned
poke $((pe + 24 + 144)) '\0\0\0\0\0\0\0\0' /tmp/unsigned
wb_expect_err unsigned-refused is "kexec: /tmp/unsigned: $s_why" \
	kexec -s -l --initrd="$I" --reuse-cmdline /tmp/unsigned

# A panic kernel load frees the panic kernel loaded before, in the kernel,
# before the signature check refuses: the message says it is gone.
wb_after="1 0"
wb_expect_err panic-refused-old-gone is "kexec: $K: $s_why; the panic kernel loaded before is gone too (the kernel unloads it before any panic kernel load)" \
	kexec -p --initrd="$I" --reuse-cmdline "$K"
wb_after=

wb_expect_value still-loaded /sys/kernel/kexec_loaded 1
wb_exec exec
