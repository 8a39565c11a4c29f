# The official Debian image with an sshd drop-in holding an option sshd
# does not know: sshd refuses to start, so boot must fail its SSH check.
image "broken-sshd" {
  from = "../../../images/debian/image.hcl"

  provision "file" {
    path    = "/etc/ssh/sshd_config.d/00-broken.conf"
    content = "NoSuchOption yes\n"
  }

  output "tar" {
    path = "rootfs.tar"
  }
}
