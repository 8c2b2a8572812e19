using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using MicroVm.Nix.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace MicroVm.Nix.Benchmarks;

/// <summary>
/// A generated fleet of <c>n</c> valid, varied VMs, 100 to a file: each with 8 volumes (two zvols, one
/// created by the host module, a read-only volume shared by every VM through a <c>static readonly</c>
/// member, five image files with labels), a virtiofs share, a tap interface with its own MAC, and a
/// vsock CID; hypervisors alternate between cloud-hypervisor and qemu.
/// </summary>
internal static class FleetSource
{
    public const int PerFile = 100;

    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    /// <summary>The files of a fleet of <paramref name="n"/> VMs; <paramref name="edit"/> changes VM 50's memory (and, with <paramref name="moveText"/>, the length of its line).</summary>
    public static IReadOnlyList<(string Path, string Text)> Files(int n, bool edit = false, bool moveText = false)
    {
        var files = new List<(string, string)>
        {
            ("/src/Fleet/Shared.cs", """
                using MicroVm.Nix;

                namespace Fleet;

                public static class Shared
                {
                    public const string Pool = "tank";

                    public static readonly Volume Tools = new() { Image = "/var/lib/microvms/shared/tools.img", MountPoint = "/opt/tools", Size = 2048, ReadOnly = true, AutoCreate = false };
                }
                """),
            ("/src/Fleet/Other.cs", "namespace Fleet;\n\npublic static class Other\n{\n    public static int Answer => 42;\n}\n"),
        };
        for (var file = 0; file * PerFile < n; file++)
        {
            var text = new StringBuilder("using MicroVm.Nix;\n\nnamespace Fleet;\n\npublic static class Part").Append(file).Append("\n{\n");
            for (var i = file * PerFile; i < Math.Min(n, (file + 1) * PerFile); i++)
            {
                var mem = 1024 + (i % 4) * 512;
                if (edit && i == 50)
                {
                    mem = moveText ? 12288 : mem + 256;
                }

                text.Append(Vm(i, mem));
            }

            files.Add(("/src/Fleet/Part" + file + ".cs", text.Append("}\n").ToString()));
        }

        return files;
    }

    private static string Vm(int i, int mem)
    {
        var hypervisor = i % 2 == 0 ? "CloudHypervisor" : "Qemu";
        var mac = string.Create(CultureInfo.InvariantCulture, $"02:00:00:{i / 256 % 256:x2}:{i % 256:x2}:01");
        return string.Create(CultureInfo.InvariantCulture, $$"""
                [MicroVmModule]
                public static readonly VirtualMachine Vm{{i}} = new()
                {
                    HostName = "vm{{i}}",
                    Hypervisor = Hypervisor.{{hypervisor}},
                    Vcpu = {{1 + i % 4}},
                    Mem = {{mem}},
                    VsockCid = {{i + 3}},
                    Interfaces = [new() { Type = InterfaceType.Tap, Id = "vm-{{i}}", Mac = "{{mac}}" }],
                    Shares = [new() { Tag = "data", Source = "/srv/vm{{i}}", MountPoint = "/data", Proto = ShareProtocol.Virtiofs, Socket = "data.sock" }],
                    Volumes =
                    [
                        new() { Image = new Zvol(Shared.Pool, "vms/vm{{i}}/db") { Create = new() { VolSize = DataSize.GiB(20) } }, Serial = "db{{i}}", MountPoint = null, Size = 20480, AutoCreate = false },
                        new() { Image = new Zvol(Shared.Pool, "vms/vm{{i}}/wal"), Serial = "wal{{i}}", MountPoint = null, Size = 4096, AutoCreate = false },
                        Shared.Tools,
                        new() { Image = "/var/lib/microvms/vm{{i}}/var.img", MountPoint = "/var", Size = 4096, Label = "var" },
                        new() { Image = "/var/lib/microvms/vm{{i}}/home.img", MountPoint = "/home", Size = 2048, Label = "home" },
                        new() { Image = "/var/lib/microvms/vm{{i}}/log.img", MountPoint = "/var/log", Size = 1024, Label = "log" },
                        new() { Image = "/var/lib/microvms/vm{{i}}/cache.img", MountPoint = "/var/cache", Size = 1024, Label = "cache" },
                        new() { Image = "/var/lib/microvms/vm{{i}}/srv.img", MountPoint = "/srv", Size = 8192, Label = "srv", MkfsExtraArgs = ["-O", "^has_journal"] },
                    ],
                };

            """);
    }

    public static IEnumerable<MetadataReference> References() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "netstandard.dll")
            .Append(typeof(VirtualMachine).Assembly.Location)
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p));

    private static int _compilations;

    /// <summary>
    /// A compilation of freshly parsed trees under an assembly name of its own: the generator carries
    /// readings over from the latest compilation of the same assembly whose files have the same text
    /// (as the next build of a compiler server does), so a measured cold run must be another project.
    /// Edits (<see cref="Edit"/>) keep the name, and so carry over as in an editor.
    /// </summary>
    public static CSharpCompilation Compile(IEnumerable<(string Path, string Text)> files, IEnumerable<MetadataReference> references) =>
        CSharpCompilation.Create("Fleet" + System.Threading.Interlocked.Increment(ref _compilations), files.Select(f => CSharpSyntaxTree.ParseText(f.Text, ParseOptions, f.Path)), references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));

    /// <summary>The fleet's VM fields (<c>[MicroVmModule]</c> members of type VirtualMachine), in source order.</summary>
    public static List<ISymbol> VmMembers(Compilation compilation) =>
        [.. compilation.SyntaxTrees.SelectMany(t => t.GetRoot().DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.VariableDeclaratorSyntax>())
            .Select(v => compilation.GetSemanticModel(v.SyntaxTree).GetDeclaredSymbol(v))
            .OfType<IFieldSymbol>()
            .Where(f => f.Type.Name == "VirtualMachine")];

    /// <summary>Binds VM <paramref name="index"/>'s initializer (Roslyn's own cost of reading one VM's value).</summary>
    public static IOperation? BindVm(Compilation compilation, int index)
    {
        var declarator = compilation.SyntaxTrees.SelectMany(t => t.GetRoot().DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.VariableDeclaratorSyntax>())
            .First(v => v.Identifier.ValueText == "Vm" + index);
        return compilation.GetSemanticModel(declarator.SyntaxTree).GetOperation(declarator.Initializer!.Value);
    }

    /// <summary>Replaces the trees of <paramref name="compilation"/> whose text differs in <paramref name="files"/> (as an editor does).</summary>
    public static CSharpCompilation Edit(CSharpCompilation compilation, IEnumerable<(string Path, string Text)> files)
    {
        foreach (var (path, text) in files)
        {
            var old = compilation.SyntaxTrees.Single(t => t.FilePath == path);
            if (old.GetText().ToString() != text)
            {
                compilation = compilation.ReplaceSyntaxTree(old, CSharpSyntaxTree.ParseText(text, ParseOptions, path));
            }
        }

        return compilation;
    }

    public static GeneratorDriver Driver() =>
        CSharpGeneratorDriver.Create([new MicroVmModuleGenerator().AsSourceGenerator()], parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
}
