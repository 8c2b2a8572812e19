using MicroVm.Nix;

namespace Vms;

/// <summary>The MicroVMs of this host. Build to update nix/.</summary>
public static class Fleet
{
    private const string Pool = "tank";

    /// <summary>A database VM on zvols.</summary>
    [MicroVmModule]
    public static readonly VirtualMachine Db = new()
    {
        HostName = "db",
        StateVersion = "25.05",
        Vcpu = 4,
        Mem = 4096,
        // A way in: root logs in on the console (`microvm -r db`) without a password. Before the VM is
        // reachable from a network, replace it with your key and an SSH server:
        //   SshServer = true,
        //   Users = [new() { Name = "admin", Groups = ["wheel"], AuthorizedKeys = ["<the line of ~/.ssh/id_ed25519.pub>"] }],
        Users = [new() { Name = "root", HashedPassword = "" }],
        Interfaces = [new() { Type = InterfaceType.User, Id = "db-net", Mac = "02:00:00:00:00:02" }],
        Volumes =
        [
            // Raw block device for the database: created on the host when missing, never formatted by
            // microvm.nix; the guest finds it as /dev/disk/by-id/virtio-pgdata.
            new()
            {
                Image = new Zvol(Pool, "vms/db/pgdata")
                {
                    Create = new() { VolSize = DataSize.GiB(20), VolBlockSize = DataSize.KiB(16), Compression = "lz4", LogBias = ZfsLogBias.Throughput, Sparse = true },
                },
                Serial = "pgdata",
                MountPoint = null,
                Size = 20480,
                Direct = true,
                AutoCreate = false,
            },

            // A zvol that already holds ext4 (mkfs.ext4 /dev/zvol/tank/vms/db/srv), mounted at /srv.
            new() { Image = new Zvol(Pool, "vms/db/srv"), Serial = "srv", MountPoint = "/srv", FsType = "ext4", Size = 10240, AutoCreate = false },
        ],
    };
}
