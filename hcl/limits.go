package hcl

import (
	"fmt"
	"io/fs"
	"math/big"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// Limits on what a definition may ask of the loader: past them the parser
// would overflow its stack, memory would run out, or printing a number
// would take minutes. Each is far above what a real definition needs.
const (
	// MaxNesting bounds how deeply brackets, parentheses, braces, quotes,
	// template interpolations and unary operators may nest.
	MaxNesting = 256
	// MaxFileSize bounds the files file() and templatefile() read, and
	// the definition and variable files themselves.
	MaxFileSize = 64 << 20
	// MaxExponent bounds the decimal exponent of a number: 1e1000 is
	// accepted, 1e1001 refused.
	MaxExponent = 1000
)

// sourceKind says how a piece of source is lexed.
type sourceKind int

const (
	configSource sourceKind = iota
	exprSource
	templateSource
)

// checkSource refuses, before it is parsed, source that nests deeper than
// MaxNesting or holds a number past MaxExponent: the parser is recursive
// and big numbers print slowly.
func checkSource(src []byte, filename string, start hcl.Pos, kind sourceKind) hcl.Diagnostics {
	var toks hclsyntax.Tokens
	switch kind {
	case exprSource:
		toks, _ = hclsyntax.LexExpression(src, filename, start)
	case templateSource:
		toks, _ = hclsyntax.LexTemplate(src, filename, start)
	default:
		toks, _ = hclsyntax.LexConfig(src, filename, start)
	}
	depth, unary := 0, 0
	for _, t := range toks {
		switch t.Type {
		case hclsyntax.TokenOBrace, hclsyntax.TokenOBrack, hclsyntax.TokenOParen, hclsyntax.TokenOQuote,
			hclsyntax.TokenOHeredoc, hclsyntax.TokenTemplateInterp, hclsyntax.TokenTemplateControl:
			depth++
		case hclsyntax.TokenCBrace, hclsyntax.TokenCBrack, hclsyntax.TokenCParen, hclsyntax.TokenCQuote,
			hclsyntax.TokenCHeredoc, hclsyntax.TokenTemplateSeqEnd:
			depth = max(depth-1, 0)
		case hclsyntax.TokenNumberLit:
			if d := checkNumberText(string(t.Bytes), t.Range.Ptr()); d != nil {
				return d
			}
		}
		if t.Type == hclsyntax.TokenBang || t.Type == hclsyntax.TokenMinus {
			unary++
		} else {
			unary = 0
		}
		if depth+unary > MaxNesting {
			return diagErr("Expression nested too deeply",
				fmt.Sprintf("Brackets, braces, parentheses, quotes, interpolations and unary operators nest more than %d levels deep here.", MaxNesting),
				t.Range.Ptr())
		}
	}
	return nil
}

// checkNumberText refuses a number literal whose exponent is past
// MaxExponent, or whose digits alone make it so.
func checkNumberText(s string, rng *hcl.Range) hcl.Diagnostics {
	mant, exp, _ := strings.Cut(strings.ToLower(s), "e")
	intPart, _, _ := strings.Cut(mant, ".")
	digits := len(strings.TrimLeft(intPart, "0"))
	var e big.Int
	if exp != "" {
		if _, ok := e.SetString(strings.TrimPrefix(exp, "+"), 10); !ok {
			return nil // the parser reports it
		}
	}
	limit := big.NewInt(MaxExponent)
	if e.CmpAbs(limit) > 0 || digits > MaxExponent || len(s) > 4*MaxExponent {
		shown := s
		if len(shown) > 40 {
			shown = shown[:20] + "…" + shown[len(shown)-10:]
		}
		return diagErr("Number out of range",
			fmt.Sprintf("The number %s is too large or too small: numbers are limited to exponents of ±%d.", shown, MaxExponent), rng)
	}
	return nil
}

// checkNumbers refuses a value holding a number past MaxExponent (a
// variable set from outside as a string, a decoded JSON document).
func checkNumbers(v cty.Value) error {
	var bad error
	cty.Walk(v, func(_ cty.Path, v cty.Value) (bool, error) {
		v, _ = v.Unmark()
		if bad == nil && v.IsKnown() && !v.IsNull() && v.Type() == cty.Number {
			// 3322 binary digits are about 1000 decimal ones.
			if f := v.AsBigFloat(); !f.IsInf() && f.Sign() != 0 && (f.MantExp(nil) > 3322 || f.MantExp(nil) < -3322) {
				bad = fmt.Errorf("a number is too large or too small: numbers are limited to exponents of ±%d", MaxExponent)
			}
		}
		return bad == nil, nil
	})
	return bad
}

// readLimited reads a file the definition names, refusing anything but a
// regular file and files over MaxFileSize.
func (l *Loader) readLimited(name string) ([]byte, error) {
	fi, err := l.stat(name)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, &fs.PathError{Op: "read", Path: name, Err: fmt.Errorf("not a regular file (%s)", fileType(fi.Mode()))}
	}
	if fi.Size() > MaxFileSize {
		return nil, &fs.PathError{Op: "read", Path: name,
			Err: fmt.Errorf("%d bytes, over the limit of %d (64 MiB)", fi.Size(), MaxFileSize)}
	}
	b, err := l.readFile(name)
	if err == nil && len(b) > MaxFileSize {
		return nil, &fs.PathError{Op: "read", Path: name, Err: fmt.Errorf("over the limit of %d bytes (64 MiB)", MaxFileSize)}
	}
	return b, err
}

// fileType names a file's type for messages.
func fileType(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a folder"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a block device"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	}
	return "not regular"
}
