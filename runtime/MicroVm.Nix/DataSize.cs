using System.Globalization;

namespace MicroVm.Nix;

/// <summary>
/// A size in bytes, written with its unit: <c>DataSize.GiB(100)</c>, <c>DataSize.KiB(16)</c>. Used for
/// zvol properties; the generator reads these factory calls from source.
/// </summary>
/// <param name="Bytes">The size in bytes.</param>
public readonly record struct DataSize(long Bytes)
{
    /// <summary>A size in bytes.</summary>
    /// <param name="bytes">Number of bytes.</param>
    public static DataSize FromBytes(long bytes) => new(bytes);

    /// <summary>A size in kibibytes (1024 bytes).</summary>
    /// <param name="kibibytes">Number of KiB.</param>
    public static DataSize KiB(long kibibytes) => new(checked(kibibytes * 1024));

    /// <summary>A size in mebibytes (1024 KiB).</summary>
    /// <param name="mebibytes">Number of MiB.</param>
    public static DataSize MiB(long mebibytes) => new(checked(mebibytes * 1024 * 1024));

    /// <summary>A size in gibibytes (1024 MiB).</summary>
    /// <param name="gibibytes">Number of GiB.</param>
    public static DataSize GiB(long gibibytes) => new(checked(gibibytes * 1024 * 1024 * 1024));

    /// <summary>A size in tebibytes (1024 GiB).</summary>
    /// <param name="tebibytes">Number of TiB.</param>
    public static DataSize TiB(long tebibytes) => new(checked(tebibytes * 1024 * 1024 * 1024 * 1024));

    /// <inheritdoc/>
    public override string ToString() => Bytes.ToString(CultureInfo.InvariantCulture) + " B";
}
