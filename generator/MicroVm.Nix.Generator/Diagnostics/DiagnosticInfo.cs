using System.Linq;
using MicroVm.Nix.Generator.Model;
using Microsoft.CodeAnalysis;

namespace MicroVm.Nix.Generator.Diagnostics;

/// <summary>A diagnostic kept as plain data (descriptor ID, location, message arguments), equatable for the pipeline.</summary>
internal sealed record DiagnosticInfo(string Id, LocationInfo? Location, EquatableArray<string> Arguments)
{
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, LocationInfo? location, params string[] arguments) =>
        new(descriptor.Id, location, arguments.ToEquatableArray());

    public DiagnosticDescriptor Descriptor => DiagnosticDescriptors.All.First(d => d.Id == Id);

    public bool IsError => Descriptor.DefaultSeverity == DiagnosticSeverity.Error;

    public Diagnostic ToDiagnostic(Compilation? compilation) =>
        Diagnostic.Create(Descriptor, Location?.ToLocation(compilation) ?? Microsoft.CodeAnalysis.Location.None, Arguments.ToArray<object>());
}
