using System.Collections.Generic;
using System.Linq;
using MicroVm.Nix.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace MicroVm.Nix.Tests;

/// <summary>
/// Config libraries: a project's public presets and helpers travel in its assembly as a compile-time
/// description, and a project that references the assembly (no source) evaluates them exactly as if
/// they were its own: the same modules, the same diagnostics, at the consumer's call site.
/// </summary>
public class LibraryTests
{
    private const string LibrarySource = """
        using System.Collections.Generic;
        using MicroVm.Nix;

        namespace PresetLib;

        public enum Size { Small, Medium, Large }

        public static class Presets
        {
            private const string DefaultPool = "tank";

            private static readonly string StateDir = "/var/lib/microvms";

            public static readonly Volume Scratch = new() { Image = StateDir + "/scratch.img", MountPoint = "/scratch", Size = 1024 };

            public static readonly VirtualMachine Hardened = new()
            {
                HostName = "hardened",
                Hypervisor = Hypervisor.CloudHypervisor,
                Vcpu = 2,
                KernelParams = ["lockdown=confidentiality", "slab_nomerge"],
                ExtraConfig = new Dictionary<string, object> { ["services.nginx.enable"] = false },
            };

            public static Volume DbZvol(string name, int gib, string pool = DefaultPool) => new()
            {
                Image = new Zvol(pool, $"vms/{name}/data"),
                MountPoint = null,
                Size = Gib(gib),
                AutoCreate = false,
                Serial = name + "-db",
            };

            private static int Gib(int n) => n * 1024;

            public static int Memory(Size size) => size switch { Size.Small => 1024, Size.Medium => 2048, _ => 8192 };

            public static VirtualMachine Worker(int n, Size size = Size.Small) => Hardened with
            {
                HostName = $"worker-{n}",
                Hypervisor = Hypervisor.Firecracker,
                Mem = Memory(size),
                Vcpu = size > Size.Small ? 4 : 1,
            };

            public static readonly Volume BadMount = new() { Image = StateDir + "/bad.img", MountPoint = "data", Size = 16 };

            public static int NotDescribable(System.DateTime when) => when.Year;
        }
        """;

    private const string FleetSource = """
        using MicroVm.Nix;
        using PresetLib;

        namespace Homelab;

        public static class Fleet
        {
            [MicroVmModule]
            public static readonly VirtualMachine Db = Presets.Hardened with
            {
                HostName = "db",
                Mem = Presets.Memory(Size.Large),
                Volumes = [Presets.DbZvol("db", 100), Presets.DbZvol(pool: "ssd", gib: 8, name: "wal"), Presets.Scratch with { Image = "/var/lib/microvms/db/scratch.img" }],
            };

            [MicroVmModule]
            public static readonly VirtualMachine[] Workers = [Presets.Worker(1), Presets.Worker(2, Size.Medium), Presets.Worker(3, Size.Large)];
        }
        """;

    private const string LibraryPath = "/src/PresetLib/Presets.cs";

    private static CompiledLibrary BuildLibrary(string source = LibrarySource) => GeneratorHarness.Library("PresetLib", [(LibraryPath, source)]);

    [Test]
    public void A_referenced_library_gives_the_same_modules_as_the_same_source_in_the_project()
    {
        var local = GeneratorHarness.Run([(LibraryPath, LibrarySource), (GeneratorHarness.DefaultPath, FleetSource)]);
        var referenced = GeneratorHarness.Run([(GeneratorHarness.DefaultPath, FleetSource)], libraries: [BuildLibrary()]);

        Assert.That(referenced.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error), Is.Empty, string.Join("\n", referenced.Diagnostics));
        Assert.That(referenced.Modules.Select(m => m.FileName), Is.EquivalentTo(new[] { "db.nix", "worker-1.nix", "worker-2.nix", "worker-3.nix", "default.nix" }));
        Assert.That(referenced.Modules.Select(m => (m.FileName, m.Text)), Is.EqualTo(local.Modules.Select(m => (m.FileName, m.Text))), "byte-identical modules");
        Assert.That(referenced.Diagnostics.Select(d => d.Id), Is.EqualTo(local.Diagnostics.Select(d => d.Id)));

