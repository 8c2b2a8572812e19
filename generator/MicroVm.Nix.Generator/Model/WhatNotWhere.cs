using System.Collections.Generic;
using System.Linq;
using MicroVm.Nix.Generator.Diagnostics;

namespace MicroVm.Nix.Generator.Model;

/// <summary>
/// Compares what a VM is, not where it was written: values, diagnostics (by id and message) and the
/// VM's place in its member, with every source location left out. The rendering step's input is
/// compared this way, so that an edit that only moves text (a line added above a VM) renders nothing
/// again: the module, the host entry and the fleet facts depend on values, never on positions.
/// Locations stay in the values for the analyzer, which reports them.
/// </summary>
internal sealed class WhatNotWhere : IEqualityComparer<VmParseResult>
{
    public static readonly WhatNotWhere Instance = new();

    public bool Equals(VmParseResult? x, VmParseResult? y) =>
        ReferenceEquals(x, y)
        || (x is not null && y is not null
            && x.Member == y.Member
            && x.Key == y.Key
            && x.DoesNotCompile == y.DoesNotCompile
            && Same(x.Spec, y.Spec)
            && x.Diagnostics.Count == y.Diagnostics.Count
            && x.Diagnostics.Zip(y.Diagnostics, Same).All(same => same));

    public int GetHashCode(VmParseResult obj) => obj.Member.GetHashCode() ^ obj.Diagnostics.Count;

    private static bool Same(VmSpec? x, VmSpec? y) =>
        ReferenceEquals(x, y)
        || (x is not null && y is not null
            && x.Member == y.Member
            && x.SourceFile == y.SourceFile
            && Equals(x.Element, y.Element)
            && x.Vm.Schema == y.Vm.Schema
            && Same(x.Vm.Value, y.Vm.Value));

    private static bool Same(DiagnosticInfo x, DiagnosticInfo y) =>
        x.Id == y.Id && x.Arguments.Equals(y.Arguments) && x.FixProperty == y.FixProperty && x.FixValue == y.FixValue && x.FixTitle == y.FixTitle;

    /// <summary>Two values alike but for their locations.</summary>
    public static bool Same(EvalValue? x, EvalValue? y) => (x, y) switch
    {
        (null, null) => true,
        (ObjectValue a, ObjectValue b) => a.Type == b.Type && Same(a.Fields, b.Fields),
        (ListValue a, ListValue b) => a.Items.Count == b.Items.Count && a.Items.Zip(b.Items, Same).All(same => same),
        (MapValue a, MapValue b) => Same(a.Entries, b.Entries),
        (NullValue, NullValue) => true,
        (BoolValue a, BoolValue b) => a.Value == b.Value,
        (IntValue a, IntValue b) => a.Value == b.Value,
        (FloatValue a, FloatValue b) => System.BitConverter.DoubleToInt64Bits(a.Value) == System.BitConverter.DoubleToInt64Bits(b.Value),
        (StringValue a, StringValue b) => a.Value == b.Value,
        (EnumValue a, EnumValue b) => a.Type == b.Type && a.Member == b.Member,
        _ => false,
    };

    private static bool Same(EquatableArray<FieldValue> x, EquatableArray<FieldValue> y) =>
        x.Count == y.Count && x.Zip(y, (a, b) => a.Name == b.Name && Same(a.Value, b.Value)).All(same => same);
}
