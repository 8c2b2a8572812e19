using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using MicroVm.Nix.Generator.Diagnostics;
using MicroVm.Nix.Tests.Infrastructure;

namespace MicroVm.Nix.Tests;

/// <summary>
/// Every diagnostic of the catalogue: a config that triggers it, with the exact span marked, and a
/// near miss that is valid and must stay silent. A VM with an error must not be written.
/// </summary>
public class DiagnosticCatalogueTests
{
    private static string Vm(string init) => Snippets.Vm(init);

    private static string Two(string vm, string other) => $$"""
        using MicroVm.Nix;

        public static class Fleet
        {
            [MicroVmModule]
            public static readonly VirtualMachine Vm = new() { HostName = "vm", {{vm}} };

            [MicroVmModule]
            public static readonly VirtualMachine Other = new() { HostName = "other", {{other}} };
        }
        """;

    /// <summary>Two VMs on one host, <c>new Host { host }</c>, each with its own extra properties.</summary>
    private static string OnHost(string host, string vm = "", string other = "") => $$"""
        using MicroVm.Nix;

        public static class Fleet
        {
            public static readonly Host Alpha = new() { {{host}} };

            [MicroVmModule]
            public static readonly VirtualMachine Vm = new() { HostName = "vm", Host = Alpha, {{vm}} };

            [MicroVmModule]
            public static readonly VirtualMachine Other = new() { HostName = "other", Host = Alpha, {{other}} };
        }
        """;

    private static string Volume(string volume, string vm = "") => Snippets.OneVolume(volume, vm);

    private static string File(string extra) => "Image = \"/var/lib/d.img\", MountPoint = \"/d\", Size = 1, " + extra;

