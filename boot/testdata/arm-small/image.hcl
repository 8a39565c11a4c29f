# A small image that the arm64 VM of TestBootOfficialDebianARM/arm64 builds natively,
# for arm64 and for armhf (in the CPU's 32-bit mode).

variable "arch" {
  description = "Architecture of the image"
}

variable "mirror" {
  description = "Debian mirror (inside the test's VM: the host's proxy)"
  default     = "http://deb.debian.org/debian"
}

image "small" {
  version     = "1"
  description = "minbase with a few typed steps, built on an ARM host"

  bootstrap {
    suite   = "bookworm"
    variant = "minbase"
    arch    = var.arch
    mirror  = var.mirror
  }

  provision "file" {
    path    = "/etc/motd"
    content = "built on an ARM host by chrootbuild\n"
  }

  provision "directory" {
    path = "/srv/data"
    mode = "0750"
  }

  # What the build's commands saw as the machine: aarch64 for arm64,
  # armv8l (PER_LINUX32) for armhf.
  provision "exec" {
    argv = ["sh", "-c", "uname -m > /etc/build-machine"]
  }

  output "tar" { path = "rootfs.tar" }
}
