using System.Collections.Generic;
using System.Linq;
using System.Threading;
using MicroVm.Nix.Generator.Diagnostics;
using MicroVm.Nix.Generator.Model;
using MicroVm.Nix.Generator.Schema;
using MicroVm.Nix.Generator.Validation;
using Microsoft.CodeAnalysis;

namespace MicroVm.Nix.Generator.Parsing;

/// <summary>
/// Reads one <c>[MicroVmModule]</c> member into a <see cref="VmParseResult"/>: checks the member's shape,
/// evaluates its value (<see cref="ConstantEvaluator"/>), binds it to the schema (<see cref="RecordBinder"/>)
/// and validates it (<see cref="VmValidator"/>). Shared by the generator and the analyzer, so what the
/// editor reports and what the build writes never disagree.
/// </summary>
internal static class VmParser
{
    public static VmParseResult Parse(ISymbol member, SyntaxNode declaration, Compilation compilation, CancellationToken cancellationToken)
    {
        var diagnostics = new List<DiagnosticInfo>();
        var name = member.ContainingType is { } type ? type.Name + "." + member.Name : member.Name;
        var location = LocationInfo.From(member.Locations.FirstOrDefault() ?? Location.None);

        VmParseResult Invalid(string reason)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidModuleMember, location, name, reason));
            return new VmParseResult(null, diagnostics.ToEquatableArray()) { Member = name };
        }

        var memberType = member switch
        {
            IFieldSymbol field => field.Type,
            IPropertySymbol property => property.Type,
            _ => null,
        };
        if (memberType is not INamedTypeSymbol named || ConstantEvaluator.MetadataName(named) != MicroVmSchema.VirtualMachineType)
        {
            return Invalid("must have the type MicroVm.Nix.VirtualMachine, not '" + memberType?.ToDisplayString() + "'");
        }

        if (!member.IsStatic)
        {
            return Invalid("must be static: the generator reads one value per member, without creating objects");
        }

        var expression = ConstantEvaluator.ValueOf(declaration);
        if (expression is null)
        {
            return Invalid("has no value: give it an initializer ('= new() { … }') or an expression body ('=> new() { … }')");
        }

        var model = compilation.GetSemanticModel(expression.SyntaxTree);
        var evaluator = new ConstantEvaluator(compilation, diagnostics, cancellationToken);
        var value = evaluator.Evaluate(model.GetOperation(expression, cancellationToken), name);
        if (value is not ObjectValue vm)
        {
            if (value is not null)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ValueRequired, value.Location, name, "microvm", "a VirtualMachine record"));
            }

            return new VmParseResult(null, diagnostics.ToEquatableArray()) { Member = name };
        }

        var bound = RecordBinder.Bind(MicroVmSchema.VirtualMachine, vm, name, diagnostics);
        if (bound is null)
        {
            // A VM that cannot be bound always says why: a missing required member is the compiler's
            // error (CS9035); anything else without a diagnostic of its own would leave the user with
            // no module and no reason.
            if (!diagnostics.Any(d => d.IsError) && !RequiredMemberMissing(vm))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedExpression, vm.Location, name, "the value does not fit the VirtualMachine record"));
            }

            return new VmParseResult(null, diagnostics.ToEquatableArray()) { Member = name };
        }

        var spec = new VmSpec(name, declaration.SyntaxTree.FilePath, bound, location);
        VmValidator.Validate(spec, diagnostics);

        // Mid-edit code: the parser recovers from syntax errors with made-up nodes (an empty list for
        // a broken one), which would read as a different VM. The compiler reports those errors; the
        // VM is simply not rendered until they are gone.
        return new VmParseResult(spec, diagnostics.ToEquatableArray()) { DoesNotCompile = expression.ContainsDiagnostics };
    }

    /// <summary>Whether a required member of the VM or of one of its records is missing (the compiler reports CS9035).</summary>
    private static bool RequiredMemberMissing(ObjectValue value) =>
        (MicroVmSchema.Find(value.Type) is { } schema && schema.Options.Any(o => o.Required && value.Get(o.Property) is null))
        || value.Fields.Any(f => f.Value switch
        {
            ObjectValue nested => RequiredMemberMissing(nested),
            ListValue list => list.Items.OfType<ObjectValue>().Any(RequiredMemberMissing),
            _ => false,
        });
}
