using System.Collections.Generic;

namespace MicroVm.Nix;

/// <summary>
/// A disk attached to the guest as a virtio-blk device (one entry of upstream's <c>microvm.volumes</c>).
/// </summary>
/// <remarks>
/// Two ways to use a ZFS zvol, from the article this project started from:
/// <list type="bullet">
/// <item><description>raw block device, nothing mounted: <c>MountPoint = null</c>, <c>AutoCreate = false</c>;</description></item>
/// <item><description>pre-formatted filesystem: <c>MountPoint = "/mnt/data"</c>, <c>FsType = "ext4"</c>, <c>AutoCreate = false</c>.</description></item>
/// </list>
/// </remarks>
public sealed record Volume
{
    /// <summary>
    /// Path to the disk image on the host (upstream <c>image</c>). A string such as
    /// <c>"/var/lib/microvms/vm/data.img"</c>, a device such as <c>"/dev/sdb"</c>, or <c>new Zvol("pool", "name")</c>.
    /// </summary>
    /// <remarks>Upstream's description of <c>microvm.volumes.*.image</c> (microvm.nix 71beea0): Path to disk image on
    /// the host</remarks>
    public required DiskImage Image { get; init; }

    /// <summary>
    /// User-configured serial number for the disk (upstream <c>serial</c>, default <c>null</c>).
    /// The guest then finds the disk at the stable path <c>/dev/disk/by-id/virtio-SERIAL</c>;
    /// virtio-blk serials hold at most 20 bytes.
    /// </summary>
    /// <remarks>Upstream's description of <c>microvm.volumes.*.serial</c> (microvm.nix 71beea0): User-configured serial
    /// number for the disk</remarks>
    public string? Serial { get; init; }

    /// <summary>Whether to set <c>O_DIRECT</c> on the disk, bypassing the host page cache (upstream <c>direct</c>, default <c>false</c>).</summary>
    /// <remarks>Upstream's description of <c>microvm.volumes.*.direct</c> (microvm.nix 71beea0): Whether to set
    /// O_DIRECT on the disk.</remarks>
    public bool Direct { get; init; }

    /// <summary>Turn off write access (upstream <c>readOnly</c>, default <c>false</c>).</summary>
    /// <remarks>Upstream's description of <c>microvm.volumes.*.readOnly</c> (microvm.nix 71beea0): Turn off write
    /// access</remarks>
    public bool ReadOnly { get; init; }

    /// <summary>
    /// Label of the volume, if any (upstream <c>label</c>, default <c>null</c>). Only applied when
    /// <see cref="AutoCreate"/> formats the image; otherwise label the volume yourself. A labelled volume
    /// is mounted by <c>/dev/disk/by-label/LABEL</c>.
    /// </summary>
    /// <remarks>Upstream's description of <c>microvm.volumes.*.label</c> (microvm.nix 71beea0): Label of the volume, if
    /// any. Only applicable if <c>autoCreate</c> is true; otherwise labeling of the volume must be done
    /// manually</remarks>
    public string? Label { get; init; }

    /// <summary>
    /// If and where to mount the volume inside the guest (upstream <c>mountPoint</c>, no default: always set it).
    /// An absolute guest path mounts the filesystem there; <c>null</c> attaches the disk without mounting it,
    /// for raw block access as <c>/dev/vdX</c>.
    /// </summary>
    /// <remarks>Upstream's description of <c>microvm.volumes.*.mountPoint</c> (microvm.nix 71beea0): If and where to
    /// mount the volume inside the container</remarks>
    public required string? MountPoint { get; init; }

    /// <summary>
    /// Volume size in MiB when created automatically (upstream <c>size</c>, no default: always set it,
    /// even for a device that is never created).
    /// </summary>
    /// <remarks>Upstream's description of <c>microvm.volumes.*.size</c> (microvm.nix 71beea0): Volume size (in MiB) if
    /// created automatically</remarks>
    public required int Size { get; init; }

    /// <summary>
    /// Create and format the image on the host before start if it does not exist (upstream <c>autoCreate</c>,
    /// default <c>true</c>). Turn it off for block devices and zvols: when their node is missing, upstream
    /// creates a regular file in <c>/dev</c> and formats it, so data silently lands in RAM.
    /// </summary>
    /// <remarks>Upstream's description of <c>microvm.volumes.*.autoCreate</c> (microvm.nix 71beea0): Created image on
    /// host automatically before start?</remarks>
    public bool AutoCreate { get; init; } = true;

    /// <summary>Extra arguments for <c>mkfs</c> when the image is created (upstream <c>mkfsExtraArgs</c>, default empty).</summary>
    /// <remarks>Upstream's description of <c>microvm.volumes.*.mkfsExtraArgs</c> (microvm.nix 71beea0): Set extra
    /// Filesystem creation parameters</remarks>
    public IReadOnlyList<string> MkfsExtraArgs { get; init; } = [];

    /// <summary>
    /// Filesystem for automatic creation and mounting (upstream <c>fsType</c>, default <c>"ext4"</c>).
    /// <see cref="AutoCreate"/> can format ext2, ext3, ext4, xfs, btrfs and vfat.
    /// </summary>
    /// <remarks>Upstream's description of <c>microvm.volumes.*.fsType</c> (microvm.nix 71beea0): Filesystem for
    /// automatic creation and mounting</remarks>
    public string FsType { get; init; } = "ext4";

    /// <summary>
    /// Format of the image, only passed to the hypervisor (upstream <c>imageType</c>, default <c>"raw"</c>).
    /// Only supported with cloud-hypervisor.
    /// </summary>
    /// <remarks>Upstream's description of <c>microvm.volumes.*.imageType</c> (microvm.nix 71beea0): Format of the image
    /// (only passed to the hypervisor, does not change format of the image created if <c>autoCreate</c> is true). Only
    /// supported with cloud-hypervisor.</remarks>
    public ImageType ImageType { get; init; } = ImageType.Raw;
}
