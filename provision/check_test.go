package provision

import (
	"slices"
	"strings"
	"testing"

	"github.com/chrootbuild/chrootbuild/check"
)

// TestCheck decodes each kind the way the loader does and checks which
// attributes Check blames; no root needed.
func TestCheck(t *testing.T) {
	cases := []struct {
		name, kind, src string
		bad             []string // attributes blamed, in order; nil means valid
	}{
		{"file ok content", "file", `path = "/etc/motd"` + "\n" + `content = "hi"`, nil},
		{"file ok empty content", "file", `path = "/etc/empty"` + "\n" + `content = ""`, nil},
		{"file ok template", "file", "path = \"/etc/x\"\ntemplate = \"x.tpl\"\nvars = { a = \"b\" }\nmode = \"0600\"\nowner = \"daemon\"\ngroup = \"1000\"", nil},
		{"file relative path", "file", `path = "etc/motd"` + "\n" + `content = "hi"`, []string{"path"}},
		{"file dotdot", "file", `path = "/etc/../x"` + "\n" + `content = "hi"`, []string{"path"}},
		{"file bad mode", "file", "path = \"/x\"\ncontent = \"\"\nmode = \"0999\"", []string{"mode"}},
		{"file bad owner", "file", "path = \"/x\"\ncontent = \"\"\nowner = \"Root User\"", []string{"owner"}},
		{"file none", "file", `path = "/x"`, []string{""}},
		{"file two", "file", "path = \"/x\"\ncontent = \"a\"\nsource = \"f\"", []string{""}},
		{"file source escapes", "file", "path = \"/x\"\nsource = \"../secret\"", []string{"source"}},
		{"file absolute source", "file", "path = \"/x\"\nsource = \"/etc/shadow\"", []string{"source"}},
		{"file vars without template", "file", "path = \"/x\"\ncontent = \"\"\nvars = { a = \"b\" }", []string{"vars"}},
		{"directory ok", "directory", "path = \"/srv/app\"\nmode = \"2750\"\nowner = \"www-data\"", nil},
		{"directory root", "directory", `path = "/"`, []string{"path"}},
		{"directory bad mode", "directory", "path = \"/a\"\nmode = \"rwx\"", []string{"mode"}},
		{"symlink ok", "symlink", "path = \"/etc/localtime\"\ntarget = \"../usr/share/zoneinfo/UTC\"", nil},
		{"symlink empty target", "symlink", "path = \"/a\"\ntarget = \"\"", []string{"target"}},
		{"symlink relative", "symlink", "path = \"a\"\ntarget = \"/b\"", []string{"path"}},
		{"copy ok", "copy", "source = \"overlay\"\ndestination = \"/\"", nil},
		{"copy escapes", "copy", "source = \"a/../../b\"\ndestination = \"/\"", []string{"source"}},
		{"copy bad destination and group", "copy", "source = \"a\"\ndestination = \"opt\"\ngroup = \"-x\"", []string{"destination", "group"}},
		{"remove ok", "remove", `paths = ["/usr/share/doc/*", "/var/log/*.log"]`, nil},
		{"remove everything", "remove", `paths = ["/*"]`, []string{"paths"}},
		{"remove bad glob", "remove", `paths = ["/a/[b"]`, []string{"paths"}},
		{"remove relative", "remove", `paths = ["tmp/*"]`, []string{"paths"}},
		{"remove empty", "remove", `paths = []`, []string{"paths"}},
		{"packages ok", "packages", "install = [\"less\", \"curl=7.88.1-10\", \"libc6:amd64\", \"git/bookworm-backports\"]\nupgrade = true", nil},
		{"packages bad name", "packages", "install = [\"Less\"]\npurge = [\"a b\"]", []string{"install", "purge"}},
		{"packages install and remove", "packages", "install = [\"less\"]\nremove = [\"less\"]", []string{"install"}},
		{"packages nothing", "packages", "recommends = true", []string{""}},
		{"apt_source ok", "apt_source", "name = \"backports\"\nuris = [\"http://deb.debian.org/debian\"]\nsuites = [\"bookworm-backports\"]\ncomponents = [\"main\"]\nsigned_by = \"/usr/share/keyrings/debian-archive-keyring.gpg\"", nil},
		{"apt_source flat", "apt_source", "name = \"local\"\nuris = [\"file:/srv/repo\"]\nsuites = [\"./\"]", nil},
		{"apt_source bad", "apt_source", "name = \"../x\"\nuris = [\"deb.debian.org\"]\nsuites = []\nsigned_by = \"key.gpg\"", []string{"name", "uris", "suites", "signed_by"}},
		{"apt_source no components", "apt_source", "name = \"x\"\nuris = [\"http://a/\"]\nsuites = [\"bookworm\"]", []string{"components"}},
		{"sysctl ok", "sysctl", `values = { "vm.min_free_kbytes" = "65536", "net/ipv4/ip_forward" = "1", "-net.ipv6.conf.all.disable_ipv6" = "1" }`, nil},
		{"sysctl bad key", "sysctl", `values = { "vm min" = "1" }`, []string{"values"}},
		{"sysctl bad file", "sysctl", "values = { a = \"1\" }\nfile = \"/etc/sysctl.d/x\"", []string{"file"}},
		{"sysctl file nobody reads", "sysctl", "values = { a = \"1\" }\nfile = \"/etc/sysctl.conf.d/x.conf\"", []string{"file"}},
		{"sysctl multiline", "sysctl", "values = { a = \"1\\nb = 2\" }", []string{"values"}},
		{"locale ok", "locale", "default = \"en_US.UTF-8\"\ngenerate = [\"fr_FR.UTF-8\", \"de_DE@euro\", \"sr_RS@latin\"]", nil},
		{"locale C", "locale", `default = "C.UTF-8"`, nil},
		{"locale bad", "locale", "default = \"english\"\ngenerate = [\"en_US.UTF-8 UTF-8\"]", []string{"default", "generate"}},
		{"locale empty", "locale", "", []string{""}},
		{"timezone ok", "timezone", `zone = "America/Argentina/Buenos_Aires"`, nil},
		{"timezone utc", "timezone", `zone = "UTC"`, nil},
		{"timezone bad", "timezone", `zone = "Paris"`, []string{"zone"}},
		{"timezone dotdot", "timezone", `zone = "Europe/../../etc/passwd"`, []string{"zone"}},
		{"hostname ok", "hostname", `name = "web-1.example.com"`, nil},
		{"hostname underscore", "hostname", `name = "web_1"`, []string{"name"}},
		{"hostname hyphen", "hostname", `name = "-web"`, []string{"name"}},
		{"hostname long label", "hostname", `name = "` + strings.Repeat("a", 64) + `"`, []string{"name"}},
		{"hosts ok", "hosts", `entries = { "127.0.1.1" = ["server"], "::1" = ["localhost", "ip6-localhost"] }`, nil},
		{"hosts bad", "hosts", `entries = { "300.1.1.1" = ["a"], "10.0.0.1" = [], "10.0.0.2" = ["a b"] }`, []string{"entries", "entries", "entries"}},
		{"exec ok", "exec", "argv = [\"update-ca-certificates\", \"--fresh\"]\nenv = { LC_ALL = \"C\" }\ndir = \"/tmp\"", nil},
		{"exec empty", "exec", `argv = []`, []string{"argv"}},
		{"exec path with a space", "exec", `argv = ["/opt/my tools/run"]`, nil},
		{"exec shell string", "exec", `argv = ["apt-get update"]`, []string{"argv"}},
		{"exec bad env and dir", "exec", "argv = [\"true\"]\nenv = { \"A-B\" = \"1\" }\ndir = \"tmp\"", []string{"env", "dir"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := decodeStep(t, c.kind, c.src)
			var got []string
			for _, fe := range check.Fields(s.Check()) {
				got = append(got, fe.Attr)
			}
			slices.Sort(got)
			want := slices.Clone(c.bad)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("Check() blamed %q, want %q (error: %v)", got, want, s.Check())
			}
			if s.Summary() == "" {
				t.Error("empty Summary")
			}
		})
	}
}

// TestDefaults checks the constructors' defaults survive decoding.
func TestDefaults(t *testing.T) {
	f := decodeStep(t, "file", `path = "/x"`+"\n"+`content = "a"`).(*File)
	d := decodeStep(t, "directory", `path = "/x"`).(*Directory)
	s := decodeStep(t, "sysctl", `values = { a = "1" }`).(*Sysctl)
	p := decodeStep(t, "packages", `install = ["a1"]`).(*Packages)
	if f.Mode != "0644" || d.Mode != "0755" || s.File != DefaultSysctlFile || p.Recommends {
		t.Errorf("defaults lost: file mode %q, directory mode %q, sysctl file %q, recommends %v", f.Mode, d.Mode, s.File, p.Recommends)
	}
}
