namespace MicroVm.Nix.Generator.Model;

/// <summary>
/// The expression model between C# and values: what a <c>[MicroVmModule]</c> member, a preset or a
/// helper says, read once from Roslyn's operations (<see cref="Parsing.IrBuilder"/>), evaluated by
/// <see cref="Parsing.IrInterpreter"/>, and carried in a library's assembly (<see cref="Library.LibraryFormat"/>)
/// so that a project referencing the library evaluates its presets and helpers exactly as if they
/// were local. Nodes are plain equatable data. <see cref="Node"/> numbers the node in its member's
/// location table (<see cref="IrMember.Locations"/>), which lies beside the tree and is not part of
/// what is compared, so moving text does not change a member's tree.
/// </summary>
/// <param name="Node">The node's index in its member's location table, or -1 when it has none.</param>
internal abstract record Expr(int Node);

/// <summary>A constant: null, a bool, a number, a string, an enum member (a value without a location).</summary>
internal sealed record ConstExpr(EvalValue Value, int Node) : Expr(Node);

/// <summary>The value of a helper's parameter, by position.</summary>
internal sealed record ParamExpr(int Index, string Name, int Node) : Expr(Node);

/// <summary>The value of a static field or property, by its key (<see cref="IrKeys"/>): a preset, local or from a library.</summary>
internal sealed record GlobalExpr(string Key, string Name, int Node) : Expr(Node);

/// <summary>A call of a helper, with one argument per parameter in order (defaults already filled in).</summary>
internal sealed record CallExpr(string Key, string Name, EquatableArray<Expr> Arguments, int Node) : Expr(Node);

/// <summary>One property set by an object initializer, a constructor argument or <c>with</c>.</summary>
/// <param name="Name">The C# property.</param>
/// <param name="Value">Its value.</param>
internal sealed record FieldInit(string Name, Expr Value);

/// <summary><c>new T(…) { … }</c> of one of the runtime's record types (constructor arguments named after their properties).</summary>
internal sealed record NewExpr(string Type, EquatableArray<FieldInit> Fields, int Node) : Expr(Node);

/// <summary><c>source with { … }</c>.</summary>
internal sealed record WithExpr(Expr Source, EquatableArray<FieldInit> Fields, int Node) : Expr(Node);

/// <summary>An element of a list, or <c>..spread</c>.</summary>
internal sealed record ListItem(Expr Value, bool Spread);

/// <summary>A collection expression, an array or a <c>List&lt;T&gt;</c>.</summary>
internal sealed record ListExpr(EquatableArray<ListItem> Items, int Node) : Expr(Node);

/// <summary>One entry of a dictionary initializer; <paramref name="KeyNode"/> locates the key.</summary>
internal sealed record DictEntry(Expr Key, Expr Value, int KeyNode);

/// <summary>A <c>Dictionary&lt;string, T&gt;</c> initializer; a later key replaces an earlier one.</summary>
internal sealed record DictExpr(EquatableArray<DictEntry> Entries, int Node) : Expr(Node);

/// <summary><c>target.Name</c>: a property of a value; <paramref name="NullableInCSharp"/> is whether the C# property is nullable (for defaults).</summary>
internal sealed record MemberExpr(Expr Target, string Name, bool NullableInCSharp, int Node) : Expr(Node);

/// <summary><c>target[index]</c>: a list element or a dictionary entry.</summary>
internal sealed record IndexExpr(Expr Target, Expr Index, int Node) : Expr(Node);

/// <summary>A unary operator: <c>-</c>, <c>+</c>, <c>!</c>.</summary>
internal sealed record UnaryExpr(string Operator, Expr Operand, int Node) : Expr(Node);

/// <summary>
/// A binary operator (<c>+ - * / %</c>, comparisons, <c>&amp;&amp; ||</c>, <c>??</c>); <paramref name="ResultType"/>
/// is the C# special type of the result where it bounds integer arithmetic (<c>System.Int32</c>).
/// </summary>
internal sealed record BinaryExpr(string Operator, Expr Left, Expr Right, string? ResultType, int Node) : Expr(Node);

/// <summary><c>condition ? whenTrue : whenFalse</c>.</summary>
internal sealed record ConditionalExpr(Expr Condition, Expr WhenTrue, Expr WhenFalse, int Node) : Expr(Node);

/// <summary>A pattern of a switch expression arm.</summary>
internal abstract record Pattern;

/// <summary><c>_</c> (or <c>var _</c>).</summary>
internal sealed record DiscardPattern : Pattern;

/// <summary>A constant: <c>Hypervisor.Qemu</c>, <c>"x"</c>, <c>3</c>, <c>null</c>.</summary>
internal sealed record ConstantPattern(EvalValue Value) : Pattern;

/// <summary><c>&lt; 3</c>, <c>&gt;= 10</c>.</summary>
internal sealed record RelationalPattern(string Operator, EvalValue Value) : Pattern;

/// <summary><c>not p</c>.</summary>
internal sealed record NotPattern(Pattern Operand) : Pattern;

/// <summary><c>p and q</c>, <c>p or q</c>.</summary>
internal sealed record CombinedPattern(string Operator, Pattern Left, Pattern Right) : Pattern;

/// <summary>One arm: pattern, optional <c>when</c> guard, value.</summary>
internal sealed record SwitchArm(Pattern Pattern, Expr? Guard, Expr Value);

