using System;
using System.Diagnostics;
using System.Linq;
using MicroVm.Nix.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace MicroVm.Nix.Benchmarks;

/// <summary>
/// <c>--probe N</c>: one pass of each fleet measurement, timed with a stopwatch, and a check that the
/// generated fleet is valid (no errors, every VM written); for a quick look before the full benchmark.
/// </summary>
internal static class Probe
{
    public static void Run(int n)
    {
        var references = FleetSource.References().ToArray();
        var files = FleetSource.Files(n);
        var allocated = new System.Collections.Generic.List<string>();
        double Time(Action action, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(action))] string what = "")
        {
            var before = GC.GetTotalAllocatedBytes(precise: true);
            var watch = Stopwatch.StartNew();
            action();
            var ms = watch.Elapsed.TotalMilliseconds;
            allocated.Add($"{what.Split("=>")[^1].Trim().Split('(')[0]} {(GC.GetTotalAllocatedBytes(precise: true) - before) / 1024.0 / n:F0} KB/VM");
            return ms;
        }

        for (var round = 0; round < 3; round++)
        {
            var compilation = FleetSource.Compile(files, references);
            var bind = Time(() => compilation.GetDiagnostics());
            compilation = FleetSource.Compile(files, references);
            GeneratorDriver driver = FleetSource.Driver();
            var cold = Time(() => driver = driver.RunGenerators(compilation));
            var coldSteps = driver.GetRunResult().Results[0];
            Console.WriteLine("  cold steps: " + string.Join(", ", coldSteps.TrackedSteps.Select(step => $"{step.Key} {step.Value.Sum(s => s.ElapsedTime.TotalMilliseconds):F0} ms"))
                + $"; driver total {driver.GetTimingInfo().ElapsedTime.TotalMilliseconds:F0} ms");
            var unrelated = FleetSource.Edit(compilation, [("/src/Fleet/Other.cs", "namespace Fleet;\n\npublic static class Other\n{\n    public static int Answer => 43;\n}\n")]);
            var unrelatedMs = Time(() => driver.RunGenerators(unrelated));
            var edited = FleetSource.Edit(compilation, FleetSource.Files(n, edit: true));
            GeneratorDriver afterEdit = driver;
            var editMs = Time(() => afterEdit = driver.RunGenerators(edited));
            var rendered = afterEdit.GetRunResult().Results[0].TrackedSteps[MicroVmModuleGenerator.TrackingNames.Render]
                .SelectMany(s => s.Outputs).Count(o => o.Reason is IncrementalStepRunReason.Modified or IncrementalStepRunReason.New);
            var moved = FleetSource.Edit(compilation, FleetSource.Files(n, edit: true, moveText: true));
            GeneratorDriver afterMove = driver;
            var moveMs = Time(() => afterMove = driver.RunGenerators(moved));
            var renderedMoved = afterMove.GetRunResult().Results[0].TrackedSteps[MicroVmModuleGenerator.TrackingNames.Render]
                .SelectMany(s => s.Outputs).Count(o => o.Reason is IncrementalStepRunReason.Modified or IncrementalStepRunReason.New);
            // Roslyn's floor for the edit: binding the edited VM's initializer alone on a compilation that has bound nothing yet.
            var floorCompilation = FleetSource.Edit(compilation, FleetSource.Files(n, edit: true));
            var floorMs = Time(() => FleetSource.BindVm(floorCompilation, 50));
            var fresh = FleetSource.Compile(files, references);
            FleetSource.Driver().RunGeneratorsAndUpdateCompilation(fresh, out var output, out _);
            var diagnostics = default(System.Collections.Immutable.ImmutableArray<Diagnostic>);
            var analyzer = Time(() => diagnostics = output.WithAnalyzers([new MicroVmAnalyzer()]).GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult());
            FleetSource.Driver().RunGeneratorsAndUpdateCompilation(FleetSource.Compile(files, references), out var yardstickOutput, out _);
            var yardstick = Time(() => yardstickOutput.WithAnalyzers([new NoOpAnalyzer()]).GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult());
            var errors = diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error);
            var warnings = diagnostics.Count(d => d.Severity == DiagnosticSeverity.Warning);
            // Where the cold run goes: reading every member, rendering every guest module, the host module, the fleet checks.
            var split = FleetSource.Compile(files, references);
            var members = FleetSource.VmMembers(split);
            var parsed = new System.Collections.Generic.List<Generator.Model.MemberParseResult>();
            var parseMs = Time(() => parsed.AddRange(members.Select(m => Generator.Parsing.VmParser.Parse(m, split, default))));
            var specs = parsed.SelectMany(p => p.Vms).Select(v => v.Spec!).ToList();
            var renderMs = Time(() => specs.ForEach(spec => Generator.Emitting.ModuleEmitter.RenderGuest(spec, "/src/")));
            var hosts = specs.Select(spec => Generator.Model.HostEntry.From(spec, spec.HostName + ".nix")).ToList();
            var hostMs = Time(() => Generator.Emitting.HostEmitter.Render(hosts));
            var facts = specs.Select(Generator.Model.FleetFacts.From).ToList();
            var fleetMs = Time(() => Generator.Validation.FleetValidator.Validate(facts));
            // Reading, in its stages, on a fresh compilation: Roslyn to the expression model, evaluation, binding and checks.
            var staged = FleetSource.Compile(files, references);
            var stagedMembers = FleetSource.VmMembers(staged);
            var table = Generator.Parsing.SymbolTable.For(staged);
            var irs = new System.Collections.Generic.List<Generator.Model.IrMember>();
            var buildMs = Time(() => irs.AddRange(stagedMembers.Select(m => table.Read(m, default, out _)!)));
            var values = new System.Collections.Generic.List<Generator.Model.EvalValue>();
            var evalMs = Time(() => values.AddRange(irs.Select(ir => new Generator.Parsing.IrInterpreter(table, [], default).Evaluate(ir, ir.Name)!)));
            var boundRecords = new System.Collections.Generic.List<Generator.Model.BoundRecord>();
            var bindMs = Time(() => boundRecords.AddRange(values.Select(value => Generator.Parsing.RecordBinder.Bind(Generator.Schema.MicroVmSchema.VirtualMachine, (Generator.Model.ObjectValue)value, "x", [])!)));
            var checkMs = Time(() => boundRecords.ForEach(bound => Generator.Validation.VmValidator.Validate(new Generator.Model.VmSpec("x", "/src/x.cs", bound, null), [])));
            Console.WriteLine($"  read = Roslyn to model {buildMs:F0} ms + evaluation {evalMs:F0} ms + binding {bindMs:F0} ms + checks {checkMs:F0} ms");
            Console.WriteLine($"  split: read {parseMs:F0} ms, render guests {renderMs:F0} ms, host module {hostMs:F0} ms, fleet checks {fleetMs:F0} ms");
            Console.WriteLine("  allocated: " + string.Join(", ", allocated));
            allocated.Clear();
            Console.WriteLine($"N={n} bind+diagnostics {bind:F0} ms | generator cold {cold:F0} ms | unrelated edit {unrelatedMs:F0} ms | one VM {editMs:F0} ms ({rendered} rendered; binding that VM alone {floorMs:F0} ms) | moved text {moveMs:F0} ms ({renderedMoved} rendered) | analyzer after generator {analyzer:F0} ms ({errors} errors, {warnings} warnings), an analyzer that does nothing {yardstick:F0} ms");
        }
    }
}

/// <summary>The yardstick for the analyzer: Roslyn's own cost of running an analyzer with a symbol action over the compilation.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class NoOpAnalyzer : DiagnosticAnalyzer
{
    private static readonly DiagnosticDescriptor Never = new("NOOP001", "never", "never", "none", DiagnosticSeverity.Hidden, isEnabledByDefault: true);

    public override System.Collections.Immutable.ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => [Never];

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterSymbolAction(_ => { }, SymbolKind.Field, SymbolKind.Property);
    }
}
