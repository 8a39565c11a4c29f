#!/bin/bash
# bench/publish.sh: publish and release against their peers, on loopback.
#
#   1. upload throughput of a SIZE_MB rootfs.tar (half random, half text)
#      to versitygw: `chrootbuild publish` vs `s3cmd put` of the same file;
#   2. `chrootbuild release` of a root tar to docker-registry: a first push
#      (new repository) vs a second push of the same image (no layer moves),
#      with and without the layer cache.
#
# Runs alternate (A B A B ...) so drift hits both sides; medians and the
# ratio of medians are printed. RUNS (default 5), RELEASE_RUNS (default 3),
# SIZE_MB (default 200),
# ROOT_TAR (default: the cached test root tar if there is one, else the
# generated file) can be set. Needs versitygw, s3cmd, docker-registry
# (.ci/servers-publish.sh installs them).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
RELEASE_RUNS=${RELEASE_RUNS:-3}
SIZE_MB=${SIZE_MB:-200}

work=$(mktemp -d /var/tmp/chrootbuild-bench.XXXXXX)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 200); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return; sleep 0.05; done; echo "server on $1 did not start" >&2; exit 1; }
now() { date +%s.%N; }
# seconds CMD...: runs CMD quietly and prints its wall time in seconds.
seconds() { local s; s=$(now); "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }; awk -v a="$s" -v b="$(now)" 'BEGIN{printf "%.3f\n", b-a}'; }
median() { sort -n | awk '{v[NR]=$1} END{print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }

echo "building chrootbuild"
CGO_ENABLED=0 go build -o "$work/chrootbuild" ./cmd/chrootbuild
cb="$work/chrootbuild"
vgw=$(command -v versitygw || echo "$(go env GOPATH)/bin/versitygw")

echo "making a ${SIZE_MB} MB rootfs.tar"
half=$((SIZE_MB / 2))
(
	set +o pipefail # head closes the pipe early on purpose
	{ head -c "${half}M" /dev/urandom; head -c "$((SIZE_MB - half))M" /dev/urandom | base64; } | head -c "${SIZE_MB}M" >"$work/rootfs.tar"
)
bytes=$(stat -c %s "$work/rootfs.tar")

# --- S3 upload -------------------------------------------------------------
port=$(free_port)
mkdir -p "$work/s3/bench"
ROOT_ACCESS_KEY=benchkey ROOT_SECRET_KEY=benchsecret "$vgw" --port "127.0.0.1:$port" --quiet posix "$work/s3" >"$work/vgw.log" 2>&1 &
pids+=($!)
wait_port "$port"
printf '[default]\naccess_key = benchkey\nsecret_key = benchsecret\nhost_base = 127.0.0.1:%s\nhost_bucket = 127.0.0.1:%s\nuse_https = False\n' "$port" "$port" >"$work/s3cfg"
export AWS_ACCESS_KEY_ID=benchkey AWS_SECRET_ACCESS_KEY=benchsecret AWS_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null

ours=() peer=()
for i in $(seq 0 "$RUNS"); do # run 0 is a warm-up
	a=$(seconds "$cb" publish --endpoint "http://127.0.0.1:$port" --name ours --version "$i" "$work/rootfs.tar" s3://bench/)
	b=$(seconds s3cmd -c "$work/s3cfg" put "$work/rootfs.tar" "s3://bench/s3cmd-$i.tar")
	if [ "$i" -gt 0 ]; then ours+=("$a"); peer+=("$b"); fi
done
mo=$(printf '%s\n' "${ours[@]}" | median)
mp=$(printf '%s\n' "${peer[@]}" | median)
awk -v n="$bytes" -v a="$mo" -v b="$mp" -v r="$RUNS" 'BEGIN{
	printf "upload %.0f MB, median of %d: chrootbuild publish %.2f s (%.0f MB/s), s3cmd put %.2f s (%.0f MB/s), time ratio ours/s3cmd %.2f\n",
		n/1e6, r, a, n/1e6/a, b, n/1e6/b, a/b }'
cmp "$work/rootfs.tar" "$work/s3/bench/ours-1.tar"

# --- registry push ---------------------------------------------------------
root_tar=${ROOT_TAR:-$(ls /var/cache/chrootbuild/test/root-bookworm-amd64-*.tar 2>/dev/null | head -n1 || true)}
if [ -z "$root_tar" ]; then
	root_tar="$work/root.tar"
	mkdir -p "$work/root/var/lib/dpkg" "$work/root/data"
	printf 'Package: dpkg\nArchitecture: amd64\n\n' >"$work/root/var/lib/dpkg/status"
	cp "$work/rootfs.tar" "$work/root/data/blob"
	tar -C "$work/root" -cf "$root_tar" .
fi
rport=$(free_port)
mkdir -p "$work/registry"
printf 'version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: %s\nhttp:\n  addr: 127.0.0.1:%s\n' "$work/registry" "$rport" >"$work/registry.yml"
docker-registry serve "$work/registry.yml" >"$work/registry.log" 2>&1 &
pids+=($!)
wait_port "$rport"
export DOCKER_CONFIG="$work/docker" SOURCE_DATE_EPOCH=1700000000
reg="127.0.0.1:$rport"

# First pushes go to a new repository each, with no layer cache: compress
# and upload. Second pushes go to the primed repository: with the layer
# cache (hash only, nothing uploaded) and without it (compress again,
# nothing uploaded).
"$cb" release --insecure --layer-cache "$work/layers" "$root_tar" "$reg/bench/again:1" >/dev/null
first=() second=() nocache=()
for i in $(seq 0 "$RELEASE_RUNS"); do
	a=$(seconds "$cb" release --insecure --layer-cache "" "$root_tar" "$reg/bench/first$i:1")
	b=$(seconds "$cb" release --insecure --layer-cache "$work/layers" "$root_tar" "$reg/bench/again:1")
	c=$(seconds "$cb" release --insecure --layer-cache "" "$root_tar" "$reg/bench/again:1")
	if [ "$i" -gt 0 ]; then first+=("$a"); second+=("$b"); nocache+=("$c"); fi
done
mf=$(printf '%s\n' "${first[@]}" | median)
ms=$(printf '%s\n' "${second[@]}" | median)
mn=$(printf '%s\n' "${nocache[@]}" | median)
awk -v n="$(stat -c %s "$root_tar")" -v a="$mf" -v b="$ms" -v c="$mn" -v r="$RELEASE_RUNS" 'BEGIN{
	printf "release of a %.0f MB root tar, median of %d: first push %.2f s; second push %.2f s with the layer cache (ratio %.2f), %.2f s without (ratio %.2f)\n",
		n/1e6, r, a, b, b/a, c, c/a }'
