using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using MicroVm.Nix.Generator.Schema;
using MicroVm.Nix.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace MicroVm.Nix.Tests;

/// <summary>
/// The map of contexts (<c>ValueContexts</c>, docs/contexts.md): every row's broken value is MVN250 on
/// the value, from that row, and its intact value gives a module; the page lists exactly the rows of
/// the code. UpstreamContextTests shows with upstream's own code that each broken value really breaks
/// and each intact one arrives.
/// </summary>
public class ValueContextTests
{
    private const string Begin = "<!-- contexts:begin (generated from Schema/ValueContexts.cs by ValueContextTests; MICROVM_NIX_UPDATE_GOLDEN=1 rewrites it) -->";
    private const string End = "<!-- contexts:end -->";

    private static IEnumerable<TestCaseData> Rows() =>
        ValueContexts.All.Select(row => new TestCaseData(row.Id).SetName("Context " + row.Id));

    private static ValueContext Row(string id) => ValueContexts.All.Single(r => r.Id == id);

    [Test]
    public void Every_row_has_a_scenario_and_every_scenario_a_row()
    {
        Assert.That(ContextScenarios.ByRow.Keys, Is.EquivalentTo(ValueContexts.All.Select(r => r.Id)));
        Assert.That(ValueContexts.All.Select(r => r.Id), Is.Unique);
    }

    [TestCaseSource(nameof(Rows))]
    public void Broken_value_is_refused_on_the_value_by_its_row_and_intact_value_is_written(string id)
    {
        var row = Row(id);
        Assert.That(row.Breaks(row.Broken), Is.Not.Null, "the row's broken example breaks it");
        Assert.That(row.Breaks(row.Intact), Is.Null, "the row's intact example passes it");

        var (source, marked) = Markup.Parse(ContextScenarios.Source(id, row.Broken, markSpan: true));
        var broken = GeneratorHarness.Run(source);
        var errors = broken.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.That(errors.Select(d => (d.Id, d.Location.SourceSpan)), Is.EqualTo(marked.Select(m => (m.Id, m.Span))), string.Join("\n", errors));
        var message = errors.Single().GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(message, Does.Contain(row.Context).And.Contain("(" + row.Source + ")").And.Contain(row.Advice));
        Assert.That(broken.Modules.Where(m => m.FileName == "vm.nix"), Is.Empty, "no module for a VM with an error");

        var intact = GeneratorHarness.Run(ContextScenarios.Source(id, row.Intact));
        Assert.That(intact.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error), Is.Empty);
        var module = intact.Module("vm.nix");
        NixEvaluator.ParseAndEval(module.Text);
    }

    /// <summary>Rows whose upstream line names the value by another name than its option.</summary>
    private static readonly Dictionary<string, string> UpstreamNames = new()
    {
        ["vm-kernel-params-vfkit"] = "kernelCmdLine",
        ["vm-credential-file"] = "attrsOf path",
        ["vm-machine-id"] = "machineUuid",
        ["cloud-hypervisor-oem-string"] = "oemStringValues",
        ["bin-script-name"] = "scriptName",
    };

    [Test]
    public void Every_row_cites_an_upstream_line_that_uses_the_value()
    {
        var (microvm, _) = Upstream.RequirePaths();
        foreach (var row in ValueContexts.All)
        {
            var (file, line) = (row.Source.Split(':')[0], int.Parse(row.Source.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture));
            var text = File.ReadAllLines(Path.Combine(microvm, file))[line - 1];
            var nixName = MicroVmSchemaName(row);
            var expected = UpstreamNames.TryGetValue(row.Id, out var alias) ? alias : nixName.Split('.').Last();
            Assert.That(text, Does.Contain(expected).IgnoreCase, row.Id + ": " + row.Source + " is `" + text.Trim() + "`");
        }
    }

    private static string MicroVmSchemaName(ValueContext row) =>
        Generator.Schema.MicroVmSchema.Find(row.Record)!.Find(row.Property)!.NixName;

    [Test]
    public void The_page_lists_exactly_the_rows_of_the_code()
    {
        var path = Path.Combine(RepoPaths.Root, "docs", "contexts.md");
        var page = File.ReadAllText(path).Replace("\r\n", "\n", System.StringComparison.Ordinal);
        var start = page.IndexOf(Begin, System.StringComparison.Ordinal);
        var end = page.IndexOf(End, System.StringComparison.Ordinal);
        Assert.That(start, Is.GreaterThanOrEqualTo(0), "docs/contexts.md has the generated section's begin marker");
        Assert.That(end, Is.GreaterThan(start), "docs/contexts.md has the generated section's end marker");
        var generated = Begin + "\n" + Table() + End;
        var current = page.Substring(start, end + End.Length - start);
        if (System.Environment.GetEnvironmentVariable("MICROVM_NIX_UPDATE_GOLDEN") == "1" && current != generated)
        {
            File.WriteAllText(path, page.Replace(current, generated, System.StringComparison.Ordinal));
            return;
        }

        Assert.That(current, Is.EqualTo(generated), "docs/contexts.md is out of date; run the tests with MICROVM_NIX_UPDATE_GOLDEN=1");
    }

    /// <summary>The rows as a Markdown table: what, where, upstream's line, when, an example that breaks and why, one that passes, advice.</summary>
    private static string Table()
    {
        var text = new StringBuilder()
            .Append("| Value | Hypervisors | When | Where it goes | Upstream | Broken, and why | Intact | Advice |\n")
            .Append("| --- | --- | --- | --- | --- | --- | --- | --- |\n");
        foreach (var row in ValueContexts.All)
        {
            text.Append("| `").Append(row.Record.Split('.').Last()).Append('.').Append(Generator.Validation.ContextRules.Subject(row)).Append("` | ")
                .Append(row.Hypervisors is null ? "all" : string.Join(", ", row.Hypervisors)).Append(" | ")
                .Append(row.When?.Text ?? "always").Append(" | ")
                .Append(Cell(row.Context)).Append(" | `")
                .Append(row.Source).Append("` | ")
                .Append(Code(row.Broken)).Append(": ").Append(Cell(row.Breaks(row.Broken)!)).Append(" | ")
                .Append(Code(row.Intact)).Append(" | ")
                .Append(Cell(row.Advice)).Append(" |\n");
        }

        return text.ToString();
    }

    private static string Cell(string text) =>
        text.Replace("|", "\\|", System.StringComparison.Ordinal).Replace("\n", " ", System.StringComparison.Ordinal)
            .Replace("<", "&lt;", System.StringComparison.Ordinal).Replace(">", "&gt;", System.StringComparison.Ordinal);

    private static string Code(string value) =>
        "`` " + Microsoft.CodeAnalysis.CSharp.SymbolDisplay.FormatLiteral(value, quote: true).Replace("|", "\\|", System.StringComparison.Ordinal) + " ``";
}
