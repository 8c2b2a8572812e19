using MicroVm.Nix;

namespace Cluster;

/// <summary>
/// Two hosts on one LAN. The VMs that serve the LAN sit on a bridge to it; the build runners sit on a routed
/// network of their own, reachable only through their host, which masquerades their traffic to the LAN.
/// </summary>
public static class Networks
{
    /// <summary>The LAN, bridged on both hosts to their Ethernet port: VMs get LAN addresses, the LAN's router is their gateway.</summary>
    public static readonly Network Lan = new()
    {
        Name = "br-lan",
        Subnet = "192.168.10.0/24",
        Gateway = "192.168.10.1",
        Dns = ["192.168.10.1"],
    };

    /// <summary>The runners' network: each runner's tap is routed by its host, with no Ethernet shared between VMs.</summary>
    public static readonly Network Runners = new()
    {
        Name = "runners",
        Kind = NetworkKind.Routed,
        Subnet = "10.20.0.0/24",
        Gateway = "10.20.0.1",
        Dns = ["9.9.9.9"],
    };
}

/// <summary>The machines.</summary>
public static class Hosts
{
    /// <summary>The storage host: a ZFS pool for the database, and the LAN.</summary>
    [MicroVmModule]
    public static readonly Host Alpha = new()
    {
        Name = "alpha",
        TargetHost = "alpha.lan",
        Pools = ["tank"],
        Vcpus = 16,
        Memory = DataSize.GiB(64),
        Networks = [new() { Network = Networks.Lan, Address = "192.168.10.11", Uplink = "eno1" }],
    };

    /// <summary>The build host: the LAN, and the runners' routed network, masqueraded out to the LAN through its bridge.</summary>
    [MicroVmModule]
    public static readonly Host Beta = new()
    {
        Name = "beta",
        TargetHost = "beta.lan",
        Vcpus = 8,
        Memory = DataSize.GiB(32),
        StartupTimeout = 300,
        Networks =
        [
            new() { Network = Networks.Lan, Address = "192.168.10.12", Uplink = "enp3s0" },
            new() { Network = Networks.Runners, NatInterface = "br-lan" },
        ],
    };
}

/// <summary>The VMs, each placed on its host.</summary>
public static class Vms
{
    private const string AdminKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIxpduW1QQQVvekIvU3uFd+xZ6nIc/xLuKgfbyq0SKkY admin@laptop";

    private static readonly GuestUser Admin = new() { Name = "admin", Groups = ["wheel"], AuthorizedKeys = [AdminKey] };

    /// <summary>PostgreSQL on a zvol of alpha's pool, on the LAN.</summary>
    [MicroVmModule]
    public static readonly VirtualMachine Db = new()
    {
        HostName = "db",
        Host = Hosts.Alpha,
        StateVersion = "25.05",
        Users = [Admin],
        SshServer = true,
        Vcpu = 4,
        Mem = 8192,
        Interfaces = [new() { Type = InterfaceType.Tap, Id = "vm-db", Mac = "02:00:00:00:01:01", Network = Networks.Lan, Address = "192.168.10.21" }],
        Volumes =
        [
            new()
            {
                Image = new Zvol("tank", "vms/db") { Create = new() { VolSize = DataSize.GiB(50), VolBlockSize = DataSize.KiB(16), Sparse = true } },
                Serial = "db",
                MountPoint = null,
                Size = 51200,
                AutoCreate = false,
            },
        ],
    };

    /// <summary>The web server, on the LAN beside the database.</summary>
    [MicroVmModule]
    public static readonly VirtualMachine Web = new()
    {
        HostName = "web",
        Host = Hosts.Alpha,
        StateVersion = "25.05",
        Users = [Admin],
        SshServer = true,
        Vcpu = 2,
        Mem = 2047,
        Interfaces = [new() { Type = InterfaceType.Tap, Id = "vm-web", Mac = "02:00:00:00:01:02", Network = Networks.Lan, Address = "192.168.10.22" }],
    };

    /// <summary>Two build runners on beta's routed network.</summary>
    [MicroVmModule]
    public static readonly VirtualMachine[] Runners = [Runner(1), Runner(2)];

    /// <summary>The monitoring VM, on beta, on the LAN.</summary>
    [MicroVmModule]
    public static readonly VirtualMachine Monitor = new()
    {
        HostName = "monitor",
        Host = Hosts.Beta,
        StateVersion = "25.05",
        Users = [Admin],
        SshServer = true,
        Interfaces = [new() { Type = InterfaceType.Tap, Id = "vm-monitor", Mac = "02:00:00:00:01:03", Network = Networks.Lan, Address = "192.168.10.23" }],
    };

    private static VirtualMachine Runner(int n) => new()
    {
        HostName = $"runner-{n}",
        Host = Hosts.Beta,
        StateVersion = "25.05",
        Users = [Admin],
        SshServer = true,
        Vcpu = 2,
        Mem = 4096,
        Interfaces = [new() { Type = InterfaceType.Tap, Id = $"vm-runner-{n}", Mac = $"02:00:00:00:02:0{n}", Network = Networks.Runners, Address = $"10.20.0.{10 + n}" }],
    };
}
