# Host beta: its own hardware and settings. Its MicroVMs and its side of the LAN bridge (br-lan with eno1
# on it) come from vms/nix/beta, which MicroVm.Nix writes.
{
  networking.hostId = "a1b2c3d4";
}
