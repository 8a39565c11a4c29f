package arch

import (
	"debug/elf"
	"encoding/binary"
)

// parseELF reads the class, machine, byte order and ARM float ABI of an
// ELF header by hand: debug/elf wants the whole file, to reach the section
// headers at its end.
func parseELF(head []byte) (ELF, bool) {
	if len(head) < 52 || string(head[:4]) != elf.ELFMAG {
		return ELF{}, false
	}
	e := ELF{Class: elf.Class(head[elf.EI_CLASS])}
	var order binary.ByteOrder = binary.LittleEndian
	if elf.Data(head[elf.EI_DATA]) == elf.ELFDATA2MSB {
		order, e.BigEndian = binary.BigEndian, true
	}
	e.Machine = elf.Machine(order.Uint16(head[18:20]))
	if e.Class == elf.ELFCLASS32 && e.Machine == elf.EM_ARM {
		e.HardFloat = order.Uint32(head[36:40])&0x400 != 0 // e_flags: EF_ARM_ABI_FLOAT_HARD
	}
	return e, true
}
