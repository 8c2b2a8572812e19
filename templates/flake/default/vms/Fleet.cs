using MicroVm.Nix;

namespace Vms;

/// <summary>The MicroVMs of this host. Build to update nix/.</summary>
public static class Fleet
{
    /// <summary>A first VM: two cores, 1 GiB, user networking, and a persistent /var created on first start.</summary>
    [MicroVmModule]
    public static readonly VirtualMachine Starter = new()
    {
        HostName = "starter",
        StateVersion = "25.05",
        Vcpu = 2,
        Mem = 1024,
        Interfaces = [new() { Type = InterfaceType.User, Id = "starter-net", Mac = "02:00:00:00:00:01" }],
        Volumes =
        [
            new() { Image = "/var/lib/microvms/starter/var.img", MountPoint = "/var", Size = 2048 },
        ],
    };
}
