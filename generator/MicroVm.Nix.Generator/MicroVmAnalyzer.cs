using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq;
using MicroVm.Nix.Generator.Diagnostics;
using MicroVm.Nix.Generator.Model;
using MicroVm.Nix.Generator.Parsing;
using MicroVm.Nix.Generator.Schema;
using MicroVm.Nix.Generator.Validation;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace MicroVm.Nix.Generator;

/// <summary>
/// Reports MicroVm.Nix's diagnostics while the user types, at the expression that caused them. It runs
/// the generator's own parser and validation; being an analyzer, its diagnostics honour <c>#pragma</c>,
/// <c>.editorconfig</c> severities and code fixes.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class MicroVmAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = [.. DiagnosticDescriptors.All];

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var attribute = start.Compilation.GetTypeByMetadataName(MicroVmSchema.ModuleAttribute);
            if (attribute is null)
            {
                return;
            }

            var fleet = new ConcurrentBag<FleetFacts>();
            var globals = start.Options.AnalyzerConfigOptionsProvider.GlobalOptions;
            var imports = ImportRules.For(
                globals.TryGetValue("build_property.MicroVmNixOutputPath", out var output) ? output : null,
                globals.TryGetValue("build_property.projectdir", out var project) ? project : null,
                globals.TryGetValue("build_property.MicroVmNixFiles", out var files) ? files : null);

            // A value shared by several VMs (a static readonly Volume) is read once per VM: report
            // each problem in it once, not once per VM that uses it.
            var reported = new ConcurrentDictionary<(string Id, string? File, Microsoft.CodeAnalysis.Text.TextSpan? Span), byte>();
            start.RegisterSymbolAction(
                symbolContext =>
                {
                    var symbol = symbolContext.Symbol;
                    if (!symbol.GetAttributes().Any(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, attribute)))
                    {
                        return;
                    }

                    var result = VmParser.Parse(symbol, symbolContext.Compilation, symbolContext.CancellationToken);
                    foreach (var diagnostic in result.Diagnostics.Concat(result.Vms.SelectMany(vm => vm.Diagnostics)))
                    {
                        if (reported.TryAdd((diagnostic.Id, diagnostic.Location?.FilePath, diagnostic.Location?.Span), 0))
                        {
                            symbolContext.ReportDiagnostic(diagnostic.ToDiagnostic(symbolContext.Compilation));
                        }
                    }

                    foreach (var host in result.Hosts)
                    {
                        fleet.Add(host.Fleet);
                    }

                    foreach (var vm in result.Vms)
                    {
                        if (vm.Spec is { HasUnread: false } spec)
                        {
                            fleet.Add(FleetFacts.From(spec));
                            foreach (var missing in imports?.Check(spec.Vm) ?? [])
                            {
                                symbolContext.ReportDiagnostic(missing.ToDiagnostic(symbolContext.Compilation));
                            }
                        }
                    }
                },
                SymbolKind.Field,
                SymbolKind.Property);

            start.RegisterCompilationEndAction(end =>
            {
                foreach (var (_, diagnostic) in FleetValidator.Validate(fleet))
                {
                    end.ReportDiagnostic(diagnostic.ToDiagnostic(end.Compilation));
                }
            });
        });
    }
}
