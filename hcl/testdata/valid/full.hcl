# A definition that uses every part of the language.
variable "suite" {
  type    = string
  default = "bookworm"
  validation {
    condition     = contains(["bookworm", "trixie"], var.suite)
    error_message = "Supported suites: bookworm, trixie."
  }
}

variable "extra_packages" {
  type        = list(string)
  default     = ["curl"]
  description = "Packages installed on top of the base set."
}

variable "root_key" {
  default   = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBExample root@example"
  sensitive = true
}

locals {
  name     = "debian-${var.suite}"
  packages = concat(["openssh-server", "systemd-sysv"], var.extra_packages)
  motd     = upper(local.name)
}

image "debian" {
  version     = var.suite
  description = format("Debian %s with %d extra packages", title(var.suite), length(var.extra_packages))

  bootstrap {
    distribution = "debian"
    suite        = var.suite
    arch         = "amd64"
    variant      = "minbase"
    mirror       = "http://deb.debian.org/debian"
    components   = ["main"]
    include      = local.packages
    exclude      = []
  }

  provision "sysctl" {
    values = { "vm.min_free_kbytes" = "65536" }
  }

  provision "file" {
    path    = "/etc/motd"
    content = "${local.motd}\n"
    mode    = "0644"
  }

  provision "file" {
    path     = "/etc/issue.net"
    template = "issue.tmpl"
    vars     = { name = local.name }
  }

  provision "user" {
    name            = "admin"
    groups          = ["sudo"]
    shell           = "/bin/bash"
    authorized_keys = [var.root_key]
  }

  provision "service" {
    enable = ["ssh.service"]
  }

  provision "cleanup" {}

  output "tar" { path = "rootfs.tar" }
  output "squashfs" {
    path        = "rootfs.sqsh"
    compression = "zstd"
  }

  publish {
    s3       = "s3://images/debian/"
    registry = "registry.example.com/images/debian"
    latest   = true
    tags     = [var.suite]
  }
}
