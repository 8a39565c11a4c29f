package hcl

import (
	"path/filepath"
	"regexp"
	"sort"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"

	"github.com/chrootbuild/chrootbuild/internal/redact"
)

// sensitiveMark is the cty mark of a sensitive value: a `sensitive`
// variable, a credential read by env() or file(). go-cty carries it
// through functions and HCL through operators and string templates, so
// whatever is derived from a sensitive value is sensitive too.
type sensitiveMark struct{}

// markSensitive marks v as sensitive.
func markSensitive(v cty.Value) cty.Value { return v.Mark(sensitiveMark{}) }

// credentialName matches the names of environment variables and files that
// hold credentials: AWS_SECRET_ACCESS_KEY, GITHUB_TOKEN, DB_PASSWORD,
// id_ed25519, server.pem, .netrc, .aws/credentials.
var (
	credentialEnv  = regexp.MustCompile(`(?i)SECRET|TOKEN|PASSWORD|PASSWD|PASSPHRASE|KEY|CREDENTIAL|AUTH|COOKIE|SESSION|PRIVATE`)
	credentialFile = regexp.MustCompile(`(?i)(^id_[a-z0-9]+$|\.(pem|key|p12|pfx|jks|keystore)$|^\.?netrc$|credential|secret|token|passw|private|\.env$|^\.pgpass$|^\.git-credentials$)`)
)

// looksLikeCredentialEnv reports whether an environment variable's name
// says it holds a credential.
func looksLikeCredentialEnv(name string) bool { return credentialEnv.MatchString(name) }

// looksLikeCredentialFile reports whether a file's name says it holds a
// credential (only its base name and its folder's are looked at).
func looksLikeCredentialFile(name string) bool {
	base, dir := filepath.Base(name), filepath.Base(filepath.Dir(name))
	return credentialFile.MatchString(base) || dir == ".ssh" || dir == ".aws" || dir == ".docker"
}

// secretTexts lists the text of every part of v that is sensitive:
// strings as they are, numbers in decimal; bools are left out (they
// would hide every "true" in a log and reveal nothing).
func secretTexts(v cty.Value) []string {
	if !v.ContainsMarked() {
		return nil
	}
	plain, pvm := v.UnmarkDeepWithPaths()
	var out []string
	for _, pm := range pvm {
		if _, ok := pm.Marks[sensitiveMark{}]; !ok {
			continue
		}
		sub, err := pm.Path.Apply(plain)
		if err != nil {
			continue
		}
		cty.Walk(sub, func(_ cty.Path, leaf cty.Value) (bool, error) {
			if leaf.IsKnown() && !leaf.IsNull() && leaf.Type().IsPrimitiveType() && leaf.Type() != cty.Bool {
				if s, err := convert.Convert(leaf, cty.String); err == nil {
					out = append(out, s.AsString())
				}
			}
			return true, nil
		})
	}
	return out
}

// redactedValue returns v with every sensitive part replaced: strings by
// redact.Placeholder, numbers by 0, bools by false. What is rendered from
// it (a plan summary, a check message) shows no sensitive value.
func redactedValue(v cty.Value) cty.Value {
	if !v.ContainsMarked() {
		return v
	}
	plain, pvm := v.UnmarkDeepWithPaths()
	var hidden []cty.Path
	for _, pm := range pvm {
		if _, ok := pm.Marks[sensitiveMark{}]; ok {
			hidden = append(hidden, pm.Path)
		}
	}
	out, err := cty.Transform(plain, func(p cty.Path, leaf cty.Value) (cty.Value, error) {
		if !leaf.Type().IsPrimitiveType() || !leaf.IsKnown() || leaf.IsNull() || !underAny(p, hidden) {
			return leaf, nil
		}
		switch leaf.Type() {
		case cty.String:
			return cty.StringVal(redact.Placeholder), nil
		case cty.Number:
			return cty.Zero, nil
		}
		return cty.False, nil
	})
	if err != nil {
		return cty.DynamicVal
	}
	return out
}

func underAny(p cty.Path, prefixes []cty.Path) bool {
	for _, pre := range prefixes {
		if p.HasPrefix(pre) {
			return true
		}
	}
	return false
}

// unmarkedValue drops every mark: the value decoded into Go.
func unmarkedValue(v cty.Value) cty.Value {
	out, _ := v.UnmarkDeep()
	return out
}

// secretSet gathers the sensitive texts met while loading a definition
// chain.
type secretSet map[string]bool

func (s secretSet) add(v cty.Value) {
	for _, t := range secretTexts(v) {
		s[t] = true
	}
}

// list returns the texts, sorted.
func (s secretSet) list() []string {
	out := make([]string, 0, len(s))
	for t := range s {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}

// scrubDiags replaces sensitive texts in the summary and detail of diags.
func scrubDiags(diags hcl.Diagnostics, sc *redact.Scrubber) hcl.Diagnostics {
	for _, d := range diags {
		d.Summary, d.Detail = sc.String(d.Summary), sc.String(d.Detail)
	}
	return diags
}
