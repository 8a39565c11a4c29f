package metadata_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/chrootbuild/chrootbuild/internal/testenv"
	"github.com/chrootbuild/chrootbuild/metadata"
)

func sample() *metadata.Metadata {
	return &metadata.Metadata{
		ID: "6c0e2c6f-0b4f-4b1e-9d4e-1f2a3b4c5d6e", Name: "web 1", Hostname: "web-1",
		Organization: "org-1", PrivateIP: "10.1.2.3",
		PublicIP:      metadata.PublicIP{ID: "ip-1", Address: "192.0.2.10", Dynamic: true},
		SSHPublicKeys: []metadata.SSHKey{{Key: "ssh-ed25519 AAAAC3Nz it's me", Fingerprint: "256 SHA256:x"}},
		Tags:          []string{"AUTHORIZED_KEY=ssh-rsa_AAAAB3_bob", "a $b `c` \"d\""},
		Volumes: map[string]metadata.Volume{
			"0":  {ID: "v0", Name: "root", ExportURI: "nbd://10.1.0.1:4000", VolumeType: "l_ssd", Size: 50e9},
			"10": {ID: "v10", Name: "ten", ExportURI: "nbd://10.1.0.1:4010", VolumeType: "l_ssd", Size: 1},
			"2":  {ID: "v2", Name: "data", ExportURI: "nbd://10.1.0.2:4002/data", VolumeType: "l_ssd", Size: 2},
		},
	}
}

func get(t *testing.T, url string) (string, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s", url, resp.Status)
	}
	return string(b), resp.Header.Get("Content-Type")
}

// TestTextIsShell sources the served text in a real POSIX shell and checks
// every tricky value comes back unchanged.
func TestTextIsShell(t *testing.T) {
	sh := testenv.RequireTool(t, "dash")
	srv := httptest.NewServer(metadata.Handler(sample()))
	defer srv.Close()
	text, ctype := get(t, srv.URL+"/conf")
	if !strings.HasPrefix(ctype, "text/plain") {
		t.Errorf("content type %q", ctype)
	}
	f := filepath.Join(t.TempDir(), "conf")
	if err := os.WriteFile(f, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	script := `. "$1"; printf '%s\n' "$NAME" "$SSH_PUBLIC_KEYS" "$SSH_PUBLIC_KEYS_0_KEY" "$TAGS" "$TAGS_1" "$VOLUMES" "$VOLUMES_2_EXPORT_URI" "$PUBLIC_IP_DYNAMIC"`
	out, err := exec.Command(sh, "-c", script, "sh", f).CombinedOutput()
	if err != nil {
		t.Fatalf("sourcing conf: %v: %s\n%s", err, out, text)
	}
	want := []string{"web 1", "1", "ssh-ed25519 AAAAC3Nz it's me", "2", "a $b `c` \"d\"", "0 2 10", "nbd://10.1.0.2:4002/data", "True"}
	if got := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n"); !reflect.DeepEqual(got, want) {
		t.Errorf("values from conf:\n got %q\nwant %q\ntext:\n%s", got, want, text)
	}
}

func TestJSON(t *testing.T) {
	m := sample()
	srv := httptest.NewServer(metadata.Handler(m))
	defer srv.Close()
	body, ctype := get(t, srv.URL+"/conf?format=json")
	if ctype != "application/json" {
		t.Errorf("content type %q", ctype)
	}
	var raw map[string]any
	if err := json.Unmarshal([]byte(body), &raw); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"id", "name", "hostname", "organization", "private_ip", "public_ip", "ssh_public_keys", "tags", "volumes"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("JSON lacks %q", k)
		}
	}
	var back metadata.Metadata
	if err := json.Unmarshal([]byte(body), &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(&back, m) {
		t.Errorf("JSON round trip:\n got %+v\nwant %+v", back, *m)
	}
	if v := raw["volumes"].(map[string]any)["2"].(map[string]any)["export_uri"]; v != "nbd://10.1.0.2:4002/data" {
		t.Errorf("volumes.2.export_uri = %v", v)
	}
}

func TestEmptyJSONHasLists(t *testing.T) {
	b, err := (&metadata.Metadata{}).JSON()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"ssh_public_keys": []`, `"tags": []`, `"volumes": {}`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("empty JSON lacks %s:\n%s", want, b)
		}
	}
}

func TestTextRefusesNewline(t *testing.T) {
	_, err := (&metadata.Metadata{Hostname: "a\nEVIL=1"}).Text()
	if err == nil || !strings.Contains(err.Error(), "HOSTNAME") {
		t.Fatalf("want an error naming HOSTNAME, got %v", err)
	}
	srv := httptest.NewServer(metadata.Handler(&metadata.Metadata{Hostname: "a\nb"}))
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/conf")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusInternalServerError {
		t.Errorf("status %d, want 500", resp.StatusCode)
	}
}

func TestOtherPathsAndMethods(t *testing.T) {
	srv := httptest.NewServer(metadata.Handler(sample()))
	defer srv.Close()
	for _, c := range []struct {
		method, path string
		want         int
	}{{"GET", "/nope", 404}, {"POST", "/conf", 405}, {"HEAD", "/conf", 200}} {
		req, _ := http.NewRequest(c.method, srv.URL+c.path, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != c.want {
			t.Errorf("%s %s: %d, want %d", c.method, c.path, resp.StatusCode, c.want)
		}
	}
}

// TestFingerprint compares with ssh-keygen's own fingerprint.
func TestFingerprint(t *testing.T) {
	kg := testenv.RequireTool(t, "ssh-keygen")
	key := filepath.Join(t.TempDir(), "k")
	if out, err := exec.Command(kg, "-q", "-t", "ed25519", "-N", "", "-C", "me@x", "-f", key).CombinedOutput(); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	pub, err := os.ReadFile(key + ".pub")
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(kg, "-l", "-E", "sha256", "-f", key+".pub").Output()
	if err != nil {
		t.Fatal(err)
	}
	got, err := metadata.Fingerprint(string(pub))
	if err != nil {
		t.Fatal(err)
	}
	if want := strings.Fields(string(out))[1]; got != want {
		t.Errorf("Fingerprint = %s, ssh-keygen says %s", got, want)
	}
	if _, err := metadata.Fingerprint("ssh-ed25519 !!!"); err == nil {
		t.Error("bad base64 accepted")
	}
}
