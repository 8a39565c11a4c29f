// Package epoch is the one reader of SOURCE_DATE_EPOCH, the instant that
// reproducible builds stamp their files with
// (https://reproducible-builds.org/specs/source-date-epoch/). A value that
// is not a number of seconds is an error wherever it is read.
package epoch

import (
	"fmt"
	"os"
	"strconv"
	"time"
)

// Var is the environment variable.
const Var = "SOURCE_DATE_EPOCH"

// Parse reads a SOURCE_DATE_EPOCH value: its seconds and whether it is set
// ("" is unset); anything but a non-negative integer is an error.
func Parse(s string) (int64, bool, error) {
	if s == "" {
		return 0, false, nil
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil || v < 0 {
		return 0, false, fmt.Errorf("%s %q is not a number of seconds since 1970", Var, s)
	}
	return v, true, nil
}

// FromEnv reads SOURCE_DATE_EPOCH from the environment.
func FromEnv() (int64, bool, error) { return Parse(os.Getenv(Var)) }

// Now is SOURCE_DATE_EPOCH as a time when it is set, else the current
// time; both in UTC.
func Now() (time.Time, error) {
	v, ok, err := FromEnv()
	if err != nil {
		return time.Time{}, err
	}
	if ok {
		return time.Unix(v, 0).UTC(), nil
	}
	return time.Now().UTC(), nil
}
