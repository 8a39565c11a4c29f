image "debian" {
  version     = file("no-such-file.txt")
  description = templatefile("no-such.tmpl", {})
  bootstrap { suite = join(",", "bookworm") }
  provision "hostname" { name = lower(42, 43) }
}
