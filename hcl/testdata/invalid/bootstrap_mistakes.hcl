# Every mistake of a block is reported even when its body fails to decode
# (a misspelt attribute), and a second bootstrap block does not hide the
# first one's mistakes.
image "debian" {
  bootstrap {
    sute         = "bookworm"
    arch         = "x86_64"
    distribution = "fedora"
    variant      = "tiny"
  }
  bootstrap {
    suite   = "bookworm"
    variant = "huge"
  }

  provision "file" {
    pth  = "/etc/motd"
    mode = "0999"
  }

  output "tar" {
    pth         = "rootfs.tar"
    compression = "lzma"
  }
}
