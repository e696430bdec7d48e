#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Runs the libFuzzer targets built by make under build/fuzz/ and fails
# when any of them finds a crash, a leak or a broken property.
#
#   fuzz/run.sh SECONDS [TARGET...]     each TARGET for SECONDS (default: all)
#
# Env: FUZZ_RUNS=N runs N executions instead of a time limit; FUZZ_JOBS
# targets at once (default: the number of CPUs); FUZZ_ARGS extra libFuzzer
# flags. Corpora: build/fuzz/work/T (written: what the fuzzer finds),
# fuzz/corpus/T (committed seeds), build/fuzz/corpus/T (seeds made by
# make). Crashes go to build/fuzz/crashes/T-*, logs to build/fuzz/logs/T.log.
# Prints one line per target: executions, coverage (cov: edges, ft:
# features), corpus size and time.
set -eu
export LC_ALL=C

B=${FUZZ_OUT:-build/fuzz}

if [ "${1:-}" = --one ]; then
	t=$2 seconds=$3
	mkdir -p "$B/work/$t" "$B/crashes" "$B/logs"
	set -- "$B/work/$t"
	for d in "fuzz/corpus/$t" "$B/corpus/$t"; do
		[ -d "$d" ] && set -- "$@" "$d"
	done
	[ -f "fuzz/$t.dict" ] && set -- "-dict=fuzz/$t.dict" "$@"
	if [ -n "${FUZZ_RUNS:-}" ]; then
		set -- "-runs=$FUZZ_RUNS" "$@"
	else
		set -- "-max_total_time=$seconds" "$@"
	fi
	start=$(date +%s)
	rc=0
	# shellcheck disable=SC2086
	"$B/fuzz_$t" -print_final_stats=1 -artifact_prefix="$B/crashes/$t-" \
		-timeout=10 -rss_limit_mb=2048 ${FUZZ_ARGS:-} "$@" >"$B/logs/$t.log" 2>&1 || rc=$?
	echo "$rc $(($(date +%s) - start))" >"$B/logs/$t.status"
	exit 0
fi

seconds=${1:?usage: fuzz/run.sh SECONDS [TARGET...]}
shift
targets=${*:-$(for f in "$B"/fuzz_*; do [ -x "$f" ] && basename "$f" | sed 's/^fuzz_//'; done)}
[ -n "$targets" ] || { echo "fuzz: no targets under $B (make fuzz-build)"; exit 1; }
jobs=${FUZZ_JOBS:-$(nproc 2>/dev/null || echo 1)}

for t in $targets; do rm -f "$B/logs/$t.status"; done
# shellcheck disable=SC2086
printf '%s\n' $targets | xargs -P "$jobs" -I{} "$0" --one {} "$seconds"

failed=0
for t in $targets; do
	log=$B/logs/$t.log
	read -r rc took <"$B/logs/$t.status" || { rc=99; took=?; }
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	last=$(grep -E '^#[0-9]+' "$log" | tail -n 1)
	cov=$(echo "$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
	ft=$(echo "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
	corp=$(echo "$last" | sed -n 's/.* corp: \([0-9]*\/[0-9a-zA-Z]*\).*/\1/p')
	printf '%-12s %10s execs  cov %-5s ft %-6s corpus %-10s %4s s  %s\n' "$t" "${runs:-?}" \
		"${cov:-?}" "${ft:-?}" "${corp:-?}" "$took" "$([ "$rc" = 0 ] && echo ok || echo FAILED)"
	if [ "$rc" != 0 ]; then
		failed=$((failed + 1))
		echo "---- $log (last lines)"
		tail -n 40 "$log"
		crash=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
		[ -n "$crash" ] && echo "---- reproduce: $B/fuzz_$t $crash"
	fi
done
if [ "$failed" != 0 ]; then
	echo "fuzz: $failed target(s) failed"
	exit 1
fi
