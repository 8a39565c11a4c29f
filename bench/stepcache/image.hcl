# The step cache benchmark's definition (issue: step cache): a minbase
# bootstrap, a packages step and a file step whose content a variable sets.
variable "motd" {
  default = "one"
}

image "stepcache-bench" {
  version = "bench"

  bootstrap {
    distribution = "debian"
    suite        = "bookworm"
    variant      = "minbase"
  }

  provision "packages" {
    install = ["openssh-server", "less", "curl"]
  }

  provision "file" {
    path    = "/etc/motd"
    content = "${var.motd}\n"
  }

  output "tar" {
    path = "rootfs.tar"
  }
}
