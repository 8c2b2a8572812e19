using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using MicroVm.Nix.Generator.Diagnostics;
using MicroVm.Nix.Generator.Model;
using MicroVm.Nix.Generator.Schema;
using MicroVm.Nix.Generator.Validation;
using Microsoft.CodeAnalysis;

namespace MicroVm.Nix.Generator.Parsing;

/// <summary>
/// Reads one <c>[MicroVmModule]</c> member: checks the member's shape (a <c>VirtualMachine</c>, or a list or
/// array of them), reads its value into the expression model (<see cref="IrBuilder"/>, through the
/// compilation's <see cref="SymbolTable"/>), evaluates it (<see cref="IrInterpreter"/>), binds each VM to
/// the schema (<see cref="RecordBinder"/>) and validates it (<see cref="VmValidator"/>). Shared by the
/// generator and the analyzer, so what the editor reports and what the build writes never disagree.
/// </summary>
internal static class VmParser
{
    public static MemberParseResult Parse(ISymbol member, Compilation compilation, CancellationToken cancellationToken)
    {
        var key = IrKeys.Of(member);
        return SymbolTable.For(compilation).Parsed(key, () =>
        {
            // Each VM's key names it uniquely in the compilation (the member's, with the element's index).
            var uses = new HashSet<string>(System.StringComparer.Ordinal);
            var result = ParseCore(member, compilation, uses, cancellationToken);
            return (result with
            {
                Key = key,
                Vms = result.Vms.Select((vm, i) => vm with { Key = vm.Member == result.Member ? key : key + "#" + i.ToString(CultureInfo.InvariantCulture) }).ToEquatableArray(),
            }, uses);
        });
    }

