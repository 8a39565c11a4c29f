variable "suite" { default = "bookworm" }

locals {
  name = "debian-${var.sutie}"
  tag  = local.nmae
}

image "debian" {
  version     = uper(var.suite)
  description = missing.thing
  bootstrap { suite = var.suite }
  provision "hostname" { name = local.hostname }
}
