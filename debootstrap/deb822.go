package debootstrap

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"
)

// paragraph is one deb822 stanza, restricted to the fields asked for.
type paragraph map[string]string

// readParagraphs calls fn for each stanza of r, keeping only the fields in
// keep (all when keep is nil). It streams: a 50 MB Packages file is never
// held in memory, and only the kept fields are copied. pault.ag's
// reflection decoder builds every field of every stanza, which costs
// seconds and hundreds of megabytes on a full Packages index.
func readParagraphs(r io.Reader, keep map[string]bool, fn func(paragraph) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
	p := paragraph{}
	var key string
	line := 0
	flush := func() error {
		if len(p) == 0 {
			return nil
		}
		err := fn(p)
		clear(p) // reused: fn copies what it keeps, and a 60k-stanza index makes no garbage maps
		key = ""
		return err
	}
	for sc.Scan() {
		line++
		b := sc.Bytes()
		switch {
		case len(bytes.TrimSpace(b)) == 0:
			if err := flush(); err != nil {
				return err
			}
		case b[0] == ' ' || b[0] == '\t':
			if key == "" {
				continue
			}
			p[key] += "\n" + string(bytes.TrimSpace(b))
		case b[0] == '#':
		default:
			i := bytes.IndexByte(b, ':')
			if i < 0 {
				return fmt.Errorf("line %d: no colon in field %q", line, truncate(string(b)))
			}
			k := string(b[:i])
			if keep != nil && !keep[k] {
				key = ""
				continue
			}
			key = k
			p[k] = string(bytes.TrimSpace(b[i+1:]))
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	return flush()
}

func truncate(s string) string {
	if len(s) > 60 {
		return s[:60] + "..."
	}
	return s
}

// fieldLines splits a multi-line field into its non-empty lines.
func fieldLines(v string) []string {
	var out []string
	for _, l := range strings.Split(v, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}
