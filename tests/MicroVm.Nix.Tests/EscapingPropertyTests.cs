using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using MicroVm.Nix.Generator.Emitting;
using MicroVm.Nix.Tests.Infrastructure;

namespace MicroVm.Nix.Tests;

/// <summary>
/// Property tests of the one escaping function per Nix context: 10,000 generated strings full of
/// quotes, backslashes, <c>${</c>, <c>$${</c>, <c>''</c>, newlines, tabs, unicode and control
/// characters must come back exactly from <c>nix-instantiate --eval</c>, as double-quoted strings, as
/// whatever <see cref="NixSyntax.Text"/> picks (indented strings for multi-line text), and as
/// attribute names. Batched into a few evaluations so the suite stays fast; the seed is fixed, so a
/// failure is reproducible and names its inputs.
/// </summary>
public class EscapingPropertyTests
{
    private const int Count = 10_000;
    private const int Batch = 2_500;

    private static readonly string[] Pieces =
    [
        "a", "Z", "0", " ", "  ", "\"", "\\", "$", "{", "}", "${", "$${", "''", "'", "'''", "''${", "''\\", "\\n", "\n", "\n\n", "\t", "\r",
        "\r\n", "é", "ß", "İ", "ı", "中文", "١٢٣", "🚀", "\u00a0", "\u2028", "\u0001", "\u001b", "\u001f", "\u007f", "#", "//", "/*", "*/", "=", ";",
        "x = 1;", "${builtins.abort \"injected\"}", "\"; evil = true; x = \"",
    ];

    /// <summary>Strings of 0 to 30 pieces, reproducibly from <paramref name="seed"/>.</summary>
    private static List<string> Strings(int seed)
    {
        var random = new Random(seed);
        var result = new List<string>(Count);
        for (var i = 0; i < Count; i++)
        {
            var text = new StringBuilder();
            var length = random.Next(0, 31);
            for (var j = 0; j < length; j++)
            {
                text.Append(Pieces[random.Next(Pieces.Length)]);
            }

            result.Add(text.ToString());
        }

        return result;
    }

    private static void AssertRoundTrip(List<string> strings, Func<string, int, string> render, string form)
    {
        for (var start = 0; start < strings.Count; start += Batch)
        {
            var batch = strings.Skip(start).Take(Batch).ToList();
            var expression = "[\n" + string.Concat(batch.Select((s, i) => "  " + render(s, 2 + (i % 3) * 2) + "\n")) + "]\n";
            var evaluated = NixEvaluator.ParseAndEval(expression)!.AsArray().Select(n => (string?)n).ToList();
            for (var i = 0; i < batch.Count; i++)
            {
                Assert.That(evaluated[i], Is.EqualTo(batch[i]), form + " of string #" + (start + i) + " (C#: " + Escape(batch[i]) + ", Nix: " + render(batch[i], 2) + ")");
            }
        }
    }

    private static string Escape(string value) => Microsoft.CodeAnalysis.CSharp.SymbolDisplay.FormatLiteral(value, quote: true);

    [Test]
    public void Ten_thousand_strings_round_trip_as_double_quoted_strings() =>
        AssertRoundTrip(Strings(seed: 20261128), (s, _) => NixSyntax.String(s), "double-quoted");

    [Test]
    public void Ten_thousand_strings_round_trip_in_the_form_text_picks()
    {
        // Mostly multi-line, so that indented strings are exercised.
        var strings = Strings(seed: 166).Select((s, i) => i % 4 == 0 ? s : "line " + i + "\n" + s + "\n" + s).ToList();
        Assert.That(strings.Count(s => NixSyntax.IndentedString(s, 2) is not null), Is.GreaterThan(1000), "indented strings are exercised");
        AssertRoundTrip(strings, NixSyntax.Text, "Text");
    }

    [Test]
    public void Ten_thousand_names_round_trip_as_attribute_names()
    {
        var names = Strings(seed: 7).ToList();
        for (var start = 0; start < names.Count; start += Batch)
        {
            var batch = names.Skip(start).Take(Batch).Select((n, i) => "k" + (start + i) + n).ToList();
            var expression = "[\n" + string.Concat(batch.Select(n => "  { " + NixSyntax.AttrName(n) + " = 1; }\n")) + "]\n";
            var evaluated = NixEvaluator.ParseAndEval(expression)!.AsArray().Select(o => o!.AsObject().Single().Key).ToList();
            Assert.That(evaluated, Is.EqualTo(batch));
        }
    }

    [Test]
    public void Two_thousand_relative_paths_round_trip_as_path_literals()
    {
        var random = new Random(4242);
        const string alphabet = "abcXYZ019._+-";
        var paths = Enumerable.Range(0, 2000).Select(i =>
        {
            var parts = Enumerable.Range(0, random.Next(1, 4))
                .Select(_ => new string(Enumerable.Range(0, random.Next(1, 8)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray()))
                .Where(p => p is not "." and not "..");
            return (random.Next(3) == 0 ? "../" : "./") + string.Join("/", parts.DefaultIfEmpty("x")) + i;
        }).ToList();
        Assert.That(paths, Is.All.Matches<string>(NixSyntax.IsRelativePath));

        var evaluated = NixEvaluator.ParseAndEval("map toString [\n" + string.Concat(paths.Select(p => "  " + NixSyntax.Path(p) + "\n")) + "]\n", "dir/module.nix")!.AsArray()
            .Select(n => (string)n!).ToList();
        var root = evaluated[0].Substring(0, evaluated[0].IndexOf("/dir/", StringComparison.Ordinal) + "/dir".Length);
        for (var i = 0; i < paths.Count; i++)
        {
            Assert.That(evaluated[i], Is.EqualTo(System.IO.Path.GetFullPath(System.IO.Path.Combine(root, paths[i]))), paths[i]);
        }
    }

    [TestCase("./with space.nix")]
    [TestCase("./quote\".nix")]
    [TestCase("./${x}.nix")]
    [TestCase("/absolute.nix")]
    [TestCase("common.nix")]
    [TestCase("./dir/")]
    [TestCase("./a//b.nix")]
    [TestCase("./ü.nix")]
    public void Paths_a_literal_cannot_hold_are_refused_not_escaped(string path)
    {
        Assert.That(NixSyntax.IsRelativePath(path), Is.False);
        Assert.That(() => NixSyntax.Path(path), Throws.ArgumentException);
    }
}
