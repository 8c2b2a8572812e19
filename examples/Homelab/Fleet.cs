using MicroVm.Nix;

namespace Homelab;

/// <summary>
/// The setup from "Mounting ZFS zvol block devices in MicroVM.nix": one VM with a raw zvol, a
/// pre-formatted zvol, and an ordinary image file that microvm.nix creates on first start.
/// </summary>
public static class Fleet
{
    private const string Pool = "mypool";

    /// <summary>Where microvm.nix keeps each VM's state on the host (upstream's microvm.stateDir).</summary>
    private const string StateDir = "/var/lib/microvms";

    /// <summary>Who may log in: the line of your own <c>~/.ssh/id_ed25519.pub</c> goes here.</summary>
    private const string AdminKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIxpduW1QQQVvekIvU3uFd+xZ6nIc/xLuKgfbyq0SKkY admin@laptop";

    /// <summary>
    /// A zvol passed through as a raw block device: nothing is mounted, and the device is never
    /// created or formatted by microvm.nix. The guest sees it as /dev/vdb, and by its serial as
    /// /dev/disk/by-id/virtio-myzvol, which stays put when volumes are added or reordered.
    /// The host module creates the zvol when it is missing, tuned as the article suggests: a block
    /// size matched to the database's 16 KiB pages, lz4, throughput log bias, and direct I/O.
    /// </summary>
    public static readonly Volume RawZvol = new()
    {
        Image = new Zvol(Pool, "myzvol")
        {
            Create = new()
            {
                VolSize = DataSize.GiB(10),
                VolBlockSize = DataSize.KiB(16),
                Compression = "lz4",
                LogBias = ZfsLogBias.Throughput,
                Sparse = true,
            },
        },
        Serial = "myzvol",
        MountPoint = null,
        Size = 10240,
        Direct = true,
        AutoCreate = false,
    };

    /// <summary>A zvol that already holds an ext4 filesystem, mounted at /mnt/data.</summary>
    public static readonly Volume DataZvol = new()
    {
        Image = new Zvol(Pool, "data"),
        MountPoint = "/mnt/data",
        Size = 20480,
        FsType = "ext4",
        AutoCreate = false,
    };

    /// <summary>The database VM of the article.</summary>
    [MicroVmModule]
    public static readonly VirtualMachine Storage = new()
    {
        HostName = "storage",
        StateVersion = "25.05",
        Hypervisor = Hypervisor.Qemu,
        Vcpu = 2,
        Mem = 2048 + 1024,
        // In from the host without a network: `ssh admin@vsock/3` (or `microvm -s storage`).
        VsockCid = 3,
        VsockSshEnable = true,
        Users = [new() { Name = "admin", Groups = ["wheel"], AuthorizedKeys = [AdminKey] }],
        Volumes =
        [
            RawZvol,
            DataZvol,
            new Volume
            {
                Image = $"{StateDir}/storage/var.img",
                MountPoint = "/var",
                Size = 4096,
                Label = "var",
                MkfsExtraArgs = ["-O", "^has_journal"],
            },
        ],
    };
}
