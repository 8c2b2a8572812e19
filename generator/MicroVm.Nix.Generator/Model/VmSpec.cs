using System.Collections.Generic;
using System.Linq;
using MicroVm.Nix.Generator.Diagnostics;
using MicroVm.Nix.Generator.Schema;

namespace MicroVm.Nix.Generator.Model;

/// <summary>
/// A runtime record read from source, with the schema that describes it. Holds only what the source
/// set; <see cref="Effective"/> falls back to upstream's default.
/// </summary>
internal sealed record BoundRecord(RecordSchema Schema, ObjectValue Value)
{
    /// <summary>The value the source set for <paramref name="property"/>, or <c>null</c> if it kept the default.</summary>
    /// <exception cref="UnreadException">The source set it, but its value could not be read (<see cref="UnreadValue"/>).</exception>
    public EvalValue? Explicit(string property) => Value.Get(property)?.Value switch
    {
        UnreadValue => throw new UnreadException(),
        var value => value,
    };

    /// <summary>The value in force: what the source set, else upstream's default.</summary>
    public EvalValue? Effective(string property) => Explicit(property) ?? Schema[property].Default;

    public string? String(string property) => (Effective(property) as StringValue)?.Value;

    public bool? Bool(string property) => (Effective(property) as BoolValue)?.Value;

    public long? Int(string property) => (Effective(property) as IntValue)?.Value;

    /// <summary>The C# member name of an enum option's value (<c>"NineP"</c>), or <c>null</c>.</summary>
    public string? Enum(string property) => (Effective(property) as EnumValue)?.Member;

    /// <summary>How many elements a list or dictionary option holds.</summary>
    public int Count(string property) => Effective(property) switch
    {
        ListValue list => list.Items.Count,
        MapValue map => map.Entries.Count,
        _ => 0,
    };

    /// <summary>Where to report a problem with <paramref name="property"/>: where it was set, else the record itself.</summary>
    public LocationInfo? LocationOf(string property) => Explicit(property)?.Location ?? Value.Location;

    /// <summary>A nested settings record (<c>Qemu</c>), if the source set one.</summary>
    public BoundRecord? Record(string property) =>
        Explicit(property) is ObjectValue nested ? new BoundRecord(Schema[property].Element!, nested) : null;

    /// <summary>The records of a list-of-records option (<c>Volumes</c>), bound once and kept: the checks ask for them many times.</summary>
    public EquatableArray<BoundRecord> Records(string property)
    {
        var known = System.Threading.Volatile.Read(ref _records);
        if (known is not null && known.TryGetValue(property, out var records))
        {
            return records;
        }

        records = (Effective(property) as ListValue)?.Items.OfType<ObjectValue>()
            .Select(o => new BoundRecord(Schema[property].Element!, o)).ToEquatableArray()
            ?? EquatableArray<BoundRecord>.Empty;
        // Copy on write: readers on other threads (the analyzer) see one whole dictionary or the other.
        var next = new Dictionary<string, EquatableArray<BoundRecord>>(known ?? [], System.StringComparer.Ordinal) { [property] = records };
        System.Threading.Volatile.Write(ref _records, next);
        return records;
    }

    private Dictionary<string, EquatableArray<BoundRecord>>? _records;

    /// <summary>Equal when schema and value are: the records kept by <see cref="Records"/> are derived.</summary>
    public bool Equals(BoundRecord? other) => other is not null && Schema.Equals(other.Schema) && Value.Equals(other.Value);

    /// <inheritdoc/>
    public override int GetHashCode() => (Schema, Value).GetHashCode();
}

