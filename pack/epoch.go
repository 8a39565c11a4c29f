package pack

import "github.com/chrootbuild/chrootbuild/internal/epoch"

// clamp is an mtime limit: times after it are set to it.
type clamp struct {
	set   bool
	epoch int64
}

func clampFromEnv() (clamp, error) {
	v, ok, err := epoch.FromEnv()
	return clamp{set: ok, epoch: v}, err
}

// seconds returns the whole-second mtime to record for a file.
func (c clamp) seconds(sec int64) int64 {
	if c.set && sec > c.epoch {
		return c.epoch
	}
	return sec
}
