# Two steps try the same TCP connection to a listener on the host's
# loopback: the first shares the host's network, the second has
# network = false. Each writes what it got into the image.
variable "port" {}

image "networktest" {
  version = "test"

  bootstrap {
    distribution = "debian"
    suite        = "bookworm"
    arch         = "amd64"
    variant      = "minbase"
  }

  provision "exec" {
    argv = ["bash", "-c", "if exec 3<>/dev/tcp/127.0.0.1/${var.port}; then echo connected; else echo refused; fi > /etc/online"]
  }

  provision "exec" {
    argv    = ["bash", "-c", "if exec 3<>/dev/tcp/127.0.0.1/${var.port}; then echo connected; else echo refused; fi > /etc/offline"]
    network = false
  }

  output "tar" {
    path = "rootfs.tar"
  }
}
