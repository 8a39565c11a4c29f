package hcl

import (
	"github.com/chrootbuild/chrootbuild/arch"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// serialConsoleFunc is serial_console(arch): the serial console device of
// the machine an image of that Debian architecture boots on (ttyS0 on a
// PC, ttyAMA0 on an ARM virt machine), from the table of package arch.
var serialConsoleFunc = function.New(&function.Spec{
	Params: stringParam("arch"),
	Type:   function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		a, err := arch.Lookup(args[0].AsString())
		if err != nil {
			return cty.NilVal, function.NewArgError(0, err)
		}
		if a.System == nil {
			return cty.NilVal, function.NewArgErrorf(0, "chrootbuild boots no %s machine", a.Debian)
		}
		return cty.StringVal(a.System.Console), nil
	},
})
