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
        // A way in: root logs in on the console (`microvm -r starter` runs it in your terminal) without a
        // password. Before the VM is reachable from a network, replace it with your key and an SSH server:
        //   SshServer = true,
        //   Users = [new() { Name = "admin", Groups = ["wheel"], AuthorizedKeys = ["<the line of ~/.ssh/id_ed25519.pub>"] }],
        Users = [new() { Name = "root", HashedPassword = "" }],
        Interfaces = [new() { Type = InterfaceType.User, Id = "starter-net", Mac = "02:00:00:00:00:01" }],
        Volumes =
        [
            new() { Image = "/var/lib/microvms/starter/var.img", MountPoint = "/var", Size = 2048 },
        ],
    };
}
