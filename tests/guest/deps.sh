#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Install the host packages the guest test bed needs, if any is missing.
# Quiet and network-free when everything is already there.
set -eu

# package:command-or-file that proves it is installed
need="qemu-system-x86:/usr/bin/qemu-system-x86_64
busybox-static:/bin/busybox
cpio:/usr/bin/cpio
gzip:/bin/gzip
perl-base:/usr/bin/perl
util-linux:/usr/bin/flock
binutils:/usr/bin/readelf
lz4:/usr/bin/lz4
ovmf:/usr/share/OVMF/OVMF_CODE_4M.secboot.fd
sbsigntool:/usr/bin/sbsign
openssl:/usr/bin/openssl"

missing=
for pair in $need; do
	pkg=${pair%%:*}
	file=${pair#*:}
	# busybox (dynamic) also ships /bin/busybox; we need the static one.
	if [ "$pkg" = busybox-static ]; then
		dpkg-query -W -f='${Status}\n' busybox-static 2>/dev/null |
			grep -q ' installed$' || missing="$missing $pkg"
		continue
	fi
	[ -e "$file" ] || missing="$missing $pkg"
done

[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "deps.sh: missing packages:$missing (run as root to install)" >&2
	exit 1
fi
echo "deps.sh: installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
# shellcheck disable=SC2086 # word splitting of the package list is wanted
apt-get install -y -qq --no-install-recommends $missing >/dev/null
