package epoch

import "testing"

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		in      string
		v       int64
		set, ok bool
	}{
		{"", 0, false, true}, {"0", 0, true, true}, {"1700000000", 1700000000, true, true},
		{"-1", 0, false, false}, {"1.5", 0, false, false}, {"soon", 0, false, false}, {" 1", 0, false, false},
	} {
		v, set, err := Parse(tc.in)
		if v != tc.v || set != tc.set || (err == nil) != tc.ok {
			t.Errorf("Parse(%q) = %d, %v, %v", tc.in, v, set, err)
		}
	}
	t.Setenv(Var, "bad")
	if _, err := Now(); err == nil {
		t.Error("Now accepted a bad SOURCE_DATE_EPOCH")
	}
	t.Setenv(Var, "86400")
	if now, err := Now(); err != nil || now.Unix() != 86400 {
		t.Errorf("Now = %v, %v", now, err)
	}
}
