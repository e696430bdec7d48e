#!/bin/sh
# SPDX-License-Identifier: MIT
#
# demo, cold path: reboot through the firmware. The host stops QEMU when
# the second boot reaches init.
set -eu

echo WB-REBOOT
reboot -f
