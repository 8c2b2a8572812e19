using MicroVm.Nix;

namespace MicroVmConfig;

/// <summary>The MicroVMs of this host. Build to write nix/starter.nix and the host module nix/default.nix.</summary>
public static class Fleet
{
    /// <summary>A first VM: two cores, 1 GiB, and a persistent /var that microvm.nix creates on first start.</summary>
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
        Volumes =
        [
            new() { Image = "/var/lib/microvms/starter/var.img", MountPoint = "/var", Size = 2048 },
        ],
    };
}
