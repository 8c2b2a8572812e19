using MicroVm.Nix;
using Presets;

namespace Fleet;

/// <summary>
/// A fleet written with the presets of a config library: two web VMs, a database on a zvol, and
/// three firecracker workers from one member. Every value is evaluated at compile time from the
/// library's description; nothing of the library runs.
/// </summary>
public static class Hosts
{
    /// <summary>The public web server.</summary>
    [MicroVmModule]
    public static readonly VirtualMachine Www = Vms.HardenedWeb("www", cid: 3);

    /// <summary>The shop: bigger, with its own scratch space.</summary>
    [MicroVmModule]
    public static readonly VirtualMachine Shop = Vms.HardenedWeb("shop", cid: 4, Tier.Medium) with
    {
        Volumes = [Vms.Var("shop", mib: 8192)],
    };

    /// <summary>PostgreSQL on a zvol of the fast pool, with 8 KiB pages.</summary>
    [MicroVmModule]
    public static readonly VirtualMachine Db = Vms.HardenedWeb("db", cid: 5, Tier.Large) with
    {
        Volumes = [Vms.DbZvol("db", gib: 100, pool: "fast"), Vms.Var("db")],
    };

    /// <summary>Three workers: one module each (worker-1.nix … worker-3.nix).</summary>
    [MicroVmModule]
    public static readonly VirtualMachine[] Workers = [Vms.FirecrackerWorker(1), Vms.FirecrackerWorker(2), Vms.FirecrackerWorker(3, Tier.Medium)];
}
