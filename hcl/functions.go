package hcl

import (
	"fmt"
	"path/filepath"
	"time"

	"github.com/chrootbuild/chrootbuild/internal/epoch"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/tryfunc"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

// stdFuncs are the go-cty standard library functions, by their HCL names.
var stdFuncs = map[string]function.Function{
	"abs": stdlib.AbsoluteFunc, "ceil": stdlib.CeilFunc, "chomp": stdlib.ChompFunc,
	"chunklist": stdlib.ChunklistFunc, "coalesce": stdlib.CoalesceFunc,
	"coalescelist": stdlib.CoalesceListFunc, "compact": stdlib.CompactFunc,
	"concat": stdlib.ConcatFunc, "contains": stdlib.ContainsFunc, "csvdecode": stdlib.CSVDecodeFunc,
	"distinct": stdlib.DistinctFunc, "element": stdlib.ElementFunc, "flatten": stdlib.FlattenFunc,
	"floor": stdlib.FloorFunc, "format": stdlib.FormatFunc, "formatdate": stdlib.FormatDateFunc,
	"formatlist": stdlib.FormatListFunc, "indent": stdlib.IndentFunc, "index": stdlib.IndexFunc,
	"join": stdlib.JoinFunc, "jsondecode": stdlib.JSONDecodeFunc, "jsonencode": stdlib.JSONEncodeFunc,
	"keys": stdlib.KeysFunc, "length": stdlib.LengthFunc, "log": stdlib.LogFunc,
	"lookup": stdlib.LookupFunc, "lower": stdlib.LowerFunc, "max": stdlib.MaxFunc,
	"merge": stdlib.MergeFunc, "min": stdlib.MinFunc, "parseint": stdlib.ParseIntFunc,
	"pow": stdlib.PowFunc, "range": stdlib.RangeFunc, "regex": stdlib.RegexFunc,
	"regexall": stdlib.RegexAllFunc, "regex_replace": stdlib.RegexReplaceFunc,
	"replace": stdlib.ReplaceFunc, "reverse": stdlib.ReverseListFunc,
	"setintersection": stdlib.SetIntersectionFunc, "setproduct": stdlib.SetProductFunc,
	"setsubtract": stdlib.SetSubtractFunc, "setunion": stdlib.SetUnionFunc,
	"signum": stdlib.SignumFunc, "slice": stdlib.SliceFunc, "sort": stdlib.SortFunc,
	"split": stdlib.SplitFunc, "strrev": stdlib.ReverseFunc, "substr": stdlib.SubstrFunc,
	"timeadd": stdlib.TimeAddFunc, "title": stdlib.TitleFunc, "trim": stdlib.TrimFunc,
	"trimprefix": stdlib.TrimPrefixFunc, "trimspace": stdlib.TrimSpaceFunc,
	"trimsuffix": stdlib.TrimSuffixFunc, "upper": stdlib.UpperFunc, "values": stdlib.ValuesFunc,
	"zipmap": stdlib.ZipmapFunc, "try": tryfunc.TryFunc, "can": tryfunc.CanFunc,
}

// functions returns the function table for a definition whose folder is
// dir: the standard library plus file, templatefile, env, timestamp and
// serial_console.
func (l *Loader) functions(dir string) map[string]function.Function {
	fs := make(map[string]function.Function, len(stdFuncs)+4)
	for k, v := range stdFuncs {
		fs[k] = v
	}
	fs["file"] = l.fileFunc(dir)
	fs["env"] = l.envFunc()
	fs["timestamp"] = l.timestampFunc()
	fs["serial_console"] = serialConsoleFunc
	// templatefile sees the others but not itself: templates do not nest.
	fs["templatefile"] = l.templateFileFunc(dir, fs)
	return fs
}

func stringParam(name string) []function.Parameter {
	return []function.Parameter{{Name: name, Type: cty.String}}
}

// readRel reads name relative to dir.
func (l *Loader) readRel(dir, name string) ([]byte, error) {
	if !filepath.IsAbs(name) {
		name = filepath.Join(dir, name)
	}
	b, err := l.readLimited(name)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", name, unwrapPath(err))
	}
	return b, nil
}

func (l *Loader) fileFunc(dir string) function.Function {
	return function.New(&function.Spec{
		Params: stringParam("path"),
		Type:   function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			b, err := l.readRel(dir, args[0].AsString())
			if err != nil {
				return cty.NilVal, err
			}
			v := cty.StringVal(string(b))
			if looksLikeCredentialFile(args[0].AsString()) {
				v = markSensitive(v)
			}
			return v, nil
		},
	})
}

func (l *Loader) envFunc() function.Function {
	return function.New(&function.Spec{
		Params: stringParam("name"),
		Type:   function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			v := cty.StringVal(l.env[args[0].AsString()])
			if looksLikeCredentialEnv(args[0].AsString()) {
				v = markSensitive(v)
			}
			return v, nil
		},
	})
}

// timestampFunc returns the build time in RFC 3339, UTC; with
// SOURCE_DATE_EPOCH set it returns that instant, for reproducible builds.
func (l *Loader) timestampFunc() function.Function {
	return function.New(&function.Spec{
		Type: function.StaticReturnType(cty.String),
		Impl: func([]cty.Value, cty.Type) (cty.Value, error) {
			t := time.Now()
			sec, set, err := epoch.Parse(l.env[epoch.Var])
			if err != nil {
				return cty.NilVal, err
			}
			if set {
				t = time.Unix(sec, 0)
			}
			return cty.StringVal(t.UTC().Format(time.RFC3339)), nil
		},
	})
}

// templateFileFunc renders a template file with HCL template syntax; the
// template sees only the vars passed to it and the functions.
func (l *Loader) templateFileFunc(dir string, funcs map[string]function.Function) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{
			{Name: "path", Type: cty.String},
			{Name: "vars", Type: cty.DynamicPseudoType},
		},
		Type: function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			name := args[0].AsString()
			src, err := l.readRel(dir, name)
			if err != nil {
				return cty.NilVal, err
			}
			vars := args[1]
			if !vars.Type().IsObjectType() && !vars.Type().IsMapType() {
				return cty.NilVal, function.NewArgErrorf(1, "vars must be an object or a map")
			}
			diags := checkSource(src, name, hcl.InitialPos, templateSource)
			if diags.HasErrors() {
				return cty.NilVal, fmt.Errorf("parsing template %s: %s", name, diags.Error())
			}
			expr, diags := hclsyntax.ParseTemplate(src, name, hcl.InitialPos)
			if diags.HasErrors() {
				return cty.NilVal, fmt.Errorf("parsing template %s: %s", name, diags.Error())
			}
			ctx := &hcl.EvalContext{Variables: vars.AsValueMap(), Functions: funcs}
			v, diags := expr.Value(ctx)
			if diags.HasErrors() {
				return cty.NilVal, fmt.Errorf("rendering template %s: %s", name, diags.Error())
			}
			if looksLikeCredentialFile(name) {
				v = markSensitive(v)
			}
			return v, nil
		},
	})
}
