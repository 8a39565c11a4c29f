package provision

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestLocale generates locales with the image's own locale-gen and checks
// that the image's locale tools list them.
func TestLocale(t *testing.T) { forEachSuite(t, testLocale) }

func testLocale(t *testing.T, env *Env) {
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
	wantLANG(t, env, "en_US.UTF-8")
	gen, _ := os.ReadFile(filepath.Join(env.Root.Dir(), "etc/locale.gen"))
	for _, want := range []string{"\nen_US.UTF-8 UTF-8\n", "\nfr_FR.UTF-8 UTF-8\n"} {
		if !strings.Contains(string(gen), want) {
			t.Errorf("/etc/locale.gen lacks %q", want)
		}
	}
	// With that LANG, the image's own locale accepts it.
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

	// An image with neither file gets the one its systemd reads, and PAM
	// reads the same value.
	os.Remove(filepath.Join(env.Root.Dir(), "etc/locale.conf"))
	os.Remove(filepath.Join(env.Root.Dir(), "etc/default/locale"))
	mustApply(t, env, "locale", `default = "C.UTF-8"`)
	wantLANG(t, env, "C.UTF-8")

	err := applyStep(t, env, "locale", `generate = ["xx_YY.UTF-8"]`)
	if err == nil || !strings.Contains(err.Error(), "xx_YY.UTF-8") {
		t.Errorf("unknown locale: error %v does not name it", err)
	}
}

// wantLANG checks the default locale the way the image's own programs get
// it: systemd (PID 1, localed) from /etc/locale.conf, or when there is
// none from /etc/default/locale if the image's systemd still reads that
// (bookworm's does, trixie's does not); a log-in from the envfile that
// pam_env reads for sshd. Each file is read by the image's own shell.
func wantLANG(t *testing.T, env *Env, want string) {
	t.Helper()
	systemdFile := "/etc/locale.conf"
	if !existsInRoot(env, systemdFile) {
		if lib, _ := systemdLib(env.Root); !strings.Contains(readInRoot(t, env, lib), "/etc/default/locale\x00") {
			t.Fatalf("no /etc/locale.conf, and this image's systemd reads nothing else")
		}
		systemdFile = "/etc/default/locale"
	}
	pam := regexp.MustCompile(`(?m)^session\s+\S+\s+pam_env\.so.*\benvfile=(\S+)`).FindStringSubmatch(readInRoot(t, env, "/etc/pam.d/sshd"))
	if pam == nil {
		t.Fatalf("/etc/pam.d/sshd has no pam_env envfile")
	}
	for who, file := range map[string]string{"systemd": systemdFile, "pam_env (sshd)": pam[1]} {
		got := runInRoot(t, env, "sh", "-c", `unset LANG; . "$1"; printf %s "$LANG"`, "sh", file)
		if got != want {
			t.Errorf("%s reads LANG=%q from %s, want %q", who, got, file, want)
		}
	}
}
