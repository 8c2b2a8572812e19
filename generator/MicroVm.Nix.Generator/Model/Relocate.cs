using System;
using System.Linq;
using MicroVm.Nix.Generator.Diagnostics;

namespace MicroVm.Nix.Generator.Model;

/// <summary>
/// A reading with every location mapped: for a VM whose source only moved (an edit elsewhere in its
/// file), the values stay and the positions follow the text, so that diagnostics stay exact.
/// </summary>
internal static class Relocate
{
    public static MemberParseResult Apply(MemberParseResult result, Func<LocationInfo, LocationInfo> map) =>
        result with
        {
            Vms = result.Vms.Select(vm => Apply(vm, map)).ToEquatableArray(),
            Diagnostics = result.Diagnostics.Select(d => Apply(d, map)).ToEquatableArray(),
        };

    private static VmParseResult Apply(VmParseResult result, Func<LocationInfo, LocationInfo> map) =>
        result with
        {
            Spec = result.Spec is { } spec
                ? spec with { Vm = new BoundRecord(spec.Vm.Schema, (ObjectValue)Apply(spec.Vm.Value, map)), Location = Map(spec.Location, map) }
                : null,
            Diagnostics = result.Diagnostics.Select(d => Apply(d, map)).ToEquatableArray(),
        };

    private static DiagnosticInfo Apply(DiagnosticInfo diagnostic, Func<LocationInfo, LocationInfo> map) =>
        diagnostic with { Location = Map(diagnostic.Location, map) };

    private static EvalValue Apply(EvalValue value, Func<LocationInfo, LocationInfo> map) => value switch
    {
        ListValue list => list with { Items = list.Items.Select(i => Apply(i, map)).ToEquatableArray(), Location = Map(list.Location, map) },
        MapValue dictionary => dictionary with { Entries = dictionary.Entries.Select(e => Apply(e, map)).ToEquatableArray(), Location = Map(dictionary.Location, map) },
        ObjectValue record => record with { Fields = record.Fields.Select(f => Apply(f, map)).ToEquatableArray(), Location = Map(record.Location, map) },
        _ => value with { Location = Map(value.Location, map) },
    };

    private static FieldValue Apply(FieldValue field, Func<LocationInfo, LocationInfo> map) =>
        field with { Value = Apply(field.Value, map), NameLocation = Map(field.NameLocation, map) };

    private static LocationInfo? Map(LocationInfo? location, Func<LocationInfo, LocationInfo> map) => location is null ? null : map(location);
}
