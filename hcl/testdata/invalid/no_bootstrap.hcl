image "debian" {
  provision "hostname" { name = "server" }
  bootstrap { arch = "arm64" }
}
