package chroot

import (
	"os"
	"strings"
)

// basePath is the PATH every command in the root gets.
const basePath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

// environ builds the controlled environment of a command in the root:
// nothing leaks in from the host except TERM for terminal commands; extra
// KEY=VALUE pairs override the defaults.
func environ(extra []string, terminal bool) []string {
	env := []string{
		"PATH=" + basePath,
		"LANG=C.UTF-8",
		"DEBIAN_FRONTEND=noninteractive",
		"DEBCONF_NONINTERACTIVE_SEEN=true",
		"HOME=/root",
		"USER=root",
		"LOGNAME=root",
	}
	if term := os.Getenv("TERM"); terminal && term != "" {
		env = append(env, "TERM="+term)
	}
	return mergeEnv(env, extra)
}

// mergeEnv appends extra to env, a later KEY replacing an earlier one in
// place.
func mergeEnv(env, extra []string) []string {
	index := map[string]int{}
	out := make([]string, 0, len(env)+len(extra))
	for _, kv := range append(append([]string(nil), env...), extra...) {
		key, _, _ := strings.Cut(kv, "=")
		if i, ok := index[key]; ok {
			out[i] = kv
			continue
		}
		index[key] = len(out)
		out = append(out, kv)
	}
	return out
}

// lookupEnv returns the value of key in env.
func lookupEnv(env []string, key string) string {
	for _, kv := range env {
		if k, v, ok := strings.Cut(kv, "="); ok && k == key {
			return v
		}
	}
	return ""
}
