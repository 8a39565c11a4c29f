package pack

import (
	"regexp"
	"sort"
	"strings"

	"github.com/chrootbuild/chrootbuild/chroot"
)

// dep5SPDX maps the short license names of Debian's machine-readable
// copyright format (DEP-5), lowercased, to SPDX license identifiers.
// Others become LicenseRef-NAME, explained in the document.
var dep5SPDX = map[string]string{
	"apache-1.0": "Apache-1.0", "apache-2.0": "Apache-2.0", "artistic": "Artistic-1.0",
	"artistic-1.0": "Artistic-1.0", "artistic-2.0": "Artistic-2.0", "bsd-2-clause": "BSD-2-Clause",
	"bsd-3-clause": "BSD-3-Clause", "bsd-4-clause": "BSD-4-Clause", "bsl-1.0": "BSL-1.0",
	"cc0-1.0": "CC0-1.0", "cddl-1.0": "CDDL-1.0", "cpl-1.0": "CPL-1.0", "curl": "curl", "expat": "MIT",
	"mit": "MIT", "isc": "ISC", "zlib": "Zlib", "openssl": "OpenSSL", "x11": "X11", "w3c": "W3C",
	"mpl-1.1": "MPL-1.1", "mpl-2.0": "MPL-2.0", "python-2.0": "Python-2.0", "zope-2.1": "ZPL-2.1",
	"gpl": "GPL-1.0-or-later", "gpl-1": "GPL-1.0-only", "gpl-1+": "GPL-1.0-or-later",
	"gpl-2": "GPL-2.0-only", "gpl-2+": "GPL-2.0-or-later", "gpl-3": "GPL-3.0-only", "gpl-3+": "GPL-3.0-or-later",
	"lgpl-2": "LGPL-2.0-only", "lgpl-2+": "LGPL-2.0-or-later", "lgpl-2.1": "LGPL-2.1-only",
	"lgpl-2.1+": "LGPL-2.1-or-later", "lgpl-3": "LGPL-3.0-only", "lgpl-3+": "LGPL-3.0-or-later",
	"agpl-3": "AGPL-3.0-only", "agpl-3+": "AGPL-3.0-or-later", "gfdl-1.2": "GFDL-1.2-only",
	"gfdl-1.2+": "GFDL-1.2-or-later", "gfdl-1.3": "GFDL-1.3-only", "gfdl-1.3+": "GFDL-1.3-or-later",
	"perl": "Artistic-1.0-Perl OR GPL-1.0-or-later", "sleepycat": "Sleepycat", "unicode-dfs-2016": "Unicode-DFS-2016",
}

// licenseRefs collects the LicenseRef identifiers the document uses.
type licenseRefs struct{ names map[string]string } // id to the DEP-5 name

// maxCopyright bounds the copyright file read.
const maxCopyright = 4 << 20

var (
	dep5Operator = regexp.MustCompile(`(?i)\s+(or|and)\s+`)
	refUnsafe    = regexp.MustCompile(`[^A-Za-z0-9.-]+`)
)

// declared is the package's declared license as an SPDX expression,
// from a machine-readable /usr/share/doc/NAME/copyright, else
// NOASSERTION.
func (l *licenseRefs) declared(root *chroot.Root, name string) string {
	data, err := root.ReadRegularFile("/usr/share/doc/"+name+"/copyright", maxCopyright)
	if err != nil || !isDEP5(data) {
		return noAssertion
	}
	var exprs []string
	seen := map[string]bool{}
	for _, short := range dep5Licenses(string(data)) {
		e := l.expression(short)
		if e != "" && !seen[e] {
			seen[e] = true
			exprs = append(exprs, e)
		}
	}
	if len(exprs) == 0 {
		return noAssertion
	}
	sort.Strings(exprs)
	if len(exprs) == 1 {
		return exprs[0]
	}
	for i, e := range exprs {
		if strings.Contains(e, " ") && !grouped(e) {
			exprs[i] = "(" + e + ")"
		}
	}
	return strings.Join(exprs, " AND ")
}

// grouped reports whether e is one parenthesised group: "(A OR B)", not
// "(A OR B) AND C".
func grouped(e string) bool {
	depth := 0
	for i, c := range e {
		switch c {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 && i < len(e)-1 {
				return false
			}
		}
	}
	return strings.HasPrefix(e, "(")
}

// isDEP5 reports a copyright file in the machine-readable format.
func isDEP5(data []byte) bool {
	first, _, _ := strings.Cut(string(data), "\n")
	return strings.HasPrefix(first, "Format:") && strings.Contains(first, "copyright-format/1.0")
}

// dep5Licenses returns the short names of the License fields of the
// Files paragraphs.
func dep5Licenses(text string) []string {
	var out []string
	for _, para := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n\n") {
		if !strings.HasPrefix(para, "Files:") && !strings.Contains(para, "\nFiles:") {
			continue
		}
		for _, line := range strings.Split(para, "\n") {
			if v, ok := strings.CutPrefix(line, "License:"); ok && strings.TrimSpace(v) != "" {
				out = append(out, strings.TrimSpace(v))
			}
		}
	}
	return out
}

// expression turns a DEP-5 short name ("GPL-2+ or Artistic") into SPDX.
func (l *licenseRefs) expression(short string) string {
	parts := dep5Operator.Split(short, -1)
	ops := dep5Operator.FindAllStringSubmatch(short, -1)
	var b strings.Builder
	for i, p := range parts {
		if i > 0 {
			b.WriteString(" " + strings.ToUpper(ops[i-1][1]) + " ")
		}
		b.WriteString(l.identifier(strings.TrimSpace(strings.TrimSuffix(p, ","))))
	}
	return b.String()
}

// identifier maps one license name, or makes a LicenseRef for it.
func (l *licenseRefs) identifier(name string) string {
	if id, ok := dep5SPDX[strings.ToLower(name)]; ok {
		if strings.Contains(id, " ") {
			return "(" + id + ")"
		}
		return id
	}
	id := "LicenseRef-" + strings.Trim(refUnsafe.ReplaceAllString(name, "-"), "-")
	l.names[id] = name
	return id
}

// extracted explains every LicenseRef used, sorted.
func (l *licenseRefs) extracted() []spdxExtracted {
	var out []spdxExtracted
	for id, name := range l.names {
		out = append(out, spdxExtracted{LicenseID: id, Name: name,
			Text: "The license named \"" + name + "\" in the machine-readable copyright files (/usr/share/doc/PACKAGE/copyright) of the packages that declare it."})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].LicenseID < out[j].LicenseID })
	return out
}
