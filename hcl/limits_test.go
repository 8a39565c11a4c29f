package hcl

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
)

// writeDef writes an image.hcl holding src into a new folder and returns
// the folder.
func writeDef(t testing.TB, src string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "image.hcl"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// minimalImage is an image block for tests that are about what surrounds
// it; extra goes inside it.
func minimalImage(extra string) string {
	return "image \"t\" {\n  bootstrap { suite = \"bookworm\" }\n" + extra + "\n}\n"
}

// wantDiag loads dir and fails unless one error's summary is summary and
// its text (detail and position) holds every one of parts.
func wantDiag(t *testing.T, dir string, opts LoadOptions, summary string, parts ...string) hcl.Diagnostics {
	t.Helper()
	if opts.Env == nil {
		opts.Env = []string{}
	}
	img, diags := Load(dir, opts)
	if img != nil {
		t.Fatalf("loaded without error; want %q", summary)
	}
	for _, d := range diags {
		text := d.Detail
		if d.Subject != nil {
			text += " " + d.Subject.String()
		}
		ok := d.Summary == summary
		for _, p := range parts {
			ok = ok && strings.Contains(text, p)
		}
		if ok {
			return diags
		}
	}
	t.Fatalf("want %q holding %q, got:\n%s", summary, parts, diags.Error())
	return nil
}

func TestDeepNestingIsADiagnostic(t *testing.T) {
	deep := strings.Repeat("(", 100000) + "1" + strings.Repeat(")", 100000)
	for name, src := range map[string]string{
		"parentheses": minimalImage("  version = " + deep),
		"brackets":    minimalImage("  version = " + strings.Repeat("[", 100000) + strings.Repeat("]", 100000)),
		"unary":       minimalImage("  version = " + strings.Repeat("!", 100000) + "true"),
		"templates":   minimalImage("  version = " + strings.Repeat(`"${`, 5000) + "1" + strings.Repeat(`}"`, 5000)),
	} {
		t.Run(name, func(t *testing.T) {
			wantDiag(t, writeDef(t, src), LoadOptions{}, "Expression nested too deeply", "image.hcl:3")
		})
	}
	t.Run("--var", func(t *testing.T) {
		dir := writeDef(t, "variable \"n\" { type = number }\n"+minimalImage(""))
		wantDiag(t, dir, LoadOptions{Vars: map[string]string{"n": deep}}, "Invalid value for variable", "nest more than")
	})
	t.Run("templatefile", func(t *testing.T) {
		dir := writeDef(t, minimalImage(`  version = templatefile("t.tmpl", {})`))
		os.WriteFile(filepath.Join(dir, "t.tmpl"), []byte("${"+deep+"}"), 0o644)
		wantDiag(t, dir, LoadOptions{}, "Error in function call", "nest more than")
	})
	t.Run("just under the limit", func(t *testing.T) {
		n := MaxNesting - 2
		src := minimalImage("  version = " + strings.Repeat("(", n) + "\"1\"" + strings.Repeat(")", n))
		load(t, writeDef(t, src), LoadOptions{})
	})
}

// manyLocals is a definition whose n locals form one chain, named so that
// sorted order is the reverse of dependency order.
func manyLocals(n int) string {
	var b strings.Builder
	b.WriteString("locals {\n  l0 = 1\n")
	for i := 1; i < n; i++ {
		fmt.Fprintf(&b, "  l%d = local.l%d + 1\n", i, i-1)
	}
	b.WriteString("}\n")
	b.WriteString(minimalImage(fmt.Sprintf("  version = \"v${local.l%d}\"", n-1)))
	return b.String()
}

// TestTenThousandLocals loads 10 000 chained locals; the time is in
// BenchmarkLocals.
func TestTenThousandLocals(t *testing.T) {
	img := load(t, writeDef(t, manyLocals(10000)), LoadOptions{})
	if img.Version != "v10000" {
		t.Errorf("version = %q, want v10000", img.Version)
	}
}

// BenchmarkLocals loads definitions of 1 000 and 10 000 chained locals:
// the time per local must stay flat (it grew with the count before).
func BenchmarkLocals(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			dir := writeDef(b, manyLocals(n))
			for b.Loop() {
				if _, diags := Load(dir, LoadOptions{Env: []string{}}); diags.HasErrors() {
					b.Fatal(diags)
				}
			}
		})
	}
}

func TestFileRefusesNonRegularAndHugeFiles(t *testing.T) {
	big := filepath.Join(t.TempDir(), "big")
	if err := os.WriteFile(big, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(big, MaxFileSize+1); err != nil { // sparse: no disk used
		t.Fatal(err)
	}
	for name, c := range map[string]struct{ call, want string }{
		"file /dev/zero":         {`file("/dev/zero")`, "/dev/zero: not a regular file (a character device)"},
		"templatefile /dev/zero": {`templatefile("/dev/zero", {})`, "not a regular file"},
		"file of a folder":       {`file("/")`, "not a regular file (a folder)"},
		"file over 64 MiB":       {fmt.Sprintf("file(%q)", big), "67108865 bytes, over the limit"},
		"templatefile 64 MiB":    {fmt.Sprintf("templatefile(%q, {})", big), "over the limit"},
	} {
		t.Run(name, func(t *testing.T) {
			dir := writeDef(t, minimalImage("  description = "+c.call))
			wantDiag(t, dir, LoadOptions{}, "Error in function call", c.want, "image.hcl:3")
		})
	}
	t.Run("definition", func(t *testing.T) {
		wantDiag(t, "/dev/zero", LoadOptions{}, "Cannot read definition", "not a regular file")
	})
	t.Run("var-file", func(t *testing.T) {
		dir := writeDef(t, minimalImage(""))
		wantDiag(t, dir, LoadOptions{VarFiles: []string{big}}, "Cannot read variable file", "over the limit")
	})
}

func TestAbsurdNumbersAreRefused(t *testing.T) {
	withVar := "variable \"n\" { type = number }\n" + minimalImage(`  version = "${var.n}"`)
	t.Run("--var", func(t *testing.T) {
		wantDiag(t, writeDef(t, withVar), LoadOptions{Vars: map[string]string{"n": "1e10000000"}},
			"Invalid value for variable", "too large or too small")
	})
	t.Run("CHROOTBUILD_VAR_n", func(t *testing.T) {
		wantDiag(t, writeDef(t, withVar), LoadOptions{Env: []string{"CHROOTBUILD_VAR_n=-1e-10000000"}},
			"Invalid value for variable", "too large or too small")
	})
	t.Run("string to number", func(t *testing.T) {
		src := "variable \"n\" {\n type = number\n default = \"1e10000000\"\n}\n" + minimalImage(`  version = "${var.n}"`)
		wantDiag(t, writeDef(t, src), LoadOptions{}, "Invalid value for variable", "too large or too small")
	})
	t.Run("in the definition", func(t *testing.T) {
		wantDiag(t, writeDef(t, minimalImage(`  version = "${1e10000000}"`)), LoadOptions{},
			"Number out of range", "image.hcl:3")
	})
	t.Run("long digits", func(t *testing.T) {
		wantDiag(t, writeDef(t, minimalImage(`  version = "${1`+strings.Repeat("0", 5000)+`}"`)), LoadOptions{},
			"Number out of range", "image.hcl:3")
	})
	t.Run("ordinary numbers", func(t *testing.T) {
		load(t, writeDef(t, minimalImage(`  version = "${1e300 * 0 + 12.5e-3}"`)), LoadOptions{})
	})
}
