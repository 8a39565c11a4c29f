package stepcache

import (
	"os"

	"golang.org/x/sys/unix"
)

// lockFile opens name and waits for an exclusive lock on it; the lock goes
// with the file descriptor, so a killed build never leaves it held.
func lockFile(name string) (*os.File, error) {
	f, err := os.OpenFile(name, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, err
	}
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}
