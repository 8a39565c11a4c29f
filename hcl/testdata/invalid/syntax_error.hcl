image "debian" {
  version = "1"
  bootstrap {
    suite = "bookworm"
  
  output "tar" { path = "rootfs.tar" }
}
