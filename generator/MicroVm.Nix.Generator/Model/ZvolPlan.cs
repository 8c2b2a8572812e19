using System.Linq;
using MicroVm.Nix.Generator.Schema;
using MicroVm.Nix.Generator.Validation;

namespace MicroVm.Nix.Generator.Model;

/// <summary>A zvol the host module creates when it is missing (<c>Zvol.Create</c>).</summary>
/// <param name="Name">The ZFS name, <c>pool/dataset</c> (validated: no quote or glob).</param>
/// <param name="VolSize">volsize in bytes.</param>
/// <param name="VolBlockSize">volblocksize in bytes, or <c>null</c> for ZFS's default.</param>
/// <param name="Properties">Other properties to set at creation (<c>compression</c>, …), by ZFS name, in schema order.</param>
/// <param name="Sparse">Create without refreservation (<c>-s</c>).</param>
internal sealed record ZvolPlan(string Name, long VolSize, long? VolBlockSize, EquatableArray<FieldValue> Properties, bool Sparse)
{
    public static EquatableArray<ZvolPlan> For(BoundRecord vm) =>
        vm.Records("Volumes")
            .Select(v => v.Effective("Image"))
            .OfType<ObjectValue>()
            .Where(image => image.Type == MicroVmSchema.ZvolType && image.Get("Create")?.Value is ObjectValue && VmValidator.ZvolName(image) is not null)
            .Select(From)
            .ToEquatableArray();

    /// <summary>The plan of one zvol image whose <c>Create</c> is set.</summary>
    public static ZvolPlan From(ObjectValue image)
    {
        var plan = new BoundRecord(MicroVmSchema.ZvolProvisioning, (ObjectValue)image.Get("Create")!.Value);
        var properties = plan.Schema.Options
            .Where(o => o.Property is "Compression" or "Sync" or "LogBias" or "PrimaryCache" && plan.Explicit(o.Property) is StringValue or EnumValue)
            .Select(o => new FieldValue(o.NixName, new StringValue(
                plan.Explicit(o.Property) is EnumValue e ? o.NixEnumName(e.Member)! : ((StringValue)plan.Explicit(o.Property)!).Value, null)))
            .ToEquatableArray();
        return new ZvolPlan(
            VmValidator.ZvolName(image)!,
            VolumeRules.Bytes(plan.Explicit("VolSize")) ?? 0,
            VolumeRules.Bytes(plan.Explicit("VolBlockSize")),
            properties,
            plan.Bool("Sparse") == true);
    }
}
