# A second file of the same definition: variables may live beside image.hcl.
variable "motd" {
  type    = string
  default = "hello"
}
