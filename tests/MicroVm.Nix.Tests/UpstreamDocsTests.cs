using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MicroVm.Nix.Generator.Schema;
using MicroVm.Nix.Tests.Infrastructure;

namespace MicroVm.Nix.Tests;

/// <summary>
/// What users read on hover comes from one source: every property that types an upstream option carries, in its
/// XML docs, upstream's own description of that option from the ledger (<c>generator/upstream/options.json</c>),
/// attributed. A new ledger (a new upstream commit) fails this test until the docs are written again:
/// <c>MICROVM_NIX_UPDATE_GOLDEN=1</c> rewrites the remarks in runtime/.
/// </summary>
public class UpstreamDocsTests
{
    private const string Marker = "/// <remarks>Upstream's description";

    private static readonly JsonObject Ledger = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "generator", "upstream", "options.json")))!.AsObject();

    [Test]
    public void Every_typed_option_shows_upstreams_description_on_hover()
    {
        var descriptions = Ledger["options"]!.AsArray().ToDictionary(o => (string)o!["path"]!, o => (string?)o!["description"] ?? string.Empty);
        var commit = ((string)Ledger["commit"]!)[..7];
        var files = Directory.GetFiles(Path.Combine(RepoPaths.Root, "runtime", "MicroVm.Nix"), "*.cs").ToDictionary(f => f, File.ReadAllText);
        var update = Environment.GetEnvironmentVariable("MICROVM_NIX_UPDATE_GOLDEN") == "1";
        var wrong = new List<string>();
        foreach (var (path, record, option) in MicroVmSchema.UpstreamPaths())
        {
            var type = record.Type.Split('.').Last();
            var file = files.Keys.Single(f => Regex.IsMatch(files[f], @"public sealed record " + type + @"\b"));
            var expected = Remarks(path, commit, descriptions[path]);
            var (start, end, current) = Find(files[file], type, option.Property);
            if (current != expected)
            {
                wrong.Add(type + "." + option.Property + " (" + path + ")");
                files[file] = files[file][..start] + expected + files[file][end..];
            }
        }

        if (update)
        {
            foreach (var (file, text) in files)
            {
                if (File.ReadAllText(file) != text)
                {
                    File.WriteAllText(file, text);
                }
            }

            return;
        }

        Assert.That(wrong, Is.Empty, "Properties whose docs lack upstream's description (run the tests with MICROVM_NIX_UPDATE_GOLDEN=1):\n" + string.Join("\n", wrong));
    }

    /// <summary>The remarks block of a property: where it is (or goes: right above the declaration) and what it holds now.</summary>
    private static (int Start, int End, string Current) Find(string text, string type, string property)
    {
        var record = Regex.Match(text, @"public sealed record " + type + @"\b");
        var next = Regex.Match(text[(record.Index + record.Length)..], @"\n(public |/// <summary>)");
        var bodyEnd = next.Success ? record.Index + record.Length + next.Index : text.Length;
        var declaration = new Regex(@"\n[ ]+public [^\n=;{]*\b" + property + @" \{ get; init; \}").Match(text, record.Index, bodyEnd - record.Index);
        Assert.That(declaration.Success, Is.True, type + "." + property + " is not declared in its record");
        var lineStart = declaration.Index + 1;
        var marker = text.LastIndexOf("    " + Marker, lineStart, StringComparison.Ordinal);
        if (marker >= 0 && text.IndexOf("\n    public ", marker, StringComparison.Ordinal) + 1 == lineStart)
        {
            return (marker, lineStart, text[marker..lineStart]);
        }

        return (lineStart, lineStart, string.Empty);
    }

    /// <summary>Upstream's description as XML doc remarks: Markdown code spans as &lt;c&gt;, admonition fences dropped, wrapped.</summary>
    internal static string Remarks(string path, string commit, string description)
    {
        static string Escape(string s) => s.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
        var text = new StringBuilder();
        var plain = string.Join(" ", description.Split('\n').Select(l => l.Trim()).Where(l => !l.StartsWith(":::", StringComparison.Ordinal)));
        var parts = Regex.Split(Regex.Replace(plain, @"\{(option|file|command|manpage|env)\}`", "`"), "`");
        for (var i = 0; i < parts.Length; i++)
        {
            var escaped = Escape(parts[i]);
            text.Append(i % 2 == 1 ? "<c>" + escaped + "</c>" : escaped);
        }

        var words = (Marker + " of <c>" + Escape(path) + "</c> (microvm.nix " + commit + "): " + Regex.Replace(text.ToString(), @"\s+", " ").Trim() + "</remarks>").Split(' ');
        var lines = new List<string>();
        var line = new StringBuilder("    " + words[0]);
        foreach (var word in words.Skip(1))
        {
            if (line.Length + 1 + word.Length > 120)
            {
                lines.Add(line.ToString());
                line.Clear().Append("    /// ");
            }
            else
            {
                line.Append(' ');
            }

            line.Append(word);
        }

        lines.Add(line.ToString());
        return string.Join("\n", lines) + "\n";
    }
}
