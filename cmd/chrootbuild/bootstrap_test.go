package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestBootstrapCommandBadInput(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "root")
	tests := []struct {
		name string
		args []string
		code int
		err  string
	}{
		{"no suite", []string{"bootstrap", dir}, exitUsage, "--suite is required"},
		{"no dir", []string{"bootstrap", "--suite", "bookworm"}, exitUsage, "usage: chrootbuild bootstrap"},
		{"unknown distribution", []string{"bootstrap", "--distribution", "fedora", "--suite", "40", dir}, exitFail, `unknown distribution "fedora"`},
		{"unknown variant", []string{"bootstrap", "--suite", "bookworm", "--variant", "huge", dir}, exitFail, `unknown variant "huge"`},
		{"mirror down", []string{"bootstrap", "--suite", "bookworm", "--mirror", "http://127.0.0.1:9/debian", "--cache", t.TempDir(), dir},
			exitFail, "http://127.0.0.1:9/debian/dists/bookworm/InRelease"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runCLI(tc.args...)
			if code != tc.code || !strings.Contains(stderr, tc.err) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", code, stderr, tc.code, tc.err)
			}
			if _, err := os.Stat(dir); !os.IsNotExist(err) {
				t.Errorf("a failed bootstrap left %s behind", dir)
			}
		})
	}
}
