package images_test

import (
	"path/filepath"
	"slices"
	"testing"
)

// fakeSysfs makes the parts of /sys the NBD helpers read: the nbd module,
// and a pid file for each attached device.
func fakeSysfs(t *testing.T, attached ...int) string {
	t.Helper()
	sys := t.TempDir()
	writeFile(t, filepath.Join(sys, "module/nbd/refcnt"), "0\n", 0o644)
	for _, n := range attached {
		writeFile(t, filepath.Join(sys, "block", "nbd"+itoa(n), "pid"), "4242\n", 0o644)
	}
	return sys
}

func itoa(n int) string { return string(rune('0' + n)) }

func TestAddExtraVolumes(t *testing.T) {
	srv := serve(t, fixture(), 1)
	rec, log := recorder(t)
	env := shEnv(t, srv.URL, "NBD_CLIENT="+rec, "SYSFS="+fakeSysfs(t, 0, 2))
	mustRun(t, env, helper("oc-add-extra-volumes"))
	want := []string{
		"10.1.0.2 4001 /dev/nbd1 -persist -systemd-mark",
		"10.1.0.3 4003 /dev/nbd3 -persist -systemd-mark -name exp3",
	}
	if got := calls(t, log); !slices.Equal(got, want) {
		t.Errorf("nbd-client calls:\n%q\nwant\n%q", got, want)
	}
}

func TestAddExtraVolumesBadURI(t *testing.T) {
	m := fixture()
	v := m.Volumes["1"]
	v.ExportURI = "iscsi://10.1.0.2"
	m.Volumes["1"] = v
	srv := serve(t, m, 0)
	rec, log := recorder(t)
	env := shEnv(t, srv.URL, "NBD_CLIENT="+rec, "SYSFS="+fakeSysfs(t))
	if _, err := runSh(t, env, helper("oc-add-extra-volumes")); err == nil {
		t.Error("a bad export URI did not fail the run")
	}
	want := []string{"10.1.0.2 4002 /dev/nbd2 -persist -systemd-mark", "10.1.0.3 4003 /dev/nbd3 -persist -systemd-mark -name exp3"}
	if got := calls(t, log); !slices.Equal(got, want) {
		t.Errorf("the other volumes were not attached: %q", got)
	}
}

// TestNBDDisconnectRootLast: the shutdown hook detaches every attached
// device and the root, nbd0, after all others.
func TestNBDDisconnectRootLast(t *testing.T) {
	rec, log := recorder(t)
	env := shEnv(t, "http://127.0.0.1:9/conf", "NBD_CLIENT="+rec, "SYSFS="+fakeSysfs(t, 0, 1, 3))
	mustRun(t, env, helper("oc-nbd-disconnect"), "reboot")
	want := []string{"-d /dev/nbd1", "-d /dev/nbd3", "-d /dev/nbd0"}
	if got := calls(t, log); !slices.Equal(got, want) {
		t.Errorf("nbd-client calls %q, want %q", got, want)
	}
}

// TestAddExtraVolumesWithoutService: no metadata answer fails the unit
// rather than reporting no volumes.
func TestAddExtraVolumesWithoutService(t *testing.T) {
	srv := serve(t, fixture(), 100)
	rec, log := recorder(t)
	env := shEnv(t, srv.URL, "NBD_CLIENT="+rec, "SYSFS="+fakeSysfs(t), "OC_METADATA_TRIES=2")
	if _, err := runSh(t, env, helper("oc-add-extra-volumes")); err == nil {
		t.Error("succeeded without a metadata answer")
	}
	if got := calls(t, log); got != nil {
		t.Errorf("nbd-client called: %q", got)
	}
}

// TestAddExtraVolumesRetries: a client that fails once (trixie's
// nbd-client was told "nbd1 already in use" right after the module
// loaded) is tried again, and a client that always fails three times.
func TestAddExtraVolumesRetries(t *testing.T) {
	srv := serve(t, fixture(), 1)
	rec, log := recorder(t)
	flaky := filepath.Join(t.TempDir(), "flaky")
	// Fails the first call for each device, succeeds the second.
	writeFile(t, flaky, "#!/bin/sh\n"+rec+" \"$@\"\nm="+flaky+".$(basename \"$3\")\n"+
		"[ -e \"$m\" ] && exit 0\n: >\"$m\"\nexit 1\n", 0o755)
	env := shEnv(t, srv.URL, "NBD_CLIENT="+flaky, "SYSFS="+fakeSysfs(t, 0, 2))
	mustRun(t, env, helper("oc-add-extra-volumes"))
	want := []string{
		"10.1.0.2 4001 /dev/nbd1 -persist -systemd-mark",
		"10.1.0.2 4001 /dev/nbd1 -persist -systemd-mark",
		"10.1.0.3 4003 /dev/nbd3 -persist -systemd-mark -name exp3",
		"10.1.0.3 4003 /dev/nbd3 -persist -systemd-mark -name exp3",
	}
	if got := calls(t, log); !slices.Equal(got, want) {
		t.Errorf("nbd-client calls:\n%q\nwant each volume tried twice:\n%q", got, want)
	}

	failing := filepath.Join(t.TempDir(), "failing")
	rec2, log2 := recorder(t)
	writeFile(t, failing, "#!/bin/sh\n"+rec2+" \"$@\"\nexit 1\n", 0o755)
	env = shEnv(t, srv.URL, "NBD_CLIENT="+failing, "SYSFS="+fakeSysfs(t, 0, 2, 3))
	if _, err := runSh(t, env, helper("oc-add-extra-volumes")); err == nil {
		t.Error("a client that always fails did not fail the run")
	}
	if got := calls(t, log2); len(got) != 3 {
		t.Errorf("a failing client was called %d times, want 3: %q", len(got), got)
	}
}
