using System.Linq;
using System.Text.Json.Nodes;
using MicroVm.Nix.Generator.Emitting;
using MicroVm.Nix.Tests.Infrastructure;

namespace MicroVm.Nix.Tests;

/// <summary>
/// Strings reach Nix through one escaping function. Each case goes through the real evaluator and
/// must come back exactly as written: no early end of string, no interpolation.
/// </summary>
public class NixStringTests
{
    private static readonly string[] Tricky =
    [
        "plain",
        "quote \" inside",
        "back\\slash",
        "${builtins.currentTime}",
        "$${not interpolated}",
        "$$${x}",
        "ends with $",
        "ends with \\",
        "''",
        "'''${x}",
        "line\nbreak\r\nand\ttab",
        "unicode: ü ß 中文 🚀",
        "control \u0001\u001f\u007f",
        "\\${x}",
        "$\\{x}",
        "",
    ];

    [Test]
    public void Tricky_strings_round_trip_through_nix()
    {
        var expression = "[\n" + string.Join("\n", Tricky.Select(NixSyntax.String)) + "\n]";
        var evaluated = NixEvaluator.ParseAndEval(expression)!.AsArray().Select(n => (string?)n).ToArray();
        Assert.That(evaluated, Is.EqualTo(Tricky));
    }

    private static readonly string[] MultiLine =
    [
        "line one\nline two",
        "line one\nline two\n",
        "modprobe vhost_net\necho ${HOME} $${x} ''quoted''\n",
        "a\n\nb after a blank line\n",
        "  indented first\nsecond\n",
        "first\n  indented second\n",
        "tab\tinside\nsecond",
        "\nstarts with a newline",
        "ends with a quote'",
        "ends with a quote'\n",
        "'''\n''${\n",
        "back\\slash\n''\\n\n",
        "dollar at end $\nnext",
        "trailing spaces   \nnext",
        "   \nwhitespace-only first line",
        "carriage\r\nreturn",
    ];

    [Test]
    public void Multi_line_text_round_trips_through_nix_whichever_form_it_takes()
    {
        var expression = "[\n" + string.Join("\n", MultiLine.Select(s => "  " + NixSyntax.Text(s, 2))) + "\n]";
        var evaluated = NixEvaluator.ParseAndEval(expression)!.AsArray().Select(n => (string?)n).ToArray();
        Assert.That(evaluated, Is.EqualTo(MultiLine));
        Assert.That(NixSyntax.Text("line one\nline two\n", 4), Is.EqualTo("''\n      line one\n      line two\n    ''"), "multi-line text is an indented string");
    }

    [TestCase("hostName", "hostName")]
    [TestCase("with", "\"with\"")]
    [TestCase("my-vm", "my-vm")]
    [TestCase("9lives", "\"9lives\"")]
    [TestCase("a.b", "\"a.b\"")]
    [TestCase("${x}", "\"\\${x}\"")]
    public void Attribute_names_are_quoted_only_when_needed(string name, string expected)
    {
        Assert.That(NixSyntax.AttrName(name), Is.EqualTo(expected));
        var evaluated = NixEvaluator.ParseAndEval("{ " + NixSyntax.AttrName(name) + " = 1; }")!.AsObject();
        Assert.That(evaluated.Single().Key, Is.EqualTo(name));
    }

    [Test]
    public void Lists_follow_nixfmt_layout()
    {
        Assert.That(NixSyntax.List([], 2), Is.EqualTo("[ ]"));
        Assert.That(NixSyntax.List(["\"a\""], 2), Is.EqualTo("[ \"a\" ]"));
        Assert.That(NixSyntax.List(["\"a\"", "\"b\""], 2), Is.EqualTo("[\n    \"a\"\n    \"b\"\n  ]"));
        Assert.That(JsonNode.DeepEquals(NixEvaluator.ParseAndEval(NixSyntax.List(["1", "2"], 0)), new JsonArray(1, 2)), Is.True);
    }
}
