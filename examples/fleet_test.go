// Package examples holds example definitions and the files of a fleet of
// builders on existing engines; its tests check them with the engines' own
// rules and check that every chrootbuild command and flag they use exists.
package examples

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	batchv1 "k8s.io/api/batch/v1"
	"sigs.k8s.io/yaml"

	"github.com/chrootbuild/chrootbuild/internal/testenv"
)

// actionlint is the version the issue names; go run fetches it through
// the module proxy.
const actionlint = "github.com/rhysd/actionlint/cmd/actionlint@v1.7.12"

// TestFleetWorkflowLints checks the GitHub Actions workflow with
// actionlint, as GitHub's own rules (and shellcheck's, where installed)
// read it.
func TestFleetWorkflowLints(t *testing.T) {
	out, err := exec.Command("go", "run", actionlint, "-no-color", "fleet/github-actions.yml").CombinedOutput()
	if err != nil {
		t.Fatalf("actionlint: %v\n%s", err, out)
	}
}

// TestFleetJobDecodes decodes the Kubernetes Job strictly into batch/v1
// types: an unknown or misplaced field is an error, as `kubectl apply
// --validate=strict` makes it.
func TestFleetJobDecodes(t *testing.T) {
	job := fleetJob(t)
	if job.Spec.CompletionMode == nil || *job.Spec.CompletionMode != batchv1.IndexedCompletion {
		t.Fatal("the Job is not an Indexed Job")
	}
	c := job.Spec.Template.Spec.Containers[0]
	if c.SecurityContext == nil || c.SecurityContext.Privileged == nil || !*c.SecurityContext.Privileged {
		t.Fatal("the build container is not privileged")
	}
	cells := regexp.MustCompile(`cells=\(([^)]*)\)`).FindStringSubmatch(strings.Join(c.Args, "\n"))
	if cells == nil || int32(len(strings.Fields(cells[1]))) != *job.Spec.Completions {
		t.Fatalf("the Job's completions (%d) are not its cells (%v)", *job.Spec.Completions, cells)
	}
}

func fleetJob(t *testing.T) *batchv1.Job {
	t.Helper()
	b, err := os.ReadFile("fleet/job.yaml")
	if err != nil {
		t.Fatal(err)
	}
	js, err := yaml.YAMLToJSONStrict(b)
	if err != nil {
		t.Fatalf("job.yaml: %v", err)
	}
	dec := json.NewDecoder(bytes.NewReader(js))
	dec.DisallowUnknownFields()
	var job batchv1.Job
	if err := dec.Decode(&job); err != nil {
		t.Fatalf("job.yaml is not a batch/v1 Job: %v", err)
	}
	return &job
}

// fleetCells are the image x architecture cells the fleet files build.
var fleetCells = []struct{ image, arch string }{
	{"debian", "amd64"}, {"debian", "arm64"}, {"debian", "armhf"},
	{"rescue", "amd64"}, {"rescue", "arm64"}, {"rescue", "armhf"},
}

// TestFleetCommandsExist checks every flag the fleet files give
// chrootbuild build against the command's own flags, and plans every cell
// of the matrix with the real binary.
func TestFleetCommandsExist(t *testing.T) {
	bin := testenv.Chrootbuild(t)
	help, _ := exec.Command(bin, "build", "-h").CombinedOutput()
	for _, f := range []string{"fleet/github-actions.yml", "fleet/job.yaml"} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, flag := range regexp.MustCompile(`\s--([a-z0-9-]+)`).FindAllStringSubmatch(string(b), -1) {
			known := regexp.MustCompile(`(?m)^\s+-` + regexp.QuoteMeta(flag[1]) + `(\s|$)`)
			if !known.Match(help) {
				t.Errorf("%s gives chrootbuild build --%s, which it does not know:\n%s", f, flag[1], help)
			}
		}
	}
	testenv.RequireRoot(t)
	for _, c := range fleetCells {
		out, err := exec.Command(bin, "plan", "--cache-status=false", "--var", "arch="+c.arch, "../images/"+c.image).CombinedOutput()
		if err != nil {
			t.Errorf("chrootbuild plan of %s/%s: %v\n%s", c.image, c.arch, err, out)
		}
	}
}
