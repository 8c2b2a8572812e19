using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text.RegularExpressions;
using MicroVm.Nix.Build;
using MicroVm.Nix.Generator.Emitting;
using MicroVm.Nix.Generator.Schema;
using MicroVm.Nix.Tests.Infrastructure;
using static MicroVm.Nix.Tests.Infrastructure.ContextObservers;

namespace MicroVm.Nix.Tests;

/// <summary>
/// Every row of the map of contexts (<c>ValueContexts</c>, docs/contexts.md) proved with upstream's own
/// code: the row's intact value, in the VM of <see cref="ContextScenarios"/>, reaches the place it was
/// meant for exactly as written, and its broken value does not. The broken module is the intact one
/// with the intact value's Nix literal replaced (the generator refuses to write it). Both modules of
/// every row are evaluated through microvm.nix's real guest module and runners in one
/// <c>nix-instantiate</c> call (<see cref="UpstreamRunner"/>); then, per row, an observer
/// (<see cref="ContextObservers"/>, shared with <c>ContextPropertyTests</c>) reads what the value's
/// consumer received: the stub-recorded argv of the hypervisor, mkfs, ip or virtiofsd, a file the
/// runner's build script wrote, NixOS's fileSystems, the host module's tmpfiles rules. Where the final
/// consumer cannot run here (QEMU, the kernel, udev, systemd-tmpfiles, the other hypervisors' option
/// parsers), <see cref="Consumer"/> models its parsing, citing the source.
/// A broken value counts as broken when upstream's evaluation fails, a script fails <c>bash -n</c>,
/// the script run fails, the consumer refuses it, or the consumer receives something else.
/// </summary>
public class UpstreamContextTests
{
    private UpstreamRunner judge = null!;
    private readonly Dictionary<string, RowModules> judged = new(StringComparer.Ordinal);
    private readonly Stopwatch total = new();

    private static IEnumerable<TestCaseData> Rows() =>
        ValueContexts.All.Select(row => new TestCaseData(row.Id).SetName("Upstream context " + row.Id));

    /// <summary>A row's two modules as upstream evaluated them, or why they could not be built.</summary>
    private sealed record RowModules(ValueContext Row, JudgedVm? Intact, JudgedVm? Broken, string? Problem);

    [OneTimeSetUp]
    public void JudgeEveryRow()
    {
        total.Start();
        if (!Upstream.Available)
        {
            // Each row's test reports itself ignored (Upstream.RequirePaths); the observer table is still checked.
            return;
        }

        judge = UpstreamRunner.Create();

        var clock = Stopwatch.StartNew();
        var built = ValueContexts.All.AsParallel().AsOrdered().Select(Build).ToList();
        var generation = clock.ElapsedMilliseconds;

        clock.Restart();
        var modules = built.Where(b => b.Problem is null).SelectMany(b => new[] { b.Intact!, b.Broken! }).ToList();
        var vms = judge.Judge(modules);
        var evaluation = clock.ElapsedMilliseconds;

        var index = 0;
        foreach (var (row, _, _, problem) in built)
        {
            judged[row.Id] = problem is null ? new RowModules(row, vms[index++], vms[index++], null) : new RowModules(row, null, null, problem);
        }

        TestContext.Progress.WriteLine(
            "UpstreamContextTests: " + built.Count + " rows, " + modules.Count + " modules generated in " + generation + " ms, judged in one nix-instantiate call in " + evaluation + " ms");
    }

    [OneTimeTearDown]
    public void Dispose()
    {
        TestContext.Progress.WriteLine("UpstreamContextTests: " + total.ElapsedMilliseconds + " ms in all");
        judge?.Dispose();
    }

    /// <summary>The row's intact module from the generator, and its broken module: the same text with the value's Nix literal replaced.</summary>
    private static (ValueContext Row, GeneratedFile? Intact, GeneratedFile? Broken, string? Problem) Build(ValueContext row)
    {
        var run = GeneratorHarness.Run(ContextScenarios.Source(row.Id, row.Intact));
        var module = run.Modules.SingleOrDefault(m => m.FileName == "vm.nix");
        if (module is null)
        {
            return (row, null, null, "the intact value gives no module: " + string.Join("; ", run.Diagnostics));
        }

        var (intact, broken) = row.Part == ValuePart.Key
            ? (NixSyntax.AttrName(row.Intact), NixSyntax.AttrName(row.Broken))
            : (NixSyntax.String(row.Intact), NixSyntax.String(row.Broken));
        var count = Regex.Count(module.Text, Regex.Escape(intact));
        return count != 1
            ? (row, null, null, "the intact value's literal " + intact + " occurs " + count + " times in the module, not once:\n" + module.Text)
            : (row, module, new GeneratedFile(module.FileName, module.Text.Replace(intact, broken, StringComparison.Ordinal)), null);
    }

    [Test]
    public void Every_row_has_an_observer()
    {
        Assert.That(ContextObservers.ByRow.Keys, Is.EquivalentTo(ValueContexts.All.Select(r => r.Id)));
    }

    [TestCaseSource(nameof(Rows))]
    public void Intact_value_arrives_where_it_was_meant_to_go_and_broken_value_does_not(string id)
    {
        Upstream.RequirePaths();
        var clock = Stopwatch.StartNew();
        var (row, intactVm, brokenVm, problem) = judged[id];
        if (problem is not null)
        {
            Assert.Fail(problem);
        }

        var intact = ContextObservers.Observe(id, new Probe(judge, intactVm!), row.Intact);
        var broken = ContextObservers.Observe(id, new Probe(judge, brokenVm!), row.Broken);
        TestContext.Out.WriteLine("intact " + Show(row.Intact) + ": " + intact);
        TestContext.Out.WriteLine("broken " + Show(row.Broken) + ": " + broken);
        TestContext.Out.WriteLine(id + " observed in " + clock.ElapsedMilliseconds + " ms");

        Assert.Multiple(() =>
        {
            Assert.That(intact.Refusal is null && intact.Values.Contains(row.Intact, StringComparer.Ordinal), Is.True,
                "the intact value " + Show(row.Intact) + " arrives: " + intact);
            Assert.That(broken.Refusal is not null || !broken.Values.Contains(row.Broken, StringComparer.Ordinal), Is.True,
                "the broken value " + Show(row.Broken) + " does not arrive: " + broken);
        });
    }
}
