using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using MicroVm.Nix.Generator.Diagnostics;
using MicroVm.Nix.Generator.Library;
using MicroVm.Nix.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace MicroVm.Nix.Generator.Parsing;

/// <summary>Why a member cannot be read: the reason for MVN001, or a library of another format version (MVN006).</summary>
internal sealed record LookupProblem(string Reason, bool Version = false);

/// <summary>
/// Every member the VMs of one compilation refer to, by key: read once from this project's source
/// (<see cref="IrBuilder"/>) or from a referenced library's description (<see cref="LibraryFormat"/>), and,
/// for presets, evaluated once (<see cref="IrInterpreter"/>) however many VMs use them. One table per
/// compilation, shared by the generator's and the analyzer's reading of every member; thread-safe.
/// </summary>
internal sealed class SymbolTable
{
    private static readonly ConditionalWeakTable<Compilation, SymbolTable> Tables = new();

    private readonly Compilation _compilation;
    private readonly object _gate = new();
    private readonly Dictionary<string, ISymbol> _symbols = [];
    private readonly Dictionary<string, (IrMember? Member, LookupProblem? Problem)> _members = [];
    private readonly Dictionary<string, LibraryDescription?> _libraries = [];
    private readonly Dictionary<string, (EvalValue? Value, List<DiagnosticInfo> Diagnostics, HashSet<string> Uses)> _values = [];
    private Dictionary<string, IAssemblySymbol>? _assemblies;

    /// <summary>
    /// The latest table by its compilation's first syntax tree, to find the generator's table from the
    /// analyzer's compilation. Held strongly while that tree lives: the compilation the generator read
    /// is usually unreachable by the time the analyzer runs, and its table must outlive it; one table
    /// (and its compilation) per first tree at most.
    /// </summary>
    private static readonly ConditionalWeakTable<SyntaxTree, SymbolTable> ByFirstTree = new();

    /// <summary>Each <c>[MicroVmModule]</c> member's reading, with the source files and the members (its own key included) it depends on.</summary>
    private readonly Dictionary<string, Reading> _parsed = [];

    /// <summary>The members this table read itself, rather than carried over (for tests).</summary>
    private readonly HashSet<string> _readHere = [];

    /// <summary>The <c>[MicroVmModule]</c> members this table read itself, rather than carried over from an earlier compilation.</summary>
    public IReadOnlyCollection<string> ReadHere
    {
        get
        {
            lock (_gate)
            {
                return [.. _readHere];
            }
        }
    }

    /// <summary>A member's reading and what it depends on.</summary>
    private sealed record Reading(MemberParseResult Result, HashSet<string> Files, HashSet<string> Members);

    /// <summary>
    /// What the latest table of each assembly can hand to the next compilation of it: plain data (the
    /// trees, the members read, the VMs' readings), never the compilation, so that it may outlive it —
    /// across the builds a compiler server runs, too.
    /// </summary>
    private static readonly Dictionary<string, Carry> Latest = new(System.StringComparer.Ordinal);

    private SymbolTable(Compilation compilation) => _compilation = compilation;

    /// <summary>A table's plain data, shared with it (the same dictionaries, under the same lock).</summary>
    private sealed record Carry(
        string? AssemblyName,
        string Options,
        IReadOnlyList<object> References,
        Dictionary<string, SyntaxTree> Trees,
        Dictionary<string, (IrMember? Member, LookupProblem? Problem)> Members,
        Dictionary<string, Reading> Parsed,
        object Gate);

    private Carry ToCarry() => new(
        _compilation.AssemblyName,
        OptionsKey(_compilation.Options),
        ReferenceIds(_compilation),
        _compilation.SyntaxTrees.Where(t => !IsGenerated(t)).GroupBy(t => t.FilePath).ToDictionary(g => g.Key, g => g.First(), System.StringComparer.Ordinal),
        _members,
        _parsed,
        _gate);

    /// <summary>Each reference by its name and module version id: a rebuilt library is another reference.</summary>
    /// <remarks>Another kind of reference (an IDE's reference to another project's compilation) is itself its id.</remarks>
    private static List<object> ReferenceIds(Compilation compilation) =>
        compilation.References.Select(r => r is PortableExecutableReference pe ? r.Display + "|" + Mvid(pe.GetMetadata()) : (object)r).ToList();

