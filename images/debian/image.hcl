# The official Debian image: Debian with the platform's init scripts and
# common packages, meeting the whole image check list (see
# ../common/image.hcl for the shared part).
#
#   chrootbuild build images/debian          # trixie (Debian 13, stable)
#   chrootbuild build --var suite=bookworm --var arch=arm64 images/debian

variable "suite" {
  default     = "trixie"
  description = "Debian suite"
  validation {
    condition     = contains(["bookworm", "trixie"], var.suite)
    error_message = "Supported suites: bookworm, trixie."
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
  default     = "http://deb.debian.org/debian"
  description = "Debian mirror the image is bootstrapped from"
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
  codename = "debian-${var.suite}"
  release  = var.release != "" ? var.release : formatdate("YYYY-MM-DD", timestamp())
}

image "debian" {
  from        = "../common/image.hcl"
  version     = var.suite
  description = "Debian with init scripts and common packages"

  bootstrap {
    distribution = "debian"
    suite        = var.suite
    arch         = var.arch
    mirror       = var.mirror
    components   = ["main"]
  }

  # The internal server first; Debian's pool when it cannot be reached.
  provision "ntp" {
    servers  = [var.ntp_server]
    fallback = ["0.debian.pool.ntp.org", "1.debian.pool.ntp.org", "2.debian.pool.ntp.org", "3.debian.pool.ntp.org"]
  }

  provision "file" {
    path    = "/etc/ocs-release"
    content = <<-EOT
      IMAGE_ID="Debian ${title(var.suite)}"
      IMAGE_RELEASE=${local.release}
      IMAGE_CODENAME=${local.codename}
      IMAGE_DESCRIPTION="Debian with init scripts and common packages"
      IMAGE_DOC_URL="https://www.debian.org/doc/"
      IMAGE_HELP_URL="https://www.debian.org/support"
      IMAGE_SOURCE_URL="https://github.com/chrootbuild/chrootbuild/tree/main/images/debian"
    EOT
  }

  # First boot starts clean: host keys and machine-id made there, no
  # package lists or caches, no DHCP leases, logs or resolv.conf from the
  # build host, no shell history.
  provision "cleanup" {}
}
