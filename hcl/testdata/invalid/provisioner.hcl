provisioner "sysctl" {
  values = { "vm.swappiness" = "10" }
}

version = "1"

image "debian" {
  bootstrap { suite = "bookworm" }

  provisioner "hostname" {
    name = "server"
  }
  outputs "tar" { path = "rootfs.tar" }
}
