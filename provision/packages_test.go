package provision

import (
	"context"
	"strings"
	"testing"

	"github.com/chrootbuild/chrootbuild/internal/testenv"
)

// TestPackages installs and removes a real package from the Debian
// mirror with the image's apt-get, and checks that a missing package is
// an error naming it.
func TestPackages(t *testing.T) {
	if testenv.Short() {
		t.Skip("downloads from the Debian mirror")
	}
	env := testEnv(t)
	undo, err := env.Root.Prepare()
	if err != nil {
		t.Fatal(err)
	}
	defer undo()
	status := func(pkg string) string {
		out, _ := env.Root.Output(context.Background(), "dpkg-query", "-W", "-f", "${Status}", pkg)
		return string(out)
	}
	if s := status("less"); s == "install ok installed" {
		t.Fatal("less is already in the test root; pick another package")
	}
	mustApply(t, env, "packages", `install = ["less"]`)
	if s := status("less"); s != "install ok installed" {
		t.Errorf("after install, dpkg says less is %q", s)
	}
	if out := rootOutput(t, env, "less", "--version"); !strings.Contains(out, "less") {
		t.Errorf("less --version printed %q", out)
	}
	mustApply(t, env, "packages", `purge = ["less"]`)
	if s := status("less"); s == "install ok installed" {
		t.Errorf("after purge, dpkg says less is %q", s)
	}

	err = applyStep(t, env, "packages", `install = ["chrootbuild-no-such-package"]`)
	if err == nil || !strings.Contains(err.Error(), "chrootbuild-no-such-package") {
		t.Errorf("missing package: error %v does not name it", err)
	}
	t.Logf("missing package: %v", err)
}
