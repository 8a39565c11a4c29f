#!/bin/sh
# chrootbuild diff against its peers on two images/debian tars one package
# apart (bench/diff adds tree): chrootbuild diff of the two tars and of
# the two roots unpacked, GNU tar -tvf of each piped to diff (names and
# metadata only, no content), and diffoscope
# --exclude-directory-metadata=recursive (content, one run: it is slow).
# Runs alternate; medians of RUNS, and the ratios to chrootbuild diff.
#
#   bench/diff.sh [RUNS] [OLD.tar NEW.tar]   (as root; default 5 runs)
# DIFFOSCOPE=no leaves diffoscope out (its one run takes minutes).
# Without the tars it builds them (SOURCE_DATE_EPOCH fixed) into a
# temporary folder: images/debian, then bench/diff on its cached steps.
set -eu
for t in bc tar diff; do
	command -v $t >/dev/null || { echo "bench: $t is missing" >&2; exit 1; }
done
runs=${1:-5}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bin=$work/chrootbuild
(cd "$here/.." && go build -o "$bin" ./cmd/chrootbuild)
if [ $# -ge 3 ]; then
	old=$2 new=$3
else
	export SOURCE_DATE_EPOCH=1764547200
	"$bin" build --out "$work/old" "$here/../images/debian" >/dev/null
	"$bin" build --out "$work/new" "$here/diff" >/dev/null
	old=$work/old/rootfs.tar new=$work/new/rootfs.tar
fi
mkdir "$work/r-old" "$work/r-new"
tar -C "$work/r-old" --numeric-owner --xattrs --xattrs-include='*' -xpf "$old"
tar -C "$work/r-new" --numeric-owner --xattrs --xattrs-include='*' -xpf "$new"
echo "old $old ($(du -sh "$work/r-old" | cut -f1) unpacked), new $new"
"$bin" diff "$old" "$new" | tail -n 1

timed() { # prints wall seconds of "$@", output discarded
	s=$(date +%s.%N)
	"$@" >/dev/null 2>&1 || true
	e=$(date +%s.%N)
	echo "$e - $s" | bc
}
tarlist() { tar -tvf "$1" >"$work/a.txt" && tar -tvf "$2" >"$work/b.txt" && diff "$work/a.txt" "$work/b.txt"; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
: >"$work/t-tar"; : >"$work/t-root"; : >"$work/t-peer"
i=0
while [ $i -lt "$runs" ]; do
	i=$((i + 1))
	timed "$bin" diff "$old" "$new" >>"$work/t-tar"
	timed "$bin" diff "$work/r-old" "$work/r-new" >>"$work/t-root"
	timed tarlist "$old" "$new" >>"$work/t-peer"
done
tarm=$(median <"$work/t-tar"); rootm=$(median <"$work/t-root"); peer=$(median <"$work/t-peer")
printf 'chrootbuild diff, tars          %6.2f s (median of %d)\n' "$tarm" "$runs"
printf 'chrootbuild diff, roots         %6.2f s\n' "$rootm"
printf 'tar -tvf x2 + diff              %6.2f s  ratio chrootbuild/peer %.2f\n' "$peer" "$(echo "$tarm / $peer" | bc -l)"
if [ "${DIFFOSCOPE:-yes}" = no ]; then
	echo "diffoscope: left out (DIFFOSCOPE=no)"
elif command -v diffoscope >/dev/null; then
	d=$(timed diffoscope --exclude-directory-metadata=recursive "$old" "$new")
	printf 'diffoscope (one run)            %6.2f s  ratio chrootbuild/diffoscope %.4f\n' "$d" "$(echo "$tarm / $d" | bc -l)"
else
	echo "diffoscope not installed (apt-get install diffoscope-minimal): skipped"
fi
