using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using MicroVm.Nix.Build;
using MicroVm.Nix.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace MicroVm.Nix.Tests.Infrastructure;

/// <summary>The outcome of compiling a snippet with the generator and the analyzer, as a build would.</summary>
internal sealed class GeneratorRun
{
    public required CSharpCompilation Input { get; init; }

    public required Compilation Output { get; init; }

    public required GeneratorDriverRunResult Result { get; init; }

    /// <summary>The files the build would write, read back from the compiled assembly.</summary>
    public required IReadOnlyList<GeneratedFile> Modules { get; init; }

    /// <summary>MicroVm.Nix's diagnostics, as the analyzer reports them.</summary>
    public required ImmutableArray<Diagnostic> Diagnostics { get; init; }

    /// <summary>The compiled snippet (null when it did not compile).</summary>
    public byte[]? Image { get; init; }

    /// <summary>The libraries the snippet references.</summary>
    public IReadOnlyList<CompiledLibrary> Libraries { get; init; } = [];

    public GeneratedFile Module(string fileName) =>
        Modules.SingleOrDefault(m => m.FileName == fileName)
        ?? throw new AssertionException("No module " + fileName + "; got: " + string.Join(", ", Modules.Select(m => m.FileName))
            + "; diagnostics: " + string.Join("; ", Diagnostics));

    /// <summary>What the compiled assembly carries for the build step (its files and the VMs it may not write), read as the build reads it.</summary>
    public CarriedModules Carried()
    {
        Assert.That(Image, Is.Not.Null, "the snippet compiles");
        using var stream = new MemoryStream(Image!);
        return ModuleMetadataReader.ReadAll(stream);
    }

    /// <summary>The runtime value of a static member of the compiled snippet, to compare the Nix output with.</summary>
    public object? Value(string typeName, string memberName)
    {
        var context = new AssemblyLoadContext("snippet", isCollectible: true);
        context.Resolving += (loader, name) => Libraries.FirstOrDefault(l => l.Name == name.Name) is { } library ? loader.LoadFromStream(new MemoryStream(library.Image)) : null;
        try
        {
            var assembly = context.LoadFromStream(new MemoryStream(Image ?? throw new InvalidOperationException("The snippet did not compile")));
            var type = assembly.GetType(typeName, throwOnError: true)!;
            const BindingFlags flags = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static;
            return type.GetField(memberName, flags)?.GetValue(null) ?? type.GetProperty(memberName, flags)?.GetValue(null);
        }
        finally
        {
            context.Unload();
        }
    }
}

/// <summary>A library compiled for a snippet to reference: its assembly name, image and reference.</summary>
internal sealed record CompiledLibrary(string Name, byte[] Image, MetadataReference Reference);

