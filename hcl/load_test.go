package hcl

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/chrootbuild/chrootbuild/internal/testenv"
)

// load loads path with a controlled environment and fails on any
// diagnostic.
func load(t *testing.T, path string, opts LoadOptions) *Image {
	t.Helper()
	if opts.Env == nil {
		opts.Env = []string{}
	}
	img, diags := Load(path, opts)
	if len(diags) > 0 {
		t.Fatalf("loading %s: %s", path, diags.Error())
	}
	return img
}

func TestValidExamples(t *testing.T) {
	names, _ := filepath.Glob("testdata/valid/*.hcl")
	dirs, _ := filepath.Glob("testdata/valid/*/image.hcl")
	for _, d := range dirs {
		names = append(names, filepath.Dir(d))
	}
	if len(names) < 2 {
		t.Fatalf("found only %v", names)
	}
	for _, n := range names {
		t.Run(n, func(t *testing.T) { load(t, n, LoadOptions{}) })
	}
}

func TestFullExample(t *testing.T) {
	img := load(t, "testdata/valid/full.hcl", LoadOptions{})
	if img.Name != "debian" || img.Version != "bookworm" || img.Description != "Debian Bookworm with 1 extra packages" {
		t.Errorf("name/version/description = %q %q %q", img.Name, img.Version, img.Description)
	}
	b := img.Bootstrap
	if b.Distribution != "debian" || b.Suite != "bookworm" || b.Arch != "amd64" || b.Variant != "minbase" ||
		strings.Join(b.Include, " ") != "openssh-server systemd-sysv curl" {
		t.Errorf("bootstrap = %+v", b)
	}
	var kinds []string
	for _, s := range img.Steps {
		kinds = append(kinds, s.Kind)
		if !filepath.IsAbs(s.Dir) || !strings.HasSuffix(s.Dir, filepath.Join("testdata", "valid")) {
			t.Errorf("step %s Dir = %q", s.Kind, s.Dir)
		}
	}
	if got := strings.Join(kinds, " "); got != "sysctl file file user service cleanup" {
		t.Errorf("steps = %s", got)
	}
	if r := img.Steps[1].Range; r.Filename != "testdata/valid/full.hcl" || r.Start.Line != 47 || r.Start.Column != 3 {
		t.Errorf("step 2 range = %s", r)
	}
	if len(img.Outputs) != 2 || img.Outputs[1].Kind != "squashfs" || img.Publish == nil || img.Publish.Name != "debian" {
		t.Errorf("outputs %d, publish %+v", len(img.Outputs), img.Publish)
	}
	for _, v := range img.Variables {
		if v.Name == "root_key" && !v.Sensitive {
			t.Errorf("root_key not sensitive")
		}
	}
	var plan strings.Builder
	if err := img.WritePlan(&plan); err != nil || strings.Contains(plan.String(), "AAAAC3") {
		t.Errorf("plan shows a sensitive value or fails (%v):\n%s", err, plan.String())
	}
}

func TestInheritance(t *testing.T) {
	img := load(t, "testdata/valid/child", LoadOptions{})
	if img.Name != "debian-arm" || img.Version != "trixie" {
		t.Errorf("name %q version %q: the child's suite must reach the parent", img.Name, img.Version)
	}
	if b := img.Bootstrap; b.Arch != "arm64" || b.Suite != "trixie" || b.Mirror != "http://deb.debian.org/debian" {
		t.Errorf("bootstrap not merged attribute by attribute: %+v", b)
	}
	last := img.Steps[len(img.Steps)-1]
	if len(img.Steps) != 7 || img.Steps[0].Kind != "sysctl" || last.Kind != "hostname" {
		t.Fatalf("steps: parent's first then the child's; got %d", len(img.Steps))
	}
	if !strings.HasSuffix(last.Dir, "child") || strings.HasSuffix(img.Steps[0].Dir, "child") {
		t.Errorf("step dirs: %s, %s", img.Steps[0].Dir, last.Dir)
	}
	if len(img.Outputs) != 1 || img.Outputs[0].Kind != "directory" {
		t.Errorf("outputs not replaced: %+v", img.Outputs)
	}
	if img.Publish == nil || len(img.Parents) != 1 || len(img.Files) != 3 {
		t.Errorf("publish %v, parents %v, files %v", img.Publish, img.Parents, img.Files)
	}
}