    /// <summary>
    /// The compilation options that can change what a record's expressions mean, as one comparable string.
    /// <see cref="CompilationOptions.Equals(object)"/> cannot be used across builds: the command-line
    /// compiler's reference resolver throws from <c>Equals</c>, and its resolvers and providers are new
    /// objects in every build a compiler server runs, though they change nothing a record means.
    /// </summary>
    private static string OptionsKey(CompilationOptions options)
    {
        var key = new System.Text.StringBuilder()
            .Append(options.Language).Append('|').Append(options.OutputKind).Append('|').Append(options.ModuleName).Append('|')
            .Append(options.MainTypeName).Append('|').Append(options.ScriptClassName).Append('|').Append(options.CheckOverflow).Append('|')
            .Append(options.OptimizationLevel).Append('|').Append(options.Platform).Append('|').Append(options.MetadataImportOptions).Append('|')
            .Append(options.NullableContextOptions).Append('|').Append(options.GeneralDiagnosticOption).Append('|').Append(options.WarningLevel).Append('|')
            .Append(options.ReportSuppressedDiagnostics);
        foreach (var specific in options.SpecificDiagnosticOptions.OrderBy(o => o.Key, System.StringComparer.Ordinal))
        {
            key.Append('|').Append(specific.Key).Append('=').Append(specific.Value);
        }

        if (options is Microsoft.CodeAnalysis.CSharp.CSharpCompilationOptions csharp)
        {
            key.Append('|').Append(csharp.AllowUnsafe).Append('|').Append(string.Join(";", csharp.Usings));
        }

        return key.ToString();
    }

    private static string Mvid(Metadata metadata) => metadata switch
    {
        AssemblyMetadata assembly => assembly.GetModules()[0].GetModuleVersionId().ToString(),
        ModuleMetadata module => module.GetModuleVersionId().ToString(),
        _ => "?",
    };

    /// <summary>
    /// The table of <paramref name="compilation"/>. A compilation that differs from one already seen only
    /// by MicroVm.Nix's generated files — the analyzer's view of the compilation the generator read —
    /// shares that table: the same sources, references and options give the same values, so the
    /// analyzer reports what the generator read instead of reading every VM a second time.
    /// </summary>
    public static SymbolTable For(Compilation compilation) => Tables.GetValue(compilation, static c =>
    {
        var first = c.SyntaxTrees.FirstOrDefault();
        if (first is null)
        {
            return new SymbolTable(c);
        }

        lock (ByFirstTree)
        {
            if (ByFirstTree.TryGetValue(first, out var known) && SameSources(known._compilation, c))
            {
                return known;
            }

            var table = new SymbolTable(c);
            var carry = table.ToCarry();
            if (c.AssemblyName is { } name && Latest.TryGetValue(name, out var previous))
            {
                table.Inherit(previous, carry);
            }

            ByFirstTree.Remove(first);
            ByFirstTree.Add(first, table);
            if (c.AssemblyName is { } assembly)
            {
                Latest[assembly] = carry;
            }

            return table;
        }
    });

