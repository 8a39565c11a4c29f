# Inherits everything from ../full.hcl, overrides the suite (through the
# parent's variable of the same name) and the architecture, adds a step
# and replaces the outputs.
variable "suite" { default = "trixie" }

image "debian-arm" {
  from = "../full.hcl"

  bootstrap {
    arch = "arm64"
  }

  provision "hostname" { name = "arm-${var.suite}" }

  output "directory" { path = "rootfs" }
}