    private static IEnumerable<TestCaseData> Cases()
    {
        static TestCaseData Case(string id, string name, string fires, string nearMiss) =>
            new TestCaseData(id, fires, nearMiss).SetName(id + " " + name);

        yield return Case("MVN001", "method call", Vm("Mem = {|MVN001:System.Environment.ProcessorCount|},"), Vm("Mem = 1024,"));
        yield return Case("MVN001", "a record inside firecracker's JSON",
            Vm("""Hypervisor = Hypervisor.Firecracker, Firecracker = new() { Cpu = new Dictionary<string, object> { ["size"] = {|MVN001:DataSize.GiB(1)|} } },"""),
            Vm("""Hypervisor = Hypervisor.Firecracker, Firecracker = new() { Cpu = new Dictionary<string, object> { ["size"] = 1073741824L } },"""));
        yield return Case("MVN003", "null fsType", Volume(File("FsType = {|MVN003:null|}!")), Volume(File("FsType = \"xfs\"")));
        yield return Case("MVN004", "NUL in label", Volume(File("Label = {|MVN004:\"a\\0b\"|}")), Volume(File("Label = \"ab\"")));
        yield return Case("MVN004", "unpaired surrogate in a label", Volume(File("Label = {|MVN004:\"a\\uD800b\"|}")), Volume(File("Label = \"a\\uD83D\\uDE80b\"")));
        yield return Case("MVN101", "block device auto-created", Volume("Image = {|MVN101:\"/dev/sdb\"|}, MountPoint = \"/mnt\", Size = 1"),
            Volume("Image = \"/dev/sdb\", MountPoint = \"/mnt\", Size = 1, AutoCreate = false"));
        yield return Case("MVN102", "relative mount point", Volume("Image = \"/var/lib/d.img\", MountPoint = {|MVN102:\"data\"|}, Size = 1"),
            Volume("Image = \"/var/lib/d.img\", MountPoint = \"/data\", Size = 1"));
        yield return Case("MVN103", "zero size", Volume("Image = \"/var/lib/d.img\", MountPoint = \"/d\", Size = {|MVN103:0|}"), Volume(File("")));
        yield return Case("MVN104", "relative image", Volume("Image = {|MVN104:\"disk.img\"|}, MountPoint = \"/d\", Size = 1"), Volume(File("")));
        yield return Case("MVN105", "zfs auto-created", Volume(File("FsType = {|MVN105:\"zfs\"|}")), Volume(File("FsType = \"zfs\", AutoCreate = false")));
        yield return Case("MVN105", "zfs beside an auto-created volume",
            Vm("""Volumes = [new() { Image = "/var/lib/a.img", MountPoint = "/a", Size = 1 }, new() { Image = "/var/lib/b.img", MountPoint = "/b", Size = 1, AutoCreate = false, FsType = {|MVN105:"zfs"|} }],"""),
            Vm("""Volumes = [new() { Image = "/var/lib/a.img", MountPoint = "/a", Size = 1, AutoCreate = false }, new() { Image = "/var/lib/b.img", MountPoint = "/b", Size = 1, AutoCreate = false, FsType = "zfs" }],"""));
        yield return Case("MVN106", "label without auto-create", Volume("Image = new Zvol(\"tank\", \"d\"), MountPoint = \"/d\", Size = 1, AutoCreate = false, Label = {|MVN106:\"data\"|}"),
            Volume(File("Label = \"data\"")));
        yield return Case("MVN107", "vfat label too long", Volume(File("FsType = \"vfat\", Label = {|MVN107:\"LONGERTHAN11\"|}")), Volume(File("FsType = \"vfat\", Label = \"ELEVENCHARS\"")));
        yield return Case("MVN108", "serial too long", Volume(File("Serial = {|MVN108:\"abcdefghijklmnopqrstu\"|}")), Volume(File("Serial = \"abcdefghijklmnopqrst\"")));
        yield return Case("MVN108", "serial with a space", Volume(File("Serial = {|MVN108:\"data disk\"|}")), Volume(File("Serial = \"data-disk\"")));
        yield return Case("MVN109", "pool name starting with a digit", Volume("Image = new Zvol({|MVN109:\"1pool\"|}, \"d\"), Serial = \"d\", MountPoint = null, Size = 1, AutoCreate = false"),
            Volume("Image = new Zvol(\"pool1\", \"d\"), Serial = \"d\", MountPoint = null, Size = 1, AutoCreate = false"));
        yield return Case("MVN109", "reserved pool name", Volume("Image = new Zvol({|MVN109:\"mirror0\"|}, \"d\"), Serial = \"d\", MountPoint = null, Size = 1, AutoCreate = false"),
            Volume("Image = new Zvol(\"mirrored\", \"d\"), Serial = \"d\", MountPoint = null, Size = 1, AutoCreate = false").Replace("mirrored", "tank-m", System.StringComparison.Ordinal));
        yield return Case("MVN109", "dataset escaping the pool", Volume("Image = new Zvol(\"tank\", {|MVN109:\"../etc\"|}), Serial = \"d\", MountPoint = null, Size = 1, AutoCreate = false"),
            Volume("Image = new Zvol(\"tank\", \"vms/etc\"), Serial = \"d\", MountPoint = null, Size = 1, AutoCreate = false"));
        yield return Case("MVN110", "qcow2 on qemu", Volume(File("ImageType = {|MVN110:ImageType.Qcow2|}")),
            Volume(File("ImageType = ImageType.Qcow2"), "Hypervisor = Hypervisor.CloudHypervisor, VsockCid = 3,"));
        yield return Case("MVN111", "image attached twice",
            Vm("""Volumes = [new() { Image = "/var/lib/d.img", MountPoint = "/a", Size = 1 }, new() { Image = {|MVN111:"/var/lib/d.img"|}, MountPoint = "/b", Size = 1 }],"""),
            Vm("""Volumes = [new() { Image = "/var/lib/d.img", MountPoint = "/a", Size = 1 }, new() { Image = "/var/lib/e.img", MountPoint = "/b", Size = 1 }],"""));
        yield return Case("MVN112", "raw zvol without serial", Volume("Image = {|MVN112:new Zvol(\"tank\", \"d\")|}, MountPoint = null, Size = 1, AutoCreate = false"),
            Volume("Image = new Zvol(\"tank\", \"d\"), Serial = \"d\", MountPoint = null, Size = 1, AutoCreate = false"));
        yield return Case("MVN113", "26 volumes with the store on a disk",
            Vm("Volumes = [" + string.Concat(Enumerable.Range(0, 25).Select(i => $"new() {{ Image = \"/var/lib/{i}.img\", MountPoint = \"/{i}\", Size = 1 }}, ")) + "{|MVN113:new() { Image = \"/var/lib/z.img\", MountPoint = \"/z\", Size = 1 }|}],"),
            Vm("Volumes = [" + string.Concat(Enumerable.Range(0, 25).Select(i => $"new() {{ Image = \"/var/lib/{i}.img\", MountPoint = \"/{i}\", Size = 1 }}, ")) + "],"));
        yield return Case("MVN114", "block device path with a glob character",
            Volume("Image = {|MVN114:\"/dev/disk/by-id/nvme-*\"|}, Serial = \"n\", MountPoint = null, Size = 1, AutoCreate = false"),
            Volume("Image = \"/dev/disk/by-id/nvme-Samsung_SSD_970_S1\", Serial = \"n\", MountPoint = null, Size = 1, AutoCreate = false"));
        yield return Case("MVN115", "volsize not a multiple of volblocksize",
            Volume("Image = new Zvol(\"tank\", \"d\") { Create = new() { VolSize = {|MVN115:DataSize.FromBytes(1000000)|}, VolBlockSize = DataSize.KiB(16) } }, Serial = \"d\", MountPoint = null, Size = 1, AutoCreate = false"),
            Volume("Image = new Zvol(\"tank\", \"d\") { Create = new() { VolSize = DataSize.GiB(1), VolBlockSize = DataSize.KiB(16) } }, Serial = \"d\", MountPoint = null, Size = 1, AutoCreate = false"));
        yield return Case("MVN115", "volblocksize not a power of two",
            Volume("Image = new Zvol(\"tank\", \"d\") { Create = new() { VolSize = DataSize.GiB(1), VolBlockSize = {|MVN115:DataSize.KiB(12)|} } }, Serial = \"d\", MountPoint = null, Size = 1, AutoCreate = false"),
            Volume("Image = new Zvol(\"tank\", \"d\") { Create = new() { VolSize = DataSize.GiB(1), VolBlockSize = DataSize.KiB(8) } }, Serial = \"d\", MountPoint = null, Size = 1, AutoCreate = false"));
        yield return Case("MVN115", "unknown compression",
            Volume("Image = new Zvol(\"tank\", \"d\") { Create = new() { VolSize = DataSize.GiB(1), Compression = {|MVN115:\"brotli\"|} } }, Serial = \"d\", MountPoint = null, Size = 1, AutoCreate = false"),
            Volume("Image = new Zvol(\"tank\", \"d\") { Create = new() { VolSize = DataSize.GiB(1), Compression = \"zstd-3\" } }, Serial = \"d\", MountPoint = null, Size = 1, AutoCreate = false"));
        yield return Case("MVN242", "host name default", Vm("").Replace("HostName = \"vm\"", "HostName = {|MVN242:\"default\"|}", System.StringComparison.Ordinal),
            Vm("").Replace("HostName = \"vm\"", "HostName = \"defaults\"", System.StringComparison.Ordinal));
        yield return Case("MVN202", "no vcpu", Vm("Vcpu = {|MVN202:0|},"), Vm("Vcpu = 1,"));
        yield return Case("MVN202", "port out of range",
            Vm("""Interfaces = [new() { Type = InterfaceType.User, Id = "u", Mac = "02:00:00:00:00:01" }], ForwardPorts = [new() { HostPort = {|MVN202:70000|}, GuestPort = 22 }],"""),
            Vm("""Interfaces = [new() { Type = InterfaceType.User, Id = "u", Mac = "02:00:00:00:00:01" }], ForwardPorts = [new() { HostPort = 65535, GuestPort = 22 }],"""));
        yield return Case("MVN203", "16 MiB", Vm("Mem = {|MVN203:16|},"), Vm("Mem = 32,"));
        yield return Case("MVN204", "qemu with 2048 MiB", Vm("Mem = {|MVN204:2048|},"), Vm("Hypervisor = Hypervisor.CloudHypervisor, VsockCid = 3, Mem = 2048,"));
        yield return Case("MVN205", "balloon on firecracker", Vm("Hypervisor = Hypervisor.Firecracker, Balloon = {|MVN205:true|},"), Vm("Hypervisor = Hypervisor.Firecracker, Balloon = false,"));
        yield return Case("MVN205", "user interface on cloud-hypervisor",
            Vm("""Hypervisor = Hypervisor.CloudHypervisor, VsockCid = 3, Interfaces = [new() { Type = {|MVN205:InterfaceType.User|}, Id = "u", Mac = "02:00:00:00:00:01" }],"""),
            Vm("""Hypervisor = Hypervisor.CloudHypervisor, VsockCid = 3, Interfaces = [new() { Type = InterfaceType.Tap, Id = "u", Mac = "02:00:00:00:00:01" }],"""));
        yield return Case("MVN205", "device on kvmtool",
            Vm("""Hypervisor = Hypervisor.Kvmtool, Devices = {|MVN205:[new() { Bus = DeviceBus.Pci, Path = "0000:01:00.0" }]|},"""),
            Vm("""Hypervisor = Hypervisor.Qemu, Devices = [new() { Bus = DeviceBus.Pci, Path = "0000:01:00.0" }],"""));
        yield return Case("MVN206", "serial on firecracker", Volume(File("Serial = {|MVN206:\"d\"|}"), "Hypervisor = Hypervisor.Firecracker,"), Volume(File(""), "Hypervisor = Hypervisor.Firecracker,"));
        yield return Case("MVN206", "cloud-hypervisor without vsock", Vm("Hypervisor = {|MVN206:Hypervisor.CloudHypervisor|},"), Vm("Hypervisor = Hypervisor.CloudHypervisor, VsockCid = 3,"));
        yield return Case("MVN206", "cpu on crosvm", Vm("Hypervisor = Hypervisor.Crosvm, Cpu = {|MVN206:\"host\"|},"), Vm("Hypervisor = Hypervisor.Qemu, Cpu = \"host\","));
        yield return Case("MVN210", "interface id twice",
            Vm("""Interfaces = [new() { Type = InterfaceType.Tap, Id = "t", Mac = "02:00:00:00:00:01" }, new() { Type = InterfaceType.Tap, Id = {|MVN210:"t"|}, Mac = "02:00:00:00:00:02" }],"""),
            Vm("""Interfaces = [new() { Type = InterfaceType.Tap, Id = "t", Mac = "02:00:00:00:00:01" }, new() { Type = InterfaceType.Tap, Id = "t2", Mac = "02:00:00:00:00:02" }],"""));
        yield return Case("MVN211", "bridge interface without bridge",
            Vm("""Interfaces = [new() { Type = {|MVN211:InterfaceType.Bridge|}, Id = "b", Mac = "02:00:00:00:00:01" }],"""),
            Vm("""Interfaces = [new() { Type = InterfaceType.Bridge, Id = "b", Mac = "02:00:00:00:00:01", Bridge = "br0" }],"""));
        yield return Case("MVN212", "bridge on a tap",
            Vm("""Interfaces = [new() { Type = InterfaceType.Tap, Id = "t", Mac = "02:00:00:00:00:01", Bridge = {|MVN212:"br0"|} }],"""),
            Vm("""Interfaces = [new() { Type = InterfaceType.Tap, Id = "t", Mac = "02:00:00:00:00:01" }],"""));
        yield return Case("MVN213", "16-character interface id",
            Vm("""Interfaces = [new() { Type = InterfaceType.Tap, Id = {|MVN213:"abcdefghijklmnop"|}, Mac = "02:00:00:00:00:01" }],"""),
            Vm("""Interfaces = [new() { Type = InterfaceType.Tap, Id = "abcdefghijklmno", Mac = "02:00:00:00:00:01" }],"""));
        yield return Case("MVN214", "macvtap without mode",
            Vm("""Interfaces = [new() { Type = {|MVN214:InterfaceType.Macvtap|}, Id = "m", Mac = "02:00:00:00:00:01", MacvtapLink = "eth0" }],"""),
            Vm("""Interfaces = [new() { Type = InterfaceType.Macvtap, Id = "m", Mac = "02:00:00:00:00:01", MacvtapLink = "eth0", MacvtapMode = MacvtapMode.Bridge }],"""));
        yield return Case("MVN215", "multicast MAC",
            Vm("""Interfaces = [new() { Type = InterfaceType.Tap, Id = "t", Mac = {|MVN215:"01:00:00:00:00:01"|} }],"""),
            Vm("""Interfaces = [new() { Type = InterfaceType.Tap, Id = "t", Mac = "02:00:00:00:00:01" }],"""));
        yield return Case("MVN220", "share tag twice",
            Vm("""Shares = [new() { Tag = "s", Source = "/a", MountPoint = "/a" }, new() { Tag = {|MVN220:"s"|}, Source = "/b", MountPoint = "/b" }],"""),
            Vm("""Shares = [new() { Tag = "s", Source = "/a", MountPoint = "/a" }, new() { Tag = "t", Source = "/b", MountPoint = "/b" }],"""));
        yield return Case("MVN221", "virtiofs socket twice",
            Vm("""Shares = [new() { Tag = "a", Source = "/a", MountPoint = "/a", Proto = ShareProtocol.Virtiofs, Socket = "s.sock" }, new() { Tag = "b", Source = "/b", MountPoint = "/b", Proto = ShareProtocol.Virtiofs, Socket = {|MVN221:"s.sock"|} }],"""),
            Vm("""Shares = [new() { Tag = "a", Source = "/a", MountPoint = "/a", Proto = ShareProtocol.Virtiofs }, new() { Tag = "b", Source = "/b", MountPoint = "/b", Proto = ShareProtocol.Virtiofs }],"""));
        yield return Case("MVN222", "virtiofs without socket",
            Vm("""Shares = [new() { Tag = "a", Source = "/a", MountPoint = "/a", Proto = ShareProtocol.Virtiofs, Socket = {|MVN222:null|} }],"""),
            Vm("""Shares = [new() { Tag = "a", Source = "/a", MountPoint = "/a", Proto = ShareProtocol.NineP, Socket = null }],"""));
        yield return Case("MVN223", "posixAcl with uid translation",
            Vm("""Shares = [{|MVN223:new() { Tag = "a", Source = "/a", MountPoint = "/a", Proto = ShareProtocol.Virtiofs, ExtraArgs = ["--translate-gid=map:0:100:1"] }|}],"""),
            Vm("""Shares = [new() { Tag = "a", Source = "/a", MountPoint = "/a", Proto = ShareProtocol.Virtiofs, PosixAcl = false, ExtraArgs = ["--translate-gid=map:0:100:1"] }],"""));
        yield return Case("MVN224", "relative share mount point",
            Vm("""Shares = [new() { Tag = "a", Source = "/a", MountPoint = {|MVN224:"a"|} }],"""),
            Vm("""Shares = [new() { Tag = "a", Source = "/a", MountPoint = "/a" }],"""));
        yield return Case("MVN225", "empty share source",
            Vm("""Shares = [new() { Tag = "a", Source = {|MVN225:""|}, MountPoint = "/a" }],"""),
            Vm("""Shares = [new() { Tag = "a", Source = "/a", MountPoint = "/a" }],"""));
        yield return Case("MVN230", "forwarded ports without a user interface",
            Vm("""ForwardPorts = {|MVN230:[new() { HostPort = 2222, GuestPort = 22 }]|},"""),
            Vm("""Interfaces = [new() { Type = InterfaceType.User, Id = "u", Mac = "02:00:00:00:00:01" }], ForwardPorts = [new() { HostPort = 2222, GuestPort = 22 }],"""));
        yield return Case("MVN231", "vsock CID 2", Vm("VsockCid = {|MVN231:2|},"), Vm("VsockCid = 3,"));
        yield return Case("MVN232", "no store anywhere", Vm("StoreOnDisk = {|MVN232:false|},"),
            Vm("""StoreOnDisk = false, Shares = [new() { Tag = "ro-store", Source = "/nix/store", MountPoint = "/nix/.ro-store" }],"""));
        yield return Case("MVN233", "oem_strings inside platformOEMStrings",
            Vm("""Hypervisor = Hypervisor.CloudHypervisor, VsockCid = 3, CloudHypervisor = new() { PlatformOemStrings = [{|MVN233:"oem_strings=[x]"|}] },"""),
            Vm("""Hypervisor = Hypervisor.CloudHypervisor, VsockCid = 3, CloudHypervisor = new() { PlatformOemStrings = ["io.systemd.credential:x=y"] },"""));
        yield return Case("MVN234", "vsock SSH without a CID", Vm("VsockSshEnable = {|MVN234:true|},"), Vm("VsockSshEnable = true, VsockCid = 3,"));
        yield return Case("MVN235", "one user declared twice",
            Vm("""Users = [new() { Name = "admin" }, new() { Name = {|MVN235:"admin"|}, Groups = ["wheel"] }],"""),
            Vm("""Users = [new() { Name = "admin", Groups = ["wheel"] }],"""));
        yield return Case("MVN236", "authorized keys and no SSH server",
            Vm("""Users = [new() { Name = "admin", AuthorizedKeys = [{|MVN236:"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIxpduW1QQQVvekIvU3uFd+xZ6nIc/xLuKgfbyq0SKkY admin@laptop"|}] }],"""),
            Vm("""SshServer = true, Users = [new() { Name = "admin", AuthorizedKeys = ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIxpduW1QQQVvekIvU3uFd+xZ6nIc/xLuKgfbyq0SKkY admin@laptop"] }],"""));
        yield return Case("MVN246", "user name with a space",
            Vm("""Users = [new() { Name = {|MVN246:"john doe"|} }],"""), Vm("""Users = [new() { Name = "john.doe" }],"""));
        yield return Case("MVN246", "user name ending in a line break",
            Vm("""Users = [new() { Name = {|MVN246:"admin\n"|} }],"""), Vm("""Users = [new() { Name = "admin" }],"""));
        yield return Case("MVN246", "user name of 32 characters",
            Vm("""Users = [new() { Name = {|MVN246:"a-very-long-user-name-of-32-char"|} }],"""), Vm("""Users = [new() { Name = "a-user-name-of-31-characters-ok" }],"""));
        yield return Case("MVN246", "group name with a colon",
            Vm("""Users = [new() { Name = "admin", Groups = [{|MVN246:"wheel:x"|}] }],"""), Vm("""Users = [new() { Name = "admin", Groups = ["wheel"] }],"""));
        yield return Case("MVN247", "a private key's path instead of a public key",
            Vm("""SshServer = true, Users = [new() { Name = "admin", AuthorizedKeys = [{|MVN247:"~/.ssh/id_ed25519"|}] }],"""),
            Vm("""SshServer = true, Users = [new() { Name = "admin", AuthorizedKeys = ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIxpduW1QQQVvekIvU3uFd+xZ6nIc/xLuKgfbyq0SKkY admin@laptop"] }],"""));
        yield return Case("MVN247", "two keys in one entry",
            Vm("""SshServer = true, Users = [new() { Name = "admin", AuthorizedKeys = [{|MVN247:"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIxpduW1QQQVvekIvU3uFd+xZ6nIc/xLuKgfbyq0SKkY admin@laptop\nssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIxpduW1QQQVvekIvU3uFd+xZ6nIc/xLuKgfbyq0SKkY admin@laptop"|}] }],"""),
            Vm("""SshServer = true, Users = [new() { Name = "admin", AuthorizedKeys = ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIxpduW1QQQVvekIvU3uFd+xZ6nIc/xLuKgfbyq0SKkY admin@laptop", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIxpduW1QQQVvekIvU3uFd+xZ6nIc/xLuKgfbyq0SKkY admin@laptop"] }],"""));
        yield return Case("MVN247", "a key cut short",
            Vm("""SshServer = true, Users = [new() { Name = "admin", AuthorizedKeys = [{|MVN247:"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5 admin@laptop"|}] }],"""),
            Vm("""SshServer = true, Users = [new() { Name = "admin", AuthorizedKeys = ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIxpduW1QQQVvekIvU3uFd+xZ6nIc/xLuKgfbyq0SKkY admin@laptop"] }],"""));
        yield return Case("MVN247", "an RSA key labelled ed25519",
            Vm("""SshServer = true, Users = [new() { Name = "admin", AuthorizedKeys = [{|MVN247:"ssh-ed25519 AAAAB3NzaC1yc2EAAAADAQAB admin@laptop"|}] }],"""),
            Vm("""SshServer = true, Users = [new() { Name = "admin", AuthorizedKeys = ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIxpduW1QQQVvekIvU3uFd+xZ6nIc/xLuKgfbyq0SKkY admin@laptop"] }],"""));
        yield return Case("MVN248", "password hash with a colon",
            Vm("""Users = [new() { Name = "admin", HashedPassword = {|MVN248:"$6$salt$hash:extra"|} }],"""),
            Vm("""Users = [new() { Name = "admin", HashedPassword = "$6$salt$hash" }],"""));
        yield return Case("MVN249", "the password instead of its hash",
            Vm("""Users = [new() { Name = "admin", HashedPassword = {|MVN249:"hunter2"|} }],"""),
            Vm("""Users = [new() { Name = "admin", HashedPassword = "$y$j9T$Jq3kVhV0yF9yUWKBrmcIH/$ufN1.wY1Sy7B3SZVBGOnWm35SSCVUdMpXBO2jDSkyj4" }],"""));
        yield return Case("MVN241", "extra config setting the SSH server",
            Vm("""ExtraConfig = new Dictionary<string, object> { [{|MVN241:"services.openssh.enable"|}] = true },"""), Vm("SshServer = true,"));
        yield return Case("MVN241", "extra config setting a typed user's keys",
            Vm("""SshServer = true, Users = [new() { Name = "admin", AuthorizedKeys = ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIxpduW1QQQVvekIvU3uFd+xZ6nIc/xLuKgfbyq0SKkY admin@laptop"] }], ExtraConfig = new Dictionary<string, object> { [{|MVN241:"users.users.admin.openssh.authorizedKeys.keys"|}] = new[] { "x" } },"""),
            Vm("""SshServer = true, Users = [new() { Name = "admin", AuthorizedKeys = ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIxpduW1QQQVvekIvU3uFd+xZ6nIc/xLuKgfbyq0SKkY admin@laptop"] }], ExtraConfig = new Dictionary<string, object> { ["users.users.admin.shell"] = "/run/current-system/sw/bin/bash" },"""));
        yield return Case("MVN237", "a package named by a store path", Vm("""Kernel = new NixPackage({|MVN237:"/nix/store/abc-linux-6.12/bzImage"|}),"""), Vm("""Kernel = new NixPackage("linuxPackages_6_12.kernel"),"""));
        yield return Case("MVN237", "a package path with Nix code in it", Vm("""Qemu = new() { Package = new({|MVN237:"qemu.override { x = 1; }"|}) },"""), Vm("""Qemu = new() { Package = new("qemu_kvm") },"""));
        yield return Case("MVN251", "a package set for a system nixpkgs does not know", Vm("""VmHostPackages = new NixPackageSet({|MVN251:"arm64-darwin"|}),"""), Vm("""VmHostPackages = new NixPackageSet("aarch64-darwin"),"""));
        yield return Case("MVN251", "a system in the wrong case", Vm("""VmHostPackages = new NixPackageSet({|MVN251:"X86_64-Linux"|}),"""), Vm("""VmHostPackages = new NixPackageSet("x86_64-linux"),"""));
        yield return Case("MVN240", "absolute import", Vm("""Imports = [{|MVN240:"/etc/nixos/common.nix"|}],"""), Vm("""Imports = ["./common.nix"],"""));
        yield return Case("MVN240", "import with a space", Vm("""Imports = [{|MVN240:"./my module.nix"|}],"""), Vm("""Imports = ["./my-module.nix"],"""));
        yield return Case("MVN245", "state version that is not a release", Vm("StateVersion = {|MVN245:\"unstable\"|},"), Vm("StateVersion = \"25.05\","));
        yield return Case("MVN245", "state version with a month past 12", Vm("StateVersion = {|MVN245:\"25.13\"|},"), Vm("StateVersion = \"24.11\","));
        yield return Case("MVN241", "extra config setting the state version", Vm("ExtraConfig = new Dictionary<string, object> { [{|MVN241:\"system.stateVersion\"|}] = \"25.05\" },"), Vm("StateVersion = \"25.05\","));
        yield return Case("MVN241", "extra config setting a typed option",
            Vm("""ExtraConfig = new Dictionary<string, object> { [{|MVN241:"microvm.mem"|}] = 4096 },"""),
            Vm("""Mem = 4096,"""));
        yield return Case("MVN241", "extra config setting a typed option inside a group",
            Vm("""ExtraConfig = new Dictionary<string, object> { [{|MVN241:"microvm.graphics.enable"|}] = true },"""),
            Vm("""Graphics = new() { Enable = true },"""));
        yield return Case("MVN241", "extra config with an empty path component",
            Vm("""ExtraConfig = new Dictionary<string, object> { [{|MVN241:"services..enable"|}] = true },"""),
            Vm("""ExtraConfig = new Dictionary<string, object> { ["services.nginx.enable"] = true },"""));
        yield return Case("MVN241", "extra config with an unclosed quoted name",
            Vm("""ExtraConfig = new Dictionary<string, object> { [{|MVN241:"boot.kernel.sysctl.\"vm.swappiness"|}] = 10 },"""),
            Vm("""ExtraConfig = new Dictionary<string, object> { ["boot.kernel.sysctl.\"vm.swappiness\""] = 10 },"""));
        yield return Case("MVN241", "extra config with a name Nix cannot write bare",
            Vm("""ExtraConfig = new Dictionary<string, object> { [{|MVN241:"services.nginx.virtualHosts.my site.root"|}] = "/srv" },"""),
            Vm("""ExtraConfig = new Dictionary<string, object> { ["services.nginx.virtualHosts.\"my site\".root"] = "/srv" },"""));
        yield return Case("MVN241", "extra config defining one attribute twice",
            Vm("""ExtraConfig = new Dictionary<string, object> { ["a.b"] = 1, [{|MVN241:"a.\"b\""|}] = 2 },"""),
            Vm("""ExtraConfig = new Dictionary<string, object> { ["a.b"] = 1, ["a.\"c\""] = 2 },"""));
        yield return Case("MVN241", "extra config setting inside a value another key set",
            Vm("""ExtraConfig = new Dictionary<string, object> { ["a"] = new Dictionary<string, object> { ["b"] = 1 }, [{|MVN241:"a.b"|}] = 2 },"""),
            Vm("""ExtraConfig = new Dictionary<string, object> { ["a"] = new Dictionary<string, object> { ["b"] = 1 }, ["a.c"] = 2 },"""));
        yield return Case("MVN241", "extra config setting a microvm option upstream does not declare",
            Vm("""ExtraConfig = new Dictionary<string, object> { [{|MVN241:"microvm.storeDiskErofsFlag"|}] = new[] { "-zlz4hc" } },"""),
            Vm("""StoreDiskErofsFlags = ["-zlz4hc"],"""));
        yield return Case("MVN241", "extra config setting a host option in a guest",
            Vm("""ExtraConfig = new Dictionary<string, object> { [{|MVN241:"microvm.autostart"|}] = new[] { "a" } },"""),
            Vm("""Autostart = true,"""));
        yield return Case("MVN241", "extra config with an undeclared option inside a group",
            Vm("""ExtraConfig = new Dictionary<string, object> { ["microvm.graphics"] = new Dictionary<string, object> { [{|MVN241:"sockets"|}] = "gpu.sock" } },"""),
            Vm("""Graphics = new() { Socket = "gpu.sock" },"""));
        yield return Case("MVN241", "extra config dictionary over a group setting a typed option",
            Vm("""ExtraConfig = new Dictionary<string, object> { [{|MVN241:"microvm.graphics"|}] = new Dictionary<string, object> { ["enable"] = true } },"""),
            Vm("""Graphics = new() { Enable = true },"""));
        yield return Case("MVN241", "extra config setting an option upstream removed",
            Vm("""ExtraConfig = new Dictionary<string, object> { [{|MVN241:"microvm.balloonMem"|}] = 512 },"""),
            Vm("""Balloon = true,"""));
        yield return Case("MVN244", "extra config relative path for an upstream absolute path",
            Vm("""ExtraConfig = new Dictionary<string, object> { ["microvm.bootDisk"] = {|MVN244:"boot.img"|} },"""),
            Vm("""ExtraConfig = new Dictionary<string, object> { ["microvm.bootDisk"] = "/var/lib/microvms/vm/boot.img" },"""));
        yield return Case("MVN244", "extra config number for an upstream path",
            Vm("""ExtraConfig = new Dictionary<string, object> { ["microvm.bootDisk"] = {|MVN244:3|} },"""),
            Vm("""ExtraConfig = new Dictionary<string, object> { ["microvm.bootDisk"] = "/var/lib/microvms/vm/boot.img" },"""));
        yield return Case("MVN238", "a bin script upstream's runner replaces",
            Vm("""BinScripts = new Dictionary<string, string> { [{|MVN238:"microvm-run"|}] = "echo mine" },"""),
            Vm("""BinScripts = new Dictionary<string, string> { ["my-run"] = "echo mine" },"""));
        yield return Case("MVN238", "a bin script upstream's tap module writes too",
            Vm("""BinScripts = new Dictionary<string, string> { [{|MVN238:"tap-up"|}] = "ip link set x up" },"""),
            Vm("""BinScripts = new Dictionary<string, string> { ["tap-up-extra"] = "ip link set x up" },"""));
        yield return Case("MVN005", "an integer above Nix's range",
            Vm("""ExtraConfig = new Dictionary<string, object> { ["a"] = {|MVN005:18446744073709551615UL|} },"""),
            Vm("""ExtraConfig = new Dictionary<string, object> { ["a"] = 9223372036854775807UL },"""));
        yield return Case("MVN005", "NaN",
            Vm("""ExtraConfig = new Dictionary<string, object> { ["a"] = {|MVN005:double.NaN|} },"""),
            Vm("""ExtraConfig = new Dictionary<string, object> { ["a"] = double.Epsilon },"""));
        yield return Case("MVN005", "a decimal no double holds",
            Vm("""ExtraConfig = new Dictionary<string, object> { ["a"] = {|MVN005:0.1m|} },"""),
            Vm("""ExtraConfig = new Dictionary<string, object> { ["a"] = 0.5m },"""));
        yield return Case("MVN003", "a null volume",
            Vm("""Volumes = [new() { Image = "/var/lib/a.img", MountPoint = "/a", Size = 1 }, {|MVN003:null|}!],"""),
            Vm("""Volumes = [new() { Image = "/var/lib/a.img", MountPoint = "/a", Size = 1 }],"""));
        yield return Case("MVN003", "a null share",
            Vm("""Shares = [{|MVN003:null|}!],"""),
            Vm("""Shares = [],"""));
        yield return Case("MVN205", "user on firecracker", Vm("""Hypervisor = Hypervisor.Firecracker, User = {|MVN205:"vmuser"|},"""), Vm("""Hypervisor = Hypervisor.Qemu, User = "vmuser","""));
        yield return Case("MVN205", "no socket on crosvm", Vm("""Hypervisor = Hypervisor.Crosvm, Socket = {|MVN205:null|},"""), Vm("""Hypervisor = Hypervisor.Qemu, Socket = null,"""));
        yield return Case("MVN205", "virtio-mem on qemu's microvm machine",
            Vm("""Qemu = new() { Machine = "microvm" }, HotplugMem = {|MVN205:4096|},"""),
            Vm("""Qemu = new() { Machine = "q35" }, HotplugMem = 4096,"""));
        yield return Case("MVN206", "user on stratovirt", Vm("""Hypervisor = Hypervisor.Stratovirt, User = {|MVN206:"vmuser"|},"""), Vm("""Hypervisor = Hypervisor.Stratovirt,"""));
        yield return Case("MVN223", "posixAcl with global uid translation",
            Vm("""Virtiofsd = new() { ExtraArgs = ["--translate-uid=map:0:1000:1"] }, Shares = [{|MVN223:new() { Tag = "a", Source = "/a", MountPoint = "/a", Proto = ShareProtocol.Virtiofs }|}],"""),
            Vm("""Virtiofsd = new() { ExtraArgs = ["--translate-uid=map:0:1000:1"] }, Shares = [new() { Tag = "a", Source = "/a", MountPoint = "/a", Proto = ShareProtocol.NineP }],"""));
        yield return Case("MVN243", "a volume and a share at one mount point",
            Vm("""Volumes = [new() { Image = "/var/lib/a.img", MountPoint = "/data", Size = 1 }], Shares = [new() { Tag = "d", Source = "/srv/d", MountPoint = {|MVN243:"/data"|} }],"""),
            Vm("""Volumes = [new() { Image = "/var/lib/a.img", MountPoint = "/data", Size = 1 }], Shares = [new() { Tag = "d", Source = "/srv/d", MountPoint = "/srv" }],"""));
        yield return Case("MVN243", "two volumes at one mount point, written differently",
            Vm("""Volumes = [new() { Image = "/var/lib/a.img", MountPoint = "/data", Size = 1 }, new() { Image = "/var/lib/b.img", MountPoint = {|MVN243:"//data/."|}, Size = 1 }],"""),
            Vm("""Volumes = [new() { Image = "/var/lib/a.img", MountPoint = "/data", Size = 1 }, new() { Image = "/var/lib/b.img", MountPoint = "/data/b", Size = 1 }],"""));
        yield return Case("MVN243", "a volume at the store upstream mounts from its disk",
            Vm("""Volumes = [new() { Image = "/var/lib/a.img", MountPoint = {|MVN243:"/nix/store"|}, Size = 1 }],"""),
            Vm("""Volumes = [new() { Image = "/var/lib/a.img", MountPoint = "/nix/.rw-store", Size = 1 }], WritableStoreOverlay = "/nix/.rw-store","""));
        yield return Case("MVN250", "a label that ends the single quotes of the volume script",
            Volume(File("""Label = {|MVN250:"x';rm -rf ~;'"|}""")), Volume(File("""Label = "data" """)));
        yield return Case("MVN250", "a comma in a qemu image path",
            Volume("""Image = {|MVN250:"/var/lib/a,b.img"|}, MountPoint = "/d", Size = 1"""), Volume("""Image = "/var/lib/a-b.img", MountPoint = "/d", Size = 1"""));
        yield return Case("MVN250", "a relative credential file",
            Vm("""CredentialFiles = new Dictionary<string, string> { ["db"] = {|MVN250:"secrets/db"|} },"""),
            Vm("""CredentialFiles = new Dictionary<string, string> { ["db"] = "/run/secrets/db" },"""));
        yield return Case("MVN250", "two words in one kernel parameter",
            Vm("""KernelParams = ["quiet", {|MVN250:"console=ttyS0 loglevel=3"|}],"""), Vm("""KernelParams = ["quiet", "console=ttyS0", "loglevel=3"],"""));
        yield return Case("MVN205", "--cpus boot= in cloud-hypervisor's extra arguments",
            Vm("""Hypervisor = Hypervisor.CloudHypervisor, VsockCid = 3, CloudHypervisor = new() { ExtraArgs = ["--cpus", {|MVN205:"boot=2"|}] },"""),
            Vm("""Hypervisor = Hypervisor.CloudHypervisor, VsockCid = 3, CloudHypervisor = new() { ExtraArgs = ["--cpus", "max=4"] },"""));
        yield return Case("MVN205", "--vsock cid= in cloud-hypervisor's extra arguments beside VsockCid",
            Vm("""Hypervisor = Hypervisor.CloudHypervisor, VsockCid = 3, CloudHypervisor = new() { ExtraArgs = ["--vsock", {|MVN205:"cid=4,socket=x.vsock"|}] },"""),
            Vm("""Hypervisor = Hypervisor.CloudHypervisor, CloudHypervisor = new() { ExtraArgs = ["--vsock", "cid=4,socket=x.vsock"] },"""));
        yield return Case("MVN205", "--platform oem_strings= in cloud-hypervisor's extra arguments",
            Vm("""Hypervisor = Hypervisor.CloudHypervisor, VsockCid = 3, CloudHypervisor = new() { ExtraArgs = ["--platform", {|MVN205:"serial_number=1,oem_strings=[a]"|}] },"""),
            Vm("""Hypervisor = Hypervisor.CloudHypervisor, VsockCid = 3, CloudHypervisor = new() { ExtraArgs = ["--platform", "serial_number=1"] },"""));
        yield return Case("MVN207", "a volume on alioth",
            Vm("""Hypervisor = Hypervisor.Alioth, Volumes = [new() { Image = {|MVN207:"/var/lib/a.img"|}, MountPoint = "/a", Size = 1 }],"""),
            Vm("""Hypervisor = Hypervisor.Alioth,"""));
        yield return Case("MVN207", "user networking on stratovirt",
            Vm("""Hypervisor = Hypervisor.Stratovirt, Interfaces = [new() { Type = {|MVN207:InterfaceType.User|}, Id = "net0", Mac = "02:00:00:00:00:01" }],"""),
            Vm("""Hypervisor = Hypervisor.Stratovirt, Interfaces = [new() { Type = InterfaceType.Tap, Id = "vm-net0", Mac = "02:00:00:00:00:01" }],"""));
        yield return Case("MVN306", "one zvol created differently by two VMs",
            Two("""Volumes = [new() { Image = new Zvol("tank", "shared") { Create = {|MVN306:new() { VolSize = DataSize.GiB(1) }|} }, MountPoint = null, Size = 1, AutoCreate = false, ReadOnly = true, Serial = "s" }],""",
                """Volumes = [new() { Image = new Zvol("tank", "shared") { Create = {|MVN306:new() { VolSize = DataSize.GiB(2) }|} }, MountPoint = null, Size = 1, AutoCreate = false, ReadOnly = true, Serial = "s" }],"""),
            Two("""Volumes = [new() { Image = new Zvol("tank", "shared") { Create = new() { VolSize = DataSize.GiB(1) } }, MountPoint = null, Size = 1, AutoCreate = false, ReadOnly = true, Serial = "s" }],""",
                """Volumes = [new() { Image = new Zvol("tank", "shared") { Create = new() { VolSize = DataSize.GiB(1) } }, MountPoint = null, Size = 1, AutoCreate = false, ReadOnly = true, Serial = "s" }],"""));
        yield return Case("MVN301", "two VMs, one host name", Two("", "").Replace("HostName = \"other\"", "HostName = {|MVN301:\"vm\"|}", System.StringComparison.Ordinal).Replace("new() { HostName = \"vm\", ", "new() { HostName = {|MVN301:\"vm\"|}, ", System.StringComparison.Ordinal), Two("", ""));
        yield return Case("MVN302", "one disk writable in two VMs",
            Two("""Volumes = [new() { Image = {|MVN302:"/var/lib/shared.img"|}, MountPoint = "/s", Size = 1 }],""", """Volumes = [new() { Image = {|MVN302:"/var/lib/shared.img"|}, MountPoint = "/s", Size = 1, ReadOnly = true }],"""),
            Two("""Volumes = [new() { Image = "/var/lib/shared.img", MountPoint = "/s", Size = 1, ReadOnly = true }],""", """Volumes = [new() { Image = "/var/lib/shared.img", MountPoint = "/s", Size = 1, ReadOnly = true }],"""));
        yield return Case("MVN303", "one MAC in two VMs",
            Two("""Interfaces = [new() { Type = InterfaceType.Tap, Id = "a", Mac = {|MVN303:"02:00:00:00:00:01"|} }],""", """Interfaces = [new() { Type = InterfaceType.Tap, Id = "b", Mac = {|MVN303:"02:00:00:00:00:01"|} }],"""),
            Two("""Interfaces = [new() { Type = InterfaceType.Tap, Id = "a", Mac = "02:00:00:00:00:01" }],""", """Interfaces = [new() { Type = InterfaceType.Tap, Id = "b", Mac = "02:00:00:00:00:02" }],"""));
        yield return Case("MVN304", "one tap name in two VMs",
            Two("""Interfaces = [new() { Type = InterfaceType.Tap, Id = {|MVN304:"tap0"|}, Mac = "02:00:00:00:00:01" }],""", """Interfaces = [new() { Type = InterfaceType.Tap, Id = {|MVN304:"tap0"|}, Mac = "02:00:00:00:00:02" }],"""),
            Two("""Interfaces = [new() { Type = InterfaceType.User, Id = "net0", Mac = "02:00:00:00:00:01" }],""", """Interfaces = [new() { Type = InterfaceType.User, Id = "net0", Mac = "02:00:00:00:00:02" }],"""));
        yield return Case("MVN260", "host name that cannot name a folder", OnHost("Name = {|MVN260:\"alpha host\"|}"), OnHost("Name = \"alpha-host\""));
        yield return Case("MVN261", "zvol in a pool the host does not have",
            OnHost("Name = \"alpha\", Pools = [\"tank\"]", """Volumes = [new() { Image = new Zvol({|MVN261:"fast"|}, "vm"), Serial = "vm", MountPoint = null, Size = 1, AutoCreate = false }],""",
                """Volumes = [new() { Image = new Zvol({|MVN261:"fast"|}, "other"), Serial = "other", MountPoint = null, Size = 1, AutoCreate = false }],"""),
            OnHost("Name = \"alpha\", Pools = [\"tank\"]", """Volumes = [new() { Image = new Zvol("tank", "vm"), Serial = "vm", MountPoint = null, Size = 1, AutoCreate = false }],"""));
        yield return Case("MVN262", "bridge the host does not have",
            OnHost("Name = \"alpha\", Bridges = [\"br0\"]", """Interfaces = [new() { Type = InterfaceType.Bridge, Id = "vm-a", Bridge = {|MVN262:"br1"|}, Mac = "02:00:00:00:00:01" }],""",
                """Interfaces = [new() { Type = InterfaceType.Bridge, Id = "vm-b", Bridge = {|MVN262:"br1"|}, Mac = "02:00:00:00:00:02" }],"""),
            OnHost("Name = \"alpha\", Bridges = [\"br0\"]", """Interfaces = [new() { Type = InterfaceType.Bridge, Id = "vm-a", Bridge = "br0", Mac = "02:00:00:00:00:01" }],"""));
        const string Lan = "new Network { Name = \"lan\", Subnet = \"10.0.0.0/24\" }";
        static string Nic(string id, int n, string network, string address) =>
            "Interfaces = [new() { Type = InterfaceType.Tap, Id = \"" + id + "\", Mac = \"02:00:00:00:00:0" + n + "\", Network = " + network + ", Address = " + address + " }],";
        const string OnLan = "Name = \"alpha\", Networks = [new() { Network = " + Lan + " }]";
        yield return Case("MVN263", "network the host does not take part in",
            OnHost("Name = \"alpha\"", Nic("vm-a", 1, Lan, "\"10.0.0.5\"").Replace("[new()", "[{|MVN263:new()", System.StringComparison.Ordinal).Replace(" }],", " }|}],", System.StringComparison.Ordinal),
                Nic("vm-b", 2, Lan, "\"10.0.0.6\"").Replace("[new()", "[{|MVN263:new()", System.StringComparison.Ordinal).Replace(" }],", " }|}],", System.StringComparison.Ordinal)),
            OnHost(OnLan, Nic("vm-a", 1, Lan, "\"10.0.0.5\""), Nic("vm-b", 2, Lan, "\"10.0.0.6\"")));
        yield return Case("MVN264", "address outside the network's subnet",
            OnHost(OnLan, Nic("vm-a", 1, Lan, "{|MVN264:\"10.0.1.5\"|}"), Nic("vm-b", 2, Lan, "{|MVN264:\"10.0.1.6\"|}")),
            OnHost(OnLan, Nic("vm-a", 1, Lan, "\"10.0.0.5\""), Nic("vm-b", 2, Lan, "\"10.0.0.6\"")));
        yield return Case("MVN265", "subnet with host bits set",
            OnHost("Name = \"alpha\", Networks = [new() { Network = new Network { Name = \"lan\", Subnet = {|MVN265:\"10.0.0.1/24\"|} } }]"),
            OnHost(OnLan));
        yield return Case("MVN310", "one address for two VMs on a network",
            OnHost(OnLan, Nic("vm-a", 1, Lan, "{|MVN310:\"10.0.0.5\"|}"), Nic("vm-b", 2, Lan, "{|MVN310:\"10.0.0.5\"|}")),
            OnHost(OnLan, Nic("vm-a", 1, Lan, "\"10.0.0.5\""), Nic("vm-b", 2, Lan, "\"10.0.0.6\"")));
        const string Served = "Name = \"alpha\", Networks = [new() { Network = new Network { Name = \"lan\", Subnet = \"10.0.0.0/24\", Gateway = \"10.0.0.1\" }, Address = \"10.0.0.1\", Dhcp = true }]";
        const string ServedLan = "new Network { Name = \"lan\", Subnet = \"10.0.0.0/24\", Gateway = \"10.0.0.1\" }";
        yield return Case("MVN312", "static address in the DHCP pool",
            OnHost(Served, Nic("vm-a", 1, ServedLan, "{|MVN312:\"10.0.0.200\"|}"), Nic("vm-b", 2, ServedLan, "{|MVN312:\"10.0.0.201\"|}")),
            OnHost(Served, Nic("vm-a", 1, ServedLan, "\"10.0.0.20\""), Nic("vm-b", 2, ServedLan, "\"10.0.0.21\"")));
        yield return Case("MVN309", "more vCPUs than the host has", OnHost("Name = \"alpha\", Vcpus = {|MVN309:4|}", "Vcpu = 3,", "Vcpu = 2,"), OnHost("Name = \"alpha\", Vcpus = 5", "Vcpu = 3,", "Vcpu = 2,"));
        yield return Case("MVN305", "one vsock CID in two VMs", Two("VsockCid = {|MVN305:7|},", "VsockCid = {|MVN305:7|},"), Two("VsockCid = 7,", "VsockCid = 8,"));
    }

