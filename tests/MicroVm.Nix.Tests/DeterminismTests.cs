using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MicroVm.Nix.Tests.Infrastructure;

namespace MicroVm.Nix.Tests;

/// <summary>
/// The same input gives byte-identical output whatever the run, the thread, the current culture or
/// the source's line endings.
/// </summary>
[NonParallelizable]
public class DeterminismTests
{
    /// <summary>The example, plus a VM exercising numbers, lists, dictionaries, multi-line text and sizes.</summary>
    private static string Source =>
        File.ReadAllText(Path.Combine(RepoPaths.Example("Homelab"), "Fleet.cs")).Replace("\r\n", "\n", System.StringComparison.Ordinal) + """

        public static class Kitchen
        {
            [MicroVmModule]
            public static readonly MicroVm.Nix.VirtualMachine Sink = new()
            {
                HostName = "kitchen-sink",
                Hypervisor = MicroVm.Nix.Hypervisor.CloudHypervisor,
                VsockCid = 1234567,
                Mem = 1_000_000,
                PreStart = "echo İstanbul ıi Straße ١٢٣\nmodprobe vhost_net\n",
                Interfaces = [new() { Type = MicroVm.Nix.InterfaceType.Tap, Id = "TAP-Ii", Mac = "02:AB:cd:00:00:01" }],
                ExtraConfig = new System.Collections.Generic.Dictionary<string, object>
                {
                    ["boot.kernel.sysctl"] = new System.Collections.Generic.Dictionary<string, object> { ["vm.swappiness"] = -10, ["kernel.title"] = "TITLE ı" },
                    ["networking.nameservers"] = new[] { "1.1.1.1", "9.9.9.9" },
                },
                Volumes =
                [
                    new()
                    {
                        Image = new MicroVm.Nix.Zvol("tank", "vms/I-data") { Create = new() { VolSize = MicroVm.Nix.DataSize.GiB(3), VolBlockSize = MicroVm.Nix.DataSize.KiB(64) } },
                        Serial = "DATA-I", MountPoint = "/data", Size = 3072, AutoCreate = false,
                    },
                    new()
                    {
                        Image = "/var/lib/microvms/kitchen-sink/İstanbul.img", Label = "İstanbul-ı", MountPoint = "/İstanbul", Size = 64,
                    },
                ],
            };
        }
        """;

    private static IReadOnlyList<(string Name, string Text)> Generate(string source)
    {
        var run = GeneratorHarness.Run([(GeneratorHarness.DefaultPath, source)]);
        Assert.That(run.Diagnostics.Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error), Is.Empty);
        // Every generated C# file too: the modules' carrier and the library description of the presets.
        var generated = run.Result.Results.Single().GeneratedSources.Select(s => (s.HintName, s.SourceText.ToString())).OrderBy(s => s.HintName, System.StringComparer.Ordinal);
        return [.. run.Modules.Select(m => (m.FileName, m.Text)), .. generated];
    }

    private static IReadOnlyList<(string Name, string Text)> InCulture(string culture, string source)
    {
        IReadOnlyList<(string, string)>? result = null;
        System.Runtime.ExceptionServices.ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                CultureInfo.CurrentCulture = new CultureInfo(culture);
                CultureInfo.CurrentUICulture = new CultureInfo(culture);
                result = Generate(source);
            }
            catch (System.Exception e)
            {
                // Rethrown on the test's thread: an exception escaping a thread would end the test host.
                failure = System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e);
            }
        });
        thread.Start();
        thread.Join();
        failure?.Throw();
        return result!;
    }

    [Test]
    public void Two_runs_give_byte_identical_output()
    {
        var first = Generate(Source);
        Assert.That(first.Select(f => f.Name), Is.SupersetOf(new[] { "storage.nix", "kitchen-sink.nix", "default.nix" }));
        Assert.That(Generate(Source), Is.EqualTo(first));
    }

    [TestCase("tr-TR")]
    [TestCase("de-DE")]
    [TestCase("ar-SA")]
    [TestCase("ja-JP")]
    public void Output_does_not_depend_on_the_current_culture(string culture)
    {
        Assert.That(InCulture(culture, Source), Is.EqualTo(InCulture("en-US", Source)));
    }

    [Test]
    public void Output_does_not_depend_on_how_many_threads_run_the_generator()
    {
        var expected = Generate(Source);
        var results = new IReadOnlyList<(string, string)>[8];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => results[i] = Generate(Source));
        Assert.That(results, Is.All.EqualTo(expected));
    }

    [Test]
    public void Output_does_not_depend_on_the_sources_line_endings()
    {
        Assert.That(Generate(Source.Replace("\n", "\r\n", System.StringComparison.Ordinal)), Is.EqualTo(Generate(Source)));
    }

    [Test]
    public void Generated_files_use_lf_line_endings_and_no_byte_order_mark()
    {
        foreach (var (name, text) in Generate(Source.Replace("\n", "\r\n", System.StringComparison.Ordinal)).Where(f => f.Name.EndsWith(".nix", System.StringComparison.Ordinal)))
        {
            Assert.That(text, Does.Not.Contain("\r"), name);
            Assert.That(text[0], Is.Not.EqualTo('\uFEFF'), name);
        }
    }
}
