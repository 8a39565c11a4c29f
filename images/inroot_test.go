package images_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chrootbuild/chrootbuild/chroot"
	"github.com/chrootbuild/chrootbuild/internal/testenv"
	"github.com/chrootbuild/chrootbuild/internal/testroot"
)

// rootPackages are what the helpers use in the image, beyond testroot's.
var rootPackages = append(slices.Clone(testroot.Default), "curl", "ca-certificates", "nbd-client")

// installHelpers copies the overlay into a root as the common definition's
// file steps do, modes included.
func installHelpers(t *testing.T, dir string) {
	t.Helper()
	err := filepath.Walk(overlay, func(p string, fi os.FileInfo, err error) error {
		if err != nil || fi.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(overlay, p)
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		dst := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		return os.WriteFile(dst, b, fi.Mode().Perm())
	})
	if err != nil {
		t.Fatal(err)
	}
}

// inRoot runs argv in root with env and returns stdout; it fails the test
// when the command fails.
func inRoot(t *testing.T, root *chroot.Root, env []string, argv ...string) string {
	t.Helper()
	out, err := tryInRoot(root, env, argv...)
	if err != nil {
		t.Fatalf("%s: %v\n%s", strings.Join(argv, " "), err, out)
	}
	return out
}

func tryInRoot(root *chroot.Root, env []string, argv ...string) (string, error) {
	var stdout, stderr bytes.Buffer
	err := root.Run(context.Background(), chroot.Cmd{Args: argv, Env: env, Stdout: &stdout, Stderr: &stderr})
	if err != nil {
		return stdout.String() + stderr.String(), err
	}
	return stdout.String(), nil
}

// combined runs argv in root and returns its stdout and stderr together.
func combined(root *chroot.Root, argv ...string) (string, error) {
	var out bytes.Buffer
	err := root.Run(context.Background(), chroot.Cmd{Args: argv, Stdout: &out, Stderr: &out})
	return out.String(), err
}

// TestHelpersInRoot runs the helpers inside a real Debian root, with the
// root's own sh, curl, awk, ssh-keygen, depmod and nbd-client, against the
// metadata service on loopback.
func TestHelpersInRoot(t *testing.T) {
	if testenv.Short() {
		t.Skip("bootstraps a root from the mirror")
	}
	dir := testroot.Get(t, rootPackages...)
	installHelpers(t, dir)
	root, err := chroot.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	srv := serve(t, fixture(), 2)
	env := []string{"METADATA_URL=" + srv.URL, "OC_METADATA_RETRY_DELAY=0.1"}

	t.Run("oc-metadata", func(t *testing.T) {
		if got := inRoot(t, root, env, "oc-metadata", "SSH_PUBLIC_KEYS_1_KEY"); got != "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABKey1 bob's key\n" {
			t.Errorf("got %q", got)
		}
	})
	t.Run("oc-fetch-ssh-keys", func(t *testing.T) {
		inRoot(t, root, env, "oc-fetch-ssh-keys")
		got := readFile(t, filepath.Join(dir, "root/.ssh/authorized_keys"))
		for _, k := range []string{"alice@laptop", "bob's key", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAITag carol@desk"} {
			if !strings.Contains(got, k) {
				t.Errorf("authorized_keys lacks %q:\n%s", k, got)
			}
		}
	})
	t.Run("hostname hook", func(t *testing.T) {
		// The root shares the host's UTS namespace: hostname must not run.
		inRoot(t, root, append(env, "OC_HOSTNAME_CMD=true"), "sh", "-c",
			"reason=BOUND new_host_name=; . /etc/dhcp/dhclient-exit-hooks.d/hostname")
		if got := readFile(t, filepath.Join(dir, "etc/hostname")); got != "web-1\n" {
			t.Errorf("/etc/hostname = %q", got)
		}
		if hosts := readFile(t, filepath.Join(dir, "etc/hosts")); !strings.Contains(hosts, "\n127.0.1.1\tweb-1\n") {
			t.Errorf("/etc/hosts:\n%s", hosts)
		}
	})
	t.Run("nbd-client flags", func(t *testing.T) {
		// The flags oc-add-extra-volumes passes exist in the image's nbd-client.
		out, _ := combined(root, "nbd-client", "--help")
		for _, f := range []string{"-persist", "-systemd-mark", "-name", "-d"} {
			if !strings.Contains(out, f) {
				t.Errorf("nbd-client --help lacks %s:\n%s", f, out)
			}
		}
	})
	t.Run("oc-add-extra-volumes", func(t *testing.T) {
		writeFile(t, filepath.Join(dir, "usr/local/bin/record"), "#!/bin/sh\necho \"$*\" >>/tmp/nbd-calls\n", 0o755)
		writeFile(t, filepath.Join(dir, "var/fakesys/module/nbd/refcnt"), "0\n", 0o644)
		out := inRoot(t, root, append(env, "NBD_CLIENT=record", "SYSFS=/var/fakesys"), "sh", "-c",
			"oc-add-extra-volumes >/dev/null && cat /tmp/nbd-calls")
		want := "10.1.0.2 4001 /dev/nbd1 -persist -systemd-mark\n" +
			"10.1.0.2 4002 /dev/nbd2 -persist -systemd-mark\n" +
			"10.1.0.3 4003 /dev/nbd3 -persist -systemd-mark -name exp3\n"
		if out != want {
			t.Errorf("nbd-client calls:\n%s\nwant\n%s", out, want)
		}
	})
	t.Run("oc-ssh-host-keys", func(t *testing.T) {
		// As the cleanup step leaves the image: no host keys.
		old, _ := filepath.Glob(filepath.Join(dir, "etc/ssh/ssh_host_*"))
		for _, p := range old {
			os.Remove(p)
		}
		out := inRoot(t, root, nil, "oc-ssh-host-keys")
		if !strings.Contains(out, "(ED25519)") || !strings.Contains(out, "-----END SSH HOST KEY FINGERPRINTS-----") {
			t.Errorf("output:\n%s", out)
		}
		if _, err := os.Stat(filepath.Join(dir, "etc/ssh/ssh_host_ed25519_key")); err != nil {
			t.Error(err)
		}
	})
	t.Run("oc-sync-kernel-modules", func(t *testing.T) {
		const rel = "6.1.0-inroot"
		url, _ := mirror(t, "/x86_64/"+rel+"/modules.tar", modulesTar(t, rel))
		inRoot(t, root, []string{"KERNEL_MODULES_MIRROR=" + url, "KERNEL_RELEASE=" + rel, "KERNEL_ARCH=x86_64"}, "oc-sync-kernel-modules")
		if _, err := os.Stat(filepath.Join(dir, "lib/modules", rel, "modules.dep.bin")); err != nil {
			t.Errorf("depmod did not run: %v", err)
		}
	})
	t.Run("units verify", func(t *testing.T) {
		out, err := combined(root, "systemd-analyze", "verify", "--man=no",
			"oc-ssh-host-keys.service", "oc-fetch-ssh-keys.service", "oc-sync-kernel-modules.service", "oc-add-extra-volumes.service")
		if err != nil || strings.Contains(out, "oc-") {
			t.Errorf("systemd-analyze verify: %v\n%s", err, out)
		}
	})
}
