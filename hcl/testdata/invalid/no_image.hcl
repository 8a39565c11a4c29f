variable "suite" { default = "bookworm" }