        // And each module means the record the compiled C# builds, library code included.
        var vms = ((VirtualMachine[])referenced.Value("Homelab.Fleet", "Workers")!).Append((VirtualMachine)referenced.Value("Homelab.Fleet", "Db")!);
        foreach (var vm in vms)
        {
            ExpectedNix.AssertModuleMeans(NixEvaluator.ParseAndEval(referenced.Module(vm.HostName + ".nix").Text), vm);
        }
    }

    [Test]
    public void The_description_holds_public_presets_and_helpers_and_what_they_use_and_nothing_else()
    {
        var library = BuildLibrary(LibrarySource + """

            public static class Fleet
            {
                [MicroVmModule]
                public static readonly VirtualMachine Own = new() { HostName = "own" };

                internal static readonly Volume Hidden = new() { Image = "/hidden.img", MountPoint = "/hidden", Size = 1 };
            }
            """);
        var description = Description(library);

        Assert.That(description, Does.StartWith("microvm-nix-library/1\n"));
        foreach (var described in new[] { "F:PresetLib.Presets.Scratch", "F:PresetLib.Presets.Hardened", "M:PresetLib.Presets.DbZvol(System.String,System.Int32,System.String)", "M:PresetLib.Presets.Worker(System.Int32,PresetLib.Size)" })
        {
            Assert.That(description, Does.Contain("\"PresetLib|" + described + "\""), described);
        }

        Assert.That(description, Does.Contain("\"PresetLib|M:PresetLib.Presets.Gib(System.Int32)\""), "a private helper a public one calls");
        Assert.That(description, Does.Contain("\"PresetLib|F:PresetLib.Presets.StateDir\""), "a private value a public preset uses");
        Assert.That(description, Does.Not.Contain("Fleet.Own"), "a [MicroVmModule] member is a module, not a preset");
        Assert.That(description, Does.Not.Contain("Hidden"), "not public");
        Assert.That(description, Does.Not.Contain("NotDescribable"), "a type the generator does not evaluate");
        var again = Description(BuildLibrary());
        Assert.That(Description(BuildLibrary()), Is.EqualTo(again), "deterministic");
    }

    [Test]
    public void A_problem_caused_by_an_argument_lands_on_the_argument_and_one_inside_a_preset_on_its_use_naming_it()
    {
        var run = DiagnosticAssert.Exactly("""
            using MicroVm.Nix;
            using PresetLib;

            public static class Fleet
            {
                [MicroVmModule]
                public static readonly VirtualMachine A = {|MVN206:Presets.Hardened|} with { HostName = "a", Volumes = [Presets.DbZvol("a", 10, {|MVN109:"-tank"|})] };

                [MicroVmModule]
                public static readonly VirtualMachine B = new() { HostName = "b", Volumes = [{|MVN102:Presets.BadMount|}] };
            }
            """, libraries: [BuildLibrary()]);

        var inPreset = run.Diagnostics.Single(d => d.Id == "MVN102").GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(inPreset, Does.EndWith("(from Presets.BadMount in PresetLib)"));
        Assert.That(run.Diagnostics.Single(d => d.Id == "MVN206").GetMessage(System.Globalization.CultureInfo.InvariantCulture), Does.EndWith("(from Presets.Hardened in PresetLib)"), "a warning about the preset's hypervisor, on its use");
        Assert.That(run.Diagnostics.Single(d => d.Id == "MVN109").GetMessage(System.Globalization.CultureInfo.InvariantCulture), Does.Not.Contain("(from "), "the argument is the consumer's own");
    }

    [Test]
    public void Mistakes_in_arguments_to_a_library_land_where_they_land_for_local_helpers()
    {
        const string Helpers = """
            using MicroVm.Nix;

            namespace Lib;

            public enum Size { Small, Big, Huge }

            public static class Bad
            {
                public static int NoArm(Size size) => size switch { Size.Small => 512, Size.Huge => 4096 };

                public static int Overflow(int gib) => gib * 1024 * 1024 * 1024;

                public static VirtualMachine Service(string name) => new() { HostName = $"svc-{name}" };

                public static Volume Data(string name, string pool) => new() { Image = new Zvol(pool, name), Serial = name, MountPoint = null, Size = 64, AutoCreate = false };

                public static int WithLocal(int n)
                {
                    var twice = n * 2;
                    return twice;
                }
            }
            """;
        const string Uses = """
            using MicroVm.Nix;
            using Lib;

            public static class Fleet
            {
                [MicroVmModule] public static readonly VirtualMachine A = Bad.Service("a") with { Mem = Bad.NoArm(Size.Big) };
                [MicroVmModule] public static readonly VirtualMachine B = Bad.Service("b") with { Mem = Bad.Overflow(4) };
                [MicroVmModule] public static readonly VirtualMachine[] C = [Bad.Service("dup"), Bad.Service("dup")];
                [MicroVmModule] public static readonly VirtualMachine D = Bad.Service("d") with { Volumes = [Bad.Data("d", "-tank")] };
                [MicroVmModule] public static readonly VirtualMachine E = Bad.Service("e") with { Mem = Bad.WithLocal(600) };
            }
            """;

        var local = GeneratorHarness.Run([("/src/Lib/Bad.cs", Helpers), (GeneratorHarness.DefaultPath, Uses)], allowCompilerErrors: true);
        var referenced = GeneratorHarness.Run([(GeneratorHarness.DefaultPath, Uses)], libraries: [GeneratorHarness.Library("Lib", [("/src/Lib/Bad.cs", Helpers)])]);

        static List<string> Seen(GeneratorRun run) => [.. run.Diagnostics
            .Where(d => d.Location.SourceTree?.FilePath == GeneratorHarness.DefaultPath)
            .Select(d => d.Id + " at " + d.Location.GetLineSpan().StartLinePosition + ": " + d.GetMessage(System.Globalization.CultureInfo.InvariantCulture))
            .Order(System.StringComparer.Ordinal)];

        // Only a problem of the library's own code names it: "… (from Bad.WithLocal in Lib)".
        static string WithoutOrigin(string message) => System.Text.RegularExpressions.Regex.Replace(message, @" \(from [^()]* in Lib\)$", string.Empty);
        Assert.That(Seen(referenced).Select(WithoutOrigin), Is.EqualTo(Seen(local)), "the same diagnostics, at the same places in the consumer's file");
        Assert.That(Seen(referenced).Count(m => m.EndsWith("(from Bad.WithLocal in Lib)", System.StringComparison.Ordinal)), Is.EqualTo(1));
        Assert.That(referenced.Diagnostics.Select(d => d.Location.SourceTree?.FilePath), Is.All.EqualTo(GeneratorHarness.DefaultPath));
        Assert.That(Seen(referenced), Has.Count.EqualTo(6), string.Join("\n", Seen(referenced)));
        Assert.That(Seen(referenced), Has.Some.Contains("the helper 'WithLocal' is not one expression"));
    }

    [Test]
    public void A_library_described_by_another_format_version_is_refused_at_the_use()
    {
        var library = GeneratorHarness.Library(
            "FutureLib",
            [("/src/FutureLib/Presets.cs", """
                using MicroVm.Nix;

                [assembly: System.Reflection.AssemblyMetadata("MicroVm.Nix.Library", "microvm-nix-library/2\n(anything)")]

                namespace FutureLib;

                public static class Presets
                {
                    public static readonly Volume Scratch = new() { Image = "/scratch.img", MountPoint = "/scratch", Size = 1024 };
                }
                """)],
            withGenerator: false);

        var run = DiagnosticAssert.Exactly("""
            using MicroVm.Nix;

            public static class Fleet
            {
                [MicroVmModule]
                public static readonly VirtualMachine A = new() { HostName = "a", Volumes = [{|MVN006:FutureLib.Presets.Scratch|}] };
            }
            """, libraries: [library]);
        Assert.That(run.Diagnostics.Single().GetMessage(System.Globalization.CultureInfo.InvariantCulture), Does.Contain("microvm-nix-library/2").And.Contain("microvm-nix-library/1"));
        Assert.That(run.Modules.Where(m => m.FileName == "a.nix"), Is.Empty, "no module from a value it cannot read");
    }

    [Test]
    public void An_assembly_without_a_description_is_reported_as_such_and_its_constants_still_work()
    {
        var library = GeneratorHarness.Library(
            "PlainLib",
            [("/src/PlainLib/Presets.cs", """
                using MicroVm.Nix;

                namespace PlainLib;

                public static class Presets
                {
                    public const int Memory = 2048;

                    public static readonly Volume Scratch = new() { Image = "/scratch.img", MountPoint = "/scratch", Size = 1024 };
                }
                """)],
            withGenerator: false);

        var run = DiagnosticAssert.Exactly("""
            using MicroVm.Nix;

            public static class Fleet
            {
                [MicroVmModule]
                public static readonly VirtualMachine A = new() { HostName = "a", Mem = {|MVN204:PlainLib.Presets.Memory|}, Volumes = [{|MVN001:PlainLib.Presets.Scratch|}] };
            }
            """, libraries: [library]);
        // The constant is read (2048 MiB, which QEMU hangs on) though the volume is not.
        Assert.That(run.Diagnostics.Single(d => d.Id == "MVN001").GetMessage(System.Globalization.CultureInfo.InvariantCulture), Does.Contain("PlainLib, which carries no MicroVm.Nix description"));
    }

    [Test]
    public void A_library_may_use_another_library()
    {
        var basics = GeneratorHarness.Library("Basics", [("/src/Basics/Sizes.cs", """
            namespace Basics;

            public static class Sizes
            {
                public static int Gib(int n) => n * 1024;
            }
            """)]);
        var presets = GeneratorHarness.Library("Presets2", [("/src/Presets2/Presets.cs", """
            using MicroVm.Nix;

            namespace Presets2;

            public static class Presets
            {
                public static Volume Data(string name, int gib) => new() { Image = $"/var/lib/microvms/{name}.img", MountPoint = "/data", Size = Basics.Sizes.Gib(gib) };
            }
            """)], libraries: [basics]);

        var run = GeneratorHarness.Run([(GeneratorHarness.DefaultPath, """
            using MicroVm.Nix;

            public static class Fleet
            {
                [MicroVmModule]
                public static readonly VirtualMachine A = new() { HostName = "a", Volumes = [Presets2.Presets.Data("a", 3)] };
            }
            """)], libraries: [basics, presets]);
        Assert.That(run.Diagnostics, Is.Empty);
        ExpectedNix.AssertModuleMeans(NixEvaluator.ParseAndEval(run.Module("a.nix").Text), (VirtualMachine)run.Value("Fleet", "A")!);
    }

    private static string Description(CompiledLibrary library)
    {
        var compilation = GeneratorHarness.Compile("Probe", [], [library]);
        var assembly = compilation.SourceModule.ReferencedAssemblySymbols.Single(a => a.Name == library.Name);
        return assembly.GetAttributes()
            .Where(a => a.AttributeClass?.Name == "AssemblyMetadataAttribute" && (string?)a.ConstructorArguments[0].Value == "MicroVm.Nix.Library")
            .Select(a => (string)a.ConstructorArguments[1].Value!)
            .Single();
    }
}
