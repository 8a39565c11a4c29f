variable "suite" {
  default = "sid"
  validation {
    condition     = contains(["bookworm", "trixie"], var.suite)
    error_message = "Supported suites: bookworm, trixie."
  }
}

variable "size" {
  type    = number
  default = "big"
}

variable "packages" {
  type    = list(string)
  default = "curl"
}

variable "bad" {
  type = lst(string)
}

image "debian" {
  version = var.suite
  bootstrap { suite = var.suite }
  provision "hostname" { name = "server" }
}
