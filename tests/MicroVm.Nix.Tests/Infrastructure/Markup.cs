using System.Collections.Generic;
using System.Text;
using Microsoft.CodeAnalysis.Text;

namespace MicroVm.Nix.Tests.Infrastructure;

/// <summary>An expected diagnostic: its ID and the exact span it must cover.</summary>
internal sealed record ExpectedDiagnostic(string Id, TextSpan Span, string Text);

/// <summary>
/// Source with diagnostics marked in place: <c>{|MVN102:"data"|}</c> says MVN102 must cover exactly
/// <c>"data"</c>. <see cref="Parse"/> strips the marks and returns the clean source and the expectations.
/// </summary>
internal static class Markup
{
    public static (string Source, IReadOnlyList<ExpectedDiagnostic> Expected) Parse(string markup)
    {
        var source = new StringBuilder();
        var expected = new List<ExpectedDiagnostic>();
        var open = new Stack<(string Id, int Start)>();
        for (var i = 0; i < markup.Length; i++)
        {
            if (markup[i] == '{' && i + 1 < markup.Length && markup[i + 1] == '|')
            {
                var colon = markup.IndexOf(':', i);
                open.Push((markup.Substring(i + 2, colon - i - 2), source.Length));
                i = colon;
            }
            else if (markup[i] == '|' && i + 1 < markup.Length && markup[i + 1] == '}' && open.Count > 0)
            {
                var (id, start) = open.Pop();
                expected.Add(new ExpectedDiagnostic(id, TextSpan.FromBounds(start, source.Length), source.ToString(start, source.Length - start)));
                i++;
            }
            else
            {
                source.Append(markup[i]);
            }
        }

        return (source.ToString(), expected);
    }
}
