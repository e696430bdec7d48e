#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Fetch Debian's cloud kernel once and print, on two lines:
#   /path/to/vmlinuz-<release>
#   <release>            (e.g. 6.1.0-56-cloud-amd64)
# Cached under $WB_CACHE (default <repo>/build/guest-cache); a cached run
# touches no network. A lock serialises concurrent callers.
set -eu

root=$(cd "$(dirname "$0")/../.." && pwd)
cache=${WB_CACHE:-$root/build/guest-cache}
mkdir -p "$cache"
cache=$(cd "$cache" && pwd)

print_cached() {
	[ -s "$cache/kernel/release" ] || return 1
	kver=$(cat "$cache/kernel/release")
	[ -s "$cache/kernel/vmlinuz-$kver" ] || return 1
	printf '%s\n%s\n' "$cache/kernel/vmlinuz-$kver" "$kver"
}

# Fast path without the lock: the release file is written last, atomically.
print_cached && exit 0

exec 9>"$cache/.kernel.lock"
flock 9
# Someone else may have finished the download while we waited.
print_cached && exit 0

tmp=$(mktemp -d "$cache/.kernel-dl.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
aptlog=$tmp/apt.log

fail() {
	echo "kernel.sh: $*" >&2
	[ -s "$aptlog" ] && sed 's/^/  apt: /' "$aptlog" >&2
	exit 1
}

# apt-get download drops to the _apt user; let it write into our dir.
chmod 755 "$tmp"
cd "$tmp"

# An empty package list (fresh machine) makes apt-get download fail, and
# so does a stale one (the mirror dropped that version): update, retry.
updated=
apt_update() {
	[ -z "$updated" ] || return 1
	updated=1
	apt-get update -qq >>"$aptlog" 2>&1 || fail "apt-get update failed"
}
if ! apt-cache show linux-image-cloud-amd64 >/dev/null 2>&1; then
	apt_update
fi
apt-get download linux-image-cloud-amd64 >>"$aptlog" 2>&1 ||
	{ apt_update && apt-get download linux-image-cloud-amd64 >>"$aptlog" 2>&1; } ||
	fail "apt-get download linux-image-cloud-amd64 failed"
meta=$(ls linux-image-cloud-amd64_*.deb)

# Depends: linux-image-6.1.0-56-cloud-amd64 (= 6.1.192-2)
dep=$(dpkg-deb -f "$meta" Depends | tr ',' '\n' |
	sed -n 's/^ *\(linux-image-[0-9][^ ]*-cloud-amd64\) *\((= *\([^)]*\))\)\{0,1\}.*/\1 \3/p' |
	head -n 1)
pkg=${dep%% *}
ver=${dep#* }
[ -n "$pkg" ] || fail "cannot find the kernel package in Depends of $meta"
kver=${pkg#linux-image-}

if [ -n "$ver" ] && [ "$ver" != "$pkg" ]; then
	spec="$pkg=$ver"
else
	spec=$pkg
fi
apt-get download "$spec" >>"$aptlog" 2>&1 || fail "apt-get download $spec failed"

dpkg -x "${pkg}"_*.deb x
[ -s "x/boot/vmlinuz-$kver" ] || fail "no boot/vmlinuz-$kver in ${pkg} package"

# Keep only /boot (vmlinuz, config, System.map); modules are not needed.
rm -rf "$cache/kernel"
mkdir "$cache/kernel"
cp "x/boot/vmlinuz-$kver" "$cache/kernel/"
for f in "x/boot/config-$kver" "x/boot/System.map-$kver"; do
	[ -e "$f" ] && cp "$f" "$cache/kernel/"
done
printf '%s\n' "$kver" >"$cache/kernel/release.tmp"
mv "$cache/kernel/release.tmp" "$cache/kernel/release"

print_cached
