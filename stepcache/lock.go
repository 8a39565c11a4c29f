package stepcache

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// lockFile opens name and waits for an exclusive lock on it, calling
// waiting first when it has to wait; the lock goes with the file
// descriptor, so a killed build never leaves it held.
func lockFile(name string, waiting func()) (*os.File, error) {
	f, err := os.OpenFile(name, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, err
	}
	err = unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB)
	if errors.Is(err, unix.EWOULDBLOCK) {
		waiting()
		err = unix.Flock(int(f.Fd()), unix.LOCK_EX)
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}
