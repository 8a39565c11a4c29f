locals {
  a = "${local.b}-x"
  b = "${local.a}-y"
  c = local.c
}

image "debian" {
  bootstrap { suite = "bookworm" }
}
