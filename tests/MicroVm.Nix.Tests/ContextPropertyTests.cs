using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using MicroVm.Nix.Build;
using MicroVm.Nix.Generator.Schema;
using MicroVm.Nix.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using static MicroVm.Nix.Tests.Infrastructure.ContextObservers;

namespace MicroVm.Nix.Tests;

/// <summary>
/// The property behind the map of contexts (docs/contexts.md): every string, hostile or not, put in any
/// place a row of <c>ValueContexts</c> covers, is either refused with a diagnostic on the value, or
/// arrives intact where upstream puts it. For each row, <see cref="PerRow"/> generated strings (fixed
/// seed; every character class that matters to bash, QEMU-style option lists, the kernel command line,
/// fstab, udev and systemd, plus unicode, emoji, control characters, empty and very long strings), each
/// in the row's VM of <see cref="ContextScenarios"/>, go through the real generator, all VMs of a row in
/// one compilation. A VM with an error is refused: one error must be on the value's own literal, and no
/// module may be written for it. Every accepted value's module is judged with upstream's real code
/// (<see cref="UpstreamRunner"/>, thousands of modules in a few <c>nix-instantiate</c> calls): the
/// evaluation succeeds with no failed assertion, every script the runner writes passes <c>bash -n</c>, and
/// the row's observer (<see cref="ContextObservers"/>, the same as <c>UpstreamContextTests</c>') sees the
/// value exactly. Each accepted value is judged and observed on its own: nothing is sampled away; scripts
/// are run in batches (<see cref="UpstreamRunner.ExecuteMany"/>), many per sandbox, and only those the
/// row's observer needs.
/// </summary>
public class ContextPropertyTests
{
    /// <summary>The seed of every generated string: a failure names its string and reproduces.</summary>
    private const int Seed = 20_260_611;

    /// <summary>Strings per row: 67 rows give 8,040 (180 per row took a third of the suite's 20 minutes on 2 cores).</summary>
    private const int PerRow = 120;

    /// <summary>Modules per <c>nix-instantiate</c> call.</summary>
    private const int JudgeChunk = 400;

    /// <summary>How many failures a row's message spells out in full.</summary>
    private const int ShownFailures = 12;

    /// <summary>Pieces that mean something to a shell, an option parser, fstab, udev, systemd, the kernel or Nix.</summary>
    private static readonly string[] Hostile =
    [
        "'", "\"", "`", "\\", "$", "$(id)", "$(touch /tmp/pwned)", "${", "${HOME}", "$HOME", "$1", "`id`", " ", "  ", "\t", "\n", "\r", "\r\n",
        ",", ":", "=", ";", "|", "&", "&&", "<", ">", ">>", "(", ")", "[", "]", "{", "}", "*", "?", "~", "#", "%", "%h", "%%", "!", "@", "+",
        "/", "//", ".", "..", "-", "--", "_", "é", "ß", "Ω", "中文", "ї", "🚀", "👩‍💻", "\u0001", "\u001b", "\u001f", "\u007f", "\u0085", "\u00a0",
        "\u2028", "\0", "\ud800", "'\\''", "\"; reboot; \"", "\\040", "\\x41", "\\n", "a b", "x=y", "a,b", "a:b", "[a]", "\"a b\"", "-rf",
    ];

    /// <summary>Pieces that break nothing anywhere, so that mutated values are often still accepted.</summary>
    private static readonly string[] Benign = ["a", "b", "z", "Q", "e", "f", "x", "0", "1", "7", "9", "42", "data", "vm", "net", "disk", "-", "_", "."];

    private static readonly Lazy<IReadOnlyDictionary<string, List<string>>> Generated = new(() => GenerateStrings(Seed));

    private readonly Dictionary<string, RowRun> rows = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, RowSummary> summary = new(StringComparer.Ordinal);
    private UpstreamRunner? judge;
    private long generatorMs;
    private long judgeMs;
    private long observeMs;

