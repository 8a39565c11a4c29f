image "a" {
  from = "cycle_b.hcl"
  bootstrap { suite = "bookworm" }
}
