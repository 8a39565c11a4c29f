package pack

import (
	"context"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/chrootbuild/chrootbuild/internal/testenv"
	"github.com/chrootbuild/chrootbuild/internal/testroot"
)

// TestRealRoot packs a real bookworm root as tar (zstd), squashfs and ext4
// and checks each with the real tools: GNU tar --compare against the
// root, the kernel mounting the squashfs and the ext4, e2fsck.
func TestRealRoot(t *testing.T) {
	if testenv.Short() {
		t.Skip("packs a whole bookworm root")
	}
	root := testroot.Get(t)
	out := t.TempDir()
	env := &Env{RootDir: root, OutDir: out}
	ctx := context.Background()
	for _, o := range []Output{
		&Tar{Path: "rootfs.tar.zst", Compression: "zstd"},
		&Squashfs{Path: "rootfs.sqsh", Compression: "none"},
		&Ext4{Path: "rootfs.ext4", Size: "auto", Label: "root"},
	} {
		if err := o.Write(ctx, env); err != nil {
			t.Fatalf("%s: %v", o.Summary(), err)
		}
	}
	cmp := exec.Command("tar", "--numeric-owner", "--xattrs", "--xattrs-include=*", "-C", root, "-df", filepath.Join(out, "rootfs.tar.zst"))
	if b, err := cmp.CombinedOutput(); err != nil {
		t.Errorf("tar --compare: %v\n%s", err, b)
	}
	want := treeInfo(t, root, false)
	// squashfs has no room for system.* xattrs: POSIX ACLs are dropped.
	compareTrees(t, withoutACLs(want), treeInfo(t, loopMount(t, filepath.Join(out, "rootfs.sqsh"), "squashfs"), false))
	fsck(t, filepath.Join(out, "rootfs.ext4"))
	compareTrees(t, want, withoutLostFound(treeInfo(t, loopMount(t, filepath.Join(out, "rootfs.ext4"), "ext4"), false)))
}

var aclDesc = regexp.MustCompile(` system\.posix_acl_[a-z]+=[0-9a-f]*`)

func withoutACLs(m map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range m {
		out[k] = aclDesc.ReplaceAllString(v, "")
	}
	return out
}