    private static IEnumerable<TestCaseData> Rows() => ValueContexts.All.Select(row => new TestCaseData(row.Id));

    /// <summary>One generated value in its VM, and what the generator and upstream made of it.</summary>
    private sealed class Value(int index, string text)
    {
        public int Index { get; } = index;

        public string Text { get; } = text;

        public string Member => "Vm" + Index.ToString(CultureInfo.InvariantCulture);

        public string ModuleName => "vm-" + Index.ToString(CultureInfo.InvariantCulture) + ".nix";

        /// <summary>The VM's declaration and the value's literal in the compilation's source.</summary>
        public TextSpan Declaration { get; set; }

        public TextSpan Literal { get; set; }

        public List<Diagnostic> Diagnostics { get; } = [];

        public bool Refused => Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error);

        public GeneratedFile? Module { get; set; }

        public JudgedVm? Judged { get; set; }
    }

    /// <summary>What a row's upstream test did, for the report: counts and milliseconds.</summary>
    private sealed record RowSummary(int Accepted, int Hostile, int Refused, long EvaluationMs, int Scripts, long SyntaxMs, int Runs, long ObserveMs, string Outcome);

    /// <summary>A row's values after the generator, or why the row's compilation could not be judged.</summary>
    private sealed record RowRun(ValueContext Row, IReadOnlyList<Value> Values, string? Problem);

    [OneTimeSetUp]
    public void GenerateAndJudge()
    {
        var clock = Stopwatch.StartNew();
        var built = ValueContexts.All.AsParallel().AsOrdered().WithDegreeOfParallelism(UpstreamRunner.Sessions).Select(Build).ToList();
        generatorMs = clock.ElapsedMilliseconds;
        foreach (var run in built)
        {
            rows[run.Row.Id] = run;
        }

        TestContext.Progress.WriteLine(
            "ContextPropertyTests: " + built.Sum(r => r.Values.Count) + " values of " + built.Count + " rows through the generator (" + built.Count
            + " compilations) in " + generatorMs + " ms; " + built.Sum(r => r.Values.Count(v => !v.Refused)) + " accepted");

        if (!Upstream.Available)
        {
            return;
        }

        var upstream = judge = UpstreamRunner.Create();
        clock.Restart();
        var accepted = built.Where(r => r.Problem is null).SelectMany(r => r.Values.Where(v => v.Module is not null && !v.Refused)).ToList();
        var chunks = accepted.Chunk(JudgeChunk).ToList();
        Parallel.ForEach(chunks, new ParallelOptions { MaxDegreeOfParallelism = UpstreamRunner.Sessions }, chunk =>
        {
            var judged = upstream.Judge(chunk.Select(v => v.Module!));
            foreach (var (value, vm) in chunk.Zip(judged))
            {
                value.Judged = vm;
            }
        });
        judgeMs = clock.ElapsedMilliseconds;
        TestContext.Progress.WriteLine("ContextPropertyTests: " + accepted.Count + " modules judged by upstream in " + chunks.Count + " nix-instantiate calls in " + judgeMs + " ms");
    }

    [OneTimeTearDown]
    public void Report()
    {
        var report = new StringBuilder();
        report.Append(CultureInfo.InvariantCulture, $"ContextPropertyTests: generator {generatorMs} ms, upstream evaluation {judgeMs} ms, checks and observation {Interlocked.Read(ref observeMs)} ms\n");
        foreach (var (id, row) in summary.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            report.Append(CultureInfo.InvariantCulture, $"  {id}: {row.Accepted} accepted ({row.Hostile} of them beyond letters, digits and . _ / - :), {row.Refused} refused; evaluation checked in {row.EvaluationMs} ms, {row.Scripts} scripts through bash -n in {row.SyntaxMs} ms, {row.Runs} script runs and observation in {row.ObserveMs} ms; {row.Outcome}\n");
        }

        TestContext.Progress.Write(report.ToString());
        judge?.Dispose();
    }

    [Test]
    public void Thousands_of_distinct_strings_are_generated_and_every_row_has_its_share()
    {
        var strings = Generated.Value;
        var total = strings.Values.Sum(s => s.Count);
        TestContext.Out.WriteLine(total + " strings, " + strings.Values.SelectMany(s => s).Distinct(StringComparer.Ordinal).Count() + " distinct, in " + strings.Count + " rows");
        Assert.Multiple(() =>
        {
            Assert.That(strings.Keys, Is.EquivalentTo(ValueContexts.All.Select(r => r.Id)), "every row has strings");
            Assert.That(total, Is.GreaterThanOrEqualTo(7_000), "thousands of strings in all");
            Assert.That(strings.Values.SelectMany(s => s).Distinct(StringComparer.Ordinal).Count(), Is.GreaterThanOrEqualTo(total * 9 / 10), "rows seldom share a string");
            foreach (var (id, values) in strings)
            {
                Assert.That(values, Has.Count.EqualTo(PerRow).And.Unique, id);
            }

            // The character classes the property is about, each in some string.
            var all = string.Concat(strings.Values.SelectMany(s => s));
            string[] classes = ["'", "\"", "`", "\\", "$", "$(", "${", " ", "\t", "\n", ",", ":", "=", ";", "|", "&", "<", ">", "(", ")", "[", "]", "{", "}", "*", "?", "~", "#", "%", "!", "@", "+", "/", ".", "-", "_", "é", "中文", "🚀", "\u0001", "\u007f", "\0"];
            foreach (var piece in classes)
            {
                Assert.That(all, Does.Contain(piece), "some string holds " + Show(piece));
            }

            Assert.That(strings.Values.SelectMany(s => s), Has.Some.Empty.And.Some.Matches<string>(s => s.Length >= 4096), "the empty string and very long ones");
            Assert.That(strings.Values.SelectMany(s => s), Has.Some.StartsWith("-").And.Some.StartsWith("."), "leading '-' and '.'");
        });
    }

    [TestCaseSource(nameof(Rows))]
    public void Each_value_is_refused_on_the_value_or_gets_a_module(string id)
    {
        var (row, values, problem) = rows[id];
        if (problem is not null)
        {
            Assert.Fail(problem);
        }

        var failures = new List<string>();
        foreach (var value in values)
        {
            var errors = value.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            if (value.Refused)
            {
                if (!errors.Any(e => e.Location.SourceSpan == value.Literal))
                {
                    failures.Add(Show(value.Text) + " is refused, but by no error on the value itself: " + string.Join("; ", errors.Select(Describe)));
                }

                if (value.Module is not null)
                {
                    failures.Add(Show(value.Text) + " is refused, yet " + value.ModuleName + " is written:\n" + value.Module.Text);
                }
            }
            else if (value.Module is null)
            {
                failures.Add(Show(value.Text) + " has no error, yet no module " + value.ModuleName + " is written; diagnostics: " + string.Join("; ", value.Diagnostics.Select(Describe)));
            }
        }

        var accepted = values.Count(v => !v.Refused);
        TestContext.Out.WriteLine(id + ": " + accepted + " accepted, " + (values.Count - accepted) + " refused");
        Assert.Multiple(() =>
        {
            Assert.That(values, Has.Count.EqualTo(PerRow), id + ": values");
            Assert.That(accepted, Is.GreaterThan(0), id + ": some value is accepted");
            Assert.That(values.Count - accepted, Is.GreaterThan(0), id + ": some value is refused");
            Assert.That(failures, Has.Count.Zero, Failures(id, failures));
        });
    }

    [TestCaseSource(nameof(Rows))]
    public void Each_accepted_value_arrives_intact(string id)
    {
        Upstream.RequirePaths();
        var (row, values, problem) = rows[id];
        if (problem is not null)
        {
            Assert.Fail(problem);
        }

        var clock = Stopwatch.StartNew();
        var accepted = values.Where(v => !v.Refused && v.Judged is not null).ToList();
        var failures = new List<string>();

        // Upstream evaluates each module: every field the judge reads, and no failed assertion.
        string[] fields = ["hostName", "hypervisor", "failedAssertions", "warnings", "fileSystems", "kernelParams", "moduleBinScripts", "runner", "microvm"];
        foreach (var value in accepted)
        {
            var vm = value.Judged!;
            if (vm.ModuleError is not null)
            {
                failures.Add(Show(value.Text) + ": upstream cannot evaluate the module: " + vm.ModuleError + "\n--- module:\n" + value.Module!.Text);
                continue;
            }

            foreach (var field in fields.Where(f => !vm.Evaluated(f)))
            {
                failures.Add(Show(value.Text) + ": upstream's evaluation of " + field + " fails: " + vm.Error(field) + "\n--- module:\n" + value.Module!.Text);
            }

            if (vm.Evaluated("failedAssertions") && vm.FailedAssertions.Count > 0)
            {
                failures.Add(Show(value.Text) + ": upstream's assertions fail: " + string.Join("; ", vm.FailedAssertions));
            }
        }

        var evaluationMs = clock.ElapsedMilliseconds;

        // Every script the runner writes parses.
        var scripts = accepted.Where(v => v.Judged!.ModuleError is null && v.Judged.Evaluated("runner"))
            .Select(v => (Value: v, Files: Scripts(v.Judged!.Runner))).ToList();
        var syntax = judge!.BashSyntaxErrors(scripts.SelectMany(s => s.Files));
        foreach (var (value, files) in scripts)
        {
            foreach (var file in files.Where(f => syntax[judge.Materialize(f)] is not null))
            {
                failures.Add(Show(value.Text) + ": bash -n " + file.Name + ": " + syntax[judge.Materialize(file)] + "\n--- " + file.Name + ":\n" + file.Text);
            }
        }

        var syntaxMs = clock.ElapsedMilliseconds - evaluationMs;

        // The row's observer sees each value exactly, unless the sandbox it needs is missing.
        string? ignored = null;
        var runs = 0;
        try
        {
            var observations = ContextObservers.ObserveAll(judge, id, [.. accepted.Select(v => (v.Judged!, v.Text))], ran => runs += ran);
            foreach (var (value, observation) in accepted.Zip(observations))
            {
                if (observation.Failure is not null || observation.Refusal is not null || !observation.Values.Contains(value.Text, StringComparer.Ordinal))
                {
                    failures.Add(Show(value.Text) + " does not arrive intact: " + Truncate(observation.ToString(), 6000));
                }
            }
        }
        catch (IgnoreException e)
        {
            ignored = e.Message;
        }

        var elapsed = clock.ElapsedMilliseconds;
        Interlocked.Add(ref observeMs, elapsed);
        var hostile = accepted.Count(v => v.Text.Length == 0 || v.Text.Any(c => !char.IsAsciiLetterOrDigit(c) && c is not ('.' or '_' or '/' or '-' or ':')));
        summary[id] = new RowSummary(accepted.Count, hostile, values.Count - accepted.Count, evaluationMs, syntax.Count, syntaxMs, runs, elapsed - evaluationMs - syntaxMs,
            ignored is not null ? "observer not run: " + ignored : failures.Count == 0 ? "all arrive intact" : failures.Count + " failures");
        TestContext.Out.WriteLine(id + ": " + accepted.Count + " accepted values judged, checked and observed in " + elapsed + " ms");

        Assert.That(failures, Has.Count.Zero, Failures(id, failures));
        if (ignored is not null)
        {
            Assert.Ignore(id + ": every accepted value evaluates and its scripts parse, but the observer cannot run here: " + ignored);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // The generator, one compilation per row

    /// <summary>The row's values, one VM each, through the generator and the analyzer in one compilation.</summary>
    private static RowRun Build(ValueContext row)
    {
        var values = Generated.Value[row.Id].Select((text, i) => new Value(i, text)).ToList();
        var source = new StringBuilder("using System.Collections.Generic;\nusing MicroVm.Nix;\n\npublic static class Fleet\n{\n");
        foreach (var value in values)
        {
            var init = Unique(ContextScenarios.ByRow[row.Id], value.Index);
            var at = init.IndexOf("{v}", StringComparison.Ordinal);
            var start = source.Length;
            source.Append(CultureInfo.InvariantCulture, $"    [MicroVmModule]\n    public static readonly VirtualMachine {value.Member} = new()\n    {{\n        HostName = \"vm-{value.Index}\",\n        ");
            source.Append(init, 0, at);
            var literal = SymbolDisplay.FormatLiteral(value.Text, quote: true);
            value.Literal = new TextSpan(source.Length, literal.Length);
            source.Append(literal).Append(init, at + 3, init.Length - at - 3).Append("\n    };\n\n");
            value.Declaration = TextSpan.FromBounds(start, source.Length);
        }

        source.Append("}\n");
        GeneratorRun run;
        try
        {
            run = GeneratorHarness.Run(source.ToString());
        }
        catch (AssertionException e)
        {
            return new RowRun(row, values, "the row's compilation fails: " + e.Message);
        }

        var stray = new List<string>();
        foreach (var diagnostic in run.Diagnostics)
        {
            var span = diagnostic.Location.SourceSpan;
            var owner = diagnostic.Location.SourceTree?.FilePath == GeneratorHarness.DefaultPath ? values.FirstOrDefault(v => v.Declaration.Contains(span.Start)) : null;
            if (owner is null)
            {
                stray.Add(Describe(diagnostic));
            }
            else
            {
                owner.Diagnostics.Add(diagnostic);
            }
        }

        var modules = run.Modules.ToDictionary(m => m.FileName, StringComparer.Ordinal);
        foreach (var value in values)
        {
            value.Module = modules.GetValueOrDefault(value.ModuleName);
        }

        // The VMs share nothing the fleet checks compare: a fleet diagnostic would refuse a VM for another's sake.
        var fleet = values.SelectMany(v => v.Diagnostics).Where(d => d.Id.StartsWith("MVN30", StringComparison.Ordinal)).Select(Describe).ToList();
        return new RowRun(row, values,
            stray.Count > 0 ? "diagnostics outside every VM: " + string.Join("; ", stray)
            : fleet.Count > 0 ? "fleet diagnostics between the row's VMs (make what they compare unique): " + string.Join("; ", fleet)
            : null);
    }

    /// <summary>
    /// The row's VM initializer for VM <paramref name="index"/>, with what the fleet checks compare across
    /// VMs made unique (MVN301 to MVN306: host names are vm-&lt;i&gt;; images, MAC addresses, host interface
    /// names and vsock CIDs here; no scenario creates a zvol), so that no VM is refused for another's sake.
    /// </summary>
    private static string Unique(string init, int index) => init
        .Replace("\"02:00:00:00:00:01\"", "\"02:00:00:00:" + ((index + 1) >> 8).ToString("x2", CultureInfo.InvariantCulture) + ":" + ((index + 1) & 0xff).ToString("x2", CultureInfo.InvariantCulture) + "\"", StringComparison.Ordinal)
        .Replace("VsockCid = 3", "VsockCid = " + (3 + index).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("\"/var/lib/microvms/vm/data.img\"", "\"/var/lib/microvms/vm-" + index.ToString(CultureInfo.InvariantCulture) + "/data.img\"", StringComparison.Ordinal)
        .Replace("\"mvt-vm\"", "\"mvt-" + index.ToString(CultureInfo.InvariantCulture) + "\"", StringComparison.Ordinal);

    /// <summary>The shell scripts a runner writes (its bin/ scripts and every script they refer to) and its build script.</summary>
    private static List<NixFile> Scripts(JudgedRunner runner) =>
        [runner.BuildScript, .. runner.AllFiles().Where(f => f.Kind is "shellScript" or "shellScriptBin" || (f.Kind == "script" && IsShell(f.Text)))];

    private static bool IsShell(string text) => !text.StartsWith("#!", StringComparison.Ordinal) || Regex.IsMatch(text, "^#!\\S*/(ba)?sh\\b|^#!\\S*/env (ba)?sh\\b", RegexOptions.CultureInvariant);

    // ---------------------------------------------------------------------------------------------
    // The strings

    /// <summary>
    /// <see cref="PerRow"/> distinct strings per row, reproducibly from <paramref name="seed"/>: a few fixed
    /// forms (empty, blank, a lone '-' or '.', the row's intact value with a leading '-', '.', blank or
    /// trailing line break, very long strings), then random candidates: mutations of the row's intact
    /// value (a piece inserted, replaced, appended or prepended, a character deleted or replaced by one of
    /// its class), compositions of hostile and benign pieces, and long strings. So that both outcomes are
    /// exercised, candidates are balanced with a rough guess of the generator's verdict (the row's rule and
    /// the rules of the other rows on the same property and hypervisor, ignoring their conditions): about
    /// half guessed accepted, half guessed refused. The guess only picks strings; the generator decides.
    /// Strings of more than one character are not repeated across rows.
    /// </summary>
    private static Dictionary<string, List<string>> GenerateStrings(int seed)
    {
        var random = new Random(seed);
        var used = new HashSet<string>(StringComparer.Ordinal);
        var result = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var row in ValueContexts.All)
        {
            var guess = Guess(row);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var (likelyAccepted, likelyRefused) = (new List<string>(), new List<string>());
            void Consider(string s)
            {
                if (seen.Add(s) && (s.Length <= 1 || !used.Contains(s)))
                {
                    (guess(s) is null ? likelyAccepted : likelyRefused).Add(s);
                }
            }

            foreach (var s in FixedForms(row.Intact, random))
            {
                Consider(s);
            }

            for (var attempt = 0; attempt < 50_000 && (likelyAccepted.Count < PerRow / 2 || likelyRefused.Count < PerRow / 2); attempt++)
            {
                Consider(Candidate(row.Intact, random));
            }

            var take = Math.Min(likelyAccepted.Count, PerRow / 2);
            var values = likelyAccepted.Take(take).Concat(likelyRefused.Take(PerRow - take)).OrderBy(_ => random.Next()).ToList();
            used.UnionWith(values);
            result[row.Id] = values;
        }

        return result;
    }

    private static IEnumerable<string> FixedForms(string intact, Random random) =>
    [
        string.Empty, " ", "-", ".", "-" + intact, "." + intact, "--" + intact, " " + intact, intact + "\n", "\t" + intact,
        intact + new string('x', 300), intact + Long(random, 4096), Compose(random, 120, 200),
    ];

    private static string Candidate(string intact, Random random) => random.Next(20) switch
    {
        < 9 => Mutate(intact, random, random.Next(1, 4), Piece),
        < 12 => Mutate(intact, random, random.Next(1, 3), (r, s, i) => SameClass(s, i, r)),
        < 17 => (random.Next(3) == 0 && intact.StartsWith('/') ? "/" : string.Empty) + Compose(random, 1, 13),
        < 19 => Mutate(intact, random, 1, Piece) + Compose(random, 1, 4),
        _ => random.Next(2) == 0 ? intact + Long(random, random.Next(200, 2000)) : Compose(random, 40, 120),
    };

    private static string Piece(Random random, string text, int at) => random.Next(5) < 3 ? Hostile[random.Next(Hostile.Length)] : Benign[random.Next(Benign.Length)];

    /// <summary>A character of the same class as <c>text[at]</c>: a digit for a digit, a hex letter for a hex letter, a letter for a letter.</summary>
    private static string SameClass(string text, int at, Random random)
    {
        var c = at < text.Length ? text[at] : 'a';
        return c switch
        {
            >= '0' and <= '9' => ((char)('0' + random.Next(10))).ToString(),
            >= 'a' and <= 'f' => ((char)('a' + random.Next(6))).ToString(),
            >= 'A' and <= 'F' => ((char)('A' + random.Next(6))).ToString(),
            _ when char.IsAsciiLetter(c) => ((char)('a' + random.Next(26))).ToString(),
            _ => c.ToString(),
        };
    }

    /// <summary>1 to <paramref name="operations"/> edits of <paramref name="text"/>, at character boundaries that split no surrogate pair.</summary>
    private static string Mutate(string text, Random random, int operations, Func<Random, string, int, string> piece)
    {
        for (var n = 0; n < operations; n++)
        {
            var at = Boundary(text, random.Next(text.Length + 1));
            var end = at < text.Length ? Boundary(text, at + (char.IsHighSurrogate(text[at]) ? 2 : 1)) : at;
            text = random.Next(6) switch
            {
                0 => text[..at] + piece(random, text, at) + text[at..],
                1 or 2 => text[..at] + piece(random, text, at) + text[end..],
                3 => text + piece(random, text, text.Length),
                4 => piece(random, text, 0) + text,
                _ => text[..at] + text[end..],
            };
        }

        return text;
    }

    private static int Boundary(string text, int at) => at > 0 && at < text.Length && char.IsLowSurrogate(text[at]) && char.IsHighSurrogate(text[at - 1]) ? at + 1 : Math.Min(at, text.Length);

    private static string Compose(Random random, int min, int max)
    {
        var text = new StringBuilder();
        var count = random.Next(min, max);
        for (var i = 0; i < count; i++)
        {
            text.Append(Piece(random, string.Empty, 0));
        }

        return text.ToString();
    }

    private static string Long(Random random, int length)
    {
        var text = new StringBuilder("/");
        while (text.Length < length)
        {
            text.Append(Benign[random.Next(Benign.Length)]);
        }

        return text.ToString(0, length);
    }

    /// <summary>
    /// A rough guess of whether the generator refuses <paramref name="row"/>'s property set to a value: the
    /// breaks of every row on the same record, property and part that the scenario's hypervisor reaches
    /// (their conditions ignored), and MVN004's NUL and unpaired surrogates. Only used to balance the strings.
    /// </summary>
    private static Func<string, string?> Guess(ValueContext row)
    {
        var hypervisor = Regex.Match(ContextScenarios.ByRow[row.Id], "Hypervisor = Hypervisor\\.(\\w+)") is { Success: true } m ? m.Groups[1].Value : "Qemu";
        var related = ValueContexts.All.Where(r => r.Record == row.Record && r.Property == row.Property && r.Part == row.Part && (r.Hypervisors is null || r.Hypervisors.Contains(hypervisor))).ToList();
        return v => v.Contains('\0', StringComparison.Ordinal) || HasUnpairedSurrogate(v)
            ? "NUL or an unpaired surrogate"
            : related.Select(r => r.Breaks(v)).FirstOrDefault(b => b is not null);
    }

    private static bool HasUnpairedSurrogate(string v)
    {
        for (var i = 0; i < v.Length; i++)
        {
            if (char.IsHighSurrogate(v[i]) && i + 1 < v.Length && char.IsLowSurrogate(v[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(v[i]))
            {
                return true;
            }
        }

        return false;
    }

    // ---------------------------------------------------------------------------------------------
    // Messages

    private static string Describe(Diagnostic d) => d.Id + " at " + d.Location.SourceSpan + ": " + d.GetMessage(CultureInfo.InvariantCulture);

    private static string Failures(string id, List<string> failures) =>
        id + ": " + failures.Count + " failures:\n" + string.Join("\n\n", failures.Take(ShownFailures).Select(f => "- " + Truncate(f, 8000)))
        + (failures.Count > ShownFailures ? "\n\n… and " + (failures.Count - ShownFailures) + " more" : string.Empty);

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length] + " … (" + (text.Length - length) + " more characters)";
}
