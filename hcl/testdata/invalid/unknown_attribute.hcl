image "debian" {
  bootstrap {
    distribution = "debian"
    sute         = "bookworm"
    arch         = "amd64"
  }
  provision "hostname" {
    name = "server"
    nmae = "other"
  }
  output "tar" {
    path     = "rootfs.tar"
    compress = "gzip"
  }
}
