// Package hclfmt lays out definition files in HCL's canonical style, as
// `packer fmt` and `terraform fmt` do: hclwrite.Format's spacing,
// indentation and alignment of equals signs, with comments kept. A file
// that does not parse is never rewritten.
package hclfmt

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/hexops/gotextdiff"
	"github.com/hexops/gotextdiff/myers"
	"github.com/hexops/gotextdiff/span"
)

// Source returns src in canonical layout. When src is not valid HCL it
// returns nil, the parser's diagnostics and the parsed file (for printing
// them with their source lines).
func Source(src []byte, filename string) ([]byte, *hcl.File, hcl.Diagnostics) {
	f, diags := hclsyntax.ParseConfig(src, filename, hcl.InitialPos)
	if diags.HasErrors() {
		return nil, f, diags
	}
	return hclwrite.Format(src), f, nil
}

// Diff returns a unified diff from old to new, labelled a/name and
// b/name as `git diff` does, or "" when they are equal.
func Diff(name string, old, new []byte) string {
	if bytes.Equal(old, new) {
		return ""
	}
	a, b := string(old), string(new)
	edits := myers.ComputeEdits(span.URIFromPath(name), a, b)
	return fmt.Sprint(gotextdiff.ToUnified("a/"+name, "b/"+name, a, edits))
}

// WriteFile replaces the file at name with data atomically: data goes to
// a temporary file beside it, which takes the old file's mode and owner,
// is synced and renamed over it. A symbolic link is followed, so the
// file it points to is replaced and the link kept.
func WriteFile(name string, data []byte) error {
	target, err := filepath.EvalSymlinks(name)
	if err != nil {
		return fmt.Errorf("resolving %s: %w", name, err)
	}
	fi, err := os.Stat(target)
	if err != nil {
		return fmt.Errorf("reading %s: %w", name, err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(target), "."+filepath.Base(target)+".fmt-*")
	if err != nil {
		return fmt.Errorf("creating temporary file for %s: %w", name, err)
	}
	if err = fill(tmp, data, fi); err == nil {
		err = os.Rename(tmp.Name(), target)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("writing %s: %w", name, err)
	}
	return nil
}

// fill writes data to tmp with the mode and owner of fi, syncs and
// closes it.
func fill(tmp *os.File, data []byte, fi os.FileInfo) error {
	_, err := tmp.Write(data)
	if err == nil {
		err = tmp.Chmod(fi.Mode().Perm())
	}
	if err == nil {
		err = keepOwner(tmp, fi)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	return err
}
