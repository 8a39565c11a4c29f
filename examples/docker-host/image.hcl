# An unofficial image built on the official one, as the original's users
# did: the Debian image plus Docker from Debian's own docker.io package.
#
#   chrootbuild build examples/docker-host

image "docker-host" {
  from        = "../../images/debian/image.hcl"
  version     = "1"
  description = "Debian with Docker (docker.io)"

  provision "packages" {
    install = ["docker.io"]
  }

  provision "service" {
    enable = ["docker.service"]
  }

  provision "cleanup" {}
}
