image "debian" {
  bootstrap { suite = "bookworm" }

  provision "network" {
    interface "eth0" { dhcp = true }
    interface "eth1" {
      address = "192.0.2.300/24"
    }
    interface "eth2" {
      dhcp    = true
      address = "192.0.2.10/24"
    }
  }
  provision "network" {
    interface "eth0" {
      address = "192.0.2.10/24"
      gatway  = "192.0.2.1"
    }
  }
  provision "network" {}
  provision "hosts" {
    entries = { "not-an-ip" = ["server"] }
  }
}
