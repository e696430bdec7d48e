#!/bin/sh
# SPDX-License-Identifier: MIT
#
# crash, stage 2: running as the crash kernel, the old memory is offered
# as /proc/vmcore.
set -eu
# shellcheck source=../../guest/wblib.sh
. /wb/lib.sh

if [ -e /proc/vmcore ]; then
	wb_pass vmcore
else
	wb_fail vmcore "no /proc/vmcore in the crash kernel"
fi
