# The host itself. Replace these placeholders with your machine's real settings
# (or import your existing configuration.nix instead).
{
  boot.loader.grub.device = "nodev";
  fileSystems."/" = {
    device = "/dev/disk/by-label/nixos";
    fsType = "ext4";
  };
  system.stateVersion = "25.05";
}
