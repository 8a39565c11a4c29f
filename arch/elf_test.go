package arch

import (
	"os"
	"testing"
)

func TestFromELFOfThisBinary(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(exe)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	head := make([]byte, 64)
	if _, err := f.Read(head); err != nil {
		t.Fatal(err)
	}
	if a := FromELF(head); a == nil || a != Host() {
		t.Errorf("FromELF(test binary) = %v, want %v", a, Host())
	}
	if a := FromELF([]byte("#!/bin/sh\n")); a != nil {
		t.Errorf("FromELF(a script) = %v", a)
	}
}

func TestFromELFTellsARMFloatABI(t *testing.T) {
	head := make([]byte, 64)
	copy(head, "\x7fELF\x01\x01\x01")
	head[18] = 0x28 // EM_ARM
	if a := FromELF(head); a == nil || a.Debian != "armel" {
		t.Errorf("soft-float ARM: %v, want armel", a)
	}
	head[37] = 0x04 // e_flags 0x400: EF_ARM_ABI_FLOAT_HARD
	if a := FromELF(head); a == nil || a.Debian != "armhf" {
		t.Errorf("hard-float ARM: %v, want armhf", a)
	}
}
