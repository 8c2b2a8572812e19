using System;
using System.IO;
using System.Linq;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Running;
using MicroVm.Nix.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace MicroVm.Nix.Benchmarks;

/// <summary>
/// The generator and analyzer on a fleet of 20 VMs like the example's: a cold run (project opened),
/// an edit elsewhere in the project (every keystroke: should be cached), an edit to one VM, and the
/// analyzer's full pass.
/// </summary>
[MemoryDiagnoser]
public class GeneratorBenchmarks
{
    private CSharpCompilation _compilation = null!;
    private CSharpCompilation _unrelatedEdit = null!;
    private CSharpCompilation _vmEdit = null!;
    private GeneratorDriver _warm = null!;

    private static string Fleet(int mem) => "using MicroVm.Nix;\npublic static class Fleet\n{\n" + string.Concat(Enumerable.Range(0, 20).Select(i => $$"""
            [MicroVmModule]
            public static readonly VirtualMachine Vm{{i}} = new()
            {
                HostName = "vm{{i}}",
                Mem = {{(i == 0 ? mem : 1024)}},
                Interfaces = [new() { Type = InterfaceType.Tap, Id = "tap{{i}}", Mac = "02:00:00:00:00:{{i:x2}}" }],
                Volumes =
                [
                    new() { Image = new Zvol("tank", "vms/vm{{i}}/data"), Serial = "data{{i}}", MountPoint = null, Size = 10240, AutoCreate = false },
                    new() { Image = "/var/lib/microvms/vm{{i}}/var.img", MountPoint = "/var", Size = 4096, Label = "var" },
                ],
            };

        """)) + "}\n";

    [GlobalSetup]
    public void Setup()
    {
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "netstandard.dll")
            .Append(typeof(VirtualMachine).Assembly.Location)
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p));
        var options = new CSharpParseOptions(LanguageVersion.Latest);
        _compilation = CSharpCompilation.Create("Bench",
            [CSharpSyntaxTree.ParseText(Fleet(1024), options, "/src/Fleet.cs"), CSharpSyntaxTree.ParseText("public static class Other { public static int X => 1; }", options, "/src/Other.cs")],
            references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var other = _compilation.SyntaxTrees.Last();
        _unrelatedEdit = _compilation.ReplaceSyntaxTree(other, CSharpSyntaxTree.ParseText("public static class Other { public static int X => 2; }", options, other.FilePath));
        var fleet = _compilation.SyntaxTrees.First();
        _vmEdit = _compilation.ReplaceSyntaxTree(fleet, CSharpSyntaxTree.ParseText(Fleet(2047), options, fleet.FilePath));
        _warm = NewDriver().RunGenerators(_compilation);
    }

    private static CSharpGeneratorDriver NewDriver() => CSharpGeneratorDriver.Create(new MicroVmModuleGenerator());

    [Benchmark(Description = "cold run, 20 VMs")]
    public GeneratorDriver Cold() => NewDriver().RunGenerators(_compilation);

    [Benchmark(Description = "edit elsewhere (cached)")]
    public GeneratorDriver UnrelatedEdit() => _warm.RunGenerators(_unrelatedEdit);

    [Benchmark(Description = "edit one VM")]
    public GeneratorDriver EditOneVm() => _warm.RunGenerators(_vmEdit);

    [Benchmark(Description = "analyzer, 20 VMs")]
    public int Analyzer() =>
        _compilation.WithAnalyzers([new MicroVmAnalyzer()]).GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult().Length;

    public static void Main(string[] args)
    {
        if (args is ["--probe", var n])
        {
            Probe.Run(int.Parse(n, System.Globalization.CultureInfo.InvariantCulture));
            return;
        }

        if (args is ["--cold", var vms, var rounds])
        {
            // Cold generator runs only, one after another: what a profiler should look at.
            var count = int.Parse(vms, System.Globalization.CultureInfo.InvariantCulture);
            var files = FleetSource.Files(count);
            var references = FleetSource.References().ToArray();
            for (var round = 0; round < int.Parse(rounds, System.Globalization.CultureInfo.InvariantCulture); round++)
            {
                var watch = System.Diagnostics.Stopwatch.StartNew();
                FleetSource.Driver().RunGenerators(FleetSource.Compile(files, references));
                System.Console.WriteLine($"N={count} generator cold {watch.ElapsedMilliseconds} ms");
            }

            return;
        }

        if (args is ["--checks", var checkedVms, var checkRounds])
        {
            // The per-VM checks only, over a fleet read once: for a profiler.
            var compilation = FleetSource.Compile(FleetSource.Files(int.Parse(checkedVms, System.Globalization.CultureInfo.InvariantCulture)), FleetSource.References());
            var specs = FleetSource.VmMembers(compilation)
                .SelectMany(s => Generator.Parsing.VmParser.Parse(s, compilation, default).Vms).Select(vm => vm.Spec!).ToList();
            for (var round = 0; round < int.Parse(checkRounds, System.Globalization.CultureInfo.InvariantCulture); round++)
            {
                var watch = System.Diagnostics.Stopwatch.StartNew();
                specs.ForEach(spec => Generator.Validation.VmValidator.Validate(spec, []));
                System.Console.WriteLine($"checks {watch.ElapsedMilliseconds} ms");
            }

            return;
        }

        if (args is ["--build", var size, ..] && args.Length <= 3)
        {
            BuildBench.Run(int.Parse(size, System.Globalization.CultureInfo.InvariantCulture), args.Length == 3 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 5);
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(GeneratorBenchmarks).Assembly).Run(args);
    }
}
