image "debian" {
  bootstrap {
    distribution = "fedora"
    suite        = "bookworm"
    arch         = "x86_64"
    variant      = "tiny"
  }

  provision "file" {
    path    = "etc/motd"
    content = "hello"
    mode    = "0999"
    owner   = "Root"
  }
  provision "directory" {
    path = "/srv/../etc"
    mode = "rwxr-xr-x"
  }
  provision "service" {
    enable  = ["ssh.service", "../../etc/passwd.service"]
    disable = ["getty@tty1.service", "foo/bar.service"]
    mask    = ["apache2..conf"]
  }
  provision "user" {
    name   = "Admin User"
    groups = ["sudo", "wheel!"]
  }
  provision "hostname" { name = "-bad-" }
  provision "timezone" { zone = "../../etc/shadow" }

  output "tar" {
    path        = "rootfs.tar"
    compression = "rar"
  }
  output "squashfs" {
    path  = "/abs/rootfs.sqsh"
    level = -3
  }
}
