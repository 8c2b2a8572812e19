namespace MicroVm.Nix;

/// <summary>The ZFS <c>sync</c> property: how synchronous writes are honoured.</summary>
public enum ZfsSync
{
    /// <summary><c>standard</c>: as the application asks (the default).</summary>
    Standard,

    /// <summary><c>always</c>: every write is synchronous.</summary>
    Always,

    /// <summary><c>disabled</c>: synchronous requests are ignored (fast, loses recent writes on power failure).</summary>
    Disabled,
}

/// <summary>The ZFS <c>logbias</c> property: how the intent log is used for synchronous writes.</summary>
public enum ZfsLogBias
{
    /// <summary><c>latency</c>: use a separate log device if there is one (the default).</summary>
    Latency,

    /// <summary><c>throughput</c>: write to the pool directly; good for large sequential writes such as databases.</summary>
    Throughput,
}

/// <summary>The ZFS <c>primarycache</c> property: what the ARC caches.</summary>
public enum ZfsCache
{
    /// <summary><c>all</c>: data and metadata (the default).</summary>
    All,

    /// <summary><c>none</c>.</summary>
    None,

    /// <summary><c>metadata</c>: metadata only, when the guest's page cache already caches the data.</summary>
    Metadata,
}

/// <summary>
/// Opt-in creation of a zvol on the host. The host module gets a systemd oneshot, ordered before the
/// VM's service, that creates the zvol with these properties when it does not exist, never destroys
/// or resizes one, and stops the VM from starting, with a message, when an existing zvol's size or
/// block size differs from these.
/// </summary>
public sealed record ZvolProvisioning
{
    /// <summary>The zvol's size (<c>volsize</c>), such as <c>DataSize.GiB(100)</c>: a multiple of <see cref="VolBlockSize"/>.</summary>
    public required DataSize VolSize { get; init; }

    /// <summary>
    /// The block size (<c>volblocksize</c>), a power of two from 512 B to 16 MiB; match it to the guest's
    /// IO size (16 KiB for many databases). Fixed when the zvol is created. <c>null</c>: ZFS's default.
    /// </summary>
    public DataSize? VolBlockSize { get; init; }

    /// <summary>The <c>compression</c> property, such as <c>"lz4"</c>, <c>"zstd"</c>, <c>"zstd-3"</c> or <c>"off"</c>; <c>null</c>: inherited.</summary>
    public string? Compression { get; init; }

    /// <summary>The <c>sync</c> property; <c>null</c>: inherited.</summary>
    public ZfsSync? Sync { get; init; }

    /// <summary>The <c>logbias</c> property; <c>null</c>: inherited.</summary>
    public ZfsLogBias? LogBias { get; init; }

    /// <summary>The <c>primarycache</c> property; <c>null</c>: inherited.</summary>
    public ZfsCache? PrimaryCache { get; init; }

    /// <summary>Create the zvol sparse (<c>zfs create -s</c>, no refreservation): space is taken only as it is written.</summary>
    public bool Sparse { get; init; }
}