func TestVariablePrecedence(t *testing.T) {
	dir := t.TempDir()
	def := filepath.Join(dir, "image.hcl")
	write(t, def, `variable "suite" { default = "bookworm" }
variable "pkgs" {
  type    = list(string)
  default = []
}
image "x" {
  version = var.suite
  bootstrap {
    suite   = var.suite
    include = var.pkgs
  }
}
`)
	varFile := filepath.Join(dir, "prod.vars.hcl")
	write(t, varFile, `suite = "trixie"`+"\n")
	env := []string{"CHROOTBUILD_VAR_suite=sid", `CHROOTBUILD_VAR_pkgs=["vim", "curl"]`}
	for _, tc := range []struct {
		name string
		opts LoadOptions
		want string
	}{
		{"default", LoadOptions{}, "bookworm"},
		{"env", LoadOptions{Env: env}, "sid"},
		{"var-file over env", LoadOptions{Env: env, VarFiles: []string{varFile}}, "trixie"},
		{"--var over all", LoadOptions{Env: env, VarFiles: []string{varFile}, Vars: map[string]string{"suite": "forky"}}, "forky"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			img := load(t, dir, tc.opts)
			if img.Version != tc.want {
				t.Errorf("suite = %q, want %q", img.Version, tc.want)
			}
		})
	}
	img := load(t, dir, LoadOptions{Env: env})
	if got := strings.Join(img.Bootstrap.Include, ","); got != "vim,curl" {
		t.Errorf("list from the environment = %q", got)
	}
	if img.Files[len(img.Files)-1] != def {
		t.Errorf("files = %v", img.Files)
	}
}

func TestUndeclaredVar(t *testing.T) {
	_, diags := Load("testdata/valid/full.hcl", LoadOptions{Env: []string{}, Vars: map[string]string{"sute": "trixie"}})
	if !diags.HasErrors() || !strings.Contains(diags.Error(), `Did you mean "suite"?`) {
		t.Fatalf("diags = %v", diags)
	}
	_, diags = Load("testdata/valid/full.hcl", LoadOptions{Env: []string{}, Vars: map[string]string{"extra_packages": "[1"}})
	if !diags.HasErrors() || !strings.Contains(diags.Error(), "--var extra_packages") {
		t.Fatalf("bad list value: diags = %v", diags)
	}
}

func TestFunctions(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "motd.txt"), "welcome")
	write(t, filepath.Join(dir, "hosts.tmpl"), "%{ for h in hosts }${h} %{ endfor }")
	write(t, filepath.Join(dir, "image.hcl"), `image "x" {
  version     = timestamp()
  description = join("|", [file("motd.txt"), templatefile("hosts.tmpl", { hosts = ["a", "b"] }), env("WHO"), upper(env("NOPE"))])
  bootstrap { suite = "bookworm" }
}
`)
	img := load(t, dir, LoadOptions{Env: []string{"SOURCE_DATE_EPOCH=86400", "WHO=me"}})
	if img.Version != "1970-01-02T00:00:00Z" {
		t.Errorf("timestamp() = %q", img.Version)
	}
	if img.Description != "welcome|a b |me|" {
		t.Errorf("description = %q", img.Description)
	}
}

// TestImages loads every images/**/image.hcl in the repository.
func TestImages(t *testing.T) {
	var defs []string
	filepath.WalkDir("../images", func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && d.Name() == "image.hcl" {
			defs = append(defs, filepath.Dir(p))
		}
		return nil
	})
	_, err := os.Stat("../images/debian/image.hcl")
	testenv.Need(t, err == nil, "images/debian/image.hcl, the default image")
	for _, d := range defs {
		t.Run(d, func(t *testing.T) {
			img := load(t, d, LoadOptions{})
			if img.Bootstrap.Suite == "" || len(img.Outputs) == 0 {
				t.Errorf("%s: suite %q, %d outputs", d, img.Bootstrap.Suite, len(img.Outputs))
			}
		})
	}
}

