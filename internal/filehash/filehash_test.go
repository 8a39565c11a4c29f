package filehash

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestSidecarMatchesSha256sum checks Sum against the fixed SHA-256 of
// "abc", and that sha256sum -c accepts the sidecar WriteSidecar writes.
func TestSidecarMatchesSha256sum(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "rootfs.tar")
	if err := os.WriteFile(name, []byte("abc"), 0o644); err != nil {
		t.Fatal(err)
	}
	sum, err := Sum(name)
	if want := "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"; err != nil || sum != want {
		t.Fatalf("Sum = %s, %v; want %s", sum, err, want)
	}
	if err := WriteSidecar(name, sum); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("sha256sum", "-c", "rootfs.tar.sha256")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("sha256sum -c: %v: %s", err, out)
	}
	if got, err := ReadSidecar(name); err != nil || got != sum {
		t.Fatalf("ReadSidecar = %s, %v", got, err)
	}
	os.WriteFile(SidecarName(name), []byte("nothex  rootfs.tar\n"), 0o644)
	if _, err := ReadSidecar(name); err == nil || !strings.Contains(err.Error(), "not a SHA-256") {
		t.Fatalf("a damaged sidecar: %v", err)
	}
	if _, err := ReadSidecar(filepath.Join(dir, "missing")); !os.IsNotExist(err) {
		t.Fatalf("a missing sidecar: %v", err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 2 {
		t.Fatalf("temporary files left: %v", ents)
	}
}