    /// <summary>
    /// Carries over from the table of an earlier compilation of the same project what cannot have
    /// changed: when the two differ only inside bodies and initializers (no declaration, constant,
    /// reference or option changed), every member read from unchanged files and every VM whose
    /// reading depends on no changed file (its own, and those of every member it used) keep their
    /// readings. An edit in one file re-reads the VMs that file holds or uses, and nothing else.
    /// </summary>
    private void Inherit(Carry previous, Carry current)
    {
        if (previous.AssemblyName != current.AssemblyName || previous.Options != current.Options || !previous.References.SequenceEqual(current.References)
            || previous.Trees.Count != current.Trees.Count)
        {
            return;
        }

        var changed = new Dictionary<string, (SyntaxTree Was, SyntaxTree Now)>(System.StringComparer.Ordinal);
        foreach (var tree in current.Trees.Values)
        {
            if (!previous.Trees.TryGetValue(tree.FilePath, out var was))
            {
                return; // a file added (and one removed): new declarations
            }

            // The same text read again (the next build of a compiler server) is the same file.
            if (ReferenceEquals(was, tree) || (was.Options.Equals(tree.Options) && was.GetText().ContentEquals(tree.GetText())))
            {
                continue;
            }

            if (DeclarationShape.Of(was) != DeclarationShape.Of(tree))
            {
                return;
            }

            changed.Add(tree.FilePath, (was, tree));
        }

        lock (previous.Gate)
        {
            foreach (var entry in previous.Members)
            {
                if (entry.Value.Member is { Library: null, Declaration: { } declaration } member && !changed.ContainsKey(declaration.FilePath))
                {
                    _members.Add(entry.Key, (member, null));
                }
            }

            var edits = new Dictionary<string, IReadOnlyList<TextChange>>(System.StringComparer.Ordinal);
            foreach (var entry in previous.Parsed)
            {
                if (!entry.Value.Files.Overlaps(changed.Keys))
                {
                    _parsed.Add(entry.Key, entry.Value);
                }
                else if (Moved(entry.Value, previous, current.AssemblyName, changed, edits) is { } map)
                {
                    _parsed.Add(entry.Key, entry.Value with { Result = Relocate.Apply(entry.Value.Result, map) });
                }
            }
        }
    }

    /// <summary>
    /// For a reading that depends on changed files, whether the edits only moved it: when no member it
    /// depends on was touched (every edit lies outside their declarations), its values stand, and its
    /// locations follow the text. Returns the map of locations, or <c>null</c> when it must be read again.
    /// </summary>
    private static System.Func<LocationInfo, LocationInfo>? Moved(
        Reading reading,
        Carry previous,
        string? assembly,
        Dictionary<string, (SyntaxTree Was, SyntaxTree Now)> changed,
        Dictionary<string, IReadOnlyList<TextChange>> edits)
    {
        foreach (var key in reading.Members.Where(k => IrKeys.Assembly(k) == assembly))
        {
            if (!previous.Members.TryGetValue(key, out var known) || known.Member?.Declaration is not { } declaration)
            {
                return null; // where it is declared is not known: read it again
            }

            if (changed.TryGetValue(declaration.FilePath, out var trees)
                && EditsOf(declaration.FilePath, trees, edits).Any(e => e.Span.Start <= declaration.Span.End && e.Span.End >= declaration.Span.Start))
            {
                return null;
            }
        }

        return location =>
        {
            if (!changed.TryGetValue(location.FilePath, out var trees))
            {
                return location;
            }

            var delta = EditsOf(location.FilePath, trees, edits).Where(e => e.Span.End <= location.Span.Start).Sum(e => e.NewText!.Length - e.Span.Length);
            var span = new Microsoft.CodeAnalysis.Text.TextSpan(location.Span.Start + delta, location.Span.Length);
            return location with { Span = span, LineSpan = trees.Now.GetLineSpan(span).Span };
        };
    }

    /// <summary>
    /// The edit between a file's two texts, in the old one's positions, computed once per file: the text
    /// between their common start and common end. Any edit that turns the old text into the new one
    /// leaves the text outside it as it was, so a declaration outside it is unchanged, only moved.
    /// </summary>
    private static IReadOnlyList<TextChange> EditsOf(string file, (SyntaxTree Was, SyntaxTree Now) trees, Dictionary<string, IReadOnlyList<TextChange>> edits)
    {
        if (!edits.TryGetValue(file, out var known))
        {
            var was = trees.Was.GetText();
            var now = trees.Now.GetText();
            var start = 0;
            while (start < was.Length && start < now.Length && was[start] == now[start])
            {
                start++;
            }

            var end = 0;
            while (end < was.Length - start && end < now.Length - start && was[was.Length - 1 - end] == now[now.Length - 1 - end])
            {
                end++;
            }

            known = [new TextChange(new TextSpan(start, was.Length - start - end), now.ToString(new TextSpan(start, now.Length - start - end)))];
            edits.Add(file, known);
        }

        return known;
    }

