using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using MicroVm.Nix.Generator.Diagnostics;
using MicroVm.Nix.Generator.Model;
using MicroVm.Nix.Generator.Schema;

namespace MicroVm.Nix.Generator.Validation;

/// <summary>
/// The checks on one VM that would otherwise fail late in Nix, at rebuild or at VM start. Each
/// diagnostic lands on the expression that set the offending value.
/// </summary>
internal static class VmValidator
{
    public static void Validate(VmSpec spec, List<DiagnosticInfo> diagnostics)
    {
        var vm = spec.Vm;
        var hostName = vm.String("HostName") ?? string.Empty;
        if (!IsValidHostName(hostName))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidHostName, vm.LocationOf("HostName"), hostName));
        }

        CheckMinimums(vm, spec.Member, diagnostics);

        var volumes = vm.Records("Volumes");
        for (var i = 0; i < volumes.Count; i++)
        {
            ValidateVolume(volumes[i], spec.Member + ".Volumes[" + i.ToString(CultureInfo.InvariantCulture) + "]", diagnostics);
        }
    }

    private static void ValidateVolume(BoundRecord volume, string path, List<DiagnosticInfo> diagnostics)
    {
        CheckMinimums(volume, path, diagnostics);
        var image = ImagePath(volume);
        if (image is not null && !image.StartsWith("/", System.StringComparison.Ordinal))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ImageNotAbsolute, volume.LocationOf("Image"), image));
        }

        if (image is not null && IsBlockDevice(image) && volume.Bool("AutoCreate") == true)
        {
            // Report on 'AutoCreate = true' when written, else on the image that makes this a block device.
            var location = volume.Explicit("AutoCreate")?.Location ?? volume.LocationOf("Image");
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.BlockDeviceAutoCreate, location, image));
        }

        if (volume.Effective("MountPoint") is StringValue mountPoint && !mountPoint.Value.StartsWith("/", System.StringComparison.Ordinal))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MountPointNotAbsolute, mountPoint.Location, mountPoint.Value, mountPoint.Value.TrimStart('.', '/')));
        }

        if (volume.Int("Size") is <= 0 and var size)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.SizeNotPositive, volume.LocationOf("Size"), size.ToString(CultureInfo.InvariantCulture)));
        }
    }

    private static void CheckMinimums(BoundRecord record, string path, List<DiagnosticInfo> diagnostics)
    {
        foreach (var option in record.Schema.Options.Where(o => o.Minimum is not null))
        {
            if (record.Explicit(option.Property) is IntValue value && value.Value < option.Minimum)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ValueTooSmall, value.Location,
                    path + "." + option.Property,
                    value.Value.ToString(CultureInfo.InvariantCulture),
                    record.Schema.NixPath + "." + option.NixName,
                    option.Minimum!.Value.ToString(CultureInfo.InvariantCulture)));
            }
        }
    }

    /// <summary>The host path of a volume's image, as the module will write it.</summary>
    public static string? ImagePath(BoundRecord volume) => volume.Effective("Image") is ObjectValue image ? HostPath(image) : null;

    /// <summary>The host path of a <c>DiskImage</c> value; mirrors <c>DiskImage.HostPath</c> in the runtime.</summary>
    public static string? HostPath(ObjectValue image) => image.Type switch
    {
        MicroVmSchema.HostPathImageType => (image.Get("Path")?.Value as StringValue)?.Value,
        MicroVmSchema.ZvolType => "/dev/zvol/" + (image.Get("Pool")?.Value as StringValue)?.Value + "/" + (image.Get("Dataset")?.Value as StringValue)?.Value,
        _ => null,
    };

    /// <summary>Mirrors <c>DiskImage.IsBlockDevice</c>: anything under <c>/dev/</c>.</summary>
    public static bool IsBlockDevice(string hostPath) => hostPath.StartsWith("/dev/", System.StringComparison.Ordinal);

    /// <summary>An RFC 1123 label: 1–63 letters, digits and hyphens, not starting or ending with a hyphen.</summary>
    public static bool IsValidHostName(string name) =>
        name.Length is >= 1 and <= 63
        && name[0] != '-' && name[name.Length - 1] != '-'
        && name.All(c => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '-');
}
