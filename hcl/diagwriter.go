package hcl

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// WriteDiagnostics prints diags with HCL's diagnostic writer, each
// position as file:line:col and a caret line under the subject. width
// wraps the detail text (0: no wrapping). Files are the loader's, so the
// source lines show. Sensitive values the load met are scrubbed from the
// text, source lines included (a variable file holds secrets).
func (l *Loader) WriteDiagnostics(w io.Writer, diags hcl.Diagnostics, width uint) error {
	var buf bytes.Buffer
	if err := WriteDiagnostics(&buf, l.Files(), diags, width); err != nil {
		return err
	}
	_, err := io.WriteString(w, l.Scrubber().String(buf.String()))
	return err
}

// WriteDiagnostics prints diags as Loader.WriteDiagnostics does, with the
// source lines of files (by name), for diagnostics of files parsed
// outside a Loader (chrootbuild fmt).
func WriteDiagnostics(w io.Writer, files map[string]*hcl.File, diags hcl.Diagnostics, width uint) error {
	for _, d := range diags {
		var buf bytes.Buffer
		if err := hcl.NewDiagnosticTextWriter(&buf, files, width, false).WriteDiagnostic(d); err != nil {
			return err
		}
		if _, err := io.WriteString(w, addCaret(buf.String(), d, files)); err != nil {
			return err
		}
	}
	return nil
}

// addCaret rewrites HCL's "on FILE line N" as "on FILE:N:C" and puts a
// caret line under the subject's first line, which HCL only highlights
// with terminal colours.
func addCaret(text string, d *hcl.Diagnostic, files map[string]*hcl.File) string {
	if d.Subject == nil {
		return text
	}
	s := d.Subject
	old := fmt.Sprintf("  on %s line %d", s.Filename, s.Start.Line)
	text = strings.Replace(text, old, fmt.Sprintf("  on %s:%d:%d", s.Filename, s.Start.Line, s.Start.Column), 1)
	f := files[s.Filename]
	if f == nil {
		return text
	}
	prefix := fmt.Sprintf("%4d: ", s.Start.Line)
	lines := strings.Split(text, "\n")
	for i, ln := range lines {
		if !strings.HasPrefix(ln, prefix) {
			continue
		}
		caret := caretLine(ln[len(prefix):], s)
		lines = append(lines[:i+1], append([]string{strings.Repeat(" ", len(prefix)) + caret}, lines[i+1:]...)...)
		break
	}
	return strings.Join(lines, "\n")
}

// caretLine underlines the subject on its first line; tabs are kept so
// the carets line up however the terminal draws them.
func caretLine(src string, s *hcl.Range) string {
	runes := []rune(src)
	start := min(s.Start.Column-1, len(runes))
	end := len(runes)
	if s.End.Line == s.Start.Line {
		end = min(s.End.Column-1, len(runes))
	}
	var b strings.Builder
	for _, r := range runes[:start] {
		if r == '\t' {
			b.WriteRune('\t')
		} else {
			b.WriteByte(' ')
		}
	}
	b.WriteString(strings.Repeat("^", max(1, end-start)))
	return b.String()
}