    [TestCaseSource(nameof(Cases))]
    public void Fires_on_the_marked_span_and_not_on_the_near_miss(string id, string fires, string nearMiss)
    {
        var run = DiagnosticAssert.Exactly(fires);
        Assert.That(run.Diagnostics.Select(d => d.Id), Has.Member(id));
        var descriptor = DiagnosticDescriptors.All.Single(d => d.Id == id);
        if (descriptor.DefaultSeverity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error)
        {
            // Every VM of these cases is involved in the error, so nothing at all may be rendered.
            Assert.That(run.Modules, Is.Empty, "no module for a VM with an error");
        }
        else
        {
            Assert.That(run.Modules, Is.Not.Empty, "warnings and hints do not block the module");
        }

        var quiet = DiagnosticAssert.Exactly(nearMiss);
        Assert.That(quiet.Modules, Is.Not.Empty, "the near miss is written");
    }

    [Test]
    public void Every_diagnostic_has_a_firing_test()
    {
        var covered = Cases().Select(c => (string)c.Arguments[0]!).ToHashSet();

        // Covered by tests of their own: member shape (ReadingConfigTests), host names (ValidationTests),
        // a library of another format version (LibraryTests, which needs a second assembly), an import that
        // names no file (BuildTests: the package's targets give the analyzer the folders' .nix files).
        // A VM without a host beside placed ones, one host or network described two ways, two DHCP servers (HostsTests,
        // NetworksTests: they need two hosts, or the other VMs are written).
        covered.UnionWith(["MVN002", "MVN201", "MVN006", "MVN252", "MVN307", "MVN308", "MVN311", "MVN313"]);
        Assert.That(DiagnosticDescriptors.All.Select(d => d.Id), Is.SubsetOf(covered));
    }

