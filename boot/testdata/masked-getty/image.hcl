# The official Debian image with the serial getty masked: no login prompt
# appears on ttyS0, so boot must fail its console check.
image "masked-getty" {
  from = "../../../images/debian/image.hcl"

  provision "service" {
    mask = ["serial-getty@ttyS0.service"]
  }

  output "tar" {
    path = "rootfs.tar"
  }
}
