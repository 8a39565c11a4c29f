#!/bin/sh
# Peer: the same namespace set-up with util-linux and coreutils.
R=$1; shift
exec unshare --mount --pid --fork --propagation private sh -c '
R=$1; shift
mount -t proc -o nosuid,nodev,noexec proc $R/proc
mount -t sysfs -o ro,nosuid,nodev,noexec sysfs $R/sys
mount -t tmpfs -o nosuid,noexec,mode=0755,size=4m tmpfs $R/dev
mknod -m 666 $R/dev/null c 1 3; mknod -m 666 $R/dev/zero c 1 5; mknod -m 666 $R/dev/full c 1 7
mknod -m 666 $R/dev/random c 1 8; mknod -m 666 $R/dev/urandom c 1 9; mknod -m 666 $R/dev/tty c 5 0
mkdir $R/dev/pts $R/dev/shm
mount -t devpts -o newinstance,ptmxmode=0666,mode=0620,gid=5 devpts $R/dev/pts
ln -s pts/ptmx $R/dev/ptmx
mount -t tmpfs -o nosuid,nodev,mode=1777 shm $R/dev/shm
mount -t tmpfs -o nosuid,nodev,mode=0755 tmpfs $R/run
mount -t tmpfs -o nosuid,nodev,mode=1777 tmpfs $R/tmp
exec chroot $R "$@"' sh "$R" "$@"
