# The official Ubuntu image: Ubuntu with the platform's init scripts and
# common packages, meeting the whole image check list (see
# ../common/image.hcl for the shared part).
#
#   chrootbuild build images/ubuntu
#   chrootbuild build --var suite=jammy --var arch=arm64 images/ubuntu

variable "suite" {
  default     = "noble"
  description = "Ubuntu release"
  validation {
    condition     = contains(["noble", "jammy"], var.suite)
    error_message = "Supported suites: noble, jammy."
  }
}

variable "arch" {
  default     = "amd64"
  description = "Architecture of the image"
  validation {
    condition     = contains(["amd64", "arm64", "armhf"], var.arch)
    error_message = "Supported architectures: amd64, arm64, armhf."
  }
}

variable "console" {
  default     = ""
  description = "Serial console of the login getty; empty: the architecture's (ttyS0 on amd64, ttyAMA0 on arm64 and armhf)"
}

variable "mirror" {
  default     = ""
  description = "Ubuntu mirror; empty means archive.ubuntu.com for amd64, ports.ubuntu.com otherwise"
}

variable "ntp_server" {
  default     = "ntp.int.cloud.online.net"
  description = "The platform's internal NTP server"
}

variable "release" {
  default     = ""
  description = "IMAGE_RELEASE of /etc/ocs-release; empty means the build date (SOURCE_DATE_EPOCH honoured)"
}

locals {
  versions = { noble = "24.04", jammy = "22.04" }
  mirror = (var.mirror != "" ? var.mirror :
  var.arch == "amd64" ? "http://archive.ubuntu.com/ubuntu" : "http://ports.ubuntu.com/ubuntu-ports")
  codename = "ubuntu-${var.suite}"
  release  = var.release != "" ? var.release : formatdate("YYYY-MM-DD", timestamp())
}

image "ubuntu" {
  from        = "../common/image.hcl"
  version     = local.versions[var.suite]
  description = "Ubuntu with init scripts and common packages"

  bootstrap {
    distribution = "ubuntu"
    suite        = var.suite
    arch         = var.arch
    mirror       = local.mirror
    # ifupdown is in universe since 23.04.
    components = ["main", "universe"]
  }

  # The internal server first; Ubuntu's pool when it cannot be reached.
  provision "ntp" {
    servers  = [var.ntp_server]
    fallback = ["ntp.ubuntu.com"]
  }

  provision "file" {
    path    = "/etc/ocs-release"
    content = <<-EOT
      IMAGE_ID="Ubuntu ${local.versions[var.suite]} (${title(var.suite)})"
      IMAGE_RELEASE=${local.release}
      IMAGE_CODENAME=${local.codename}
      IMAGE_DESCRIPTION="Ubuntu with init scripts and common packages"
      IMAGE_DOC_URL="https://help.ubuntu.com/"
      IMAGE_HELP_URL="https://ubuntu.com/support"
      IMAGE_SOURCE_URL="https://github.com/chrootbuild/chrootbuild/tree/main/images/ubuntu"
    EOT
  }

  # Ubuntu starts sshd from ssh.socket since 22.10; the image runs
  # ssh.service at boot (after the key units), and both would want port 22.
  provision "service" {
    disable = ["ssh.socket"]
  }

  provision "cleanup" {}
}
