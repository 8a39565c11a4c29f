#!/bin/sh
# Step cache benchmark: with a warm package cache, the time of a full build
# (empty step cache), of an unchanged rebuild, and of a rebuild after the
# last step changed; reports medians and the rebuilds' ratios to the full
# build (targets: unchanged <= 5 %, last step changed <= 20 %).
#
#   bench/stepcache.sh (as root) [RUNS]     (default 3)
set -eu
command -v bc >/dev/null || { echo "bench: bc is missing (apt-get install bc)" >&2; exit 1; }
runs=${1:-3}
here=$(cd "$(dirname "$0")" && pwd)
bin=$(mktemp -d)/chrootbuild
(cd "$here/.." && go build -o "$bin" ./cmd/chrootbuild)
work=$(mktemp -d)
trap 'rm -rf "$work" "$(dirname "$bin")"' EXIT
# Warm the package cache once (not timed).
"$bin" build --out "$work/out" --step-cache "$work/warm" "$here/stepcache" >/dev/null
rm -rf "$work/warm"
timed() { # prints seconds
	s=$(date +%s.%N)
	"$@" >/dev/null
	e=$(date +%s.%N)
	echo "$e - $s" | bc
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
: >"$work/full"; : >"$work/same"; : >"$work/last"
i=0
while [ $i -lt "$runs" ]; do
	i=$((i + 1))
	cache="$work/steps-$i"
	timed "$bin" build --out "$work/out" --step-cache "$cache" "$here/stepcache" >>"$work/full"
	timed "$bin" build --out "$work/out" --step-cache "$cache" "$here/stepcache" >>"$work/same"
	timed "$bin" build --out "$work/out" --step-cache "$cache" --var "motd=run $i" "$here/stepcache" >>"$work/last"
	rm -rf "$cache"
done
full=$(median <"$work/full"); same=$(median <"$work/same"); last=$(median <"$work/last")
printf 'full build          %6.1f s (median of %d)\n' "$full" "$runs"
printf 'unchanged rebuild   %6.1f s  ratio %.3f (target <= 0.05)\n' "$same" "$(echo "$same / $full" | bc -l)"
printf 'last step changed   %6.1f s  ratio %.3f (target <= 0.20)\n' "$last" "$(echo "$last / $full" | bc -l)"
