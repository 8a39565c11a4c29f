#!/bin/sh
# Remote step cache and snapshot modes: images/debian with a warm package
# cache, rounds alternating, medians.
#   cold      empty step cache, no remote
#   upload    empty step cache, empty remote (readwrite), uploads included:
#             the same build as cold apart from the remote
#   restore   empty step cache (a fresh machine), warm remote, read only;
#             it shares the warm package cache, as a CI runner behind a
#             package proxy would
#   bare      restore with an empty package cache too (for information: it
#             fetches the mirror's index over the internet)
#   copy      empty step cache in copy mode (CHROOTBUILD_SNAPSHOT=copy), and
#   copy-re   its unchanged rebuild; overlay and overlay-re likewise.
# Reports restore/cold (target <= 0.25), upload/cold - 1 (target <= 10 %)
# and the copy/overlay ratios. Needs root, versitygw (.ci/servers-publish.sh).
#
# Every timed build starts after a sync, so that none pays for writing back
# the files of the one before. Nothing is deleted until the end, and the
# work folder is an ext4 top folder (chattr +T), so that the builds' files
# go to block groups of their own: on ext4 without a journal, creating a
# file near ones deleted in the last minutes scans past each of them
# (recently_deleted), which made the same build twice as slow from one run
# to the next on a shared machine.
#
#   bench/remotecache.sh [RUNS] [DEFINITION]     (default 3 images/debian)
set -eu
command -v bc >/dev/null || { echo "bench: bc is missing (apt-get install bc)" >&2; exit 1; }
runs=${1:-3}
here=$(cd "$(dirname "$0")" && pwd)
def=${2:-$here/../images/debian}
gw=$(command -v versitygw || echo "$(go env GOPATH)/bin/versitygw")
work=$(mktemp -d)
chattr +T "$work" 2>/dev/null || true
bin=$work/chrootbuild
(cd "$here/.." && CGO_ENABLED=0 go build -o "$bin" ./cmd/chrootbuild)
mkdir -p "$work/s3/bench"
port=$((20000 + $$ % 10000))
ROOT_ACCESS_KEY=benchkey ROOT_SECRET_KEY=benchsecret "$gw" --port "127.0.0.1:$port" --quiet posix "$work/s3" >"$work/gw.log" 2>&1 &
gwpid=$!
trap 'kill $gwpid; rm -rf "$work"' EXIT
export AWS_ACCESS_KEY_ID=benchkey AWS_SECRET_ACCESS_KEY=benchsecret AWS_REGION=us-east-1
export AWS_ENDPOINT_URL=http://127.0.0.1:$port AWS_EC2_METADATA_DISABLED=true
sleep 1
# Warm the package cache once (not timed).
"$bin" build --out "$work/out" --step-cache off "$def" >/dev/null
timed() { # NAME ARGS...: appends the seconds to $work/NAME
	name=$1; shift
	sync
	s=$(date +%s.%N)
	"$@" >"$work/last.log" 2>&1 || { cat "$work/last.log" >&2; exit 1; }
	e=$(date +%s.%N)
	echo "$e - $s" | bc >>"$work/$name"
}
build() { "$bin" build --out "$work/out" "$@" "$def"; }
median() { sort -n "$work/$1" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
i=0
while [ $i -lt "$runs" ]; do
	i=$((i + 1))
	# Cold and upload take turns going first.
	if [ $((i % 2)) -eq 1 ]; then timed cold build --step-cache "$work/c$i"; fi
	timed upload build --step-cache "$work/u$i" --remote-cache "s3://bench/r$i/"
	if [ $((i % 2)) -eq 0 ]; then timed cold build --step-cache "$work/c$i"; fi
	timed restore build --step-cache "$work/r$i" --remote-cache "s3://bench/r$i/" --remote-cache-mode read
	timed bare build --cache "$work/k$i" --step-cache "$work/n$i" --remote-cache "s3://bench/r$i/" --remote-cache-mode read
	timed copy env CHROOTBUILD_SNAPSHOT=copy "$bin" build --out "$work/out" --step-cache "$work/p$i" "$def"
	timed copy-re env CHROOTBUILD_SNAPSHOT=copy "$bin" build --out "$work/out" --step-cache "$work/p$i" "$def"
	timed overlay build --step-cache "$work/o$i"
	timed overlay-re build --step-cache "$work/o$i"
done
du -sh "$work/s3/bench/r1/layers" | awk '{print "remote layers of one chain: " $1}'
for n in cold upload restore bare copy copy-re overlay overlay-re; do
	printf '%-11s %6.1f s (median of %d: %s)\n' "$n" "$(median $n)" "$runs" "$(printf '%.1f ' $(cat "$work/$n"))"
done
printf 'restore / cold        %.3f (target <= 0.25)\n' "$(echo "$(median restore) / $(median cold)" | bc -l)"
printf 'bare / cold           %.3f (empty package cache too)\n' "$(echo "$(median bare) / $(median cold)" | bc -l)"
printf 'upload / cold - 1     %+.1f %% (target <= 10 %%)\n' "$(echo "($(median upload) / $(median cold) - 1) * 100" | bc -l)"
printf 'copy / overlay        %.2f build, %.2f rebuild\n' "$(echo "$(median copy) / $(median overlay)" | bc -l)" "$(echo "$(median copy-re) / $(median overlay-re)" | bc -l)"
