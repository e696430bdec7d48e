#!/bin/sh
# SPDX-License-Identifier: MIT
#
# crash, stage 2: running as the crash kernel, the old memory is offered
# as /proc/vmcore: a valid ELF core dump of the first kernel's RAM outside
# the reservation, whose log vmcore-dmesg reads back.
set -eu
# shellcheck source=../../guest/wblib.sh
. /wb/lib.sh

if [ ! -e /proc/vmcore ]; then
	wb_fail vmcore "no /proc/vmcore in the crash kernel"
	exit 0
fi
wb_pass vmcore

if vmcore-dmesg --summary >/tmp/summary 2>/tmp/summary.err; then
	wb_pass vmcore-header
else
	wb_fail vmcore-header "$(cat /tmp/summary.err)"
fi
wb_expect_eq vmcore-release "$(sed -n 's/^release: //p' /tmp/summary)" "$(uname -r)"

# The dump's RAM (kernel-image mapping aside) against what stage 1 counted:
# equal within a page per range.
want=$(sed -n 's/.*wb\.ram=\([0-9]*\).*/\1/p' /proc/cmdline)
got=$(sed -n 's/^ram bytes: //p' /tmp/summary)
loads=$(sed -n 's/^ram loads: //p' /tmp/summary)
diff=$((got > want ? got - want : want - got))
if [ -n "$want" ] && [ "$loads" -gt 0 ] && [ "$diff" -le $((loads * 4096)) ]; then
	wb_pass vmcore-ram
else
	wb_fail vmcore-ram "dump has $got bytes in $loads ranges, stage 1 had $want"
fi

if vmcore-dmesg >/tmp/dmesg 2>/tmp/dmesg.err; then
	wb_pass vmcore-dmesg
else
	wb_fail vmcore-dmesg "$(cat /tmp/dmesg.err)"
fi
if grep -q 'sysrq: Trigger a crash' /tmp/dmesg; then
	wb_pass vmcore-dmesg-panic-line
else
	wb_fail vmcore-dmesg-panic-line "no 'sysrq: Trigger a crash' among $(wc -l </tmp/dmesg) lines"
fi
