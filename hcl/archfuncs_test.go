package hcl

import (
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"
)

func TestSerialConsoleFunc(t *testing.T) {
	for a, want := range map[string]string{"amd64": "ttyS0", "arm64": "ttyAMA0", "armhf": "ttyAMA0"} {
		v, err := serialConsoleFunc.Call([]cty.Value{cty.StringVal(a)})
		if err != nil || v.AsString() != want {
			t.Errorf("serial_console(%q) = %#v, %v; want %s", a, v, err, want)
		}
	}
	if _, err := serialConsoleFunc.Call([]cty.Value{cty.StringVal("vax")}); err == nil || !strings.Contains(err.Error(), `"vax"`) {
		t.Errorf("serial_console(vax): %v", err)
	}
}
