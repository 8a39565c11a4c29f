// Command init is the /init of the initramfs that TestCpioBootsInitramfs
// boots: it checks what the kernel unpacked from our cpio, prints one
// line per check to the console and powers the machine off.
package main

import (
	"fmt"
	"os"
	"syscall"
)

func check(path string, uid, gid, mode, nlink uint32) {
	var st syscall.Stat_t
	if err := syscall.Lstat(path, &st); err != nil {
		fmt.Printf("CHECK %s FAIL %v\n", path, err)
		return
	}
	got := fmt.Sprintf("uid=%d gid=%d mode=%o nlink=%d", st.Uid, st.Gid, st.Mode, st.Nlink)
	want := fmt.Sprintf("uid=%d gid=%d mode=%o nlink=%d", uid, gid, mode, nlink)
	if got != want {
		fmt.Printf("CHECK %s FAIL %s, want %s\n", path, got, want)
		return
	}
	fmt.Printf("CHECK %s OK\n", path)
}

func main() {
	check("/etc/hostname", 1000, 1000, 0o100644, 1)
	check("/bin/su", 0, 0, 0o104755, 1)
	check("/bin/ping4", 0, 0, 0o100644, 3)
	check("/etc/ssh/key", 0, 101, 0o100600, 1)
	check("/tmp", 0, 0, 0o41777, 2)
	b, err := os.ReadFile("/usr/ping6")
	fmt.Printf("CONTENT %q %v\n", b, err)
	fmt.Println("INITRAMFS DONE")
	syscall.Sync()
	syscall.Reboot(syscall.LINUX_REBOOT_CMD_POWER_OFF)
}
