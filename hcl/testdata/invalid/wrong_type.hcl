image "debian" {
  bootstrap {
    suite   = "bookworm"
    include = "openssh-server"
  }
  provision "sysctl" {
    values = ["vm.swappiness=10"]
  }
  provision "packages" {
    install    = ["curl"]
    recommends = "maybe"
  }
  provision "user" {
    name = "admin"
    uid  = "one thousand"
  }
  output "tar" { path = ["rootfs.tar"] }
}
