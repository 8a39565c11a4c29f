package provision

import (
	"strings"
	"testing"
)

const testPasswd = `root:x:0:0:root:/root:/bin/bash
# a comment
daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
_apt:x:100:65534::/nonexistent:/usr/sbin/nologin
alice:x:1000:1000::/home/alice:/bin/bash
`

func TestAccountDBEdit(t *testing.T) {
	db := parseAccountDB([]byte(testPasswd))
	if i, f := db.find("alice"); i != 4 || f[2] != "1000" {
		t.Fatalf("find(alice) = %d %v", i, f)
	}
	if i, _ := db.find("# a comment"); i != -1 {
		t.Fatalf("a comment was found as an entry")
	}
	db.set([]string{"bob", "x", "1001", "1001", "", "/home/bob", "/bin/sh"})
	db.set([]string{"daemon", "x", "1", "1", "daemon", "/usr/sbin", "/bin/false"})
	want := strings.Replace(testPasswd, "/usr/sbin:/usr/sbin/nologin", "/usr/sbin:/bin/false", 1) +
		"bob:x:1001:1001::/home/bob:/bin/sh\n"
	if got := string(db.bytes()); got != want {
		t.Errorf("after set:\n%s\nwant:\n%s", got, want)
	}
	ids := db.ids(2)
	for _, n := range []int{0, 1, 100, 1000, 1001} {
		if !ids[n] {
			t.Errorf("id %d not in ids", n)
		}
	}
}

func TestAccountDBAddMember(t *testing.T) {
	db := parseAccountDB([]byte("sudo:x:27:\nadm:x:4:syslog\n"))
	for _, tc := range []struct{ group, user, want string }{
		{"sudo", "alice", "sudo:x:27:alice"},
		{"sudo", "bob", "sudo:x:27:alice,bob"},
		{"sudo", "alice", "sudo:x:27:alice,bob"},
		{"adm", "alice", "adm:x:4:syslog,alice"},
	} {
		if !db.addMember(tc.group, 3, tc.user) {
			t.Fatalf("addMember(%s) = false", tc.group)
		}
		if i, _ := db.find(tc.group); db.lines[i] != tc.want {
			t.Errorf("after adding %s to %s: %q, want %q", tc.user, tc.group, db.lines[i], tc.want)
		}
	}
	if db.addMember("wheel", 3, "alice") {
		t.Errorf("addMember to a missing group returned true")
	}
}

func TestParseLoginDefs(t *testing.T) {
	d := parseLoginDefs([]byte("# comment\nUID_MIN\t\t 2000\nUID_MAX 3000\n#SYS_UID_MIN 50\nGID_MIN 5000\n"))
	if d.uid != (idRange{2000, 3000}) || d.sysUID != (idRange{100, 999}) || d.gid != (idRange{5000, 59999}) || d.sysGID != (idRange{100, 999}) {
		t.Errorf("parseLoginDefs = %+v", d)
	}
}

func TestAllocate(t *testing.T) {
	used := map[int]bool{1000: true, 1001: true, 1003: true}
	groups := map[int]bool{1002: true}
	for _, tc := range []struct {
		name   string
		r      idRange
		prefer int
		sets   []map[int]bool
		want   int
		err    bool
	}{
		{"lowest free", idRange{1000, 2000}, -1, []map[int]bool{used}, 1002, false},
		{"free in both", idRange{1000, 2000}, -1, []map[int]bool{used, groups}, 1004, false},
		{"preferred", idRange{1000, 2000}, 1500, []map[int]bool{used}, 1500, false},
		{"preferred taken", idRange{1000, 2000}, 1001, []map[int]bool{used}, 1002, false},
		{"preferred out of range", idRange{100, 999}, 1500, []map[int]bool{used}, 100, false},
		{"full", idRange{1000, 1001}, -1, []map[int]bool{used}, 0, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := allocate(tc.r, tc.prefer, tc.sets...)
			if (err != nil) != tc.err || got != tc.want {
				t.Errorf("allocate = %d, %v; want %d (error %v)", got, err, tc.want, tc.err)
			}
		})
	}
}

func TestLockPassword(t *testing.T) {
	for _, tc := range []struct {
		in     string
		locked bool
		want   string
	}{
		{"", true, "!"}, {"", false, "*"}, {"*", true, "*"}, {"!*", true, "!*"}, {"!*", false, "*"},
		{"$y$abc", true, "!$y$abc"}, {"!$y$abc", true, "!$y$abc"}, {"!$y$abc", false, "$y$abc"}, {"!", false, "*"},
	} {
		if got := lockPassword(tc.in, tc.locked); got != tc.want {
			t.Errorf("lockPassword(%q, %v) = %q, want %q", tc.in, tc.locked, got, tc.want)
		}
	}
}

func TestMergeKeys(t *testing.T) {
	got := mergeKeys("ssh-rsa AAAA old\n", []string{"ssh-ed25519 BBBB new", "ssh-rsa AAAA old "})
	if want := "ssh-rsa AAAA old\nssh-ed25519 BBBB new\n"; got != want {
		t.Errorf("mergeKeys = %q, want %q", got, want)
	}
}
