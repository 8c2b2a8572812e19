using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Reflection;
using MicroVm.Nix.Generator;
using MicroVm.Nix.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace MicroVm.Nix.Tests;

/// <summary>
/// The generator runs on every keystroke: its steps must hand out cached results when nothing they
/// read changed, and its models must hold no symbols, syntax or compilations (which would defeat the
/// cache and keep whole compilations alive).
/// </summary>
public class CachingTests
{
    private const string Fleet = """
        using MicroVm.Nix;

        public static class Fleet
        {
            public const string Pool = "tank";

            [MicroVmModule]
            public static readonly VirtualMachine Db = new()
            {
                HostName = "db",
                Mem = 4096,
                Volumes = [new() { Image = new Zvol(Pool, "db"), MountPoint = null, Size = 1024, AutoCreate = false }],
            };

            [MicroVmModule]
            public static readonly VirtualMachine Web = new() { HostName = "web" };
        }
        """;

    private const string Other = """
        public static class Unrelated
        {
            public static int Answer() => 42;
        }
        """;

    private static readonly string[] AllSteps =
    [
        MicroVmModuleGenerator.TrackingNames.Parse,
        MicroVmModuleGenerator.TrackingNames.Vms,
        MicroVmModuleGenerator.TrackingNames.ProjectDirectory,
        MicroVmModuleGenerator.TrackingNames.Render,
        MicroVmModuleGenerator.TrackingNames.Collect,
        MicroVmModuleGenerator.TrackingNames.LibraryMembers,
        MicroVmModuleGenerator.TrackingNames.Library,
    ];

