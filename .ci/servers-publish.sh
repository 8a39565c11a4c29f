#!/bin/bash
# Installs what the publish and release tests run against, on loopback:
# versitygw (an S3-compatible server, built with go install), Debian's
# s3cmd (the independent S3 client the tests check uploads with) and
# Debian's docker-registry. The tests start and stop the servers
# themselves on free ports; in CI a missing tool fails them.
set -euo pipefail

apt_pkgs=()
command -v s3cmd >/dev/null || apt_pkgs+=(s3cmd)
command -v docker-registry >/dev/null || apt_pkgs+=(docker-registry)
command -v make >/dev/null || apt_pkgs+=(make)
if ((${#apt_pkgs[@]})); then
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${apt_pkgs[@]}" >/dev/null
fi

gobin="$(go env GOPATH)/bin"
if ! command -v versitygw >/dev/null && [ ! -x "$gobin/versitygw" ]; then
	go install github.com/versity/versitygw/cmd/versitygw@v1.8.0
fi
"$(command -v versitygw || echo "$gobin/versitygw")" --version
s3cmd --version
docker-registry --version
