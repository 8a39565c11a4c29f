image "child" {
  from = "empty_parent"
  provision "hostname" { name = "child" }
}