/// <summary>One <c>[MicroVmModule]</c> member, read and bound: everything the templates need.</summary>
/// <param name="Member">The C# member, <c>Fleet.Storage</c>.</param>
/// <param name="SourceFile">The file that declares it, as the compiler saw it (made relative when rendering).</param>
/// <param name="Vm">The MicroVm record.</param>
/// <param name="Location">The member's name, where module-level diagnostics go.</param>
internal sealed record VmSpec(string Member, string SourceFile, BoundRecord Vm, LocationInfo? Location)
{
    /// <summary>
    /// Some value of the VM could not be read (<see cref="UnreadValue"/>; its error is reported): the checks that read it
    /// are skipped, the others run, and the VM claims nothing on the host and writes no module.
    /// </summary>
    public bool HasUnread { get; init; }

    public string HostName => (Vm.Value.Get("HostName")?.Value as StringValue)?.Value ?? string.Empty;

    /// <summary>For an element of a list member, the list member (<c>Fleet.Workers</c>), its index and the list's length.</summary>
    public ListElement? Element { get; init; }
}

/// <summary>A check read a value that could not be read (<see cref="UnreadValue"/>): its outcome is unknown, so it says nothing.</summary>
internal sealed class UnreadException : System.Exception
{
}

/// <summary>Where a VM sits in a list member: <c>Fleet.Workers[1]</c> of 3.</summary>
/// <param name="Member">The list member, <c>Fleet.Workers</c>.</param>
/// <param name="Index">The element's index.</param>
/// <param name="Count">How many elements the list has.</param>
internal sealed record ListElement(string Member, int Index, int Count);

/// <summary>
/// What reading one <c>[MicroVmModule]</c> member gave: its VMs (one, or one per element of a list member),
/// each with its own diagnostics, or none when the member could not be read at all (<paramref name="Diagnostics"/> says why).
/// </summary>
/// <param name="Member">The C# member, <c>Fleet.Workers</c>.</param>
/// <param name="Vms">Its VMs.</param>
/// <param name="Diagnostics">The problems of reading the member itself, which every one of its VMs also carries.</param>
internal sealed record MemberParseResult(string Member, EquatableArray<VmParseResult> Vms, EquatableArray<DiagnosticInfo> Diagnostics)
{
    /// <summary>The member's key (<c>assembly|F:Ns.Fleet.Vm</c>), unique in the compilation.</summary>
    public string Key { get; init; } = string.Empty;

    /// <summary>The hosts the member declares (<c>[MicroVmModule]</c> on a <c>Host</c>, or a list of them), read without errors.</summary>
    public EquatableArray<HostDeclaration> Hosts { get; init; } = EquatableArray<HostDeclaration>.Empty;

    /// <summary>The VMs, or one unreadable VM standing for the member when it gave none (so that the build step names it).</summary>
    public IEnumerable<VmParseResult> VmsOrFailure() =>
        Vms.Count > 0 || !Diagnostics.Any(d => d.IsError) ? Vms : [new VmParseResult(null, Diagnostics) { Member = Member, Key = Key }];
}

/// <summary>What reading one VM gave: the VM (when it could be read) and its diagnostics.</summary>
internal sealed record VmParseResult(VmSpec? Spec, EquatableArray<DiagnosticInfo> Diagnostics)
{
    /// <summary>The C# member, <c>Fleet.Storage</c>, also when it could not be read.</summary>
    public string Member { get; init; } = Spec?.Member ?? string.Empty;

    /// <summary>Unique in the compilation: the member's key, with <c>#i</c> for an element of a list member.</summary>
    public string Key { get; init; } = string.Empty;

    /// <summary>The first error, as the user reads it, for the build step's message about a VM it cannot write.</summary>
    public string? FirstError => Diagnostics.FirstOrDefault(d => d.IsError)?.Message;

    /// <summary>The member's source has syntax errors (reported by the compiler): its value cannot be trusted.</summary>
    public bool DoesNotCompile { get; init; }

    /// <summary>No module may be written: the VM could not be read, not even wholly (a value in it could not), or it has an error.</summary>
    public bool HasErrors => Spec is null || DoesNotCompile || Spec.HasUnread || Diagnostics.Any(d => d.IsError);
}
