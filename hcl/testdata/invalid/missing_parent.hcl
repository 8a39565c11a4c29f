image "child" {
  from = "../no-such-image"
  provision "hostname" { name = "child" }
}
