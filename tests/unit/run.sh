#!/bin/sh
# SPDX-License-Identifier: MIT
# Runs each cmocka test program given; fails when any fails. Each prints its own summary.
set -u
failed=0
for t in "$@"; do
        echo "== $t"
        "$t" || failed=$((failed + 1))
done
if [ "$failed" -ne 0 ]; then
        echo "$failed unit test program(s) failed"
        exit 1
fi
