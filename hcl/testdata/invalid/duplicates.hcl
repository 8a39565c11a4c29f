variable "suite" { default = "bookworm" }
variable "suite" { default = "trixie" }

locals { a = 1 }
locals { a = 2 }

image "debian" {
  bootstrap { suite = var.suite }
  bootstrap { suite = "trixie" }

  output "tar" { path = "rootfs.tar" }
  output "tar" {
    path        = "./rootfs.tar"
    compression = "gzip"
  }
  output "directory" { path = "rootfs" }
  output "squashfs" { path = "rootfs" }
}

image "other" {
  bootstrap { suite = "bookworm" }
}
