package pack

import (
	"fmt"
	"os"
	"strconv"
)

// SourceDateEpoch returns SOURCE_DATE_EPOCH in seconds and whether it is
// set; a value that is not a non-negative integer is an error.
func SourceDateEpoch() (int64, bool, error) {
	s, ok := os.LookupEnv("SOURCE_DATE_EPOCH")
	if !ok || s == "" {
		return 0, false, nil
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil || v < 0 {
		return 0, false, fmt.Errorf("SOURCE_DATE_EPOCH %q is not a number of seconds since 1970", s)
	}
	return v, true, nil
}

// clamp is an mtime limit: times after it are set to it.
type clamp struct {
	set   bool
	epoch int64
}

func clampFromEnv() (clamp, error) {
	v, ok, err := SourceDateEpoch()
	return clamp{set: ok, epoch: v}, err
}

// seconds returns the whole-second mtime to record for a file.
func (c clamp) seconds(sec int64) int64 {
	if c.set && sec > c.epoch {
		return c.epoch
	}
	return sec
}
