namespace MicroVm.Nix;

/// <summary>
/// Where a volume appears inside its guest, computed the way microvm.nix does (<c>withDriveLetters</c>
/// in upstream lib/default.nix). The generator writes these into <c>MicroVm.Nix.Generated.GuestDevices</c>
/// and as comments next to each volume of the module.
/// </summary>
/// <param name="HostPath">The image on the host, such as <c>/dev/zvol/mypool/myzvol</c>.</param>
/// <param name="DevicePath">
/// The virtio-blk node in the guest, <c>/dev/vdX</c> in list order, after <c>/dev/vda</c> when the
/// store is on a disk. It moves when volumes are added, removed or reordered.
/// </param>
/// <param name="ById">The stable <c>/dev/disk/by-id/virtio-SERIAL</c>, when the volume has a serial the hypervisor passes on.</param>
/// <param name="ByLabel">The <c>/dev/disk/by-label/LABEL</c> microvm.nix mounts by, when the volume has a label.</param>
public sealed record GuestDevice(string HostPath, string DevicePath, string? ById, string? ByLabel)
{
    /// <summary>The most stable path: by id, else by label, else the <c>/dev/vdX</c> node.</summary>
    public string StablePath => ById ?? ByLabel ?? DevicePath;
}
