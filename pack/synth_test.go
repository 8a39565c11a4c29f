package pack

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// capNetRaw is a vfs_cap_data v2 value granting cap_net_raw+ep, the
// security.capability xattr ping carries.
var capNetRaw = []byte{1, 0, 0, 2, 0, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}

// synthRoot builds a small root holding every kind of file an image root
// has: owners, modes with setuid, xattrs (security.capability too), hard
// links, symlinks, devices, a fifo, a socket, a sparse file and long names.
func synthRoot(t testing.TB) string {
	t.Helper()
	root := filepath.Join(t.TempDir(), "root")
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	long := strings.Repeat("long-name-", 12)
	for _, d := range []string{"bin", "etc/ssh", "dev", "var/log", "usr/lib/" + long + "/" + long, "tmp", "empty"} {
		must(os.MkdirAll(filepath.Join(root, d), 0o755))
	}
	files := map[string]string{
		"bin/ping":       "\x7fELF ping",
		"bin/su":         "\x7fELF su",
		"etc/hostname":   "synth\n",
		"etc/ssh/key":    "secret",
		"etc/empty-file": "",
		"usr/lib/" + long + "/" + long + "/lib.so": strings.Repeat("x", 3000),
		"etc/héllo wörld":                          "unicode",
		"big":                                      strings.Repeat("0123456789abcdef", 200000),
	}
	for name, content := range files {
		must(os.WriteFile(filepath.Join(root, name), []byte(content), 0o644))
	}
	must(unix.Chmod(filepath.Join(root, "bin/su"), 0o4755))
	must(os.Chmod(filepath.Join(root, "etc/ssh/key"), 0o600))
	must(unix.Chmod(filepath.Join(root, "tmp"), 0o1777))
	must(os.Chown(filepath.Join(root, "etc/ssh/key"), 0, 101))
	must(os.Chown(filepath.Join(root, "var/log"), 0, 4))
	must(os.Lchown(filepath.Join(root, "etc/hostname"), 1000, 1000))
	must(unix.Setxattr(filepath.Join(root, "bin/ping"), "security.capability", capNetRaw, 0))
	must(unix.Setxattr(filepath.Join(root, "etc/hostname"), "user.comment", []byte("hello"), 0))
	must(os.Link(filepath.Join(root, "bin/ping"), filepath.Join(root, "bin/ping4")))
	must(os.Link(filepath.Join(root, "bin/ping"), filepath.Join(root, "usr/ping6")))
	must(os.Symlink("../bin/su", filepath.Join(root, "usr/su")))
	must(os.Symlink("/nonexistent", filepath.Join(root, "etc/dangling")))
	must(unix.Mknod(filepath.Join(root, "dev/null"), unix.S_IFCHR|0o666, int(unix.Mkdev(1, 3))))
	must(unix.Mknod(filepath.Join(root, "dev/loop9"), unix.S_IFBLK|0o660, int(unix.Mkdev(7, 9))))
	must(unix.Mkfifo(filepath.Join(root, "dev/initctl"), 0o600))
	must(unix.Mknod(filepath.Join(root, "dev/sock"), unix.S_IFSOCK|0o666, 0))
	for name, mode := range map[string]uint32{"dev/null": 0o666, "dev/loop9": 0o660} {
		must(unix.Chmod(filepath.Join(root, name), mode))
	}
	sparse, err := os.Create(filepath.Join(root, "var/log/lastlog"))
	must(err)
	_, err = sparse.WriteAt([]byte("tail"), 50<<20)
	must(err)
	_, err = sparse.WriteAt([]byte("head"), 0)
	must(err)
	must(sparse.Close())
	old := time.Date(2020, 1, 2, 3, 4, 5, 600, time.UTC)
	must(filepath.Walk(root, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		ts := []unix.Timespec{unix.NsecToTimespec(old.UnixNano()), unix.NsecToTimespec(old.UnixNano())}
		return unix.UtimesNanoAt(unix.AT_FDCWD, p, ts, unix.AT_SYMLINK_NOFOLLOW)
	}))
	return root
}

// treeInfo describes a tree file by file (mode, owner, size, content hash,
// whole-second mtime, link target, device, xattrs, hard-link group), for
// comparing a root with what a tool extracted from our archive.
func treeInfo(t testing.TB, root string, skipSockets bool) map[string]string {
	t.Helper()
	out := map[string]string{}
	inodes := map[uint64]string{}
	err := filepath.Walk(root, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		var st unix.Stat_t
		if err := unix.Lstat(p, &st); err != nil {
			return err
		}
		if skipSockets && st.Mode&unix.S_IFMT == unix.S_IFSOCK {
			return nil
		}
		desc := fmt.Sprintf("mode=%o uid=%d gid=%d", st.Mode, st.Uid, st.Gid)
		switch st.Mode & unix.S_IFMT {
		case unix.S_IFREG:
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			desc += fmt.Sprintf(" size=%d sha=%x", st.Size, sha256.Sum256(data))
			if st.Nlink > 1 {
				if first, ok := inodes[st.Ino]; ok {
					desc += " link=" + first
				} else {
					inodes[st.Ino] = rel
				}
			}
		case unix.S_IFLNK:
			target, _ := os.Readlink(p)
			desc += " -> " + target
		case unix.S_IFCHR, unix.S_IFBLK:
			desc += fmt.Sprintf(" dev=%d,%d", unix.Major(st.Rdev), unix.Minor(st.Rdev))
		}
		if st.Mode&unix.S_IFMT != unix.S_IFDIR || rel != "." {
			desc += fmt.Sprintf(" mtime=%d", st.Mtim.Sec)
		}
		x := &xattrReader{}
		xs, err := x.read(p)
		if err != nil {
			return err
		}
		for _, a := range xs {
			desc += fmt.Sprintf(" %s=%x", a.Name, a.Value)
		}
		out[rel] = desc
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// compareTrees fails the test for every difference between two treeInfos.
func compareTrees(t testing.TB, want, got map[string]string) {
	t.Helper()
	var names []string
	for n := range want {
		names = append(names, n)
	}
	for n := range got {
		if _, ok := want[n]; !ok {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	bad := 0
	for _, n := range names {
		if want[n] != got[n] && bad < 20 {
			t.Errorf("%s:\n  want %s\n  got  %s", n, want[n], got[n])
			bad++
		}
	}
}

// sameBytes fails when two files differ.
func sameBytes(t testing.TB, a, b string) {
	t.Helper()
	da, err := os.ReadFile(a)
	if err != nil {
		t.Fatal(err)
	}
	db, err := os.ReadFile(b)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(da, db) {
		t.Fatalf("%s and %s differ (%d and %d bytes)", a, b, len(da), len(db))
	}
}