    [Test]
    public void Running_again_on_an_unchanged_compilation_is_fully_cached()
    {
        var compilation = GeneratorHarness.Compile((GeneratorHarness.DefaultPath, Fleet), ("/src/Homelab/Other.cs", Other));
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        var first = driver.GetRunResult();
        var second = driver.RunGenerators(compilation.Clone()).GetRunResult();

        AssertNoForbiddenTypes(first);
        var steps = TrackedSteps(second);
        Assert.That(steps.Keys, Is.SupersetOf(AllSteps), "every named step ran");
        foreach (var (name, outputs) in steps)
        {
            Assert.That(outputs, Is.All.Matches<IncrementalStepRunReason>(r => r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged), name);
        }

        Assert.That(second.Results[0].TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs).Select(o => o.Reason),
            Is.All.EqualTo(IncrementalStepRunReason.Cached), "the source output is not produced again");
    }

    [Test]
    public void An_edit_elsewhere_leaves_the_output_cached()
    {
        var compilation = GeneratorHarness.Compile((GeneratorHarness.DefaultPath, Fleet), ("/src/Homelab/Other.cs", Other));
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);

        var otherTree = compilation.SyntaxTrees.Single(t => t.FilePath.EndsWith("Other.cs", StringComparison.Ordinal));
        var edited = compilation.ReplaceSyntaxTree(otherTree, CSharpSyntaxTree.ParseText(Other.Replace("42", "43", StringComparison.Ordinal), GeneratorHarness.ParseOptions, otherTree.FilePath));
        var result = driver.RunGenerators(edited).GetRunResult();

        var steps = TrackedSteps(result);
        Assert.That(steps[MicroVmModuleGenerator.TrackingNames.Render], Is.All.Matches<IncrementalStepRunReason>(r => r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged));
        Assert.That(steps[MicroVmModuleGenerator.TrackingNames.Collect], Is.All.Matches<IncrementalStepRunReason>(r => r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged));
    }

    [Test]
    public void Editing_one_vm_rerenders_that_vm_only()
    {
        var compilation = GeneratorHarness.Compile((GeneratorHarness.DefaultPath, Fleet));
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);

        var tree = compilation.SyntaxTrees.Single();
        var edited = compilation.ReplaceSyntaxTree(tree, CSharpSyntaxTree.ParseText(Fleet.Replace("Mem = 4096", "Mem = 8192", StringComparison.Ordinal), GeneratorHarness.ParseOptions, tree.FilePath));
        var result = driver.RunGenerators(edited).GetRunResult();

        var render = TrackedSteps(result)[MicroVmModuleGenerator.TrackingNames.Render];
        Assert.That(render.Count(r => r == IncrementalStepRunReason.Modified), Is.EqualTo(1), "db changed");
        Assert.That(render.Count(r => r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged), Is.EqualTo(1), "web did not");
        Assert.That(TrackedSteps(result)[MicroVmModuleGenerator.TrackingNames.Collect], Is.All.EqualTo(IncrementalStepRunReason.Cached),
            "memory is not in the host module or the device map: the index of all modules stays as it was");

        // Only db's own generated file changed.
        var before = driver.GetRunResult().Results[0].GeneratedSources.ToDictionary(g => g.HintName, g => g.SourceText.ToString());
        var changed = result.Results[0].GeneratedSources.Where(g => !before.TryGetValue(g.HintName, out var text) || text != g.SourceText.ToString()).Select(g => g.HintName);
        Assert.That(changed, Is.EqualTo(new[] { "MicroVmModule.F_Fleet.Db.g.cs" }));
    }

    private const string Helpers = """
        using MicroVm.Nix;

        public static class Presets
        {
            public static int Mem(int gib) => gib * 1024;

            public static Volume Data(string name) => new() { Image = $"/var/lib/microvms/{name}.img", MountPoint = "/data", Size = 512 };
        }
        """;

    private const string HelperFleet = """
        using MicroVm.Nix;

        public static class Fleet
        {
            [MicroVmModule]
            public static readonly VirtualMachine A = new() { HostName = "a", Mem = Presets.Mem(2) };

            [MicroVmModule]
            public static readonly VirtualMachine B = new() { HostName = "b", Volumes = [Presets.Data("b")] };

            [MicroVmModule]
            public static readonly VirtualMachine[] Workers = [new() { HostName = "w1" }, new() { HostName = "w2", Mem = Presets.Mem(1) }];
        }
        """;

    [TestCase("gib * 1024", "gib * 2048", TestName = "Editing a helper re-renders exactly the VMs that use it")]
    [TestCase("gib * 1024", "gib  *  2048 ", TestName = "Editing a helper re-renders exactly the VMs that use it, also when the edit moves text")]
    public void Editing_a_helper_rerenders_its_users_only(string before, string after)
    {
        var compilation = GeneratorHarness.Compile(("/src/Homelab/Presets.cs", Helpers), (GeneratorHarness.DefaultPath, HelperFleet));
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);

        var tree = compilation.SyntaxTrees.First();
        var edited = compilation.ReplaceSyntaxTree(tree, CSharpSyntaxTree.ParseText(Helpers.Replace(before, after, StringComparison.Ordinal), GeneratorHarness.ParseOptions, tree.FilePath));
        var result = driver.RunGenerators(edited).GetRunResult();

        var render = result.Results[0].TrackedSteps[MicroVmModuleGenerator.TrackingNames.Render]
            .SelectMany(step => step.Outputs)
            .Where(o => o.Reason == IncrementalStepRunReason.Modified)
            .Select(o => ((dynamic)o.Value).Member as string)
            .ToList();
        Assert.That(render, Is.EquivalentTo(new[] { "Fleet.A", "Fleet.Workers[1]" }), "the VMs that call Mem, and no other");
    }

    [Test]
    public void The_analyzer_reports_what_the_generator_read_without_reading_again()
    {
        var compilation = GeneratorHarness.Compile((GeneratorHarness.DefaultPath, Fleet), ("/src/Homelab/Other.cs", Other));
        GeneratorHarness.CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);
        var read = Generator.Parsing.SymbolTable.For(compilation);

        // The analyzer sees the generator's output: the same sources plus the generated files.
        Assert.That(output.SyntaxTrees.Count(), Is.GreaterThan(compilation.SyntaxTrees.Length));
        Assert.That(Generator.Parsing.SymbolTable.For(output), Is.SameAs(read), "one reading of every VM for both");
        var db = compilation.GetTypeByMetadataName("Fleet")!.GetMembers("Db").Single();
        Assert.That(
            Generator.Parsing.VmParser.Parse(db, output, default),
            Is.SameAs(Generator.Parsing.VmParser.Parse(db, compilation, default)),
            "the analyzer gets the generator's result itself");

        // Any other change of the sources is read anew.
        var edited = compilation.ReplaceSyntaxTree(compilation.SyntaxTrees.Last(), CSharpSyntaxTree.ParseText(Other.Replace("42", "43", StringComparison.Ordinal), GeneratorHarness.ParseOptions, "/src/Homelab/Other.cs"));
        Assert.That(Generator.Parsing.SymbolTable.For(edited), Is.Not.SameAs(read));
    }

    [TestCase("public static class Fleet", "// A comment that moves every VM below it.\npublic static class Fleet", new string[0], TestName = "Moving every VM's text renders none again")]
    [TestCase("Mem = 4096,", "Mem = 16384, // and a comment", new[] { "Fleet.Db" }, TestName = "Editing one VM so that the VMs below it move renders that VM only")]
    public void Rendering_depends_on_values_not_positions(string before, string after, string[] rendered)
    {
        var compilation = GeneratorHarness.Compile((GeneratorHarness.DefaultPath, Fleet));
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);

        var tree = compilation.SyntaxTrees.Single();
        var edited = compilation.ReplaceSyntaxTree(tree, CSharpSyntaxTree.ParseText(Fleet.Replace(before, after, StringComparison.Ordinal), GeneratorHarness.ParseOptions, tree.FilePath));
        var result = driver.RunGenerators(edited).GetRunResult();

        var render = result.Results[0].TrackedSteps[MicroVmModuleGenerator.TrackingNames.Render].SelectMany(step => step.Outputs).ToList();
        Assert.That(render.Where(o => o.Reason is IncrementalStepRunReason.Modified or IncrementalStepRunReason.New or IncrementalStepRunReason.Unchanged).Select(o => ((dynamic)o.Value).Member as string),
            Is.EquivalentTo(rendered), "rendered again");
    }

    private const string SharedFile = """
        using MicroVm.Nix;

        public static class Shared
        {
            public const int Small = 512;

            public static readonly Volume Scratch = new() { Image = "/var/lib/microvms/scratch.img", MountPoint = "/scratch", Size = 64 };

            public static int Mem(int gib) => gib * 1024;
        }
        """;

    private const string UsersFile = """
        using MicroVm.Nix;

        public static class Fleet
        {
            [MicroVmModule] public static readonly VirtualMachine Plain = new() { HostName = "plain" };
            [MicroVmModule] public static readonly VirtualMachine WithPreset = new() { HostName = "preset", Volumes = [Shared.Scratch] };
            [MicroVmModule] public static readonly VirtualMachine WithHelper = new() { HostName = "helper", Mem = Shared.Mem(2) };
            [MicroVmModule] public static readonly VirtualMachine WithConst = new() { HostName = "const", Mem = Shared.Small };
        }
        """;

    [TestCase("public static int Answer() => 42;", "public static int Answer() => 43;", "/src/Homelab/Other.cs", new string[0], new string[0], TestName = "An edit in an unrelated file reads no VM again")]
    [TestCase("Size = 64", "Size = 128", "/src/Homelab/Shared.cs", new[] { "Fleet.WithPreset" }, new[] { "Fleet.WithPreset" }, TestName = "Editing a preset reads again the VMs that use it and renders those it changes")]
    [TestCase("gib * 1024", "gib * 2048", "/src/Homelab/Shared.cs", new[] { "Fleet.WithHelper" }, new[] { "Fleet.WithHelper" }, TestName = "Editing a helper's body reads again the VMs that use it and renders those it changes")]
    [TestCase("Small = 512", "Small = 768", "/src/Homelab/Shared.cs", new[] { "Fleet.Plain", "Fleet.WithPreset", "Fleet.WithHelper", "Fleet.WithConst" }, new[] { "Fleet.WithConst" }, TestName = "Editing a constant reads every VM again and renders those it changes")]
    [TestCase("public const int Small", "public const int Tiny = 256;\n    public const int Small", "/src/Homelab/Shared.cs", new[] { "Fleet.Plain", "Fleet.WithPreset", "Fleet.WithHelper", "Fleet.WithConst" }, new string[0], TestName = "Adding a declaration reads every VM again and renders none")]
    public void A_new_compilation_reads_again_only_what_an_edit_can_change(string before, string after, string file, string[] readAgain, string[] rendered)
    {
        // Readings are carried over by member: a VM is read again when an edit touches its declaration
        // or that of a member it uses (a VM the edit only moved keeps its values, at their new
        // positions); rendering then compares values.
        var compilation = GeneratorHarness.Compile("Users" + Guid.NewGuid().ToString("N"), [("/src/Homelab/Shared.cs", SharedFile), (GeneratorHarness.DefaultPath, UsersFile), ("/src/Homelab/Other.cs", Other)], []);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);

        var tree = compilation.SyntaxTrees.Single(t => t.FilePath == file);
        var text = tree.GetText().ToString();
        Assert.That(text, Does.Contain(before));
        var edited = compilation.ReplaceSyntaxTree(tree, CSharpSyntaxTree.ParseText(text.Replace(before, after, StringComparison.Ordinal), GeneratorHarness.ParseOptions, file));
        driver = driver.RunGenerators(edited);

        var again = Generator.Parsing.SymbolTable.For(edited).ReadHere.Select(key => key.Substring(key.IndexOf(':', StringComparison.Ordinal) + 1));
        Assert.That(again, Is.EquivalentTo(readAgain), "read again");
        var render = driver.GetRunResult().Results[0].TrackedSteps[MicroVmModuleGenerator.TrackingNames.Render].SelectMany(step => step.Outputs)
            .Where(o => o.Reason is IncrementalStepRunReason.Modified or IncrementalStepRunReason.New or IncrementalStepRunReason.Unchanged);
        Assert.That(render.Select(o => ((dynamic)o.Value).Member as string), Is.EquivalentTo(rendered), "rendered again");

        // And what the carried-over readings give is exactly what reading everything afresh gives.
        var fresh = edited.WithAssemblyName("Fresh" + Guid.NewGuid().ToString("N"));
        static IEnumerable<(string, string)> Modules(GeneratorDriver run) => run.GetRunResult().Results[0].GeneratedSources
            .Where(g => g.HintName != "MicroVmLibrary.g.cs") // its keys name the assembly
            .Select(g => (g.HintName, g.SourceText.ToString()));
        Assert.That(Modules(driver), Is.EquivalentTo(Modules(GeneratorHarness.CreateDriver().RunGenerators(fresh))));
    }

    private const string MovingFile = """
        using MicroVm.Nix;

        public static class Fleet
        {
            [MicroVmModule] public static readonly VirtualMachine Plain = new() { HostName = "plain" };
            [MicroVmModule] public static readonly VirtualMachine WithHelper = new() { HostName = "helper", Mem = Shared.Mem(2) };
            [MicroVmModule] public static readonly VirtualMachine Warned = new()
            {
                HostName = "warned",
                Mem = 2048,
                Volumes = [Shared.Scratch, new() { Image = "/dev/sdb", MountPoint = null, Size = 1, AutoCreate = false }],
            };
        }
        """;

    [TestCase("Mem = Shared.Mem(2)", "Mem = Shared.Mem(4) /* grown */", new[] { "Fleet.WithHelper" }, TestName = "Editing one VM reads that VM only; the VMs below keep their values and get exact positions")]
    [TestCase("HostName = \"plain\"", "HostName = \"plain\", Vcpu = 2", new[] { "Fleet.Plain" }, TestName = "Editing the first VM reads that VM only")]
    [TestCase("public static class Fleet\n{", "public static class Fleet\n{\n    // The fleet, on\n    // two lines.", new string[0], TestName = "A comment above every VM reads none again")]
    [TestCase("HostName = \"warned\",", "HostName = \"warned\", Vcpu = 3,", new[] { "Fleet.Warned" }, TestName = "Editing the last VM reads that VM only")]
    public void An_edit_inside_one_member_reads_that_member_only(string before, string after, string[] readAgain)
    {
        var name = "Moving" + Guid.NewGuid().ToString("N");
        (string, string)[] files = [("/src/Homelab/Shared.cs", SharedFile), (GeneratorHarness.DefaultPath, MovingFile)];
        var compilation = GeneratorHarness.Compile(name, files, []);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        var source = MovingFile;
        Assert.That(source, Does.Contain(before));

        var tree = compilation.SyntaxTrees.Single(t => t.FilePath == GeneratorHarness.DefaultPath);
        var edited = compilation.ReplaceSyntaxTree(tree, CSharpSyntaxTree.ParseText(MovingFile.Replace(before, after, StringComparison.Ordinal), GeneratorHarness.ParseOptions, tree.FilePath));
        driver.RunGeneratorsAndUpdateCompilation(edited, out var output, out _);

        var read = Generator.Parsing.SymbolTable.For(edited).ReadHere.Select(key => key.Substring(key.IndexOf(':', StringComparison.Ordinal) + 1));
        Assert.That(read, Is.EquivalentTo(readAgain), "read again");

        // What the carried readings report is exactly what reading everything afresh reports: the same
        // diagnostics at the same positions (Warned's warnings and hint moved with its text).
        files[1] = (GeneratorHarness.DefaultPath, MovingFile.Replace(before, after, StringComparison.Ordinal));
        var fresh = GeneratorHarness.Compile("Fresh" + Guid.NewGuid().ToString("N"), files, []);
        GeneratorHarness.CreateDriver().RunGeneratorsAndUpdateCompilation(fresh, out var freshOutput, out _);
        static List<string> Reported(Compilation c) => [.. Microsoft.CodeAnalysis.Diagnostics.DiagnosticAnalyzerExtensions.WithAnalyzers(c, [new MicroVmAnalyzer()]).GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult()
            .Select(d => d.Id + " " + d.Location.GetLineSpan() + " " + d.GetMessage(System.Globalization.CultureInfo.InvariantCulture))];
        var reported = Reported(output);
        Assert.That(reported, Is.EquivalentTo(Reported(freshOutput)));
        Assert.That(reported, Has.Some.StartsWith("MVN204 "), "the moved VM's warning is among them");
    }

    [Test]
    public void The_next_build_reads_again_only_the_files_that_changed_though_every_file_is_read_anew()
    {
        // A compiler server's next build: every tree parsed again from the files, one of them edited.
        var files = new[] { ("/src/Homelab/Shared.cs", SharedFile), (GeneratorHarness.DefaultPath, UsersFile), ("/src/Homelab/Other.cs", Other) };
        var name = "Build" + Guid.NewGuid().ToString("N");
        var first = GeneratorHarness.Compile(name, files, []);
        GeneratorHarness.CreateDriver().RunGenerators(first);
        var plain = Generator.Parsing.VmParser.Parse(first.GetTypeByMetadataName("Fleet")!.GetMembers("Plain").Single(), first, default);
        var preset = Generator.Parsing.VmParser.Parse(first.GetTypeByMetadataName("Fleet")!.GetMembers("WithPreset").Single(), first, default);

        files[0] = ("/src/Homelab/Shared.cs", SharedFile.Replace("Size = 64", "Size = 128", StringComparison.Ordinal));
        var next = GeneratorHarness.Compile(name, files, []);
        GeneratorHarness.CreateDriver().RunGenerators(next);
        Assert.That(Generator.Parsing.VmParser.Parse(next.GetTypeByMetadataName("Fleet")!.GetMembers("Plain").Single(), next, default), Is.SameAs(plain), "uses no changed file");
        Assert.That(Generator.Parsing.VmParser.Parse(next.GetTypeByMetadataName("Fleet")!.GetMembers("WithPreset").Single(), next, default), Is.Not.SameAs(preset), "uses Shared.cs");
    }

    [Test]
    public void A_compiler_servers_next_build_carries_readings_over_and_throws_nothing()
    {
        // As csc builds each compilation: new option objects every build, with a reference resolver
        // whose Equals throws; then the analyzers run on the generator's output through WithAnalyzers.
        var files = new[] { ("/src/Homelab/Shared.cs", SharedFile), (GeneratorHarness.DefaultPath, UsersFile), ("/src/Homelab/Other.cs", Other) };
        var name = "Server" + Guid.NewGuid().ToString("N");
        CSharpCompilation Build() =>
            GeneratorHarness.Compile(name, files, []) is var c ? c.WithOptions(c.Options.WithMetadataReferenceResolver(new CommandLineResolver())) : null!;

        var first = Build();
        Assert.That(Analyze(first), Is.Empty);

        files[2] = ("/src/Homelab/Other.cs", Other.Replace("42", "43", StringComparison.Ordinal));
        var next = Build();
        Assert.That(Analyze(next), Is.Empty);
        Assert.That(Generator.Parsing.SymbolTable.For(next).ReadHere, Is.Empty, "an edit in an unrelated file reads no VM again");

        static List<string> Analyze(CSharpCompilation compilation)
        {
            var run = GeneratorHarness.CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out _).GetRunResult();
            var problems = run.Results.Where(r => r.Exception is not null).Select(r => "generator: " + r.Exception).ToList();
            var analyzed = output.WithAnalyzers([new MicroVmAnalyzer()]).GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
            problems.AddRange(analyzed.Where(d => d.Id == "AD0001").Select(d => d.ToString()));
            return problems;
        }
    }

    [Test]
    public void A_compiler_servers_new_driver_renders_again_only_the_vm_that_changed()
    {
        // csc gives every build a new generator driver, with no outputs of the last build to compare with.
        var files = new[] { ("/src/Homelab/Shared.cs", SharedFile), (GeneratorHarness.DefaultPath, UsersFile), ("/src/Homelab/Other.cs", Other) };
        var name = "Driver" + Guid.NewGuid().ToString("N");
        var first = Rendered(GeneratorHarness.CreateDriver().RunGenerators(GeneratorHarness.Compile(name, files, [])).GetRunResult());

        files[1] = (GeneratorHarness.DefaultPath, UsersFile.Replace("HostName = \"plain\"", "HostName = \"plain\", Vcpu = 2", StringComparison.Ordinal));
        var next = Rendered(GeneratorHarness.CreateDriver().RunGenerators(GeneratorHarness.Compile(name, files, [])).GetRunResult());

        Assert.That(next.Keys, Is.EquivalentTo(first.Keys));
        Assert.That(next.Where(m => !ReferenceEquals(m.Value, first[m.Key])).Select(m => m.Key), Is.EqualTo(new[] { "Fleet.Plain" }), "rendered anew");

        static Dictionary<string, object> Rendered(GeneratorDriverRunResult run) =>
            run.Results[0].TrackedSteps[MicroVmModuleGenerator.TrackingNames.Render].SelectMany(s => s.Outputs)
                .Select(o => o.Value).Cast<Generator.Emitting.ModuleOutput>().ToDictionary(m => m.Member, m => (object)m);
    }

    /// <summary>The command-line compiler's resolver, as far as equality goes: it cannot be compared.</summary>
    private sealed class CommandLineResolver : MetadataReferenceResolver
    {
        public override bool Equals(object? other) => throw new NotImplementedException();

        public override int GetHashCode() => throw new NotImplementedException();

        public override ImmutableArray<PortableExecutableReference> ResolveReference(string reference, string? baseFilePath, MetadataReferenceProperties properties) => [];
    }

    private static Dictionary<string, List<IncrementalStepRunReason>> TrackedSteps(GeneratorDriverRunResult result) =>
        result.Results[0].TrackedSteps
            .Where(s => AllSteps.Contains(s.Key))
            .ToDictionary(s => s.Key, s => s.Value.SelectMany(step => step.Outputs).Select(o => o.Reason).ToList());

    /// <summary>Walks every tracked output by reflection and fails on anything that pins a compilation.</summary>
    private static void AssertNoForbiddenTypes(GeneratorDriverRunResult result)
    {
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        foreach (var step in result.Results[0].TrackedSteps.Where(s => AllSteps.Contains(s.Key)).SelectMany(s => s.Value))
        {
            foreach (var (value, _) in step.Outputs)
            {
                Visit(value, step.Name ?? "?", seen);
            }
        }
    }

    private static void Visit(object? node, string path, HashSet<object> seen)
    {
        if (node is null || node is string || node.GetType().IsPrimitive || node.GetType().IsEnum || !seen.Add(node))
        {
            return;
        }

        Assert.That(node, Is.Not.InstanceOf<Compilation>().And.Not.InstanceOf<ISymbol>().And.Not.InstanceOf<SyntaxNode>().And.Not.InstanceOf<SemanticModel>().And.Not.InstanceOf<SyntaxTree>(), path);

        if (node is IEnumerable items)
        {
            var i = 0;
            foreach (var item in items)
            {
                Visit(item, path + "[" + i++ + "]", seen);
            }

            return;
        }

        for (var type = node.GetType(); type is not null && type != typeof(object); type = type.BaseType)
        {
            foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                Visit(field.GetValue(node), path + "." + field.Name, seen);
            }
        }
    }
}
