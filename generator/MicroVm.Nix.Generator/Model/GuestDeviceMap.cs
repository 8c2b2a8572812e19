using System.Linq;
using MicroVm.Nix.Generator.Validation;

namespace MicroVm.Nix.Generator.Model;

/// <summary>One volume's paths inside the guest; mirrors the runtime's <c>GuestDevice</c>.</summary>
internal sealed record GuestDeviceInfo(string HostPath, string? DevicePath, string? ById, string? ByLabel)
{
    /// <summary>The comment written above the volume in the guest module.</summary>
    public string Comment =>
        "guest: " + string.Join(", ", new[] { DevicePath ?? "not attached (past /dev/vdz)", ById, ByLabel }.Where(p => p is not null));
}

/// <summary>
/// The guest device map: upstream's <c>withDriveLetters</c> (lib/default.nix) zips the volumes with
/// <c>a..z</c>, skipping <c>a</c> when the store is on a disk; a serial gives
/// <c>/dev/disk/by-id/virtio-SERIAL</c> where the hypervisor passes it on; a label gives
/// <c>/dev/disk/by-label/LABEL</c>, which upstream's mounts use.
/// </summary>
internal static class GuestDeviceMap
{
    /// <summary>Hypervisors whose runners drop a volume's serial (lib/runners/firecracker.nix, kvmtool.nix, alioth.nix, vfkit.nix).</summary>
    private static readonly string[] SerialDropped = ["Firecracker", "Kvmtool", "Alioth", "Vfkit"];

    public static EquatableArray<GuestDeviceInfo> For(BoundRecord vm)
    {
        var offset = VmValidator.StoreOnDisk(vm) ? 1 : 0;
        var serials = !SerialDropped.Contains(vm.Enum("Hypervisor"));
        return vm.Records("Volumes").Select((volume, i) => new GuestDeviceInfo(
            VmValidator.ImagePath(volume) ?? string.Empty,
            i + offset < 26 ? "/dev/vd" + (char)('a' + i + offset) : null,
            serials && volume.Effective("Serial") is StringValue serial ? "/dev/disk/by-id/virtio-" + serial.Value : null,
            volume.Effective("Label") is StringValue label ? "/dev/disk/by-label/" + label.Value : null)).ToEquatableArray();
    }
}