    /// <summary>The same user sources (generated files aside), references and options.</summary>
    private static bool SameSources(Compilation a, Compilation b) =>
        a.AssemblyName == b.AssemblyName
        && (ReferenceEquals(a.Options, b.Options) || OptionsKey(a.Options) == OptionsKey(b.Options))
        && a.References.SequenceEqual(b.References)
        && a.SyntaxTrees.Where(t => !IsGenerated(t)).SequenceEqual(b.SyntaxTrees.Where(t => !IsGenerated(t)));

    /// <summary>A file MicroVm.Nix's generator added (its path starts with the generator's assembly name).</summary>
    private static bool IsGenerated(SyntaxTree tree) =>
        tree.FilePath.Replace('\\', '/').Contains("MicroVm.Nix.Generator/MicroVm.Nix.Generator.MicroVmModuleGenerator/");

    /// <summary>What reading the <c>[MicroVmModule]</c> member <paramref name="key"/> gave, computed once per table.</summary>
    /// <param name="key">The member's key.</param>
    /// <param name="parse">Reads it, and says which members the reading used.</param>
    public MemberParseResult Parsed(string key, System.Func<(MemberParseResult Result, IEnumerable<string> Uses)> parse)
    {
        lock (_gate)
        {
            if (_parsed.TryGetValue(key, out var known))
            {
                return known.Result;
            }
        }

        var (result, uses) = parse();
        var files = new HashSet<string>(Files(key), System.StringComparer.Ordinal);
        var members = new HashSet<string>(System.StringComparer.Ordinal) { key };
        foreach (var used in uses)
        {
            files.UnionWith(Files(used));
            members.Add(used);
        }

        lock (_gate)
        {
            _parsed[key] = new Reading(result, files, members);
            _readHere.Add(key);
        }

        return result;
    }

    /// <summary>The source files that declare the member <paramref name="key"/> of this project (none for a library's).</summary>
    private List<string> Files(string key)
    {
        if (IrKeys.Assembly(key) != _compilation.AssemblyName)
        {
            return [];
        }

        lock (_gate)
        {
            if (_members.TryGetValue(key, out var known) && known.Member?.Declaration is { } declaration)
            {
                return [declaration.FilePath];
            }
        }

        return SymbolOf(key) is { } symbol ? symbol.DeclaringSyntaxReferences.Select(r => r.SyntaxTree.FilePath).ToList() : [];
    }

    /// <summary>Records that <paramref name="key"/> is <paramref name="symbol"/> (called by the builder for every reference it reads).</summary>
    public void Reference(string key, ISymbol symbol)
    {
        lock (_gate)
        {
            if (!_symbols.ContainsKey(key))
            {
                _symbols.Add(key, symbol);
            }
        }
    }

    /// <summary>The symbol a key was read from, if the table has seen it, else found by its id.</summary>
    public ISymbol? SymbolOf(string key)
    {
        lock (_gate)
        {
            if (_symbols.TryGetValue(key, out var symbol))
            {
                return symbol;
            }
        }

        // A key carried over from an earlier compilation: find the member in this one by its id.
        if (IrKeys.Assembly(key) == _compilation.AssemblyName
            && DocumentationCommentId.GetFirstSymbolForDeclarationId(key.Substring(key.IndexOf('|') + 1), _compilation) is { } found)
        {
            Reference(key, found);
            return found;
        }

        return null;
    }

    /// <summary>Reads a member declared in this compilation (a <c>[MicroVmModule]</c> member), through the table.</summary>
    public IrMember? Read(ISymbol symbol, CancellationToken cancellationToken, out LookupProblem? problem)
    {
        var key = IrKeys.Of(symbol);
        Reference(key, symbol);
        return Find(key, cancellationToken, out problem);
    }

    /// <summary>The member named <paramref name="key"/>, or <c>null</c> with why not.</summary>
    public IrMember? Find(string key, CancellationToken cancellationToken, out LookupProblem? problem)
    {
        lock (_gate)
        {
            if (_members.TryGetValue(key, out var known))
            {
                problem = known.Problem;
                return known.Member;
            }
        }

        var found = Load(key, cancellationToken, out problem);
        lock (_gate)
        {
            _members[key] = (found, problem);
        }

        return found;
    }

