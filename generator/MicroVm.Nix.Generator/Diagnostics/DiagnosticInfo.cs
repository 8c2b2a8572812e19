using System.Collections.Immutable;
using System.Linq;
using MicroVm.Nix.Generator.Model;
using Microsoft.CodeAnalysis;

namespace MicroVm.Nix.Generator.Diagnostics;

/// <summary>
/// A diagnostic kept as plain data (descriptor ID, location, message arguments, and for diagnostics a
/// code fix can mend, the fix: set <see cref="FixProperty"/> to the C# expression <see cref="FixValue"/>),
/// equatable for the pipeline.
/// </summary>
internal sealed record DiagnosticInfo(string Id, LocationInfo? Location, EquatableArray<string> Arguments)
{
    public string? FixProperty { get; init; }

    public string? FixValue { get; init; }

    public string? FixTitle { get; init; }

    /// <summary>
    /// A diagnostic with its message arguments; every message ends with one more placeholder
    /// (<see cref="DiagnosticDescriptors"/>), filled here with the library member a value comes from, if any.
    /// </summary>
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, LocationInfo? location, params string[] arguments) =>
        new(descriptor.Id, location, arguments.Append(location?.Via is { } via ? " (from " + via + ")" : string.Empty).ToEquatableArray());

    /// <summary>This diagnostic, with the code fix "set <paramref name="property"/> to <paramref name="value"/>".</summary>
    public DiagnosticInfo WithFix(string property, string value, string title) =>
        this with { FixProperty = property, FixValue = value, FixTitle = title };

    private static readonly System.Collections.Generic.Dictionary<string, DiagnosticDescriptor> ById = DiagnosticDescriptors.All.ToDictionary(d => d.Id);

    public DiagnosticDescriptor Descriptor => ById[Id];

    public bool IsError => Descriptor.DefaultSeverity == DiagnosticSeverity.Error;

    /// <summary>The message with its arguments, as the user reads it.</summary>
    public string Message => string.Format(System.Globalization.CultureInfo.InvariantCulture, Descriptor.MessageFormat.ToString(System.Globalization.CultureInfo.InvariantCulture), Arguments.Cast<object>().ToArray());

    public Diagnostic ToDiagnostic(Compilation? compilation)
    {
        var properties = FixProperty is null
            ? ImmutableDictionary<string, string?>.Empty
            : ImmutableDictionary<string, string?>.Empty
                .Add(DiagnosticDescriptors.FixPropertyKey, FixProperty)
                .Add(DiagnosticDescriptors.FixValueKey, FixValue)
                .Add(DiagnosticDescriptors.FixTitleKey, FixTitle);
        return Diagnostic.Create(Descriptor, Location?.ToLocation(compilation) ?? Microsoft.CodeAnalysis.Location.None, properties, Arguments.Cast<object>().ToArray());
    }
}