/// <summary>Compiles C# snippets against the runtime, runs the generator and the analyzer on them.</summary>
internal static class GeneratorHarness
{
    public const string DefaultPath = "/src/Homelab/Fleet.cs";
    public const string ProjectDirectory = "/src/Homelab/";

    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private static readonly Lazy<ImmutableArray<MetadataReference>> LazyReferences = new(() =>
    {
        var framework = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p) is var name && (name.StartsWith("System.", StringComparison.Ordinal) || name is "netstandard.dll" or "mscorlib.dll"));
        return [.. framework.Append(typeof(VirtualMachine).Assembly.Location).Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))];
    });

    public static ImmutableArray<MetadataReference> References => LazyReferences.Value;

    public static CSharpCompilation Compile(params (string Path, string Source)[] files) => Compile("Snippet", files, []);

    public static CSharpCompilation Compile(string assemblyName, (string Path, string Source)[] files, IEnumerable<CompiledLibrary> libraries) =>
        CSharpCompilation.Create(
            assemblyName,
            files.Select(f => CSharpSyntaxTree.ParseText(f.Source, ParseOptions, f.Path)),
            References.AddRange(libraries.Select(l => l.Reference)),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    /// <summary>
    /// Builds a library as its own build would (with the generator, so it carries its description)
    /// and returns its assembly, to be referenced by a consuming snippet as a project or package would.
    /// </summary>
    public static CompiledLibrary Library(string assemblyName, (string Path, string Source)[] files, bool withGenerator = true, IEnumerable<CompiledLibrary>? libraries = null)
    {
        Compilation output = Compile(assemblyName, files, libraries ?? []);
        if (withGenerator)
        {
            CreateDriver().RunGeneratorsAndUpdateCompilation(output, out output, out _);
        }

        using var stream = new MemoryStream();
        var emitted = output.Emit(stream);
        Assert.That(emitted.Success, Is.True, "the library compiles: " + string.Join("\n", emitted.Diagnostics));
        var image = stream.ToArray();
        return new CompiledLibrary(assemblyName, image, MetadataReference.CreateFromImage(image));
    }

    public static GeneratorDriver CreateDriver(string? projectDirectory = ProjectDirectory) =>
        CSharpGeneratorDriver.Create(
            [new MicroVmModuleGenerator().AsSourceGenerator()],
            parseOptions: ParseOptions,
            optionsProvider: new TestOptionsProvider(projectDirectory),
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Runs one snippet; by default it must compile without C# errors.</summary>
    public static GeneratorRun Run(string source, bool allowCompilerErrors = false) => Run([(DefaultPath, source)], allowCompilerErrors);

    public static GeneratorRun Run((string Path, string Source)[] files, bool allowCompilerErrors = false, IReadOnlyList<CompiledLibrary>? libraries = null)
    {
        var input = Compile("Snippet", files, libraries ?? []);
        var driver = CreateDriver().RunGeneratorsAndUpdateCompilation(input, out var output, out var generatorDiagnostics);
        Assert.That(generatorDiagnostics, Is.Empty, "the generator itself reports nothing: the analyzer does");

        var errors = output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (!allowCompilerErrors)
        {
            Assert.That(errors, Is.Empty, "the snippet and the generated code compile");
        }

        var diagnostics = output.WithAnalyzers([new MicroVmAnalyzer()]).GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();

        // Read the modules the way the build does: from the emitted assembly's metadata.
        byte[]? image = null;
        IReadOnlyList<GeneratedFile> modules = [];
        using (var stream = new MemoryStream())
        {
            if (output.Emit(stream).Success)
            {
                image = stream.ToArray();
                stream.Position = 0;
                modules = ModuleMetadataReader.Read(stream);
            }
            else
            {
                // Still look at what the generator produced, straight from its source text.
                modules = [.. CarrierText.Read(driver.GetRunResult().GeneratedTrees.Select(t => t.GetText().ToString()))];
            }
        }

        return new GeneratorRun
        {
            Input = input,
            Output = output,
            Result = driver.GetRunResult(),
            Modules = modules,
            Diagnostics = diagnostics.Sort((a, b) => a.Location.SourceSpan.Start.CompareTo(b.Location.SourceSpan.Start)),
            Image = image,
            Libraries = libraries ?? [],
        };
    }

    private sealed class TestOptionsProvider(string? projectDirectory) : AnalyzerConfigOptionsProvider
    {
        public override AnalyzerConfigOptions GlobalOptions { get; } = new Options(projectDirectory);

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => new Options(null);

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => new Options(null);

        private sealed class Options(string? projectDirectory) : AnalyzerConfigOptions
        {
            public override bool TryGetValue(string key, out string value)
            {
                value = projectDirectory ?? string.Empty;
                return projectDirectory is not null && string.Equals(key, "build_property.projectdir", StringComparison.OrdinalIgnoreCase);
            }
        }
    }
}

/// <summary>Reads the module attributes out of the generator's C# text, for runs whose compilation cannot emit.</summary>
internal static class CarrierText
{
    public static IEnumerable<GeneratedFile> Read(string source) => Read([source]);

    /// <summary>The modules the build would write from these generated sources: carried, and not withheld by the index.</summary>
    public static IEnumerable<GeneratedFile> Read(IEnumerable<string> sources)
    {
        var files = new List<GeneratedFile>();
        var withheld = new HashSet<string>(StringComparer.Ordinal);
        foreach (var source in sources)
        {
            var tree = CSharpSyntaxTree.ParseText(source);
            foreach (var attribute in tree.GetRoot().DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.AttributeSyntax>())
            {
                var args = attribute.ArgumentList?.Arguments.Select(a => (a.Expression as Microsoft.CodeAnalysis.CSharp.Syntax.LiteralExpressionSyntax)?.Token.Value as string).ToList();
                if (args is [{ } key, { } text] && key.StartsWith(ModuleMetadataReader.Prefix, StringComparison.Ordinal))
                {
                    files.Add(new GeneratedFile(key.Substring(ModuleMetadataReader.Prefix.Length), text));
                }
                else if (args is [{ } withheldKey, _] && withheldKey.StartsWith(ModuleMetadataReader.WithheldPrefix, StringComparison.Ordinal))
                {
                    withheld.Add(withheldKey.Substring(ModuleMetadataReader.WithheldPrefix.Length));
                }
            }
        }

        return files.Where(f => !withheld.Contains(f.FileName)).OrderBy(f => f.FileName, StringComparer.Ordinal);
    }
}
