image "debian" {
  bootstrap { suite = "bookworm" }

  provision "sysctll" {
    values = { "vm.swappiness" = "10" }
  }
  provision "apt-source" {
    name = "x"
  }
  provision "teleport" {}

  output "squash" { path = "rootfs.sqsh" }
  output "tar" { path = "rootfs.tar" }
}
