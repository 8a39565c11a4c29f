# The rescue image: the official Debian image plus the rescue tools of the
# original, booted entirely from RAM. Its main output is a cpio initramfs
# holding the whole system; the kernel unpacks it and runs /init, which
# hands over to systemd. No disk is needed, so the server's disks are free
# to repair.
#
#   chrootbuild build images/rescue

locals {
  release = formatdate("YYYY-MM-DD", timestamp())
}

image "rescue" {
  from        = "../debian/image.hcl"
  description = "Rescue system running from RAM, with disk, network and memory tools"

  provision "packages" {
    install = [
      "busybox", "parted", "lvm2", "rsync", "memtester", "iperf3",
      "e2fsprogs", "dosfstools", "debootstrap", "gdisk", "xfsprogs",
      "mdadm", "pciutils", "ethtool", "tcpdump", "strace",
    ]
  }

  # No fstab entry: the root is the RAM filesystem the kernel made.
  provision "file" {
    path    = "/etc/fstab"
    content = "# The rescue system runs from RAM; nothing to mount.\n"
  }

  provision "file" {
    path    = "/etc/ocs-release"
    content = <<-EOT
      IMAGE_ID="Rescue"
      IMAGE_RELEASE=${local.release}
      IMAGE_CODENAME=rescue
      IMAGE_DESCRIPTION="Rescue system running from RAM, with disk, network and memory tools"
      IMAGE_DOC_URL="https://github.com/chrootbuild/chrootbuild/tree/main/images/rescue"
      IMAGE_HELP_URL="https://github.com/chrootbuild/chrootbuild/issues"
      IMAGE_SOURCE_URL="https://github.com/chrootbuild/chrootbuild/tree/main/images/rescue"
    EOT
  }

  provision "file" {
    path   = "/init"
    source = "init"
    mode   = "0755"
  }

  # Installing packages brought lists and logs back.
  provision "cleanup" {}

  output "cpio" {
    path        = "rescue.cpio.gz"
    compression = "gzip"
  }
  output "tar" { path = "rootfs.tar" }
  output "manifest" { path = "rescue.manifest" }
  output "manifest" {
    path   = "rescue.spdx.json"
    format = "spdx-json"
  }
}
