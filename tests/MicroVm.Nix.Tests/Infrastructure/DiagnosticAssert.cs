using System.Linq;

namespace MicroVm.Nix.Tests.Infrastructure;

internal static class DiagnosticAssert
{
    /// <summary>
    /// Runs <paramref name="markup"/> (see <see cref="Markup"/>) and requires exactly the marked
    /// MicroVm.Nix diagnostics, each on its exact span. Returns the run for further checks.
    /// </summary>
    public static GeneratorRun Exactly(string markup, bool allowCompilerErrors = false, System.Collections.Generic.IReadOnlyList<CompiledLibrary>? libraries = null)
    {
        var (source, expected) = Markup.Parse(markup);
        var run = GeneratorHarness.Run([(GeneratorHarness.DefaultPath, source)], allowCompilerErrors, libraries);
        var actual = run.Diagnostics
            .Select(d => (d.Id, Text: source.Substring(d.Location.SourceSpan.Start, d.Location.SourceSpan.Length), d.Location.SourceSpan.Start))
            .OrderBy(d => d.Start).ThenBy(d => d.Id)
            .Select(d => d.Id + " on `" + d.Text + "` at " + d.Start)
            .ToList();
        var wanted = expected
            .OrderBy(d => d.Span.Start).ThenBy(d => d.Id)
            .Select(d => d.Id + " on `" + d.Text + "` at " + d.Span.Start)
            .ToList();
        Assert.That(actual, Is.EqualTo(wanted), "diagnostics: " + string.Join("\n", run.Diagnostics));
        return run;
    }
}
