using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using MicroVm.Nix.Generator.Diagnostics;
using MicroVm.Nix.Generator.Model;
using MicroVm.Nix.Generator.Schema;
using static MicroVm.Nix.Generator.Validation.VmValidator;

namespace MicroVm.Nix.Generator.Validation;

/// <summary>
/// Volume checks: the seed article's pitfalls (block devices formatted by accident, relative mount
/// points, unstable guest device names) and what upstream's lib/volumes.nix and asserts.nix refuse.
/// </summary>
internal static class VolumeRules
{
    /// <summary>Maximum label length in bytes per filesystem (e2label, xfs_admin, mkfs.vfat, btrfs).</summary>
    private static readonly Dictionary<string, int> LabelLimits = new(StringComparer.Ordinal)
    {
        ["ext2"] = 16,
        ["ext3"] = 16,
        ["ext4"] = 16,
        ["xfs"] = 12,
        ["vfat"] = 11,
        ["btrfs"] = 255,
    };

    private static readonly string[] ReservedPoolNames = ["mirror", "raidz", "draid", "spare", "log"];
    private static readonly string[] ReservedPoolPrefixes = ["mirror", "raidz", "draid", "spare"];

    public static void Validate(VmSpec spec, List<DiagnosticInfo> diagnostics)
    {
        var vm = spec.Vm;
        var volumes = vm.Records("Volumes");
        var anyAutoCreate = volumes.Any(v => v.Bool("AutoCreate") == true);
        var storeOnDisk = StoreOnDisk(vm);
        var letters = storeOnDisk ? 25 : 26;
        var images = new HashSet<string>(StringComparer.Ordinal);
        var devices = GuestDeviceMap.For(vm);

        for (var i = 0; i < volumes.Count; i++)
        {
            var volume = volumes[i];
            var image = ImagePath(volume);
            var autoCreate = volume.Bool("AutoCreate") == true;

            if (image is not null && !image.StartsWith("/", StringComparison.Ordinal))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ImageNotAbsolute, volume.LocationOf("Image"), image, "/var/lib/microvms/" + spec.HostName + "/" + image));
            }

            if (image is not null && IsBlockDevice(image) && autoCreate)
            {
                // Report on 'AutoCreate = true' when written, else on the image that makes this a block device.
                var location = volume.Explicit("AutoCreate")?.Location ?? volume.LocationOf("Image");
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.BlockDeviceAutoCreate, location, image)
                    .WithFix("AutoCreate", "false", "Turn AutoCreate off"));
            }

            if (image is not null && IsBlockDevice(image) && volume.Effective("Image") is ObjectValue { Type: MicroVmSchema.HostPathImageType }
                && image.FirstOrDefault(c => !IsUdevPathChar(c)) is var bad and not '\0')
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnmatchableDevicePath, volume.LocationOf("Image"), image, bad.ToString()));
            }

            if (image is not null && !images.Add(image))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateVolumeImage, volume.LocationOf("Image"), image));
            }

            var mountPoint = volume.Effective("MountPoint") as StringValue;
            if (mountPoint is not null && !mountPoint.Value.StartsWith("/", StringComparison.Ordinal))
            {
                diagnostics.Add(AbsolutePathFix(DiagnosticInfo.Create(DiagnosticDescriptors.MountPointNotAbsolute, mountPoint.Location, mountPoint.Value, mountPoint.Value.TrimStart('.', '/')), mountPoint.Value));
            }

            // Upstream only reads the size when it creates the image.
            if (autoCreate && volume.Int("Size") is <= 0 and var size)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.SizeNotPositive, volume.LocationOf("Size"), Number(size)));
            }

            var fsType = volume.String("FsType") ?? "ext4";
            if (anyAutoCreate && !MicroVmSchema.AutoCreateFsTypes.Contains(fsType))
            {
                var (why, advice) = autoCreate
                    ? ("AutoCreate is on", "Set 'AutoCreate = false' and format the volume yourself, or use one of those filesystems.")
                    : ("another volume of this VM has AutoCreate on, and upstream then looks up a mkfs for every volume's fsType", "Turn AutoCreate off on the other volumes too.");
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.FsTypeNotCreatable, volume.LocationOf("FsType"), fsType, why, advice));
            }

            CheckLabel(volume, fsType, autoCreate, diagnostics);
            CheckSerial(volume, diagnostics);
            CheckZvolName(volume, diagnostics);
            CheckProvisioning(volume, diagnostics);

            if (volume.Enum("ImageType") is { } imageType and not "Raw" && vm.Enum("Hypervisor") != "CloudHypervisor")
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ImageTypeNeedsCloudHypervisor, volume.LocationOf("ImageType"),
                    volume.Schema["ImageType"].NixEnumName(imageType)!, HypervisorName(vm)));
            }

            var guestDevice = devices[i].DevicePath;
            if (guestDevice is null)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.TooManyVolumes, volume.Value.Location,
                    Number(i + 1), Number(letters), storeOnDisk ? ", less /dev/vda for the store" : string.Empty));
            }
            else if (image is not null && IsBlockDevice(image) && volume.Effective("MountPoint") is NullValue && volume.Effective("Serial") is NullValue
                && vm.Enum("Hypervisor") is not ("Firecracker" or "Kvmtool" or "Alioth" or "Vfkit"))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.RawDeviceWithoutSerial, volume.LocationOf("Image"), image, guestDevice)
                    .WithFix("Serial", Literal(SerialFor(volume)), "Add Serial = \"" + SerialFor(volume) + "\""));
            }
        }
    }

    private static void CheckLabel(BoundRecord volume, string fsType, bool autoCreate, List<DiagnosticInfo> diagnostics)
    {
        if (volume.Effective("Label") is not StringValue label)
        {
            return;
        }

        if (!autoCreate)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.LabelWithoutAutoCreate, label.Location, label.Value));
        }

        var bytes = Encoding.UTF8.GetByteCount(label.Value);
        if (LabelLimits.TryGetValue(fsType, out var limit) && bytes > limit)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.LabelTooLong, label.Location, label.Value, Number(bytes), fsType, Number(limit)));
        }
    }

    private static void CheckSerial(BoundRecord volume, List<DiagnosticInfo> diagnostics)
    {
        if (volume.Effective("Serial") is not StringValue serial)
        {
            return;
        }

        var bytes = Encoding.UTF8.GetByteCount(serial.Value);
        var problem = serial.Value.Length == 0 ? "is empty"
            : bytes > 20 ? "is " + Number(bytes) + " bytes long"
            : serial.Value.FirstOrDefault(c => !IsSerialChar(c)) is var bad and not '\0' ? "contains '" + bad + "'"
            : null;
        if (problem is not null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidSerial, serial.Location, serial.Value, problem));
        }
    }

    /// <summary>Characters a udev match takes literally (no glob, quote, space or Nix interpolation).</summary>
    private static bool IsUdevPathChar(char c) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '.' or '_' or '+' or ':' or '@' or '=' or ',' or '#' or '-' or '/';

    /// <summary>Characters udev keeps in /dev/disk/by-id names and QEMU accepts in a -drive serial.</summary>
    private static bool IsSerialChar(char c) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_' or '-' or '.' or ':' or '+' or '#' or '=' or '@';

    /// <summary>A serial derived from the image: its last path component, made safe and cut to 20 bytes.</summary>
    internal static string SerialFor(BoundRecord volume)
    {
        var image = ImagePath(volume) ?? "disk";
        var name = image.Substring(image.LastIndexOf('/') + 1);
        var safe = new string(name.Select(c => c < 128 && IsSerialChar(c) ? c : '-').ToArray()).Trim('-');
        if (safe.Length == 0)
        {
            safe = "disk";
        }

        return safe.Length <= 20 ? safe : safe.Substring(0, 20);
    }

    private static void CheckZvolName(BoundRecord volume, List<DiagnosticInfo> diagnostics)
    {
        if (volume.Effective("Image") is not ObjectValue { Type: MicroVmSchema.ZvolType } zvol
            || zvol.Get("Pool")?.Value is not StringValue pool
            || zvol.Get("Dataset")?.Value is not StringValue dataset)
        {
            return;
        }

        if (PoolProblem(pool.Value) is { } poolProblem)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidZfsName, pool.Location, "pool", pool.Value, poolProblem));
        }

        if (DatasetProblem(dataset.Value, pool.Value.Length) is { } datasetProblem)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidZfsName, dataset.Location, "dataset", dataset.Value, datasetProblem));
        }
    }

    private static bool IsZfsChar(char c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_' or '-' or ':' or '.';

    private static readonly System.Text.RegularExpressions.Regex CompressionValues = new(
        "^(on|off|lz4|lzjb|zle|gzip|gzip-[1-9]|zstd|zstd-([1-9]|1[0-9])|zstd-fast|zstd-fast-([1-9]|10|[2-9]0|100|500|1000))\\z",
        System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    /// <summary><c>Zvol.Create</c>: sizes ZFS accepts, a known compression.</summary>
    private static void CheckProvisioning(BoundRecord volume, List<DiagnosticInfo> diagnostics)
    {
        if (volume.Effective("Image") is not ObjectValue { Type: MicroVmSchema.ZvolType } zvol || zvol.Get("Create")?.Value is not ObjectValue create
            || ZvolName(zvol) is not { } name)
        {
            return;
        }

        var plan = new BoundRecord(MicroVmSchema.ZvolProvisioning, create);
        var size = Bytes(plan.Explicit("VolSize"));
        var block = Bytes(plan.Explicit("VolBlockSize"));

        void Report(string property, string problem) =>
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidZvolProvisioning, plan.LocationOf(property), name, problem));

        if (size is <= 0)
        {
            Report("VolSize", "VolSize must be more than 0 bytes");
        }

        if (block is { } b && (b < 512 || b > 16L << 20 || (b & (b - 1)) != 0))
        {
            Report("VolBlockSize", "VolBlockSize " + Number(b) + " B is not a power of two from 512 B to 16 MiB");
        }
        else if (block is { } b2 && size is > 0 and var s && s % b2 != 0)
        {
            Report("VolSize", "VolSize " + Number(s) + " B is not a multiple of VolBlockSize " + Number(b2) + " B, which ZFS requires");
        }

        if (plan.Explicit("Compression") is StringValue compression && !CompressionValues.IsMatch(compression.Value))
        {
            Report("Compression", "Compression '" + compression.Value + "' is not a ZFS compression (on, off, lz4, lzjb, zle, gzip[-1..9], zstd[-1..19], zstd-fast[-N])");
        }
    }

    /// <summary>The bytes of a DataSize value.</summary>
    internal static long? Bytes(EvalValue? value) => (value as ObjectValue)?.Get("Bytes")?.Value is IntValue bytes ? bytes.Value : null;

    internal static string? PoolProblem(string pool)
    {
        if (pool.Length == 0)
        {
            return "it is empty";
        }

        if (!(pool[0] is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z')))
        {
            return "a pool name must begin with a letter";
        }

        if (pool.FirstOrDefault(c => !IsZfsChar(c) && c != ' ') is var bad and not '\0')
        {
            return "'" + bad + "' is not allowed; use letters, digits, space and _ - : .";
        }

        if (ReservedPoolNames.Contains(pool) || ReservedPoolPrefixes.Any(p => pool.StartsWith(p, StringComparison.Ordinal)))
        {
            return "'mirror', 'raidz', 'draid', 'spare' and 'log' are reserved, as are names beginning with mirror, raidz, draid or spare";
        }

        return null;
    }

    internal static string? DatasetProblem(string dataset, int poolLength)
    {
        if (dataset.Length == 0)
        {
            return "it is empty; name the zvol inside the pool";
        }

        if (poolLength + 1 + dataset.Length > 255)
        {
            return "the full name is over 255 characters";
        }

        foreach (var component in dataset.Split('/'))
        {
            if (component.Length == 0)
            {
                return "it has an empty component (a leading, trailing or doubled '/')";
            }

            if (component is "." or "..")
            {
                return "'" + component + "' is not a dataset name";
            }

            if (component.FirstOrDefault(c => !IsZfsChar(c) && c != ' ') is var bad and not '\0')
            {
                return "'" + bad + "' is not allowed; use letters, digits, space and _ - : . and '/' between components";
            }
        }

        return null;
    }

    /// <summary>
    /// Offers the code fix "make it absolute" where the intent is clear: the relative path names
    /// something ("data", "./data"); an empty or dots-only path gets no fix.
    /// </summary>
    internal static DiagnosticInfo AbsolutePathFix(DiagnosticInfo diagnostic, string relative)
    {
        var absolute = "/" + relative.TrimStart('.', '/');
        return absolute.Length > 1 ? diagnostic.WithFix("MountPoint", Literal(absolute), "Use '" + absolute + "'") : diagnostic;
    }

    /// <summary>A C# string literal for a code fix.</summary>
    internal static string Literal(string value) => Microsoft.CodeAnalysis.CSharp.SymbolDisplay.FormatLiteral(value, quote: true);
}