/// <summary><c>subject switch { … }</c>; no matching arm throws in C#, so it is reported.</summary>
internal sealed record SwitchExpr(Expr Subject, EquatableArray<SwitchArm> Arms, int Node) : Expr(Node);

/// <summary>An interpolated string: literal parts are <see cref="ConstExpr"/>.</summary>
internal sealed record InterpolationExpr(EquatableArray<Expr> Parts, int Node) : Expr(Node);

/// <summary><c>DataSize.GiB(n)</c> and its siblings: <paramref name="Unit"/> bytes per unit.</summary>
internal sealed record DataSizeExpr(long Unit, Expr Amount, int Node) : Expr(Node);

/// <summary>A string converted to a <c>DiskImage</c> (a host path image).</summary>
internal sealed record ImageExpr(Expr Path, int Node) : Expr(Node);

/// <summary>An integer cast to an enum: <c>(Hypervisor)2</c>; <paramref name="Members"/> are the enum's names and values.</summary>
internal sealed record EnumCastExpr(string EnumType, EquatableArray<EnumMember> Members, Expr Value, int Node) : Expr(Node);

/// <summary>An enum value as its underlying integer: <c>(int)tier</c>, and either side of <c>tier &gt; Tier.Small</c>.</summary>
internal sealed record EnumToIntExpr(string EnumType, EquatableArray<EnumMember> Members, Expr Value, int Node) : Expr(Node);

/// <summary>One member of an enum, for <see cref="EnumCastExpr"/> and <see cref="EnumToIntExpr"/>.</summary>
internal sealed record EnumMember(string Name, long Value);

/// <summary>A numeric conversion C# makes: an integer to <c>double</c>.</summary>
internal sealed record ToDoubleExpr(Expr Value, int Node) : Expr(Node);

/// <summary>
/// Something the generator cannot read at compile time; evaluating it is MVN001 with <paramref name="Reason"/>,
/// or, for code that does not compile (<see cref="CompilerError"/>), nothing more: the compiler reports that.
/// </summary>
internal sealed record ErrorExpr(string Reason, int Node) : Expr(Node)
{
    /// <summary>The code does not compile: the compiler's error says why, and a second one here would only add noise.</summary>
    public bool CompilerError { get; init; }
}

/// <summary>A C# constant Nix cannot hold (a <c>ulong</c> above <c>long.MaxValue</c>, NaN, …); evaluating it is MVN005.</summary>
internal sealed record UnrepresentableExpr(string Value, string Reason, int Node) : Expr(Node);

/// <summary>What a member is.</summary>
internal enum IrMemberKind
{
    /// <summary>A static field or property with a value (a preset, or a <c>[MicroVmModule]</c> member).</summary>
    Value,

    /// <summary>A static method whose body is one expression.</summary>
    Helper,
}

/// <summary>
/// A member read into the model: its key, its parameters (for a helper) and its body; the location of
/// each node lies beside, in <see cref="Locations"/>, and does not take part in equality. A member read
/// from a library has no locations: problems in it are reported where the consuming project uses it.
/// </summary>
/// <param name="Key">The member's key (<see cref="IrKeys"/>).</param>
/// <param name="Name">The member as C# names it, for messages: <c>Presets.Small</c>.</param>
/// <param name="Kind">A value or a helper.</param>
/// <param name="Parameters">A helper's parameter names.</param>
/// <param name="Body">The body.</param>
internal sealed record IrMember(string Key, string Name, IrMemberKind Kind, EquatableArray<string> Parameters, Expr Body)
{
    /// <summary>Where each node was written (index = <see cref="Expr.Node"/>); empty for a member from a library.</summary>
    public System.Collections.Immutable.ImmutableArray<LocationInfo?> Locations { get; init; } = System.Collections.Immutable.ImmutableArray<LocationInfo?>.Empty;

    /// <summary>Whether the member comes from a library's description rather than this project's source.</summary>
    public string? Library { get; init; }

    /// <summary>Where the member is declared, when in this project's source: problems inside it are reported there.</summary>
    public LocationInfo? Declaration { get; init; }

    /// <summary>
    /// The body has syntax errors: the parser recovered with made-up nodes (an empty list for a broken
    /// one), which would read as a different value. The compiler reports them; the value is not used.
    /// </summary>
    public bool SyntaxErrors { get; init; }

    public bool Equals(IrMember? other) =>
        other is not null && Key == other.Key && Name == other.Name && Kind == other.Kind && Parameters.Equals(other.Parameters) && Body.Equals(other.Body)
        && Library == other.Library && SyntaxErrors == other.SyntaxErrors;

    public override int GetHashCode() => Key.GetHashCode() ^ Body.GetHashCode();

    /// <summary>The location of <paramref name="node"/>, or <c>null</c>.</summary>
    public LocationInfo? LocationOf(int node) => node >= 0 && node < Locations.Length ? Locations[node] : null;
}

/// <summary>
/// Keys of members: the declaring assembly's name and Roslyn's documentation id
/// (<c>F:Ns.Presets.Small</c>, <c>M:Ns.Presets.Db(System.String,System.Int32)</c>), stable across
/// projects and compilations.
/// </summary>
internal static class IrKeys
{
    public static string Of(Microsoft.CodeAnalysis.ISymbol symbol) =>
        (symbol.ContainingAssembly?.Name ?? "?") + "|" + (symbol.OriginalDefinition.GetDocumentationCommentId() ?? symbol.ToDisplayString());

    /// <summary>The assembly part of a key.</summary>
    public static string Assembly(string key) => key.Substring(0, key.IndexOf('|'));
}