func TestDiagnosticCaret(t *testing.T) {
	got := string(loadDiagText(t, "testdata/invalid", "unknown_kind.hcl"))
	want := "  on unknown_kind.hcl:4:13, in image \"debian\":\n   4:   provision \"sysctll\" {\n                  ^^^^^^^^^\n"
	if !strings.Contains(got, want) {
		t.Errorf("want\n%s\nin\n%s", want, got)
	}
}

func TestAttrRange(t *testing.T) {
	src := `a = 1
net {
  interface "eth0" { dhcp = true }
  interface "eth1" {
    address = "x"
  }
}
`
	f, diags := hclsyntax.ParseConfig([]byte(src), "t.hcl", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	def := hcl.Range{Filename: "def"}
	for _, tc := range []struct {
		attr       string
		line, col  int
		isFallback bool
	}{
		{"a", 1, 5, false},
		{"a[3]", 1, 5, false},
		{"net.interface.eth1.address", 5, 15, false},
		{"net.interface.eth0", 3, 3, false},
		{"net.nothing", 2, 1, false},
		{"nothing", 0, 0, true},
		{"", 0, 0, true},
	} {
		r := attrRange(f.Body, tc.attr, def)
		if tc.isFallback != (r.Filename == "def") || (!tc.isFallback && (r.Start.Line != tc.line || r.Start.Column != tc.col)) {
			t.Errorf("attrRange(%q) = %s", tc.attr, r)
		}
	}
}

func write(t *testing.T, name, content string) {
	t.Helper()
	if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestVarFileDiagnostics: mistakes in a variable file point at its lines.
func TestVarFileDiagnostics(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "image.hcl"), `variable "n" { type = number }
image "x" {
  bootstrap { suite = "bookworm" }
}
`)
	vf := filepath.Join(dir, "bad.vars.hcl")
	write(t, vf, "n    = \"many\"\nsute = \"x\"\n")
	_, diags := Load(dir, LoadOptions{Env: []string{}, VarFiles: []string{vf}})
	if len(diags) != 2 {
		t.Fatalf("want 2 diagnostics, got %v", diags)
	}
	for i, want := range []struct {
		line int
		text string
	}{{1, "is not a number"}, {2, "no variable \"sute\" is declared"}} {
		d := diags[i]
		if d.Subject == nil || d.Subject.Filename != vf || d.Subject.Start.Line != want.line || !strings.Contains(d.Detail, want.text) {
			t.Errorf("diag %d = %s: %s (at %v)", i, d.Summary, d.Detail, d.Subject)
		}
	}
}

// TestParentErrorsPointAtParent: a mistake in an inherited definition is
// reported in the parent's file, and nothing loads.
func TestParentErrorsPointAtParent(t *testing.T) {
	dir := t.TempDir()
	os.Mkdir(filepath.Join(dir, "base"), 0o755)
	os.Mkdir(filepath.Join(dir, "child"), 0o755)
	write(t, filepath.Join(dir, "base", "image.hcl"), `image "base" {
  bootstrap { suite = "bookworm" }
  provision "hostname" { name = "Not A Host" }
}
`)
	write(t, filepath.Join(dir, "child", "image.hcl"), `image "child" { from = "../base" }`+"\n")
	img, diags := Load(filepath.Join(dir, "child"), LoadOptions{Env: []string{}})
	if img != nil || len(diags) != 1 || diags[0].Subject == nil ||
		diags[0].Subject.Filename != filepath.Join(dir, "base", "image.hcl") || diags[0].Subject.Start.Line != 3 {
		t.Fatalf("img %v, diags %v", img != nil, diags)
	}
}

func TestSuggest(t *testing.T) {
	kinds := []string{"apt_source", "file", "provision", "service", "squashfs", "sysctl"}
	for given, want := range map[string]string{
		"provisioner": "provision", "sysctll": "sysctl", "apt-source": "apt_source", "squash": "squashfs",
		"fiel": "file", "s": "", "teleport": "", "servic": "service",
	} {
		if got := suggest(given, kinds); got != want {
			t.Errorf("suggest(%q) = %q, want %q", given, got, want)
		}
	}
}
