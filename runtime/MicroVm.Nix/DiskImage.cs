namespace MicroVm.Nix;

/// <summary>
/// Where a volume's data lives on the host (upstream option <c>image</c>, a host path).
/// Write a plain string for an image file or device path, or use <see cref="Zvol"/> for a ZFS volume.
/// </summary>
/// <remarks>
/// A host path is never the path the guest sees: inside the guest every volume is a virtio-blk disk,
/// <c>/dev/vdX</c> in list order, or <c>/dev/disk/by-id/virtio-SERIAL</c> when <see cref="Volume.Serial"/> is set.
/// </remarks>
public abstract record DiskImage
{
    private protected DiskImage()
    {
    }

    /// <summary>The path on the host that microvm.nix passes to the hypervisor.</summary>
    public abstract string HostPath { get; }

    /// <summary>
    /// Whether this is a block device (a path under <c>/dev/</c>, a <see cref="Zvol"/>) rather than an image file.
    /// A block device must never be created by <see cref="Volume.AutoCreate"/>: if its node is missing, upstream
    /// would create and format a regular file in <c>/dev</c> (RAM) instead.
    /// </summary>
    public bool IsBlockDevice => HostPath.StartsWith("/dev/", System.StringComparison.Ordinal);

    /// <summary>Uses a host path as the image: an image file, or a block device when it is under <c>/dev/</c>.</summary>
    /// <param name="hostPath">An absolute path on the host, such as <c>/var/lib/microvms/vm/data.img</c> or <c>/dev/sdb</c>.</param>
    public static implicit operator DiskImage(string hostPath) => new HostPathImage(hostPath);

    /// <inheritdoc/>
    public override string ToString() => HostPath;
}

/// <summary>A disk image given by its host path: an image file, or a device node under <c>/dev/</c>.</summary>
/// <param name="Path">The absolute path on the host.</param>
public sealed record HostPathImage(string Path) : DiskImage
{
    /// <inheritdoc/>
    public override string HostPath => Path;

    /// <inheritdoc/>
    public override string ToString() => HostPath;
}

/// <summary>
/// A ZFS volume (zvol) attached as a raw block device. On the host it appears as
/// <c>/dev/zvol/&lt;Pool&gt;/&lt;Dataset&gt;</c>, a udev symlink to <c>/dev/zdN</c>.
/// </summary>
/// <param name="Pool">The pool name, such as <c>mypool</c>: it starts with a letter and holds only letters, digits, <c>_ - : .</c>.</param>
/// <param name="Dataset">The dataset path inside the pool, such as <c>myzvol</c> or <c>vms/storage/data</c>.</param>
/// <example><c>Image = new Zvol("mypool", "myzvol")</c> attaches <c>/dev/zvol/mypool/myzvol</c>.</example>
public sealed record Zvol(string Pool, string Dataset) : DiskImage
{
    /// <summary>
    /// Create the zvol on the host when it is missing, with these properties (opt-in; <c>null</c>: the
    /// zvol must already exist). See <see cref="ZvolProvisioning"/>.
    /// </summary>
    /// <example><c>new Zvol("tank", "vms/db") { Create = new() { VolSize = DataSize.GiB(100), VolBlockSize = DataSize.KiB(16), Sparse = true } }</c></example>
    public ZvolProvisioning? Create { get; init; }

    /// <summary>The full ZFS name, <c>&lt;Pool&gt;/&lt;Dataset&gt;</c>, as <c>zfs</c> commands take it.</summary>
    public string Name => Pool + "/" + Dataset;

    /// <summary>
    /// <c>/dev/zvol/&lt;Name&gt;</c>, with each blank of the name written as <c>+</c>, as OpenZFS's udev helper
    /// (<c>zvol_id</c>) names the link: the zvol <c>my pool/vm disk</c> is <c>/dev/zvol/my+pool/vm+disk</c>.
    /// </summary>
    public override string HostPath => "/dev/zvol/" + Name.Replace(' ', '+');

    /// <inheritdoc/>
    public override string ToString() => HostPath;
}
