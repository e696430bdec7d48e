#!/bin/sh
# SPDX-License-Identifier: MIT
#
# seed, stage 2: the new kernel starts with nothing loaded.
set -eu
# shellcheck source=../../guest/wblib.sh
. /wb/lib.sh

wb_expect_value seed-stage2-kexec_loaded /sys/kernel/kexec_loaded 0
