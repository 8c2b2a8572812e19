using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace MicroVm.Nix.Generator.Diagnostics;

/// <summary>
/// The description each diagnostic carries (hover, SARIF, <c>dotnet build -v:d</c>): its page's "Why" and
/// "How to fix", from docs/diagnostics/&lt;ID&gt;.md, which the generator embeds. One source: the pages.
/// An assembly without the pages (the code fixes, which share the catalogue) gets no description.
/// </summary>
internal static class DiagnosticDocs
{
    /// <summary>The sections a description is made of, in order, as the pages title them.</summary>
    public static readonly string[] Sections = ["Why", "How to fix"];

    /// <summary>The description of <paramref name="id"/>, or empty when the page is not embedded.</summary>
    public static string Description(string id)
    {
        using var stream = typeof(DiagnosticDocs).Assembly.GetManifestResourceStream("MicroVm.Nix.Docs." + id + ".md");
        if (stream is null)
        {
            return string.Empty;
        }

        using var reader = new StreamReader(stream, Encoding.UTF8);
        return FromPage(reader.ReadToEnd());
    }

    /// <summary>"Why: … How to fix: …" from a page's sections, each paragraph on one line, links as their text.</summary>
    public static string FromPage(string page)
    {
        var sections = SectionsOf(page);
        var parts = Sections.Where(sections.ContainsKey).Select(s => s + ": " + Plain(sections[s]));
        return string.Join("\n\n", parts);
    }

    private static Dictionary<string, string> SectionsOf(string page)
    {
        var sections = new Dictionary<string, string>(StringComparer.Ordinal);
        string? current = null;
        var text = new StringBuilder();
        foreach (var line in page.Replace("\r\n", "\n").Split('\n'))
        {
            if (line.StartsWith("## ", StringComparison.Ordinal) || line.StartsWith("# ", StringComparison.Ordinal))
            {
                if (current is not null)
                {
                    sections[current] = text.ToString();
                }

                current = line.StartsWith("## ", StringComparison.Ordinal) ? line.Substring(3).Trim() : null;
                text.Clear();
            }
            else if (current is not null)
            {
                text.Append(line).Append('\n');
            }
        }

        if (current is not null)
        {
            sections[current] = text.ToString();
        }

        return sections;
    }

    /// <summary>Paragraphs joined into lines (code blocks kept as they are), Markdown links and emphasis as plain text.</summary>
    private static string Plain(string markdown)
    {
        var paragraphs = new List<string>();
        var current = new List<string>();
        var inCode = false;
        foreach (var line in markdown.Split('\n'))
        {
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                inCode = !inCode;
                current.Add(line);
                continue;
            }

            if (!inCode && line.Trim().Length == 0)
            {
                Flush();
                continue;
            }

            current.Add(line);
        }

        Flush();
        return string.Join("\n", paragraphs);

        void Flush()
        {
            if (current.Count == 0)
            {
                return;
            }

            var code = current[0].StartsWith("```", StringComparison.Ordinal) || current.Any(l => l.StartsWith("    ", StringComparison.Ordinal) || l.StartsWith("- ", StringComparison.Ordinal));
            var text = code ? string.Join("\n", current) : string.Join(" ", current.Select(l => l.Trim()));
            paragraphs.Add(Links.Replace(text.Replace("**", string.Empty), "$1"));
            current.Clear();
        }
    }

    private static readonly Regex Links = new(@"\[([^\]]+)\]\([^)]+\)", RegexOptions.CultureInvariant);
}
