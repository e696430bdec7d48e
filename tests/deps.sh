#!/bin/sh
# SPDX-License-Identifier: MIT
# Installs what building and testing warmboot needs, with apt-get, only when
# something is missing, so that a fresh Debian machine passes `make check`.
set -eu

missing=""
need() { # need PACKAGE TEST-COMMAND...
        pkg=$1; shift
        "$@" >/dev/null 2>&1 || missing="$missing $pkg"
}
need gcc command -v gcc
need make command -v make
need clang command -v clang
need musl-tools command -v musl-gcc
need libcmocka-dev test -f /usr/include/cmocka.h
need linux-libc-dev test -f /usr/include/linux/kexec.h
need qemu-system-x86 command -v qemu-system-x86_64
need busybox-static test -x /bin/busybox
need cpio command -v cpio
need file command -v file
# The guests (tests/guest/deps.sh) and the system image (tests/system/image.sh)
# check these again; installing them here, first, keeps apt-get from running
# while make check builds the image in the background.
need lz4 command -v lz4
need binutils command -v readelf
need debootstrap command -v debootstrap
need qemu-utils command -v qemu-img
need e2fsprogs command -v mkfs.ext4
need zstd command -v zstd
# make check-fuzz, check-valgrind, lint (docs/testing.md): clang's libFuzzer
# runtime (libclang-rt-dev pulls the one of the default clang), valgrind,
# cppcheck, clang-tidy.
need libclang-rt-dev sh -c 'test -f "$(clang --print-resource-dir)/lib/linux/libclang_rt.fuzzer-x86_64.a"'
need valgrind command -v valgrind
need cppcheck command -v cppcheck
need clang-tidy command -v clang-tidy

if [ -n "$missing" ]; then
        echo "deps: installing$missing"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        # shellcheck disable=SC2086
        apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
