# Host alpha: its own hardware and settings. Its MicroVMs and its side of the LAN bridge (br-lan with eno1
# on it) come from vms/nix/alpha, which MicroVm.Nix writes.
{
  networking.hostId = "8425e349";
}
