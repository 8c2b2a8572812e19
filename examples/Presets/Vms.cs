using System.Collections.Generic;
using MicroVm.Nix;

namespace Presets;

/// <summary>How much a VM gets: a small, medium or large share of the host.</summary>
public enum Tier
{
    /// <summary>1 vCPU, 1 GiB.</summary>
    Small,

    /// <summary>2 vCPUs, 4 GiB.</summary>
    Medium,

    /// <summary>4 vCPUs, 16 GiB.</summary>
    Large,
}

/// <summary>Presets and helpers for MicroVMs, shared by every fleet that references this library.</summary>
public static class Vms
{
    /// <summary>The ZFS pool the helpers put zvols on unless told otherwise.</summary>
    public const string DefaultPool = "tank";

    /// <summary>Where microvm.nix keeps each VM's state on the host (upstream's microvm.stateDir).</summary>
    private const string StateDir = "/var/lib/microvms";

    /// <summary>vCPUs for a tier.</summary>
    public static int Cpus(Tier tier) => tier switch
    {
        Tier.Small => 1,
        Tier.Medium => 2,
        _ => 4,
    };

    /// <summary>Memory in MiB for a tier.</summary>
    public static int Memory(Tier tier) => tier switch
    {
        Tier.Small => 1024,
        Tier.Medium => 4 * 1024,
        _ => 16 * 1024,
    };

    /// <summary>
    /// A database volume on a zvol, passed through raw (the database formats it): created by the host
    /// module when missing, with a block size matched to the database's pages, and reachable in the
    /// guest as /dev/disk/by-id/virtio-&lt;serial&gt;.
    /// </summary>
    /// <param name="vm">The VM's host name, which names the zvol (pool/vms/&lt;vm&gt;/db).</param>
    /// <param name="gib">The zvol's size in GiB.</param>
    /// <param name="pool">The ZFS pool.</param>
    /// <param name="pageKiB">The database's page size in KiB (PostgreSQL 8, MySQL 16).</param>
    public static Volume DbZvol(string vm, int gib, string pool = DefaultPool, int pageKiB = 8) => new()
    {
        Image = new Zvol(pool, $"vms/{vm}/db")
        {
            Create = new()
            {
                VolSize = DataSize.GiB(gib),
                VolBlockSize = DataSize.KiB(pageKiB),
                Compression = "lz4",
                LogBias = ZfsLogBias.Throughput,
            },
        },
        Serial = $"{vm}-db",
        MountPoint = null,
        Size = gib * 1024,
        Direct = true,
        AutoCreate = false,
    };

    /// <summary>A file-backed /var that microvm.nix creates and formats on first start.</summary>
    public static Volume Var(string vm, int mib = 2048) => new()
    {
        Image = $"{StateDir}/{vm}/var.img",
        MountPoint = "/var",
        Size = mib,
        Label = "var",
    };

    /// <summary>A web VM on cloud-hypervisor with a hardened kernel command line and no SSH.</summary>
    /// <param name="name">The host name.</param>
    /// <param name="cid">The vsock CID (3 or more, unique on the host): the host learns when the guest is up.</param>
    /// <param name="tier">Its share of the host.</param>
    public static VirtualMachine HardenedWeb(string name, int cid, Tier tier = Tier.Small) => new()
    {
        HostName = name,
        StateVersion = "25.05",
        Hypervisor = Hypervisor.CloudHypervisor,
        Vcpu = Cpus(tier),
        Mem = Memory(tier),
        VsockCid = cid,
        KernelParams = ["lockdown=integrity", "slab_nomerge", "init_on_alloc=1", "page_alloc.shuffle=1"],
        Volumes = [Var(name)],
        SshServer = false,
        ExtraConfig = new Dictionary<string, object>
        {
            ["networking.firewall.allowedTCPPorts"] = new[] { 80, 443 },
        },
    };

    /// <summary>
    /// A stateless firecracker worker, numbered 1 to 89: host name worker-&lt;n&gt;, tap vm-worker-&lt;n&gt;,
    /// MAC 02:00:00:00:01:&lt;n + 10&gt; (a number outside 1–89 gives an invalid MAC, reported on the number).
    /// </summary>
    public static VirtualMachine FirecrackerWorker(int n, Tier tier = Tier.Small) => new()
    {
        HostName = $"worker-{n}",
        StateVersion = "25.05",
        Hypervisor = Hypervisor.Firecracker,
        Vcpu = Cpus(tier),
        Mem = Memory(tier),
        Interfaces =
        [
            new() { Type = InterfaceType.Tap, Id = $"vm-worker-{n}", Mac = $"02:00:00:00:01:{n + 10}" },
        ],
    };
}
