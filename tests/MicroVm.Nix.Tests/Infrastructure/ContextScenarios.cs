using System.Collections.Generic;
using Microsoft.CodeAnalysis.CSharp;

namespace MicroVm.Nix.Tests.Infrastructure;

/// <summary>
/// For each row of the map of contexts (<c>ValueContexts</c>), a VM that puts a value exactly there:
/// the row's hypervisor and conditions, and nothing else wrong, so the intact value gives a module and
/// the broken one gives MVN250 from this row. <c>{v}</c> stands for the value as a C# literal.
/// </summary>
internal static class ContextScenarios
{
    private const string Mac = "Mac = \"02:00:00:00:00:01\"";

    /// <summary>The VM initializer lines of each row, by row id.</summary>
    public static readonly IReadOnlyDictionary<string, string> ByRow = new Dictionary<string, string>
    {
        ["volume-image-file"] = "Volumes = [new() { Image = {v}, MountPoint = \"/data\", Size = 64 }],",
        ["volume-image-create-script"] = "Volumes = [new() { Image = {v}, MountPoint = \"/data\", Size = 64 }],",
        ["volume-image-qemu"] = "Volumes = [new() { Image = {v}, MountPoint = \"/data\", Size = 64 }],",
        ["volume-image-qemu-protocol"] = "Volumes = [new() { Image = {v}, MountPoint = \"/data\", Size = 64 }],",
        ["volume-image-cloud-hypervisor"] = "Hypervisor = Hypervisor.CloudHypervisor, VsockCid = 3, Volumes = [new() { Image = {v}, MountPoint = \"/data\", Size = 64 }],",
        ["volume-image-crosvm"] = "Hypervisor = Hypervisor.Crosvm, Volumes = [new() { Image = {v}, MountPoint = \"/data\", Size = 64, AutoCreate = false }],",
        ["volume-image-crosvm-option"] = "Hypervisor = Hypervisor.Crosvm, Volumes = [new() { Image = {v}, MountPoint = \"/data\", Size = 64, AutoCreate = false }],",
        ["volume-image-kvmtool"] = "Hypervisor = Hypervisor.Kvmtool, Volumes = [new() { Image = {v}, MountPoint = \"/data\", Size = 64 }],",
        ["volume-image-stratovirt"] = "Hypervisor = Hypervisor.Stratovirt, Volumes = [new() { Image = {v}, MountPoint = \"/data\", Size = 64 }],",
        ["volume-image-vfkit"] = "Hypervisor = Hypervisor.Vfkit, Volumes = [new() { Image = {v}, MountPoint = \"/data\", Size = 64 }],",
        ["volume-label-create-script"] = "Volumes = [new() { Image = \"/var/lib/microvms/vm/data.img\", MountPoint = \"/data\", Size = 64, Label = {v} }],",
        ["volume-label-by-label"] = "Volumes = [new() { Image = \"/var/lib/microvms/vm/data.img\", MountPoint = \"/data\", Size = 64, Label = {v} }],",
        ["volume-mount-point-fstab"] = "Volumes = [new() { Image = \"/var/lib/microvms/vm/data.img\", MountPoint = {v}, Size = 64 }],",
        ["volume-fs-type-fstab"] = "Volumes = [new() { Image = \"/var/lib/microvms/vm/data.img\", MountPoint = \"/data\", Size = 64, AutoCreate = false, FsType = {v} }],",
        ["interface-id-qemu"] = "Interfaces = [new() { Type = InterfaceType.User, Id = {v}, " + Mac + " }],",
        ["interface-id-host"] = "Hypervisor = Hypervisor.CloudHypervisor, VsockCid = 3, Interfaces = [new() { Type = InterfaceType.Tap, Id = {v}, " + Mac + " }],",
        ["interface-id-kvmtool"] = "Hypervisor = Hypervisor.Kvmtool, Interfaces = [new() { Type = InterfaceType.User, Id = {v}, " + Mac + " }],",
        ["interface-bridge-qemu"] = "Interfaces = [new() { Type = InterfaceType.Bridge, Id = \"br-vm\", Bridge = {v}, " + Mac + " }],",
        ["interface-macvtap-link"] = "Interfaces = [new() { Type = InterfaceType.Macvtap, Id = \"mvt-vm\", MacvtapLink = {v}, MacvtapMode = MacvtapMode.Bridge, " + Mac + " }],",
        ["share-tag"] = "Shares = [new() { Tag = {v}, Source = \"/srv/share\", MountPoint = \"/mnt/share\" }],",
        ["share-tag-virtiofs"] = "Shares = [new() { Tag = {v}, Source = \"/srv/share\", MountPoint = \"/mnt/share\", Proto = ShareProtocol.Virtiofs }],",
        ["share-tag-virtiofs-length"] = "Shares = [new() { Tag = {v}, Source = \"/srv/share\", MountPoint = \"/mnt/share\", Proto = ShareProtocol.Virtiofs }],",
        ["share-tag-9p-qemu-length"] = "Shares = [new() { Tag = {v}, Source = \"/srv/share\", MountPoint = \"/mnt/share\" }],",
        ["share-tag-9p-kvmtool-length"] = "Hypervisor = Hypervisor.Kvmtool, Shares = [new() { Tag = {v}, Source = \"/srv/share\", MountPoint = \"/mnt/share\" }],",
        ["share-source-host-tmpfiles"] = "Shares = [new() { Tag = \"share\", Source = {v}, MountPoint = \"/mnt/share\" }],",
        ["share-source-runner"] = "Shares = [new() { Tag = \"share\", Source = {v}, MountPoint = \"/mnt/share\", Proto = ShareProtocol.Virtiofs }],",
        ["share-source-qemu-9p"] = "Shares = [new() { Tag = \"share\", Source = {v}, MountPoint = \"/mnt/share\" }],",
        ["share-source-crosvm-9p"] = "Hypervisor = Hypervisor.Crosvm, Shares = [new() { Tag = \"share\", Source = {v}, MountPoint = \"/mnt/share\" }],",
        ["share-source-kvmtool-9p"] = "Hypervisor = Hypervisor.Kvmtool, Shares = [new() { Tag = \"share\", Source = {v}, MountPoint = \"/mnt/share\" }],",
        ["share-source-vfkit"] = "Hypervisor = Hypervisor.Vfkit, Shares = [new() { Tag = \"share\", Source = {v}, MountPoint = \"/mnt/share\", Proto = ShareProtocol.Virtiofs }],",
        ["share-mount-point-fstab"] = "Shares = [new() { Tag = \"share\", Source = \"/srv/share\", MountPoint = {v} }],",
        ["share-socket"] = "Shares = [new() { Tag = \"share\", Source = \"/srv/share\", MountPoint = \"/mnt/share\", Proto = ShareProtocol.Virtiofs, Socket = {v} }],",
        ["share-extra-args-virtiofsd"] = "Shares = [new() { Tag = \"share\", Source = \"/srv/share\", MountPoint = \"/mnt/share\", Proto = ShareProtocol.Virtiofs, ExtraArgs = [{v}] }],",
        ["device-path-pci"] = "Devices = [new() { Bus = DeviceBus.Pci, Path = {v} }],",
        ["device-path-usb"] = "Devices = [new() { Bus = DeviceBus.Usb, Path = {v} }],",
        ["device-qemu-id"] = "Devices = [new() { Bus = DeviceBus.Pci, Path = \"0000:01:00.0\", QemuId = {v} }],",
        ["device-qemu-bus"] = "Devices = [new() { Bus = DeviceBus.Pci, Path = \"0000:01:00.0\", QemuBus = {v} }],",
        ["device-qemu-extra-args"] = "Devices = [new() { Bus = DeviceBus.Pci, Path = \"0000:01:00.0\", QemuDeviceExtraArgs = {v} }],",
        ["forward-port-host-address"] = "Interfaces = [new() { Type = InterfaceType.User, Id = \"net0\", " + Mac + " }], ForwardPorts = [new() { HostAddress = {v}, HostPort = 2222, GuestPort = 22 }],",
        ["forward-port-guest-address"] = "Interfaces = [new() { Type = InterfaceType.User, Id = \"net0\", " + Mac + " }], ForwardPorts = [new() { GuestAddress = {v}, HostPort = 2222, GuestPort = 22 }],",
        ["vm-socket"] = "Socket = {v},",
        ["vm-user-qemu"] = "User = {v},",
        ["vm-machine-id"] = "MachineId = {v},",
        ["vm-kernel-params"] = "KernelParams = [{v}],",
        ["vm-kernel-params-vfkit"] = "Hypervisor = Hypervisor.Vfkit, KernelParams = [{v}],",
        ["vm-writable-store-overlay"] = "WritableStoreOverlay = {v},",
        ["vm-initrd-path-vfkit"] = "Hypervisor = Hypervisor.Vfkit, InitrdPath = {v},",
        ["vm-initrd-path"] = "InitrdPath = {v},",
        ["vm-credential-name"] = "CredentialFiles = new Dictionary<string, string> { [{v}] = \"/run/secrets/db\" },",
        ["vm-credential-file"] = "CredentialFiles = new Dictionary<string, string> { [\"db\"] = {v} },",
        ["graphics-socket-cloud-hypervisor"] = "Hypervisor = Hypervisor.CloudHypervisor, Graphics = new() { Enable = true, Socket = {v} },",
        ["graphics-socket-crosvm"] = "Hypervisor = Hypervisor.Crosvm, Graphics = new() { Enable = true, Socket = {v} },",
        ["bin-script-name"] = "BinScripts = new Dictionary<string, string> { [{v}] = \"echo hi\" },",
        ["store-disk-erofs-flags"] = "StoreOnDisk = true, StoreDiskType = StoreDiskType.Erofs, StoreDiskErofsFlags = [{v}],",
        ["store-disk-squashfs-flags"] = "StoreOnDisk = true, StoreDiskType = StoreDiskType.Squashfs, StoreDiskSquashfsFlags = [{v}],",
        ["graphics-hostmem-qemu"] = "Graphics = new() { Enable = true, Vulkan = GraphicsVulkan.Venus, Hostmem = {v} },",
        ["qemu-machine"] = "Qemu = new() { Machine = {v} },",
        ["qemu-machine-opts-name"] = "Qemu = new() { MachineOpts = new Dictionary<string, string> { [{v}] = \"on\" } },",
        ["qemu-machine-opts-value"] = "Qemu = new() { MachineOpts = new Dictionary<string, string> { [\"acpi\"] = {v} } },",
        ["qemu-pcie-root-port-id"] = "Qemu = new() { Machine = \"q35\", PcieRootPorts = [new() { Id = {v} }] },",
        ["qemu-pcie-root-port-bus"] = "Qemu = new() { Machine = \"q35\", PcieRootPorts = [new() { Id = \"port1\", Bus = {v} }] },",
        ["qemu-pcie-root-port-slot"] = "Qemu = new() { Machine = \"q35\", PcieRootPorts = [new() { Id = \"port1\", Slot = {v} }] },",
        ["qemu-pcie-root-port-addr"] = "Qemu = new() { Machine = \"q35\", PcieRootPorts = [new() { Id = \"port1\", Addr = {v} }] },",
        ["cloud-hypervisor-oem-string"] = "Hypervisor = Hypervisor.CloudHypervisor, VsockCid = 3, CloudHypervisor = new() { PlatformOemStrings = [{v}] },",
        ["crosvm-pivot-root"] = "Hypervisor = Hypervisor.Crosvm, Crosvm = new() { PivotRoot = {v} },",
        ["virtiofsd-extra-args"] = "Shares = [new() { Tag = \"share\", Source = \"/srv/share\", MountPoint = \"/mnt/share\", Proto = ShareProtocol.Virtiofs }], Virtiofsd = new() { ExtraArgs = [{v}] },",
        ["virtiofsd-group"] = "Shares = [new() { Tag = \"share\", Source = \"/srv/share\", MountPoint = \"/mnt/share\", Proto = ShareProtocol.Virtiofs }], Virtiofsd = new() { Group = {v} },",
    };

    /// <summary>The source of <c>Fleet.Vm</c> with the row's value, and the markup span of the value.</summary>
    public static string Source(string rowId, string value, bool markSpan = false)
    {
        var literal = SymbolDisplay.FormatLiteral(value, quote: true);
        return Snippets.Vm(ByRow[rowId].Replace("{v}", markSpan ? "{|MVN250:" + literal + "|}" : literal, System.StringComparison.Ordinal));
    }
}
