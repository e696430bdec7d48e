#!/bin/sh
# SPDX-License-Identifier: MIT
#
# secureboot, stage 2: started by kexec_file_load, which tells the new
# kernel that the machine boots with Secure Boot: it is locked down too.
set -eu
# shellcheck source=../../guest/wblib.sh
. /wb/lib.sh

if dmesg | grep -q 'secureboot: Secure boot enabled'; then
	wb_pass stage2-secure-boot
else
	wb_fail stage2-secure-boot "the kexec'd kernel did not see Secure Boot"
fi
wb_expect_value stage2-lockdown /sys/kernel/security/lockdown "none [integrity] confidentiality"
wb_expect_value stage2-kexec_loaded /sys/kernel/kexec_loaded 0
