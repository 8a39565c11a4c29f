# images/debian with one more package: the newer image of bench/diff.sh.
image "debian" {
  from = "../../images/debian/image.hcl"

  provision "packages" {
    install = ["tree"]
  }
}