    private static MemberParseResult ParseCore(ISymbol member, Compilation compilation, HashSet<string> uses, CancellationToken cancellationToken)
    {
        var diagnostics = new List<DiagnosticInfo>();
        var name = member.ContainingType is { } type ? type.Name + "." + member.Name : member.Name;
        var location = LocationInfo.From(member.Locations.FirstOrDefault() ?? Location.None);

        MemberParseResult Failed() => new(name, EquatableArray<VmParseResult>.Empty, diagnostics.ToEquatableArray());

        MemberParseResult Invalid(string reason)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidModuleMember, location, name, reason));
            return Failed();
        }

        var memberType = member switch
        {
            IFieldSymbol field => field.Type,
            IPropertySymbol property => property.Type,
            _ => null,
        };
        var many = IsListOf(memberType, MicroVmSchema.VirtualMachineType);
        var hosts = IsListOf(memberType, MicroVmSchema.HostType);
        var host = memberType is INamedTypeSymbol hostType && IrBuilder.MetadataName(hostType) == MicroVmSchema.HostType;
        if (!many && !hosts && !host && (memberType is not INamedTypeSymbol named || IrBuilder.MetadataName(named) != MicroVmSchema.VirtualMachineType))
        {
            return Invalid("must have the type MicroVm.Nix.VirtualMachine or MicroVm.Nix.Host, or be a list or array of them, not '" + memberType?.ToDisplayString() + "'");
        }

        if (!member.IsStatic)
        {
            return Invalid("must be static: the generator reads one value per member, without creating objects");
        }

        var symbols = SymbolTable.For(compilation);
        var ir = symbols.Read(member, cancellationToken, out _);
        if (ir is null)
        {
            return Invalid("has no value: give it an initializer ('= new() { … }') or an expression body ('=> new() { … }')");
        }

        var interpreter = new IrInterpreter(symbols, diagnostics, cancellationToken);
        var value = interpreter.Evaluate(ir, name);
        uses.UnionWith(interpreter.Uses);
        if (value is null)
        {
            return Failed();
        }

        if (host || hosts)
        {
            return Hosts(value, name, hosts, diagnostics);
        }

        if (!many)
        {
            if (value is not ObjectValue vm)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ValueRequired, value.Location, name, "microvm", "a VirtualMachine record"));
                return Failed();
            }

            return new MemberParseResult(name, new[] { Vm(vm, name, null, location, member, diagnostics, ir.SyntaxErrors, interpreter.HasUnread) }.ToEquatableArray(), EquatableArray<DiagnosticInfo>.Empty);
        }

        if (value is not ListValue list)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ValueRequired, value.Location, name, "microvm", "a list of VirtualMachine records"));
            return Failed();
        }

        // One VM per element; an element's problems are its own, the member's reading problems all of theirs.
        var vms = new List<VmParseResult>();
        for (var i = 0; i < list.Items.Count; i++)
        {
            var elementName = name + "[" + i.ToString(CultureInfo.InvariantCulture) + "]";
            var own = new List<DiagnosticInfo>(diagnostics);
            if (list.Items[i] is not ObjectValue element)
            {
                own.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ValueRequired, list.Items[i].Location, elementName, "microvm", "a VirtualMachine record"));
                vms.Add(new VmParseResult(null, own.ToEquatableArray()) { Member = elementName });
                continue;
            }

            vms.Add(Vm(element, elementName, new ListElement(name, i, list.Items.Count), location, member, own, ir.SyntaxErrors, interpreter.HasUnread && HasUnread(element)));
        }

        return new MemberParseResult(name, vms.ToEquatableArray(), diagnostics.ToEquatableArray());
    }

    /// <summary>
    /// A member that declares hosts: each is bound and checked on its own (its description and its networks), and one
    /// without errors gets its folder whether or not VMs are placed on it. Its problems are the member's.
    /// </summary>
    private static MemberParseResult Hosts(EvalValue value, string name, bool many, List<DiagnosticInfo> diagnostics)
    {
        var items = many
            ? value is ListValue list ? list.Items.Select((item, i) => (Item: item, Name: name + "[" + i.ToString(CultureInfo.InvariantCulture) + "]")).ToList() : null
            : [(Item: value, Name: name)];
        if (items is null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ValueRequired, value.Location, name, "host", "a list of Host records"));
            return new MemberParseResult(name, EquatableArray<VmParseResult>.Empty, diagnostics.ToEquatableArray());
        }

        var declared = new List<HostDeclaration>();
        foreach (var (item, itemName) in items)
        {
            if (item is not ObjectValue record)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ValueRequired, item.Location, itemName, "host", "a Host record"));
                continue;
            }

            var own = new List<DiagnosticInfo>();
            var bound = HasUnread(record) ? null : RecordBinder.Bind(MicroVmSchema.Host, record, itemName, own);
            if (bound is not null)
            {
                HostRules.ValidateHost(bound, own);
            }

            diagnostics.AddRange(own);
            if (bound is not null && !own.Any(d => d.IsError))
            {
                declared.Add(HostDeclaration.From(itemName, bound));
            }
        }

        return new MemberParseResult(name, EquatableArray<VmParseResult>.Empty, diagnostics.ToEquatableArray()) { Hosts = declared.ToEquatableArray() };
    }

    private static VmParseResult Vm(ObjectValue vm, string name, ListElement? element, LocationInfo? location, ISymbol member, List<DiagnosticInfo> diagnostics, bool syntaxErrors, bool hasUnread)
    {
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

        var spec = new VmSpec(name, member.Locations.FirstOrDefault()?.SourceTree?.FilePath ?? string.Empty, bound, location) { Element = element, HasUnread = hasUnread };
        VmValidator.Validate(spec, diagnostics);

        // Mid-edit code: the parser recovers from syntax errors with made-up nodes (an empty list for
        // a broken one), which would read as a different VM. The compiler reports those errors; the
        // VM is simply not rendered until they are gone.
        return new VmParseResult(spec, diagnostics.ToEquatableArray()) { DoesNotCompile = syntaxErrors };
    }

    /// <summary>Whether a value holds an <see cref="UnreadValue"/> anywhere.</summary>
    private static bool HasUnread(EvalValue value) => value switch
    {
        UnreadValue => true,
        ObjectValue o => o.Fields.Any(f => HasUnread(f.Value)),
        ListValue l => l.Items.Any(HasUnread),
        MapValue m => m.Entries.Any(e => HasUnread(e.Value)),
        _ => false,
    };

    /// <summary>A list, read-only list, enumerable or array of <paramref name="recordType"/> (<c>VirtualMachine</c>: one module per element).</summary>
    private static bool IsListOf(ITypeSymbol? type, string recordType) => type switch
    {
        IArrayTypeSymbol { Rank: 1, ElementType: INamedTypeSymbol element } => IrBuilder.MetadataName(element) == recordType,
        INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } named =>
            named.TypeArguments[0] is INamedTypeSymbol element && IrBuilder.MetadataName(element) == recordType
            && named.ConstructedFrom.ToDisplayString() is "System.Collections.Generic.List<T>" or "System.Collections.Generic.IReadOnlyList<T>"
                or "System.Collections.Generic.IList<T>" or "System.Collections.Generic.IEnumerable<T>" or "System.Collections.Generic.IReadOnlyCollection<T>",
        _ => false,
    };

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
