# The part of the official images that Debian and Ubuntu share: the image
# check list of the original Online Labs images, met by typed steps, and the
# helper programs under their original names. images/debian and
# images/ubuntu start from it (`from`) and add what differs per
# distribution: the suite, NTP pool, /etc/ocs-release and the clean-up.
# Build those, not this one.

variable "arch" {
  default     = "amd64"
  description = "Architecture of the image (images/debian and images/ubuntu pass theirs)"
}

variable "console" {
  default     = ""
  description = "Serial console of the login getty; empty: the architecture's (ttyS0 on amd64, ttyAMA0 on arm64 and armhf)"
}

image "common" {
  version     = "1"
  description = "Common part of the official images (build images/debian or images/ubuntu)"

  bootstrap {
    distribution = "debian"
    suite        = "trixie"
    variant      = "minbase"
    components   = ["main"]
    include = [
      # udev: minbase has none; without it no device unit appears and no
      # driver (the NIC's) loads.
      "systemd-sysv", "udev", "dbus", "openssh-server", "locales", "ifupdown",
      "isc-dhcp-client", "systemd-timesyncd", "curl", "ca-certificates",
      "nbd-client", "kmod", "iproute2", "iputils-ping", "netbase", "procps",
      "less", "vim-tiny",
    ]
  }

  # vm.min_free_kbytes: keeps memory free for the NBD root's network I/O
  # under pressure ("fix NBD stability" in the original).
  provision "sysctl" {
    values = { "vm.min_free_kbytes" = "65536" }
    file   = "/etc/sysctl.d/99-scaleway.conf"
  }

  # Public keys only, root by key only, no environment from clients (a
  # client's LC_* broke programs on servers lacking that locale).
  provision "ssh_server" {
    permit_root_login       = "prohibit-password"
    password_authentication = false
    pubkey_authentication   = true
    accept_env              = []
  }

  provision "locale" {
    default  = "en_US.UTF-8"
    generate = ["en_US.UTF-8"]
  }

  # The kernel already has its address from the platform; DHCP on eth0 runs
  # the hooks (the hostname one below) and renews the lease.
  provision "network" {
    interface "eth0" { dhcp = true }
  }

  # dhclient-script reads /etc/fstab on every lease (to wait for a
  # writable root); without the file dash exits, dhclient declines the
  # lease and ifup never returns. debootstrap writes this same stub.
  provision "file" {
    path    = "/etc/fstab"
    content = "# UNCONFIGURED FSTAB FOR BASE SYSTEM\n"
  }

  # A name until DHCP or the metadata gives the real one at boot.
  provision "hostname" {
    name = "server"
  }
  provision "hosts" {
    entries = { "127.0.1.1" = ["server"] }
  }

  # The helper programs, as files with explicit modes.
  provision "file" {
    path   = "/usr/local/bin/oc-metadata"
    source = "overlay/usr/local/bin/oc-metadata"
    mode   = "0755"
  }
  provision "file" {
    path   = "/usr/local/sbin/oc-fetch-ssh-keys"
    source = "overlay/usr/local/sbin/oc-fetch-ssh-keys"
    mode   = "0755"
  }
  provision "file" {
    path   = "/usr/local/sbin/oc-ssh-host-keys"
    source = "overlay/usr/local/sbin/oc-ssh-host-keys"
    mode   = "0755"
  }
  provision "file" {
    path   = "/usr/local/sbin/oc-sync-kernel-modules"
    source = "overlay/usr/local/sbin/oc-sync-kernel-modules"
    mode   = "0755"
  }
  provision "file" {
    path   = "/usr/local/sbin/oc-add-extra-volumes"
    source = "overlay/usr/local/sbin/oc-add-extra-volumes"
    mode   = "0755"
  }
  provision "file" {
    path   = "/etc/dhcp/dhclient-exit-hooks.d/hostname"
    source = "overlay/etc/dhcp/dhclient-exit-hooks.d/hostname"
    mode   = "0755"
  }
  # Runs last at poweroff and reboot: detaches the NBD volumes, root last.
  provision "file" {
    path   = "/lib/systemd/system-shutdown/oc-nbd-disconnect"
    source = "overlay/lib/systemd/system-shutdown/oc-nbd-disconnect"
    mode   = "0755"
  }
  provision "file" {
    path   = "/etc/systemd/system/oc-ssh-host-keys.service"
    source = "overlay/etc/systemd/system/oc-ssh-host-keys.service"
  }
  provision "file" {
    path   = "/etc/systemd/system/oc-fetch-ssh-keys.service"
    source = "overlay/etc/systemd/system/oc-fetch-ssh-keys.service"
  }
  provision "file" {
    path   = "/etc/systemd/system/oc-sync-kernel-modules.service"
    source = "overlay/etc/systemd/system/oc-sync-kernel-modules.service"
  }
  provision "file" {
    path   = "/etc/systemd/system/oc-add-extra-volumes.service"
    source = "overlay/etc/systemd/system/oc-add-extra-volumes.service"
  }

  provision "service" {
    enable = [
      "oc-ssh-host-keys.service",
      "oc-fetch-ssh-keys.service",
      "oc-sync-kernel-modules.service",
      "oc-add-extra-volumes.service",
      "networking.service",
      "systemd-timesyncd.service",
      "ssh.service",
    ]
  }

  # No gettys on tty1..tty6 (the servers have no screen); a getty on the
  # serial console at the platform's 9600 bps: the PC's first 16550
  # (ttyS0), an ARM virt machine's PL011 (ttyAMA0), or var.console.
  provision "console" {
    serial      = var.console != "" ? var.console : serial_console(var.arch)
    baud        = 9600
    disable_vts = true
  }

  output "tar" { path = "rootfs.tar" }
  output "squashfs" { path = "rootfs.sqsh" }
  # What is inside, published beside the image: the package list of the
  # cloud images' .manifest, and an SPDX 2.3 SBOM.
  output "manifest" { path = "rootfs.manifest" }
  output "manifest" {
    path   = "rootfs.spdx.json"
    format = "spdx-json"
  }
}
