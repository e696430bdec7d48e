#!/bin/sh
# SPDX-License-Identifier: MIT
#
# classic, stage 1: the automatic syscall choice (-d says which), around
# the command line limits of this image: 2016 bytes on kexec_file_load,
# 2047 on kexec_load. Then the ELF vmlinux with default options, which
# only kexec_load can take; it boots stage 2.
# The users' lines are kept verbatim, unquoted $(uname -r) included.
# shellcheck disable=SC2046
set -eu
# shellcheck source=../../guest/wblib.sh
. /wb/lib.sh

K=/boot/vmlinuz-$(uname -r)
I=/boot/initrd.img-$(uname -r)
FILE="kexec: debug: using kexec_file_load: the automatic choice, the kernel parses and checks the image itself"
LONG="kexec: debug: using kexec_load: kexec_file_load would not do (command line too long"

wb_expect_choice auto-bzimage "$FILE" \
	kexec -d -l --initrd="$I" --reuse-cmdline "$K"
wb_expect_value auto-bzimage-kexec_loaded /sys/kernel/kexec_loaded 1

line2016=$(wb_pad_cmdline 2016)
line2017=$(wb_pad_cmdline 2017)
line2030=$(wb_pad_cmdline 2030)
line2047=$(wb_pad_cmdline 2047)
line2048=$(wb_pad_cmdline 2048)
lens=
for l in "$line2016" "$line2017" "$line2030" "$line2047" "$line2048"; do
	lens="$lens ${#l}"
done
[ "$lens" = " 2016 2017 2030 2047 2048" ] ||
	wb_fail cmdline-lengths "test bug: built lines of$lens bytes"

# Around the limits, without an initrd (the choice does not depend on it,
# and hashing one costs time under TCG): the longest line kexec_file_load
# takes, and one byte more.
wb_expect_choice cmdline-2016-auto "$FILE" \
	kexec -d -l --command-line="$line2016" "$K"
wb_expect_choice cmdline-2017-auto "$LONG" \
	kexec -d -l --command-line="$line2017" "$K"

# 2030 bytes: too long for the file loader, fine for kexec_load.
wb_expect_rc cmdline-2030-unload 0 kexec -u
wb_expect_value cmdline-2030-unloaded /sys/kernel/kexec_loaded 0
wb_expect_choice cmdline-2030-auto "$LONG" \
	kexec -d -l --command-line="$line2030" "$K"
wb_expect_value cmdline-2030-kexec_loaded /sys/kernel/kexec_loaded 1
wb_expect_err cmdline-2030-s has "command line too long" \
	kexec -s -l --command-line="$line2030" "$K"

# kexec_load's own limit: the image's cmdline_size.
wb_expect_rc cmdline-2047-c 0 kexec -c -l --command-line="$line2047" "$K"
wb_expect_err cmdline-2048-c has "command line too long" \
	kexec -c -l --command-line="$line2048" "$K"

wb_expect_err elf-s has "kexec_file_load cannot load it" \
	kexec -s -l --initrd="$I" --reuse-cmdline /boot/vmlinux-$(uname -r)
wb_expect_choice elf-load "kexec: debug: using kexec_load: kexec_file_load would not do (" \
	kexec -d -l --initrd=/boot/initrd.img-$(uname -r) --reuse-cmdline --append=wb.elf=1 /boot/vmlinux-$(uname -r)
wb_expect_value elf-kexec_loaded /sys/kernel/kexec_loaded 1
wb_exec elf-exec
