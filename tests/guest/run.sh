#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# Run the real-kernel guest scenarios: each boots Debian's cloud kernel in
# QEMU (TCG) with our static kexec in the initramfs and checks kexec from
# inside the guest. Prints one line per check, then "N passed, N failed".
#
#   tests/guest/run.sh [FILTER]     FILTER: substring of scenario names
#
# Env: KEXEC_BIN (default build/static/kexec; "kexec-tools" = Debian's, for
# a reference run), KEXEC_TEST_BIN (default build/test/kexec, the test
# build for the purgatory scenario), WB_CACHE, WB_TIMEOUT (per QEMU run,
# default 120 s).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
"$here/deps.sh"
# shellcheck source=lib.sh
. "$here/lib.sh"

scenarios="seed cmdline status crash badinput classic purgatory lockdown secureboot"
filter=${1:-}

finish() {
	echo "$WB_PASSED passed, $WB_FAILED failed"
	[ "$WB_FAILED" = 0 ] && [ "$WB_PASSED" -gt 0 ]
}

kexec=$(wb_kexec_bin)
if [ -n "$kexec" ] && [ ! -x "$kexec" ]; then
	wb_fail setup/kexec-binary "no executable kexec at ${kexec#"$WB_ROOT"/} (build it with: make static)"
	finish
	exit 1
fi

wb_kernel
shown=${kexec:-none}
echo "guest kernel $WB_KVER, kexec ${shown#"$WB_ROOT"/}"
start=$(date +%s)
for s in $scenarios; do
	case $s in *"$filter"*) ;; *) continue ;; esac
	# shellcheck source=/dev/null
	. "$here/scenarios/$s/host.sh"
	t0=$(date +%s)
	before=$WB_FAILED
	"scenario_$s"
	wb_show_log "$WB_LOGS/$s.log" "$before"
	echo "  ($s: $(($(date +%s) - t0)) s)"
done
echo "  (total: $(($(date +%s) - start)) s)"
finish
