using System.Collections.Generic;
using System.Linq;
using BenchmarkDotNet.Attributes;
using MicroVm.Nix.Generator;
using MicroVm.Nix.Generator.Model;
using MicroVm.Nix.Generator.Validation;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace MicroVm.Nix.Benchmarks;

/// <summary>
/// The generator at fleet scale (<see cref="FleetSource"/>: 100, 1,000 and 3,000 VMs of 8 volumes),
/// beside the compilation's own cost of reading the same source: cold, after an edit in an unrelated
/// file, after editing one VM without and with moving text, the analyzer after the generator (as a
/// build runs them), and the fleet-wide validation alone. Every measured run starts from a compilation
/// made from freshly parsed trees, so nothing of an earlier iteration is reused.
/// </summary>
[MemoryDiagnoser]
public class FleetBenchmarks
{
    private IReadOnlyList<(string Path, string Text)> _files = null!;
    private IReadOnlyList<(string Path, string Text)> _edited = null!;
    private IReadOnlyList<(string Path, string Text)> _moved = null!;
    private MetadataReference[] _references = null!;
    private CSharpCompilation _compilation = null!;
    private CSharpCompilation _next = null!;
    private GeneratorDriver _warm = null!;
    private Compilation _output = null!;
    private List<FleetFacts> _facts = null!;

    /// <summary>VMs in the fleet.</summary>
    [Params(100, 1000, 3000)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _files = FleetSource.Files(N);
        _edited = FleetSource.Files(N, edit: true);
        _moved = FleetSource.Files(N, edit: true, moveText: true);
        _references = [.. FleetSource.References()];
        var compilation = FleetSource.Compile(_files, _references);
        FleetSource.Driver().RunGeneratorsAndUpdateCompilation(compilation, out _, out _);
        _facts = [.. FleetSource.VmMembers(compilation)
            .SelectMany(s => Generator.Parsing.VmParser.Parse(s, compilation, default).Vms)
            .Select(vm => FleetFacts.From(vm.Spec!))];
    }

    private CSharpCompilation Fresh() => FleetSource.Compile(_files, _references);

    [IterationSetup(Targets = [nameof(Cold), nameof(CompilationOnly)])]
    public void NewCompilation() => _compilation = Fresh();

    [IterationSetup(Target = nameof(UnrelatedEdit))]
    public void PrepareUnrelatedEdit() => Prepare([("/src/Fleet/Other.cs", "namespace Fleet;\n\npublic static class Other\n{\n    public static int Answer => 43;\n}\n")]);

    [IterationSetup(Target = nameof(EditOneVm))]
    public void PrepareEdit() => Prepare(_edited);

    [IterationSetup(Target = nameof(EditOneVmMovingText))]
    public void PrepareMovingEdit() => Prepare(_moved);

    private void Prepare(IEnumerable<(string Path, string Text)> edit)
    {
        // The warm driver has seen the fleet as it was; the next compilation holds the edit.
        var before = Fresh();
        _warm = FleetSource.Driver().RunGenerators(before);
        _next = FleetSource.Edit(before, edit);
    }

    [IterationSetup(Target = nameof(Analyzer))]
    public void PrepareAnalyzer() => FleetSource.Driver().RunGeneratorsAndUpdateCompilation(Fresh(), out _output, out _);

    [Benchmark(Description = "compilation: bind + GetDiagnostics")]
    public int CompilationOnly() => _compilation.GetDiagnostics().Length;

    [Benchmark(Description = "generator, cold")]
    public GeneratorDriver Cold() => FleetSource.Driver().RunGenerators(_compilation);

    [Benchmark(Description = "generator, unrelated edit")]
    public GeneratorDriver UnrelatedEdit() => _warm.RunGenerators(_next);

    [Benchmark(Description = "generator, one VM edited")]
    public GeneratorDriver EditOneVm() => _warm.RunGenerators(_next);

    [Benchmark(Description = "generator, one VM edited, text moved")]
    public GeneratorDriver EditOneVmMovingText() => _warm.RunGenerators(_next);

    [Benchmark(Description = "analyzer, after the generator")]
    public int Analyzer() => _output.WithAnalyzers([new MicroVmAnalyzer()]).GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult().Length;

    [Benchmark(Description = "fleet validation")]
    public int FleetValidation() => FleetValidator.Validate(_facts).Count;
}
