package provision

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLocale generates locales with the image's own locale-gen and checks
// that the image's locale tools list them.
func TestLocale(t *testing.T) {
	env := testEnv(t)
	mustApply(t, env, "locale", "default = \"en_US.UTF-8\"\ngenerate = [\"fr_FR.UTF-8\", \"sr_RS@latin\"]")
	out := rootOutput(t, env, "locale", "-a")
	for _, want := range []string{"en_US.utf8", "fr_FR.utf8", "sr_RS@latin"} {
		if !strings.Contains(out, want) {
			t.Errorf("locale -a does not list %s:\n%s", want, out)
		}
	}
	if out := rootOutput(t, env, "localedef", "--list-archive"); !strings.Contains(out, "en_US.utf8") {
		t.Errorf("localedef --list-archive does not list en_US.utf8:\n%s", out)
	}
	wantFile(t, env, "/etc/default/locale", "\x00", 0o644, 0, 0)
	data, _ := os.ReadFile(filepath.Join(env.Root.Dir(), "etc/default/locale"))
	if !strings.Contains(string(data), "LANG=en_US.UTF-8\n") {
		t.Errorf("/etc/default/locale holds %q", data)
	}
	gen, _ := os.ReadFile(filepath.Join(env.Root.Dir(), "etc/locale.gen"))
	for _, want := range []string{"\nen_US.UTF-8 UTF-8\n", "\nfr_FR.UTF-8 UTF-8\n"} {
		if !strings.Contains(string(gen), want) {
			t.Errorf("/etc/locale.gen lacks %q", want)
		}
	}
	// With LANG from /etc/default/locale, the image's own locale accepts it.
	if out := rootOutput(t, env, "env", "LANG=en_US.UTF-8", "locale", "charmap"); strings.TrimSpace(out) != "UTF-8" {
		t.Errorf("locale charmap under en_US.UTF-8 = %q", out)
	}

	// On Ubuntu the list lives in supported.d as well.
	os.MkdirAll(filepath.Join(env.Root.Dir(), ubuntuLocaleDir), 0o755)
	if err := recordLocales(env.Root, []string{"de_DE.UTF-8 UTF-8"}); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"etc/locale.gen", "var/lib/locales/supported.d/chrootbuild"} {
		if data, _ := os.ReadFile(filepath.Join(env.Root.Dir(), f)); !strings.Contains(string(data), "de_DE.UTF-8 UTF-8\n") {
			t.Errorf("/%s lacks de_DE.UTF-8: %q", f, data)
		}
	}

	err := applyStep(t, env, "locale", `generate = ["xx_YY.UTF-8"]`)
	if err == nil || !strings.Contains(err.Error(), "xx_YY.UTF-8") {
		t.Errorf("unknown locale: error %v does not name it", err)
	}
}
