using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using MicroVm.Nix.Generator.Emitting;
using MicroVm.Nix.Generator.Library;
using MicroVm.Nix.Generator.Model;
using MicroVm.Nix.Generator.Parsing;
using MicroVm.Nix.Generator.Schema;
using MicroVm.Nix.Generator.Validation;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace MicroVm.Nix.Generator;

/// <summary>
/// Reads every <c>[MicroVmModule]</c> member, renders its guest module, and carries the Nix text in
/// the compilation as assembly metadata (<c>MicroVm.Nix.Module:&lt;file&gt;</c>). The MSBuild task in
/// MicroVm.Nix.Build writes the files after compile: a generator may not do file IO. Diagnostics are
/// reported by <see cref="MicroVmAnalyzer"/>, which runs the same parser; a VM with an error gets no file.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class MicroVmModuleGenerator : IIncrementalGenerator
{
    /// <summary>Prefix of the assembly metadata keys that carry generated files.</summary>
    public const string ModuleMetadataPrefix = "MicroVm.Nix.Module:";

    /// <summary>Prefix of the assembly metadata keys that name VMs with errors, whose modules cannot be written.</summary>
    public const string BlockedMetadataPrefix = "MicroVm.Nix.Blocked:";

    /// <summary>Prefix of the assembly metadata keys that name modules carried but not to be written (their VM is blocked by another).</summary>
    public const string WithheldMetadataPrefix = "MicroVm.Nix.Withheld:";

    /// <summary>Key of the assembly metadata that marks a compilation the generator ran on.</summary>
    public const string MarkerKey = "MicroVm.Nix.Generator";

    /// <summary>The names of the pipeline steps, for caching tests.</summary>
    public static class TrackingNames
    {
        /// <summary>Reading one [MicroVmModule] member into a MemberParseResult (its VMs).</summary>
        public const string Parse = nameof(Parse);

        /// <summary>The VMs of every member, one item per VM (a list member gives one per element).</summary>
        public const string Vms = nameof(Vms);

        /// <summary>The consuming project's folder, from MSBuild.</summary>
        public const string ProjectDirectory = nameof(ProjectDirectory);

        /// <summary>Rendering one module.</summary>
        public const string Render = nameof(Render);

        /// <summary>All modules of the compilation together.</summary>
        public const string Collect = nameof(Collect);

        /// <summary>The public presets and helpers one declaration contributes to the library description.</summary>
        public const string LibraryMembers = nameof(LibraryMembers);

        /// <summary>The library description of the compilation, as text.</summary>
        public const string Library = nameof(Library);
    }

    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var parsed = context.SyntaxProvider.ForAttributeWithMetadataName(
                MicroVmSchema.ModuleAttribute,
                static (node, _) => node is VariableDeclaratorSyntax or PropertyDeclarationSyntax,
                static (ctx, ct) => VmParser.Parse(ctx.TargetSymbol, ctx.SemanticModel.Compilation, ct))
            .WithTrackingName(TrackingNames.Parse);

        // Compared without locations: a VM whose text only moved is not rendered again.
        var vms = parsed.SelectMany(static (member, _) => member.VmsOrFailure().ToImmutableArray())
            .WithComparer(WhatNotWhere.Instance)
            .WithTrackingName(TrackingNames.Vms);

        var projectDirectory = context.AnalyzerConfigOptionsProvider
            .Select(static (options, _) => options.GlobalOptions.TryGetValue("build_property.projectdir", out var dir) ? dir : null)
            .WithTrackingName(TrackingNames.ProjectDirectory);

        var modules = vms.Combine(projectDirectory)
            .Select(static (pair, _) => Render(pair.Left, pair.Right))
            .WithTrackingName(TrackingNames.Render);

        // Each module travels in a C# file of its own, so that editing one VM re-emits (and the compiler
        // re-reads) one small file; the index (marker, blocked VMs, host module, device map) is built
        // from what the host needs of each VM, without the modules' text.
        context.RegisterSourceOutput(modules, static (spc, module) =>
        {
            if (module.Text is not null && module.FileName is not null)
            {
                spc.AddSource(HintName(module.Key), Carriers.GetValue(module, Carrier));
            }
        });

        // Hosts declared on their own ([MicroVmModule] on a Host), compared without locations.
        var declaredHosts = parsed.SelectMany(static (member, _) => member.Hosts.Select(h => h.WithoutLocations()).ToImmutableArray())
            .Collect()
            .Select(static (h, _) => h.ToEquatableArray());

        var index = modules.Select(static (m, _) => m.ToIndexEntry())
            .Collect()
            .Select(static (m, _) => m.ToEquatableArray())
            .Combine(declaredHosts)
            .WithTrackingName(TrackingNames.Collect);

        // Emitted even without VMs: the marker tells the build step the generator ran, so it may
        // remove modules it wrote earlier.
        context.RegisterSourceOutput(index, static (spc, entries) => spc.AddSource("MicroVmModules.g.cs", EmitIndex(entries.Left.AsImmutableArray(), entries.Right.AsImmutableArray())));

        // The project's public presets and helpers, described in its assembly so that a project that
        // references it evaluates them as its own (a library of presets, in a project or a package).
        var library = context.SyntaxProvider.CreateSyntaxProvider(LibraryMembers.IsCandidate, LibraryMembers.Describe)
            .Where(static members => members.Count > 0)
            .WithTrackingName(TrackingNames.LibraryMembers)
            .Collect()
            .Select(static (all, _) => all.IsEmpty ? string.Empty : LibraryFormat.Write(all.SelectMany(m => m).GroupBy(m => m.Key).Select(g => g.First())))
            .WithTrackingName(TrackingNames.Library);
        context.RegisterSourceOutput(library, static (spc, text) =>
        {
            if (text.Length > 0)
            {
                var code = new StringBuilder()
                    .Append("// <auto-generated/>\n")
                    .Append("// MicroVm.Nix: the compile-time description of this library's presets and helpers, read by the projects that reference it.\n");
                AppendMetadata(code, LibraryFormat.MetadataKey, text);
                spc.AddSource("MicroVmLibrary.g.cs", code.ToString());
            }
        });
    }

    /// <summary>
    /// The latest module rendered for each VM, by project folder and member key. A compiler server runs
    /// each build's generator with a new driver, which has no earlier outputs to compare with, so every
    /// build would render every VM again; a VM whose reading equals its last one gets its last module
    /// (compared as the driver compares them, <see cref="WhatNotWhere"/>: rendering depends on nothing
    /// else than the reading's values, the folder and this assembly's templates).
    /// </summary>
    private static readonly ConcurrentDictionary<(string? Project, string Key), (VmParseResult Result, ModuleOutput Output)> LatestRenders = new();

    private static ModuleOutput Render(VmParseResult result, string? projectDirectory)
    {
        if (LatestRenders.TryGetValue((projectDirectory, result.Key), out var latest) && WhatNotWhere.Instance.Equals(latest.Result, result))
        {
            return latest.Output;
        }

        var output = RenderAnew(result, projectDirectory);
        LatestRenders[(projectDirectory, result.Key)] = (result, output);
        return output;
    }

    /// <summary>Each module's carrier file, made once per module (and so once per VM while its reading stands, <see cref="LatestRenders"/>).</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<ModuleOutput, string> Carriers = new();

    private static string Carrier(ModuleOutput module)
    {
        var code = new StringBuilder(module.Text!.Length + (module.Text.Length / 8) + 256).Append("// <auto-generated/>\n");
        AppendMetadata(code, ModuleMetadataPrefix + module.FileName, module.Text);
        return code.ToString();
    }

    private static ModuleOutput RenderAnew(VmParseResult result, string? projectDirectory)
    {
        if (result.Spec is not { } spec)
        {
            return new ModuleOutput(result.Member, null, null, result.FirstError ?? "it could not be read", null, null) { Key = result.Key };
        }

        var text = result.HasErrors ? null : ModuleEmitter.RenderGuest(spec, projectDirectory);
        var error = result.FirstError ?? (result.DoesNotCompile ? "its source has syntax errors" : spec.HasUnread ? "a value in it could not be read" : null);
        if (spec.HasUnread)
        {
            return new ModuleOutput(spec.Member, null, null, error, null, null) { Key = result.Key }; // what it claims on the host is not known
        }

        var host = HostEntry.From(spec, spec.HostName + ".nix");
        return new ModuleOutput(spec.Member, host.OutputPath, text, error, FleetFacts.From(spec).WithoutLocations(), host) { Key = result.Key };
    }

    /// <summary>The name of a VM's generated C# file, from its key: only letters, digits, '.', '_' and '-'.</summary>
    private static string HintName(string key)
    {
        var name = new StringBuilder("MicroVmModule.");
        foreach (var c in key.Substring(key.IndexOf('|') + 1))
        {
            name.Append(c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '.' or '_' or '-' ? c : '_');
        }

        return name.Append(".g.cs").ToString();
    }

    /// <summary>
    /// Splits the VMs into those whose modules may be written (no errors of their own, none across
    /// the fleet) and those that are blocked, with the reason.
    /// </summary>
    internal static (ImmutableArray<ModuleIndexEntry> Writable, ImmutableArray<(string Member, string Reason)> Blocked) Partition(
        ImmutableArray<ModuleIndexEntry> modules, ImmutableArray<HostDeclaration> declared)
    {
        var fleetErrors = FleetValidator.Validate(modules.Where(m => m.Fleet is not null).Select(m => m.Fleet!).Concat(declared.Select(h => h.Fleet)))
            .Where(f => f.Diagnostic.IsError)
            .GroupBy(f => f.Member)
            .ToImmutableDictionary(g => g.Key, g => g.First().Diagnostic.Message);
        var writable = modules
            .Where(m => m.HasText && !fleetErrors.ContainsKey(m.Member))
            .OrderBy(m => m.FileName, System.StringComparer.Ordinal)
            .ToImmutableArray();
        var blocked = modules
            .Where(m => !m.HasText || fleetErrors.ContainsKey(m.Member))
            .Select(m => (m.Member, m.Error ?? fleetErrors[m.Member]))
            .Concat(declared.Where(h => fleetErrors.ContainsKey(h.Member)).Select(h => (h.Member, fleetErrors[h.Member])))
            .OrderBy(b => b.Member, System.StringComparer.Ordinal)
            .ToImmutableArray();
        return (writable, blocked);
    }

    private static string EmitIndex(ImmutableArray<ModuleIndexEntry> modules, ImmutableArray<HostDeclaration> declared)
    {
        var (writable, blocked) = Partition(modules, declared);
        var code = new StringBuilder()
            .Append("// <auto-generated/>\n")
            .Append("// MicroVm.Nix: the index of this project's Nix modules. The build writes them into $(MicroVmNixOutputDir).\n")
            .Append("#nullable enable\n");
        AppendMetadata(code, MarkerKey, "1");

        // A VM that has an error gets no module. The build step refuses to touch the folder while
        // any is listed here (the error may have been suppressed), so no module of it is lost; the
        // module of a VM blocked by another VM (MVN301…) travels in its own file and is withheld here.
        foreach (var (member, reason) in blocked)
        {
            AppendMetadata(code, BlockedMetadataPrefix + member, reason);
        }

        foreach (var module in modules.Where(m => m.HasText && !writable.Contains(m)).Select(m => m.FileName!).Distinct().OrderBy(f => f, System.StringComparer.Ordinal))
        {
            AppendMetadata(code, WithheldMetadataPrefix + module, "1");
        }

        var hosts = writable.Select(m => m.Host!).ToList();
        if (hosts.All(h => h.Placement is null) && declared.IsEmpty)
        {
            if (hosts.Count > 0)
            {
                AppendMetadata(code, ModuleMetadataPrefix + HostEmitter.FileName, HostEmitter.Render(hosts));
            }
        }
        else
        {
            // Placed on hosts (MVN307 holds back a VM without one): a folder per host with its host module, and fleet.nix;
            // a declared host has them with no VM too (MVN308 holds back one described two ways).
            var vmsOf = hosts.Where(h => h.Placement is not null).ToLookup(h => h.Placement!.Name, System.StringComparer.Ordinal);
            var byHost = hosts.Where(h => h.Placement is not null).Select(h => h.Placement!).Concat(declared.Select(h => h.Placement))
                .GroupBy(p => p.Name, System.StringComparer.Ordinal)
                .OrderBy(g => g.Key, System.StringComparer.Ordinal)
                .Select(g => (Placement: g.First(), Vms: (System.Collections.Generic.IReadOnlyList<HostEntry>)vmsOf[g.Key].ToList()))
                .ToList();
            foreach (var (placement, vms) in byHost)
            {
                AppendMetadata(code, ModuleMetadataPrefix + placement.Name + "/" + HostEmitter.FileName, HostEmitter.Render(vms, placement));
            }

            AppendMetadata(code, ModuleMetadataPrefix + FleetEmitter.FileName, FleetEmitter.Render(byHost.Select(h => (h.Placement, (System.Collections.Generic.IReadOnlyList<string>)h.Vms.Select(vm => vm.Name).ToList())).ToList()));
        }

        return code.Append(GuestDevicesEmitter.Emit(writable.Select(m => m.Host!).ToList())).ToString();
    }

    private static void AppendMetadata(StringBuilder code, string key, string value) =>
        code.Append("[assembly: global::System.Reflection.AssemblyMetadataAttribute(")
            .Append(SymbolDisplay.FormatLiteral(key, quote: true))
            .Append(", ")
            .Append(SymbolDisplay.FormatLiteral(value, quote: true))
            .Append(")]\n");
}
