using System;
using System.Linq;

namespace MicroVm.Nix.Generator.Model;

/// <summary>
/// A value the evaluator computed from the user's source without running it: the language-neutral
/// middle of the pipeline, between C# expressions and the typed VM model.
/// Every value remembers the expression it came from, so diagnostics land on it.
/// </summary>
internal abstract record EvalValue(LocationInfo? Location)
{
    public abstract string Describe();
}

internal sealed record NullValue(LocationInfo? Location) : EvalValue(Location)
{
    public override string Describe() => "null";
}

/// <summary>
/// A property the evaluator could not read (MVN001 or another error says why, at its expression). It stands in the
/// object so that the rest of the VM is still read and checked in the same build; it matches no check, and a VM that
/// holds one has an error, so no module is written for it.
/// </summary>
internal sealed record UnreadValue(LocationInfo? Location) : EvalValue(Location)
{
    public override string Describe() => "a value that could not be read";
}

internal sealed record BoolValue(bool Value, LocationInfo? Location) : EvalValue(Location)
{
    public override string Describe() => Value ? "true" : "false";
}

internal sealed record IntValue(long Value, LocationInfo? Location) : EvalValue(Location)
{
    public override string Describe() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>A floating-point number (C# <c>double</c> or <c>float</c>), finite: Nix has no NaN or infinity literal.</summary>
internal sealed record FloatValue(double Value, LocationInfo? Location) : EvalValue(Location)
{
    public override string Describe() => Value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}

internal sealed record StringValue(string Value, LocationInfo? Location) : EvalValue(Location)
{
    public override string Describe() => "\"" + Value + "\"";
}

/// <summary>An enum member, by the enum's metadata name and the member's name.</summary>
internal sealed record EnumValue(string Type, string Member, LocationInfo? Location) : EvalValue(Location)
{
    public override string Describe() => Type.Split('.').Last() + "." + Member;
}

internal sealed record ListValue(EquatableArray<EvalValue> Items, LocationInfo? Location) : EvalValue(Location)
{
    public override string Describe() => "[" + string.Join(", ", Items.Select(i => i.Describe())) + "]";
}

/// <summary>A dictionary with string keys (for <c>attrsOf</c> options), entries in source order, later keys replacing earlier ones.</summary>
internal sealed record MapValue(EquatableArray<FieldValue> Entries, LocationInfo? Location) : EvalValue(Location)
{
    public override string Describe() => "{ " + string.Join(", ", Entries.Select(e => e.Name + " = " + e.Value.Describe())) + " }";
}

/// <summary>One property of an evaluated object, or one entry of a dictionary: its value and where the user set it.</summary>
internal sealed record FieldValue(string Name, EvalValue Value)
{
    /// <summary>For a dictionary entry, where its key was written.</summary>
    public LocationInfo? NameLocation { get; init; }
}

/// <summary>
/// An object of one of the runtime's record types. <see cref="Fields"/> holds only the properties the
/// source set (initializer, constructor argument or <c>with</c>): the others keep their defaults.
/// </summary>
internal sealed record ObjectValue(string Type, EquatableArray<FieldValue> Fields, LocationInfo? Location) : EvalValue(Location)
{
    public FieldValue? Get(string name)
    {
        foreach (var field in Fields)
        {
            if (field.Name == name)
            {
                return field;
            }
        }

        return null;
    }

    public ObjectValue With(FieldValue field) =>
        this with { Fields = Fields.Where(f => f.Name != field.Name).Append(field).ToEquatableArray() };

    public override string Describe() => "new " + Type.Split('.').Last() + " { … }";
}
