using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace MicroVm.Nix.Generator.Model;

/// <summary>A source location kept as plain data, so models that carry it stay equatable and hold no syntax tree.</summary>
internal sealed record LocationInfo(string FilePath, TextSpan Span, LinePositionSpan LineSpan)
{
    /// <summary>
    /// For a value from a library, the library member it comes from (<c>Presets.Small in MyPresets</c>):
    /// the location is this project's use of the member, and the diagnostic names the member.
    /// </summary>
    public string? Via { get; init; }

    public static LocationInfo? From(SyntaxNode? node) =>
        node?.SyntaxTree is not { } tree ? null : new LocationInfo(tree.FilePath, node.Span, tree.GetLineSpan(node.Span).Span);

    public static LocationInfo? From(Location location) =>
        location.SourceTree is null
            ? null
            : new LocationInfo(location.SourceTree.FilePath, location.SourceSpan, location.GetLineSpan().Span);

    /// <summary>
    /// Maps back to a location inside the compilation's own syntax tree, so that <c>#pragma</c> and
    /// editorconfig suppressions apply; falls back to an external location.
    /// </summary>
    public Location ToLocation(Compilation? compilation)
    {
        var tree = compilation?.SyntaxTrees.FirstOrDefault(t => t.FilePath == FilePath);
        return tree is not null ? Location.Create(tree, Span) : Location.Create(FilePath, Span, LineSpan);
    }
}
