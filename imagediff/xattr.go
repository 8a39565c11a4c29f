package imagediff

import (
	"bytes"
	"encoding/hex"
	"sort"
	"strings"

	"golang.org/x/sys/unix"
)

// readXattrs returns p's extended attributes as sorted name=hex pairs.
func readXattrs(p string) (string, error) {
	buf := make([]byte, 1024)
	n, err := unix.Llistxattr(p, buf)
	if err == unix.ERANGE {
		if n, err = unix.Llistxattr(p, nil); err == nil {
			buf = make([]byte, n)
			n, err = unix.Llistxattr(p, buf)
		}
	}
	if err == unix.ENOTSUP || n == 0 {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	vals := map[string]string{}
	for _, name := range bytes.Split(bytes.TrimRight(buf[:n], "\x00"), []byte{0}) {
		v, err := getXattr(p, string(name))
		if err != nil {
			return "", err
		}
		vals[string(name)] = v
	}
	return joinXattrs(vals), nil
}

func getXattr(p, name string) (string, error) {
	sz, err := unix.Lgetxattr(p, name, nil)
	if err != nil {
		return "", err
	}
	v := make([]byte, sz)
	sz, err = unix.Lgetxattr(p, name, v)
	if err != nil {
		return "", err
	}
	return hex.EncodeToString(v[:sz]), nil
}

// joinXattrs writes name=hexvalue pairs sorted by name.
func joinXattrs(vals map[string]string) string {
	names := make([]string, 0, len(vals))
	for n := range vals {
		names = append(names, n)
	}
	sort.Strings(names)
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = n + "=" + vals[n]
	}
	return strings.Join(parts, " ")
}
