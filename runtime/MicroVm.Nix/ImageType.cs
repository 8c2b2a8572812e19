namespace MicroVm.Nix;

/// <summary>
/// Format of a volume's disk image (upstream option <c>imageType</c>, default <c>"raw"</c>).
/// Only passed to the hypervisor: it does not change the format of an image created by <see cref="Volume.AutoCreate"/>.
/// Only cloud-hypervisor supports a value other than <see cref="Raw"/>.
/// </summary>
public enum ImageType
{
    /// <summary>A raw image or block device (<c>"raw"</c>), the default.</summary>
    Raw,

    /// <summary>A QEMU copy-on-write image (<c>"qcow2"</c>); cloud-hypervisor only.</summary>
    Qcow2,

    /// <summary>A Virtual Hard Disk image (<c>"vhd"</c>); cloud-hypervisor only.</summary>
    Vhd,

    /// <summary>A Virtual Hard Disk v2 image (<c>"vhdx"</c>); cloud-hypervisor only.</summary>
    Vhdx,
}
