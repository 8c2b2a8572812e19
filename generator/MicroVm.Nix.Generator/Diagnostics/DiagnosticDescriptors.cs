using Microsoft.CodeAnalysis;

namespace MicroVm.Nix.Generator.Diagnostics;

/// <summary>
/// Every diagnostic MicroVm.Nix reports, in one catalogue. IDs: <c>MVN0xx</c> reading the C# source,
/// <c>MVN1xx</c> volumes, <c>MVN2xx</c> the VM itself, <c>MVN3xx</c> across all VMs of the compilation.
/// Keep AnalyzerReleases.Unshipped.md and docs/diagnostics/ in step with this file.
/// </summary>
internal static class DiagnosticDescriptors
{
    private const string Reading = "MicroVm.Nix.Reading";
    private const string Volumes = "MicroVm.Nix.Volumes";
    private const string Vm = "MicroVm.Nix.Vm";
    private const string Fleet = "MicroVm.Nix.Fleet";

    /// <summary>MVN001: "The value of '{0}' cannot be read at compile time: {1}".</summary>
    public static readonly DiagnosticDescriptor UnsupportedExpression = Error(
        "MVN001", Reading, "Value cannot be read at compile time",
        "The value of '{0}' cannot be read at compile time: {1}. Use literals, constants, enum members, 'new' with initializers, collection expressions, 'with', or const/static readonly members of this project.");

    /// <summary>MVN002: "[MicroVmModule] member '{0}' {1}".</summary>
    public static readonly DiagnosticDescriptor InvalidModuleMember = Error(
        "MVN002", Reading, "[MicroVmModule] must mark a static VirtualMachine field or property with a value",
        "[MicroVmModule] member '{0}' {1}");

    /// <summary>MVN003: "'{0}' must not be null: upstream option '{1}' is not nullable".</summary>
    public static readonly DiagnosticDescriptor ValueRequired = Error(
        "MVN003", Reading, "Option must not be null",
        "'{0}' must not be null: upstream option '{1}' has type {2}");

    /// <summary>MVN004: "'{0}' contains a NUL character, which a Nix string cannot hold".</summary>
    public static readonly DiagnosticDescriptor NulInString = Error(
        "MVN004", Reading, "String contains a NUL character",
        "'{0}' contains a NUL character, which a Nix string cannot hold");

    /// <summary>MVN101: "Block device '{0}' must not have AutoCreate enabled …".</summary>
    public static readonly DiagnosticDescriptor BlockDeviceAutoCreate = Error(
        "MVN101", Volumes, "Block device with AutoCreate",
        "Block device '{0}' must not have AutoCreate enabled: if the device node is missing (zvol not created, pool not imported), microvm.nix creates a regular file in /dev and formats it, so data silently lands in RAM. Set 'AutoCreate = false'.");

    /// <summary>MVN102: "MountPoint '{0}' is not an absolute guest path …".</summary>
    public static readonly DiagnosticDescriptor MountPointNotAbsolute = Error(
        "MVN102", Volumes, "MountPoint is not an absolute path",
        "MountPoint '{0}' is not an absolute guest path: upstream's type is 'nullOr path'. Write an absolute path such as '/{1}', or null to attach the disk without mounting it.");

    /// <summary>MVN103: "Size {0} is not a positive number of MiB".</summary>
    public static readonly DiagnosticDescriptor SizeNotPositive = Error(
        "MVN103", Volumes, "Volume size is not positive",
        "Size {0} is not a positive number of MiB: upstream truncates the image to this size when it creates it, and always requires it");

    /// <summary>MVN104: "Image '{0}' is not an absolute host path".</summary>
    public static readonly DiagnosticDescriptor ImageNotAbsolute = Error(
        "MVN104", Volumes, "Image is not an absolute host path",
        "Image '{0}' is not an absolute host path: microvm.nix resolves a relative path against the VM's state directory, not this project. Write the full path, e.g. '/var/lib/microvms/<name>/{0}'.");

    /// <summary>MVN201: "HostName '{0}' is not a valid host name …".</summary>
    public static readonly DiagnosticDescriptor InvalidHostName = Error(
        "MVN201", Vm, "Invalid host name",
        "HostName '{0}' is not a valid host name: use 1 to 63 letters, digits and '-', not starting or ending with '-' (it also names the generated file)");

    /// <summary>MVN202: "{0} is {1}, but upstream option '{2}' requires at least {3}".</summary>
    public static readonly DiagnosticDescriptor ValueTooSmall = Error(
        "MVN202", Vm, "Value below upstream's minimum",
        "{0} is {1}, but upstream option '{2}' requires at least {3}");

    /// <summary>MVN301: "Host name '{0}' is used by {1} VMs …".</summary>
    public static readonly DiagnosticDescriptor DuplicateHostName = Error(
        "MVN301", Fleet, "Two VMs with the same host name",
        "Host name '{0}' is also used by '{1}': both would be written to '{0}.nix'. Give each VM its own HostName.");

    public static readonly DiagnosticDescriptor[] All =
    [
        UnsupportedExpression, InvalidModuleMember, ValueRequired, NulInString,
        BlockDeviceAutoCreate, MountPointNotAbsolute, SizeNotPositive, ImageNotAbsolute,
        InvalidHostName, ValueTooSmall, DuplicateHostName,
    ];

    private static DiagnosticDescriptor Error(string id, string category, string title, string message) =>
        new(id, title, message, category, DiagnosticSeverity.Error, isEnabledByDefault: true);
}
