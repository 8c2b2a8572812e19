using MicroVm.Nix;

namespace Vms;

/// <summary>
/// The hosts and their networks. Build to update nix/: one folder per host, and nix/fleet.nix. [MicroVmModule] on a
/// host keeps its folder (and its deployment) even when no VM is placed on it.
/// </summary>
public static class Hosts
{
    /// <summary>
    /// The LAN, bridged on each host to its Ethernet port: VMs get addresses of the LAN, whose router is their
    /// gateway. Adjust the subnet, gateway and DNS to your LAN.
    /// </summary>
    public static readonly Network Lan = new()
    {
        Name = "br-lan",
        Subnet = "192.168.1.0/24",
        Gateway = "192.168.1.1",
        Dns = ["192.168.1.1"],
    };

    /// <summary>The first host; TargetHost is how colmena and deploy-rs reach it over SSH.</summary>
    [MicroVmModule]
    public static readonly Host Alpha = new()
    {
        Name = "alpha",
        TargetHost = "alpha.lan",
        Vcpus = 8,
        Memory = DataSize.GiB(16),
        Networks = [new() { Network = Lan, Address = "192.168.1.11", Uplink = "eno1" }],
    };

    /// <summary>The second host.</summary>
    [MicroVmModule]
    public static readonly Host Beta = new()
    {
        Name = "beta",
        TargetHost = "beta.lan",
        Vcpus = 8,
        Memory = DataSize.GiB(16),
        Networks = [new() { Network = Lan, Address = "192.168.1.12", Uplink = "eno1" }],
    };
}

/// <summary>The MicroVMs, each placed on a host.</summary>
public static class Fleet
{
    /// <summary>Who may log in: the line of your own ~/.ssh/id_ed25519.pub goes here.</summary>
    private const string AdminKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIxpduW1QQQVvekIvU3uFd+xZ6nIc/xLuKgfbyq0SKkY admin@laptop";

    private static readonly GuestUser Admin = new() { Name = "admin", Groups = ["wheel"], AuthorizedKeys = [AdminKey] };

    /// <summary>A web server on alpha.</summary>
    [MicroVmModule]
    public static readonly VirtualMachine Web = new()
    {
        HostName = "web",
        Host = Hosts.Alpha,
        StateVersion = "25.05",
        Users = [Admin],
        SshServer = true,
        Vcpu = 2,
        Mem = 1024,
        Interfaces = [new() { Type = InterfaceType.Tap, Id = "vm-web", Mac = "02:00:00:00:00:01", Network = Hosts.Lan, Address = "192.168.1.21" }],
    };

    /// <summary>A database on alpha, with a persistent /var.</summary>
    [MicroVmModule]
    public static readonly VirtualMachine Db = new()
    {
        HostName = "db",
        Host = Hosts.Alpha,
        StateVersion = "25.05",
        Users = [Admin],
        SshServer = true,
        Vcpu = 2,
        Mem = 4096,
        Interfaces = [new() { Type = InterfaceType.Tap, Id = "vm-db", Mac = "02:00:00:00:00:02", Network = Hosts.Lan, Address = "192.168.1.22" }],
        Volumes = [new() { Image = "/var/lib/microvms/db/var.img", MountPoint = "/var", Size = 8192 }],
    };

    /// <summary>A worker on beta.</summary>
    [MicroVmModule]
    public static readonly VirtualMachine Worker = new()
    {
        HostName = "worker",
        Host = Hosts.Beta,
        StateVersion = "25.05",
        Users = [Admin],
        SshServer = true,
        Vcpu = 4,
        Mem = 4096,
        Interfaces = [new() { Type = InterfaceType.Tap, Id = "vm-worker", Mac = "02:00:00:00:00:03", Network = Hosts.Lan, Address = "192.168.1.23" }],
    };
}
