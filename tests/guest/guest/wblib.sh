#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Check helpers sourced by guest scenario scripts (busybox sh).
# Each check prints one "WB-PASS <name>" or "WB-FAIL <name>: <why>" line,
# followed on failure by "WB-DETAIL <name>: ..." lines (captured stdout,
# stderr, exit status) that the host shows under the failure.
set -eu
export PATH=/sbin:/bin

WB_OUT=/tmp/wb.out
WB_ERR=/tmp/wb.err
rc=0

wb_pass() { echo "WB-PASS $1"; }
wb_fail() {
	local n="$1"
	shift
	echo "WB-FAIL $n: $*"
}
wb_detail() {
	local n="$1"
	shift
	echo "WB-DETAIL $n: $*"
}

# Run "$@", capture stdout/stderr in files and the exit status in $rc.
wb_run() {
	if "$@" >"$WB_OUT" 2>"$WB_ERR"; then rc=0; else rc=$?; fi
}

# Show what the last wb_run printed, under check $1.
wb_show() {
	local n="$1" l
	wb_detail "$n" "exit status $rc"
	while IFS= read -r l || [ -n "$l" ]; do
		wb_detail "$n" "stdout| $l"
	done <"$WB_OUT"
	while IFS= read -r l || [ -n "$l" ]; do
		wb_detail "$n" "stderr| $l"
	done <"$WB_ERR"
}

# Current kexec state: "<kexec_loaded> <kexec_crash_loaded>".
wb_state() {
	echo "$(cat /sys/kernel/kexec_loaded) $(cat /sys/kernel/kexec_crash_loaded)"
}

# wb_expect_rc NAME WANT CMD...: CMD exits with status WANT.
wb_expect_rc() {
	local n="$1" want="$2"
	shift 2
	wb_run "$@"
	if [ "$rc" = "$want" ]; then
		wb_pass "$n"
	else
		wb_fail "$n" "exit status $rc, want $want, from: $*"
		wb_show "$n"
	fi
}

# wb_expect_eq NAME GOT WANT: two strings are equal.
wb_expect_eq() {
	if [ "$2" = "$3" ]; then
		wb_pass "$1"
	else
		wb_fail "$1" "got '$2', want '$3'"
	fi
}

# wb_expect_value NAME FILE WANT: FILE holds WANT (e.g. a sysfs flag).
wb_expect_value() {
	local n="$1" f="$2" want="$3" got
	got=$(cat "$f" 2>&1) || true
	if [ "$got" = "$want" ]; then
		wb_pass "$n"
	else
		wb_fail "$n" "$f is '$got', want '$want'"
	fi
}

# wb_expect_err NAME MODE TEXT CMD...: CMD fails the kexec way: exit 1,
# exactly one stderr line, starting with "kexec: ", and the kexec state
# (loaded flags) unchanged. MODE: "has" = the line contains TEXT,
# "is" = the line equals TEXT, "prefix" = only the checks above.
# wb_after: when set, the state wb_expect_err wants after the command
# instead of the state before it (a refusal the kernel pairs with a change).
wb_expect_err() {
	local n="$1" mode="$2" text="$3" before after lines first why=
	shift 3
	before=$(wb_state)
	wb_run "$@"
	after=$(wb_state)
	lines=$(grep -c '' "$WB_ERR" || true)
	first=$(head -n 1 "$WB_ERR")
	[ "$rc" = 1 ] || why="$why; exit status $rc, want 1"
	[ "$lines" = 1 ] || why="$why; $lines stderr lines, want 1"
	case $first in
	"kexec: "*) ;;
	*) why="$why; stderr does not start with 'kexec: '" ;;
	esac
	case $mode in
	has) case $first in
		*"$text"*) ;;
		*) why="$why; stderr lacks '$text'" ;;
		esac ;;
	is) [ "$first" = "$text" ] || why="$why; stderr is not '$text'" ;;
	esac
	[ "${wb_after:-$before}" = "$after" ] ||
		why="$why; loaded/crash_loaded went from '$before' to '$after', want '${wb_after:-$before}'"
	if [ -z "$why" ]; then
		wb_pass "$n"
	else
		wb_fail "$n" "${why#; }"
		wb_show "$n"
	fi
}

# wb_expect_choice NAME TEXT CMD...: CMD (run with -d) exits 0, and its
# stderr names exactly one syscall choice, a "kexec: debug: using ..." or
# "kexec: debug: kexec_file_load failed ...: falling back" line, which
# starts with TEXT.
wb_expect_choice() {
	local n="$1" text="$2" lines first why=
	shift 2
	wb_run "$@"
	grep -e '^kexec: debug: using kexec' -e '^kexec: debug: kexec_file_load failed' \
		"$WB_ERR" >/tmp/wb.choice || true
	lines=$(grep -c '' /tmp/wb.choice || true)
	first=$(head -n 1 /tmp/wb.choice)
	[ "$rc" = 0 ] || why="$why; exit status $rc, want 0"
	[ "$lines" = 1 ] || why="$why; $lines syscall choice lines, want 1"
	case $first in
	"$text"*) ;;
	*) why="$why; the choice is not '$text...'" ;;
	esac
	if [ -z "$why" ]; then
		wb_pass "$n"
	else
		wb_fail "$n" "${why#; }"
		wb_show "$n"
	fi
}

# wb_expect_stderr NAME has|lacks TEXT: the stderr of the last wb_run
# has (or lacks) a line containing TEXT.
wb_expect_stderr() {
	local n="$1" mode="$2" text="$3" found=lacks
	grep -qF -e "$text" "$WB_ERR" && found=has
	if [ "$found" = "$mode" ]; then
		wb_pass "$n"
	else
		wb_fail "$n" "stderr $found '$text'"
		wb_show "$n"
	fi
}

# wb_pad_cmdline N: "console=ttyS0" and wb.pad= words, N bytes in all.
wb_pad_cmdline() {
	local n="$1" line=console=ttyS0 word
	word=" wb.pad=$(head -c 92 /dev/zero | tr '\0' x)"
	while [ $((${#line} + ${#word} + 9)) -le "$n" ]; do
		line="$line$word"
	done
	line="$line wb.end=$(head -c $((n - ${#line} - 8)) /dev/zero | tr '\0' x)"
	printf '%s\n' "$line"
}

# wb_exec NAME: print the marker the host times, then kexec -e. Returns
# only if kexec -e failed, which is a failed check.
wb_exec() {
	echo "WB-KEXEC-E"
	wb_run kexec -e
	wb_fail "$1" "kexec -e returned"
	wb_show "$1"
}
