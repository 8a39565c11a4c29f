#!/bin/bash
# Benchmark: ARM on this (amd64) host, in one run.
#  1. the boot check of images/debian for arm64 and armhf (qemu-system-aarch64
#     and -arm, TCG) with a cold kernel cache (a fresh CACHE/boot; the package
#     cache stays warm) and then a warm one: disk ready, login prompt, SSH and
#     the whole check, from the boot report;
#  2. testdata/arm-small built on this host through qemu-user (warm package
#     cache, no step cache) against the same definition built natively inside
#     the arm64 VM of TestBootOfficialDebianARM/arm64 (its log gives the times).
# The bootstrap ratios to mmdebstrap through qemu-user are
# ARCH=arm64 bench/bootstrap.sh and ARCH=armhf bench/bootstrap.sh.
#
# usage: sudo bench/arm.sh   (needs qemu-system-arm, qemu-user-static, go;
# WORK=/var/tmp/cb-bench-arm by default; takes about an hour on 2 cores)
set -euo pipefail

work=${WORK:-/var/tmp/cb-bench-arm}
cache=${CACHE:-/var/cache/chrootbuild}
here=$(cd "$(dirname "$0")/.." && pwd)
for tool in qemu-system-aarch64 qemu-system-arm qemu-aarch64-static go /usr/bin/time; do
	command -v "$tool" >/dev/null || { echo "bench: $tool is missing" >&2; exit 1; }
done
[ "$(id -u)" = 0 ] || { echo "bench: run as root" >&2; exit 1; }
mkdir -p "$work"
cb="$work/chrootbuild"
(cd "$here" && CGO_ENABLED=0 go build -o "$cb" ./cmd/chrootbuild)

# wall CMD...: run CMD, print its wall seconds.
wall() {
	/usr/bin/time -f %e -o "$work/time.txt" "$@" >>"$work/log.txt" 2>&1 || {
		echo "bench: $* failed, see $work/log.txt" >&2
		exit 1
	}
	cat "$work/time.txt"
}

echo "--- boot check per architecture (cold, then warm kernel cache)"
for arch in arm64 armhf; do
	out="$work/out-$arch"
	"$cb" build --var arch="$arch" --cache "$cache" --step-cache "$cache/test/steps" --out "$out" "$here/images/debian" >>"$work/log.txt" 2>&1
	kc="$work/kernel-cache-$arch"
	rm -rf "$kc" && mkdir -p "$kc"
	ln -s "$cache/sha256" "$kc/sha256"
	ln -s "$cache/index" "$kc/index"
	for state in cold warm; do
		"$cb" boot --cache "$kc" "$out" >"$work/boot-$arch-$state.txt" 2>&1 || true
		echo "$arch $state: $(grep -E '^disk ready' "$work/boot-$arch-$state.txt") ($(tail -n1 "$work/boot-$arch-$state.txt"))"
	done
done

echo "--- testdata/arm-small: this host through qemu-user, and natively in the arm64 VM"
for arch in arm64 armhf; do
	rm -rf "$work/small-$arch"
	echo "host, qemu-user, $arch: $(wall "$cb" build --step-cache off --cache "$cache" --var arch="$arch" --out "$work/small-$arch" "$here/boot/testdata/arm-small") s"
done
(cd "$here" && CI=1 go test -count=1 -timeout 90m -run TestBootOfficialDebianARM/arm64 -v ./boot) >"$work/vm.txt" 2>&1 || true
grep -E 'native (arm64|armhf) build in the arm64 VM|--- (PASS|FAIL)' "$work/vm.txt" | sed 's/^ *//'
