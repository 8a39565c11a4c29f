package hcl

import (
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"

	"github.com/chrootbuild/chrootbuild/internal/redact"
)

// LoadOptions are the values given to a definition from outside it.
type LoadOptions struct {
	// Vars are --var name=value settings; they win over everything.
	Vars map[string]string
	// VarFiles are --var-file paths, HCL files of name = value
	// attributes, applied in order.
	VarFiles []string
	// Env is the environment in os.Environ form, read for
	// CHROOTBUILD_VAR_name, the env function and SOURCE_DATE_EPOCH; nil
	// means the process environment.
	Env []string
}

// maxDepth bounds inheritance chains; a longer chain is almost surely a
// mistake even without a cycle.
const maxDepth = 16

// Loader loads definitions and keeps every file it parsed, so that its
// diagnostics print with their source lines.
type Loader struct {
	opts     LoadOptions
	env      map[string]string
	parser   *hclparse.Parser
	readFile func(string) ([]byte, error)
	stat     func(string) (os.FileInfo, error)
	// declared collects variable names declared anywhere in the chain,
	// to refuse --var settings that no definition uses.
	declared map[string]bool
	// partial is set when a definition of the chain could not be read
	// or parsed, so that declared is incomplete.
	partial bool
	// secrets are the sensitive texts of the last Load, scrubbed from
	// its diagnostics.
	secrets secretSet
}

// NewLoader returns a Loader for the given options.
func NewLoader(opts LoadOptions) *Loader {
	envList := opts.Env
	if envList == nil {
		envList = os.Environ()
	}
	env := make(map[string]string, len(envList))
	for _, kv := range envList {
		if k, v, ok := strings.Cut(kv, "="); ok {
			env[k] = v
		}
	}
	return &Loader{
		opts:     opts,
		env:      env,
		parser:   hclparse.NewParser(),
		readFile: readCapped,
		stat:     os.Stat,
		declared: map[string]bool{},
		secrets:  secretSet{},
	}
}

// readCapped reads a file, at most one byte past MaxFileSize: enough to
// know it is too big.
func readCapped(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, MaxFileSize+1))
}

// Load reads the definition at path (a folder holding image.hcl and any
// other *.hcl beside it, or one .hcl file) and resolves it into an Image.
// The Image is nil when diags has errors.
func Load(path string, opts LoadOptions) (*Image, hcl.Diagnostics) {
	return NewLoader(opts).Load(path)
}

// Files returns the parsed files by name, for diagnostic writers.
func (l *Loader) Files() map[string]*hcl.File { return l.parser.Files() }

// Load reads the definition at path; see the package function Load.
func (l *Loader) Load(path string) (*Image, hcl.Diagnostics) {
	l.declared, l.partial, l.secrets = map[string]bool{}, false, secretSet{}
	img, diags := l.load(path)
	sc := l.Scrubber()
	if img != nil {
		img.Secrets = l.secrets.list()
	}
	return img, scrubDiags(diags, sc)
}

// Scrubber returns a scrubber of the sensitive values the last Load met.
func (l *Loader) Scrubber() *redact.Scrubber { return redact.New(l.secrets.list()...) }

func (l *Loader) load(path string) (*Image, hcl.Diagnostics) {
	given, diags := l.givenValues()
	if diags.HasErrors() {
		return nil, diags
	}
	img, d := l.loadDef(path, given, nil)
	diags = append(diags, d...)
	if !l.partial {
		diags = append(diags, l.unusedGiven(given)...)
	}
	if diags.HasErrors() {
		return nil, sortDiags(improveDiags(dropUnknownValueDiags(diags)))
	}
	img.Files = append(img.Files, l.opts.VarFiles...)
	diags = append(diags, finish(img)...)
	if diags.HasErrors() {
		return nil, sortDiags(improveDiags(diags))
	}
	return img, sortDiags(diags)
}

// sortDiags orders diagnostics by file and position (those without a
// position first), so that output is stable: gohcl decodes attributes in
// map order.
func sortDiags(diags hcl.Diagnostics) hcl.Diagnostics {
	sort.SliceStable(diags, func(i, j int) bool {
		a, b := diags[i].Subject, diags[j].Subject
		switch {
		case a == nil || b == nil:
			return a == nil && b != nil
		case a.Filename != b.Filename:
			return a.Filename < b.Filename
		}
		return a.Start.Byte < b.Start.Byte
	})
	return diags
}

// loadDef loads one definition and, through from, its parents. stack
// holds the definitions being loaded, to detect cycles.
func (l *Loader) loadDef(path string, given map[string]givenValue, stack []def) (*Image, hcl.Diagnostics) {
	files, dir, diags := l.definitionFiles(path)
	if diags.HasErrors() {
		l.partial = true
		return nil, diags
	}
	u, d := l.parseUnit(path, dir, files)
	diags = append(diags, d...)
	if u == nil {
		l.partial = true
		return nil, diags // syntax errors: what follows them is guesswork
	}
	// Mistakes in variables and locals leave unknown values behind, so
	// that the image block's own mistakes are reported in the same run.
	diags = append(diags, u.resolveVariables(l, given)...)
	diags = append(diags, u.evalLocals()...)
	img, d := u.decodeImage(l, given, append(stack, def{key: defKey(path), name: path}))
	return img, append(diags, d...)
}

// def is a definition on the inheritance stack.
type def struct{ key, name string }

// dropUnknownValueDiags removes the errors that only repeat an earlier
// one: a value left unknown by a failed variable, local or function call.
// Nothing else in a definition is unknown.
func dropUnknownValueDiags(diags hcl.Diagnostics) hcl.Diagnostics {
	var out hcl.Diagnostics
	for _, d := range diags {
		if !strings.Contains(d.Detail, "value must be known") {
			out = append(out, d)
		}
	}
	return out
}

// defKey identifies a definition for cycle detection: a folder and its
// image.hcl are the same definition.
func defKey(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = filepath.Clean(path)
	}
	if filepath.Base(abs) == "image.hcl" {
		return filepath.Dir(abs)
	}
	return abs
}
