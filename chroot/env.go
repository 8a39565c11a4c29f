package chroot

import (
	"os"
	"strings"
)

// basePath is the PATH every command in the root gets.
const basePath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

// environ builds the controlled environment of a command in the root:
// nothing leaks in from the host except the proxy settings and TERM for
// terminal commands; extra
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
	return mergeEnv(append(env, proxyEnv()...), extra)
}

// proxyVars are the host's proxy settings, which apt and other downloaders
// in the root honour as the build itself does: a caching proxy in front of
// the mirror then serves every download of the build.
var proxyVars = []string{"http_proxy", "https_proxy", "no_proxy", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY"}

func proxyEnv() []string {
	var env []string
	for _, k := range proxyVars {
		if v, ok := os.LookupEnv(k); ok {
			env = append(env, k+"="+v)
		}
	}
	return env
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
