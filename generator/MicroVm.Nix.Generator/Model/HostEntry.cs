using System.Linq;
using MicroVm.Nix.Generator.Schema;
using MicroVm.Nix.Generator.Validation;

namespace MicroVm.Nix.Generator.Model;

/// <summary>A block device a VM attaches, as the host's udev rules need it.</summary>
/// <param name="Path">The host path.</param>
/// <param name="Zvol">For a zvol, its ZFS name (<c>pool/dataset</c>), which OpenZFS's zvol_id prints.</param>
/// <param name="ReadOnly">Attached read-only: the rule grants read access only.</param>
internal sealed record HostBlockDevice(string Path, string? Zvol, bool ReadOnly);

/// <summary>
/// What the host module needs of one VM: its entry under <c>microvm.vms</c>, the block devices its
/// user must be able to open, and the paths its volumes get in the guest. Plain data, built once
/// when the VM is rendered.
/// </summary>
internal sealed record HostEntry(
    string Name,
    string Member,
    string FileName,
    EquatableArray<FieldValue> HostOptions,
    EquatableArray<HostBlockDevice> BlockDevices,
    EquatableArray<GuestDeviceInfo> Devices,
    EquatableArray<ZvolPlan> Zvols)
{
    /// <summary>For an element of a list member, where it sits in the list.</summary>
    public ListElement? Element { get; init; }

    /// <summary>The host the VM is placed on, or <c>null</c> in a project without hosts.</summary>
    public Placement? Placement { get; init; }

    /// <summary>The VM's tap interfaces on typed networks, which its host attaches or routes.</summary>
    public EquatableArray<TapPlan> Taps { get; init; } = EquatableArray<TapPlan>.Empty;

    /// <summary>The module's path inside the output folder: <c>db.nix</c>, or <c>alpha/db.nix</c> on host <c>alpha</c>.</summary>
    public string OutputPath => Placement is null ? FileName : Placement.Name + "/" + FileName;

    public static HostEntry From(VmSpec spec, string fileName) => new(
        spec.HostName,
        spec.Member,
        fileName,
        spec.Vm.Schema.Options
            .Where(o => o.Scope == OptionScope.Host && spec.Vm.Explicit(o.Property) is not null)
            .Select(o => new FieldValue(o.NixName, spec.Vm.Explicit(o.Property)! with { Location = null }))
            .ToEquatableArray(),
        spec.Vm.Records("Volumes")
            .Where(v => VmValidator.ImagePath(v) is { } path && VmValidator.IsBlockDevice(path))
            .Select(v => new HostBlockDevice(
                VmValidator.ImagePath(v)!,
                v.Effective("Image") is ObjectValue image ? VmValidator.ZvolName(image) : null,
                v.Bool("ReadOnly") == true))
            .ToEquatableArray(),
        GuestDeviceMap.For(spec.Vm),
        ZvolPlan.For(spec.Vm))
    {
        Element = spec.Element,
        Placement = Placement.From(spec.Vm),
        Taps = TapPlan.For(spec.Vm),
    };
}