    private IrMember? Load(string key, CancellationToken cancellationToken, out LookupProblem? problem)
    {
        var symbol = SymbolOf(key);

        if (symbol is not null && symbol.DeclaringSyntaxReferences.Length > 0 && symbol.ContainingAssembly?.Name == _compilation.AssemblyName)
        {
            var member = IrBuilder.Build(symbol, _compilation, Reference, cancellationToken, out var buildProblem);
            problem = buildProblem is null ? null : new LookupProblem(buildProblem);
            return member;
        }

        // A member of another assembly: its description, if that assembly is a MicroVm.Nix library.
        var assemblyName = IrKeys.Assembly(key);
        var library = Library(assemblyName, out var libraryProblem);
        var name = symbol is null ? key.Substring(key.IndexOf('|') + 1) : (symbol.ContainingType?.Name is { } type ? type + "." : string.Empty) + symbol.Name;
        if (library is null)
        {
            problem = libraryProblem ?? new LookupProblem(symbol is IMethodSymbol
                ? "it calls the method '" + symbol.Name + "', and the generator never runs your code"
                : "'" + name + "' comes from " + assemblyName + ", which carries no MicroVm.Nix description: of another assembly, only constants and the presets of MicroVm.Nix libraries can be read");
            return null;
        }

        if (library.Members.TryGetValue(key, out var described))
        {
            problem = null;
            return described;
        }

        problem = new LookupProblem("'" + name + "' is not in the MicroVm.Nix description of " + assemblyName + ": only its public static presets and helpers (and what they use) are described");
        return null;
    }

    /// <summary>The description a referenced assembly carries, or <c>null</c> with why not (<c>null</c> problem: it is no MicroVm.Nix library).</summary>
    private LibraryDescription? Library(string assemblyName, out LookupProblem? problem)
    {
        lock (_gate)
        {
            if (_libraries.TryGetValue(assemblyName, out var known))
            {
                problem = known?.Problem is { } reason ? new LookupProblem(reason, known.VersionMismatch) : null;
                return known is { Problem: null } ? known : null;
            }
        }

        _assemblies ??= _compilation.SourceModule.ReferencedAssemblySymbols
            .GroupBy(a => a.Name, System.StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), System.StringComparer.Ordinal);
        LibraryDescription? description = null;
        if (_assemblies.TryGetValue(assemblyName, out var assembly))
        {
            var text = assembly.GetAttributes()
                .Where(a => a.AttributeClass?.ToDisplayString() == "System.Reflection.AssemblyMetadataAttribute" && a.ConstructorArguments.Length == 2)
                .Where(a => a.ConstructorArguments[0].Value as string == LibraryFormat.MetadataKey)
                .Select(a => a.ConstructorArguments[1].Value as string)
                .FirstOrDefault();
            description = text is null ? null : LibraryFormat.Parse(assemblyName, text);
        }

        lock (_gate)
        {
            _libraries[assemblyName] = description;
        }

        problem = description?.Problem is { } why ? new LookupProblem(why, description.VersionMismatch) : null;
        return description is { Problem: null } ? description : null;
    }

    /// <summary>The value of a preset already evaluated in this compilation, with the diagnostics its evaluation gave and the members it used.</summary>
    public bool TryGetValue(string key, out EvalValue? value, out IReadOnlyList<DiagnosticInfo> diagnostics, out IReadOnlyCollection<string> uses)
    {
        lock (_gate)
        {
            if (_values.TryGetValue(key, out var known))
            {
                value = known.Value;
                diagnostics = known.Diagnostics;
                uses = known.Uses;
                return true;
            }
        }

        value = null;
        diagnostics = [];
        uses = [];
        return false;
    }

    /// <summary>Remembers a preset's value, the diagnostics its evaluation gave and the members it used.</summary>
    public void SetValue(string key, EvalValue? value, List<DiagnosticInfo> diagnostics, HashSet<string> uses)
    {
        lock (_gate)
        {
            _values[key] = (value, diagnostics, uses);
        }
    }
}
