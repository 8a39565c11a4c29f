image "b" {
  from = "cycle_a.hcl"
  provision "hostname" { name = "b" }
}
