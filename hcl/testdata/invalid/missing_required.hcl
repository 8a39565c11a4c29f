variable "suite" {}

image {
  bootstrap { suite = var.suite }
}

image "debian" {
  bootstrap { suite = "bookworm" }
  provision "hostname" {}
  provision "symlink" { path = "/etc/localtime" }
  provision {}
  output "tar" {}
}
