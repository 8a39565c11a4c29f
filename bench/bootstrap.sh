#!/bin/bash
# Benchmark: bookworm minbase amd64 from the same mirror, in one go, runs
# alternating: chrootbuild bootstrap with a cold cache and with a warm
# cache, mmdebstrap cold and warm (its package cache kept in a folder with
# the sync-in/sync-out hooks of mmdebstrap(1)), debootstrap, and, when
# BASELINE names another chrootbuild binary, that one warm. Prints each
# run, then the median wall time, the ratios (cold to mmdebstrap cold,
# warm ones to mmdebstrap warm), the median CPU time (user+system,
# children included: on a shared machine the steadier figure) and the
# median peak memory (largest single process), all from /usr/bin/time -v.
#
# usage: sudo bench/bootstrap.sh [RUNS]   (default 3; needs mmdebstrap,
# debootstrap and GNU time; WORK=/var/tmp/cb-bench by default;
# DEBOOTSTRAP=0 leaves debootstrap out; WARM=0 leaves the warm-cache runs
# out, comparing only the cold ones, for the slow foreign architectures)
#
# ARCH=arm64 or ARCH=armhf on an amd64 host: both chrootbuild and
# mmdebstrap run the root's programs through qemu-user (binfmt_misc;
# chrootbuild registers qemu-user-static when no entry is there, and
# mmdebstrap uses that entry); debootstrap, which needs --foreign and a
# second stage there, is left out; WORK defaults to /var/tmp/cb-bench-ARCH.
set -euo pipefail

runs=${1:-3}
mirror=${MIRROR:-http://deb.debian.org/debian}
suite=${SUITE:-bookworm}
host=$(dpkg --print-architecture)
arch=${ARCH:-$host}
work=${WORK:-/var/tmp/cb-bench}
if [ "$arch" != "$host" ]; then
	work=${WORK:-/var/tmp/cb-bench-$arch}
	DEBOOTSTRAP=0
	command -v arch-test >/dev/null || { echo "bench: mmdebstrap needs arch-test for --arch=$arch" >&2; exit 1; }
fi
here=$(cd "$(dirname "$0")/.." && pwd)

for tool in mmdebstrap debootstrap /usr/bin/time go; do
	command -v "$tool" >/dev/null || { echo "bench: $tool is missing" >&2; exit 1; }
done
[ "$(id -u)" = 0 ] || { echo "bench: run as root" >&2; exit 1; }

# A tool killed halfway may leave mounts in its root: never delete
# through them.
mounted() { grep -q " $work/" /proc/mounts; }
if mounted; then echo "bench: something is mounted under $work; unmount it first" >&2; exit 1; fi
rm -rf "$work" && mkdir -p "$work"
cb="$work/chrootbuild"
(cd "$here" && CGO_ENABLED=0 go build -o "$cb" ./cmd/chrootbuild)
results="$work/results.tsv"
: >"$results"

# run NAME CMD...: time one build into $work/root, record wall seconds and
# peak KB, remove the root.
run() {
	local name=$1
	shift
	if mounted; then echo "bench: something is still mounted under $work" >&2; exit 1; fi
	rm -rf "$work/root"
	/usr/bin/time -v -o "$work/time.txt" "$@" >"$work/$name.log" 2>&1 || {
		echo "bench: $name failed, see $work/$name.log" >&2
		exit 1
	}
	local wall rss cpu
	wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$work/time.txt")
	rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt")
	cpu=$(awk -F': ' '/User time|System time/ {s+=$2} END {print s}' "$work/time.txt")
	printf '%s\t%s\t%s\t%s\n' "$name" "$wall" "$rss" "$cpu" | tee -a "$results"
	rm -rf "$work/root"
}

# mmdebstrap with its package cache in $work/mmdeb-cache (mmdebstrap(1),
# "sync-in and sync-out special hooks").
mmdeb_warm=$work/mmdebstrap-warm.sh
cat >"$mmdeb_warm" <<EOF
#!/bin/sh
exec mmdebstrap --variant=minbase --arch=$arch --skip=essential/unlink \\
	--setup-hook='mkdir -p $work/mmdeb-cache "\$1"/var/cache/apt/archives/' \\
	--setup-hook='sync-in $work/mmdeb-cache /var/cache/apt/archives/' \\
	--customize-hook='sync-out /var/cache/apt/archives $work/mmdeb-cache' \\
	$suite $work/root $mirror
EOF
chmod +x "$mmdeb_warm"

# Warm the caches once, outside the counted runs.
warm=${WARM:-1}
[ "$warm" = 0 ] || {
"$cb" bootstrap --suite "$suite" --arch "$arch" --mirror "$mirror" --cache "$work/warm-cache" "$work/root" >/dev/null 2>&1
rm -rf "$work/root"
"$mmdeb_warm" >/dev/null 2>&1
rm -rf "$work/root"
ls "$work"/mmdeb-cache/*.deb >/dev/null || { echo "bench: mmdebstrap's cache hooks kept no .deb" >&2; exit 1; }
}

for i in $(seq "$runs"); do
	rm -rf "$work/cold-cache"
	run cold "$cb" bootstrap --suite "$suite" --arch "$arch" --mirror "$mirror" --cache "$work/cold-cache" "$work/root"
	[ "$warm" = 0 ] || run warm "$cb" bootstrap --suite "$suite" --arch "$arch" --mirror "$mirror" --cache "$work/warm-cache" "$work/root"
	if [ -n "${BASELINE:-}" ]; then
		run baseline "$BASELINE" bootstrap --suite "$suite" --arch "$arch" --mirror "$mirror" --cache "$work/warm-cache" "$work/root"
	fi
	run mmdebstrap mmdebstrap --variant=minbase --arch="$arch" "$suite" "$work/root" "$mirror"
	[ "$warm" = 0 ] || run mmdeb-warm "$mmdeb_warm"
	if [ "${DEBOOTSTRAP:-1}" != 0 ]; then
		run debootstrap debootstrap --variant=minbase "$suite" "$work/root" "$mirror"
	fi
done

median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
echo
printf '%-12s %9s %9s %9s %9s %9s\n' tool wall_s vs_mmdeb cpu_s vs_mmdeb peak_MB
col() { awk -F'\t' -v n="$1" -v c="$2" '$1==n {print $c}' "$results" | median; }
# Cold runs compare with mmdebstrap cold, warm ones with mmdebstrap warm.
for name in cold warm baseline mmdebstrap mmdeb-warm debootstrap; do
	grep -q "^$name	" "$results" || continue
	peer=mmdeb-warm
	case $name in cold | mmdebstrap | debootstrap) peer=mmdebstrap ;; esac
	t=$(col "$name" 2) m=$(col "$name" 3) c=$(col "$name" 4)
	pt=$(col "$peer" 2) pc=$(col "$peer" 4)
	printf '%-12s %9.2f %9.2f %9.2f %9.2f %9.1f\n' "$name" "$t" "$(echo "$t / $pt" | bc -l)" \
		"$c" "$(echo "$c / $pc" | bc -l)" "$(echo "$m / 1024" | bc -l)"
done
