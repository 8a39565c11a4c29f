#!/bin/sh
# bench/pack.sh: chrootbuild's outputs against their peer tools on the same
# root, in one run, alternating ours and the peer RUNS times; prints the
# median wall time of each and the ratio ours/peer (target <= 1.0).
#
#   bench/pack.sh [ROOT]
#
# ROOT defaults to the cached bookworm test root (internal/testroot),
# extracted under a temporary folder. Needs root, tar, pigz, zstd,
# squashfs-tools, e2fsprogs, nbdkit and libnbd-bin. Our side includes
# what the peers do not do: the .sha256 file and an fsync of the output;
# the peer+fsync column times each peer followed by `sync FILE`.
set -eu
for tool in /usr/bin/time pigz zstd mksquashfs nbdkit nbdcopy; do
	command -v "$tool" >/dev/null || { echo "bench: $tool is missing" >&2; exit 1; }
done
RUNS=${RUNS:-5}
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /var/tmp/chrootbuild-bench.XXXXXX)
trap 'kill $nbdkit_pid 2>/dev/null || true; rm -rf "$work"' EXIT
nbdkit_pid=
root=${1:-}
if [ -z "$root" ]; then
	cached=$(ls /var/cache/chrootbuild/test/root-bookworm-amd64-*.tar | head -1)
	root=$work/root
	mkdir "$root"
	tar -C "$root" --numeric-owner --xattrs --xattrs-include='*' -xpf "$cached"
fi
(cd "$here" && CGO_ENABLED=0 go build -o "$work/chrootbuild" ./cmd/chrootbuild)
cb=$work/chrootbuild
out=$work/out
mkdir "$out"
echo "root: $root ($(du -sh "$root" | cut -f1), $(find "$root" | wc -l) entries), $RUNS runs each, $(nproc) CPUs"

seconds() { # seconds CMD: wall seconds of sh -c CMD
	/usr/bin/time -f %e sh -c "$1" 2>&1 >/dev/null | tail -1
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

pair() { # pair NAME OURS PEER PEER_OUTPUT
	: >"$work/a"; : >"$work/b"; : >"$work/c"
	for _ in $(seq "$RUNS"); do
		seconds "$2" >>"$work/a"
		seconds "$3" >>"$work/b"
		# The peer made as durable as ours: its output fsynced (sync FILE).
		seconds "$3 && sync $4" >>"$work/c"
	done
	a=$(median <"$work/a"); b=$(median <"$work/b"); c=$(median <"$work/c")
	printf '%-24s ours %6.2fs  peer %6.2fs  ratio %5.2f  | peer+fsync %6.2fs  ratio %5.2f\n' "$1" "$a" "$b" \
		"$(echo "$a $b" | awk '{print $1/$2}')" "$c" "$(echo "$a $c" | awk '{print $1/$2}')"
}

tarpeer="tar -C $root --numeric-owner --xattrs --xattrs-include='*'"
pair "tar" "$cb pack --format tar $root $out/a.tar" "$tarpeer -cf $out/b.tar ." "$out/b.tar"
pair "tar gzip vs pigz" "$cb pack --format tar $root $out/a.tar.gz" \
	"$tarpeer -cf - . | pigz >$out/b.tar.gz" "$out/b.tar.gz"
pair "tar zstd vs zstd -T0" "$cb pack --format tar $root $out/a.tar.zst" \
	"$tarpeer -cf - . | zstd -q -T0 >$out/b.tar.zst" "$out/b.tar.zst"
pair "squashfs none" "$cb pack --format squashfs $root $out/a.sqsh" \
	"mksquashfs $root $out/b.sqsh -noappend -no-progress -quiet -noI -noD -noF -noX" "$out/b.sqsh"
pair "squashfs zstd 3" "$cb pack --format squashfs --compression zstd --level 3 $root $out/a.sqsh" \
	"mksquashfs $root $out/b.sqsh -noappend -no-progress -quiet -comp zstd -Xcompression-level 3" "$out/b.sqsh"
ls -l "$out" | awk 'NR>1 && $NF !~ /sha256/ {print "  " $5, $NF}'

# NBD: stream one ext4 image into the same nbdkit memory export with our
# client (go test benchmark) and with nbdcopy.
"$cb" pack --format ext4 --size 2G "$root" "$out/img.ext4" >/dev/null
(cd "$here" && CHROOTBUILD_BENCH_IMAGE=$out/img.ext4 go test ./pack/nbd -run '^$' -bench NBD -benchtime "${RUNS}x" | grep Benchmark)
