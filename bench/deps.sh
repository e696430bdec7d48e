#!/bin/sh
# SPDX-License-Identifier: MIT
#
# What make bench needs on top of the guest test bed (tests/guest/deps.sh):
# gnuplot for the plot, OVMF for the UEFI reboot, and the tools the
# harness itself uses. Installs with apt-get only what is missing.
# Debian's kexec-tools is not installed here: bench/run.sh downloads the
# package and unpacks it for the guests only (apt-get download, dpkg -x).
set -eu

missing=
need() { # need PACKAGE TEST-COMMAND...
	pkg=$1
	shift
	"$@" >/dev/null 2>&1 || missing="$missing $pkg"
}
need gnuplot-nox command -v gnuplot
need ovmf test -f /usr/share/ovmf/OVMF.fd
need mawk command -v awk
need coreutils command -v timeout

[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
	echo "bench/deps.sh: missing packages:$missing (run as root to install)" >&2
	exit 1
fi
echo "bench/deps.sh: installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
# shellcheck disable=SC2086 # a list of packages
apt-get install -y -qq --no-install-recommends $missing >/dev/null
