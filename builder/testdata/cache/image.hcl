# A small definition for the step cache tests: a minbase bootstrap and
# four cheap steps, each of which a test changes in turn.
variable "last" {
  default = "one"
}

variable "sleep" {
  default = "0"
}

image "cachetest" {
  version = "test"

  bootstrap {
    distribution = "debian"
    suite        = "bookworm"
    arch         = "amd64"
    variant      = "minbase"
  }

  provision "file" {
    path    = "/etc/first"
    content = "first\n"
  }

  provision "copy" {
    source      = "files/data.txt"
    destination = "/srv/data.txt"
  }

  provision "exec" {
    argv = ["sleep", var.sleep]
  }

  provision "file" {
    path    = "/etc/last"
    content = "${var.last}\n"
  }

  output "tar" {
    path = "rootfs.tar"
  }
  output "manifest" {
    path   = "rootfs.spdx.json"
    format = "spdx-json"
  }
}
