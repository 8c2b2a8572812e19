# Every host. Replace these placeholders with your machines' real settings (or import your existing
# configuration.nix from hosts/<name>.nix instead).
{
  boot.loader.grub.device = "nodev";
  fileSystems."/" = {
    device = "/dev/disk/by-label/nixos";
    fsType = "ext4";
  };
  # The deployment tools log in as root over SSH.
  services.openssh.enable = true;
  users.users.root.openssh.authorizedKeys.keys = [
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIxpduW1QQQVvekIvU3uFd+xZ6nIc/xLuKgfbyq0SKkY admin@laptop"
  ];
  system.stateVersion = "25.05";
}