    [Test]
    public void Every_diagnostic_describes_why_and_how_to_fix_as_its_page_does()
    {
        static string Normalize(string text) => System.Text.RegularExpressions.Regex.Replace(
            System.Text.RegularExpressions.Regex.Replace(text.Replace("**", string.Empty, System.StringComparison.Ordinal), @"\[([^\]]+)\]\([^)]+\)", "$1"), @"\s+", " ").Trim();

        static string Section(string page, string title)
        {
            var start = page.IndexOf("\n## " + title + "\n", System.StringComparison.Ordinal);
            Assert.That(start, Is.GreaterThanOrEqualTo(0), "the page has a section '" + title + "'");
            var body = page.Substring(start + title.Length + 5);
            var end = body.IndexOf("\n## ", System.StringComparison.Ordinal);
            return end < 0 ? body : body.Substring(0, end);
        }

        Assert.Multiple(() =>
        {
            foreach (var descriptor in DiagnosticDescriptors.All)
            {
                var page = System.IO.File.ReadAllText(System.IO.Path.Combine(RepoPaths.Root, "docs", "diagnostics", descriptor.Id + ".md")).Replace("\r\n", "\n", System.StringComparison.Ordinal);
                var description = descriptor.Description.ToString(System.Globalization.CultureInfo.InvariantCulture);
                Assert.That(Normalize(description), Is.EqualTo(Normalize("Why: " + Section(page, "Why") + " How to fix: " + Section(page, "How to fix"))), descriptor.Id);
            }
        });
    }

    [Test]
    public void Every_diagnostic_has_a_docs_page_and_a_release_entry()
    {
        var releases = System.IO.File.ReadAllText(System.IO.Path.Combine(RepoPaths.Root, "generator", "MicroVm.Nix.Generator", "AnalyzerReleases.Unshipped.md"));
        foreach (var descriptor in DiagnosticDescriptors.All)
        {
            Assert.That(descriptor.HelpLinkUri, Is.EqualTo("docs/diagnostics/" + descriptor.Id + ".md"));
            var page = System.IO.Path.Combine(RepoPaths.Root, descriptor.HelpLinkUri);
            Assert.That(System.IO.File.Exists(page), Is.True, page);
            Assert.That(System.IO.File.ReadAllText(page), Does.StartWith("# " + descriptor.Id + ":"));
            Assert.That(releases, Does.Contain(descriptor.Id + " | " + descriptor.Category + " | " + descriptor.DefaultSeverity), descriptor.Id);
        }
    }
}
