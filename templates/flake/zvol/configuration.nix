# The host itself. Replace these placeholders with your machine's real settings
# (or import your existing configuration.nix instead).
{
  boot.loader.grub.device = "nodev";
  fileSystems."/" = {
    device = "/dev/disk/by-label/nixos";
    fsType = "ext4";
  };
  # ZFS: the zvols live in the pool "tank", which must be imported at boot.
  boot.supportedFilesystems = [ "zfs" ];
  boot.zfs.extraPools = [ "tank" ];
  networking.hostId = "8425e349";
  system.stateVersion = "25.05";
}
