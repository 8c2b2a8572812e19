using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace MicroVm.Nix.Tests.Infrastructure;

/// <summary>A script to run and how, for <see cref="UpstreamRunner.ExecuteMany"/>.</summary>
internal sealed record ScriptRun(NixFile Script, ExecutionOptions Options);

/// <summary>
/// What became of a <see cref="ScriptRun"/>: <c>bash -n</c>'s complaint (then it did not run), or the run's
/// result, or why it was not run at all (what <see cref="UpstreamRunner.Execute"/> would ignore the test with).
/// </summary>
internal sealed record ScriptOutcome(string? SyntaxError, ExecutionResult? Result, string? NotRun);

/// <summary>
/// Batches of <c>bash -n</c> checks and script runs, for tests that run thousands of scripts: the same
/// stubs, options and sandbox as <see cref="BashSyntaxError"/> and <see cref="Execute"/>, but many
/// scripts per process, and a safety check that does not take quoted data for code
/// (<see cref="UnsafeConstructsOutsideQuotes"/>: thousands of hostile values, all single-quoted by
/// upstream, would otherwise stop most scripts from running). <see cref="Execute"/> pays for a new sandbox per script (a user and mount
/// namespace, three tmpfs mounts and their removal: about 100 ms); a batch opens one sandbox per session
/// (<see cref="Sessions"/> sessions in parallel) and runs its scripts one after another in it, each in a
/// fresh working directory with its own log, its fake /sys, /dev and /proc/sys copied in before the run,
/// copied out after it and removed, so each script still starts from its own fixture only.
/// </summary>
internal sealed partial class UpstreamRunner
{
    private readonly ConcurrentDictionary<string, string?> syntaxChecked = new(StringComparer.Ordinal);

    /// <summary>How many batch processes run side by side: one per core, at least two.</summary>
    public static int Sessions => Math.Max(2, Environment.ProcessorCount);

    /// <summary>
    /// <c>bash -n</c> on each of <paramref name="files"/> as written to the store: by store path, null when it
    /// parses, else bash's message. Identical files are checked once; checks are remembered.
    /// </summary>
    public IReadOnlyDictionary<string, string?> BashSyntaxErrors(IEnumerable<NixFile> files)
    {
        var paths = files.Select(Materialize).Distinct(StringComparer.Ordinal).ToList();
        var unchecked_ = paths.Where(p => !syntaxChecked.ContainsKey(p)).ToList();
        if (unchecked_.Count > 0)
        {
            var batch = Path.Combine(Root, "syntax", Interlocked.Increment(ref counter).ToString(CultureInfo.InvariantCulture));
            Directory.CreateDirectory(batch);
            const string Loop = """
                while IFS= read -r -d '' f; do
                  out=$("$0" -n "$f" 2>&1)
                  printf '%s\0%s\0%s\0' "$f" "$?" "$out"
                done < "$1" > "$2"
                """;
            Parallel.ForEach(Split(unchecked_, Sessions).Select((chunk, i) => (chunk, i)), new ParallelOptions { MaxDegreeOfParallelism = Sessions }, part =>
            {
                var list = Path.Combine(batch, "list-" + part.i);
                var result = Path.Combine(batch, "result-" + part.i);
                File.WriteAllText(list, string.Concat(part.chunk.Select(p => p + "\0")));
                var (exitCode, _, stderr) = ProcessRunner.Run(RealBash.Value, ["-c", Loop, RealBash.Value, list, result]);
                if (exitCode != 0)
                {
                    throw new InvalidOperationException("The bash -n batch failed: " + stderr);
                }

                var fields = File.ReadAllText(result).Split('\0');
                for (var i = 0; i + 2 < fields.Length; i += 3)
                {
                    syntaxChecked[fields[i]] = fields[i + 1] == "0" ? null : fields[i + 2].Trim();
                }
            });
        }

        return paths.ToDictionary(p => p, p => syntaxChecked.TryGetValue(p, out var error) ? error : "(bash -n did not report on this file)", StringComparer.Ordinal);
    }

    /// <summary>
    /// Checks and runs each of <paramref name="runs"/> as the observers' probe does with <see cref="BashSyntaxError"/>
    /// and <see cref="Execute"/>: <c>bash -n</c> first (a script that fails it does not run), then the script under
    /// bash with only the stubs on PATH, in a fresh working directory, in the sandbox when there is one. A script
    /// with constructs that could reach the machine outside quoted data (<see cref="UnsafeConstructsOutsideQuotes"/>),
    /// or that needs a fake host without a sandbox, is not run, and its outcome says why.
    /// </summary>
    public IReadOnlyList<ScriptOutcome> ExecuteMany(IReadOnlyList<ScriptRun> runs)
    {
        var syntax = BashSyntaxErrors(runs.Select(r => r.Script));
        var sandboxed = Sandbox.Value != SandboxMode.None;
        var outcomes = new ScriptOutcome?[runs.Count];
        var items = new List<(int Index, string RunDirectory, string Work, string Command)>();
        for (var i = 0; i < runs.Count; i++)
        {
            var (script, options) = runs[i];
            var path = Materialize(script);
            if (syntax[path] is { } error)
            {
                outcomes[i] = new ScriptOutcome(error, null, null);
                continue;
            }

            var unsafeConstructs = UnsafeConstructsOutsideQuotes(script, sandboxed).ToList();
            if (unsafeConstructs.Count > 0)
            {
                outcomes[i] = new ScriptOutcome(null, null, "Not running " + script.Name + (sandboxed ? string.Empty : " without a private mount namespace (unshare is not permitted here)")
                    + ": " + string.Join("; ", unsafeConstructs.Distinct()));
                continue;
            }

            if (!sandboxed && options.FakeHost.Count > 0)
            {
                outcomes[i] = new ScriptOutcome(null, null, "Not running " + script.Name + ": a fake /sys, /dev or /proc/sys needs a private mount namespace, and unshare is not permitted here.");
                continue;
            }

            // As Execute prepares a run: its directories, stub output, real programs, environment and command.
            var run = Path.Combine(Root, "runs", Interlocked.Increment(ref counter).ToString(CultureInfo.InvariantCulture));
            var log = Path.Combine(run, "log");
            var output = Path.Combine(run, "stub-output");
            Directory.CreateDirectory(log);
            Directory.CreateDirectory(output);
            var work = options.WorkingDirectory ?? Path.Combine(run, "work");
            Directory.CreateDirectory(work);
            CreateSockets(work, options.Sockets);

            foreach (var (name, text) in DefaultStubOutput.Concat(options.StubOutput.Where(o => !DefaultStubOutput.ContainsKey(o.Key))))
            {
                File.WriteAllText(Path.Combine(output, name), options.StubOutput.GetValueOrDefault(name, text));
            }

            var environment = RunEnvironment(run, log, output, options);
            var fixture = string.Empty;
            if (sandboxed && options.FakeHost.Count > 0)
            {
                fixture = Path.Combine(run, "fixture");
                WriteFixture(fixture, options.FakeHost);
            }

            var command = "run_one " + ShellQuote(run) + " " + ShellQuote(fixture) + " " + ShellQuote(work) + " " + options.TimeoutSeconds.ToString(CultureInfo.InvariantCulture)
                + " env -i " + string.Join(" ", environment.Select(ShellQuote)) + " " + ShellQuote(RealBash.Value) + " " + ShellQuote(path)
                + string.Concat(options.Arguments.Select(a => " " + ShellQuote(a)));
            items.Add((i, run, work, command));
        }

        var failures = new ConcurrentDictionary<int, string>();
        Parallel.ForEach(Split(items, Sessions).Select((chunk, i) => (chunk, i)).Where(p => p.chunk.Count > 0), new ParallelOptions { MaxDegreeOfParallelism = Sessions }, part =>
        {
            var session = Path.Combine(Root, "sessions", Interlocked.Increment(ref counter).ToString(CultureInfo.InvariantCulture));
            Directory.CreateDirectory(session);
            var text = new StringBuilder(SessionPrelude(session, sandboxed));
            foreach (var item in part.chunk)
            {
                text.Append(item.Command).Append('\n');
            }

            var scriptPath = Path.Combine(session, "session.sh");
            File.WriteAllText(scriptPath, text.ToString());
            string[] prefix = Sandbox.Value switch
            {
                SandboxMode.UserNamespace => ["unshare", "--user", "--map-root-user", "--mount", "--net", "--fork"],
                SandboxMode.MountNamespace => ["unshare", "--mount", "--net", "--fork"],
                _ => [],
            };
            var (exitCode, _, stderr) = prefix.Length > 0 ? ProcessRunner.Run(prefix[0], [.. prefix[1..], RealBash.Value, scriptPath]) : ProcessRunner.Run(RealBash.Value, [scriptPath]);
            if (exitCode != 0)
            {
                foreach (var item in part.chunk)
                {
                    failures[item.Index] = "the batch session exited with " + exitCode + ": " + stderr.Trim();
                }
            }
        });

        foreach (var (index, run, work, _) in items)
        {
            var status = Path.Combine(run, "status");
            string Read(string name) => File.Exists(Path.Combine(run, name)) ? File.ReadAllText(Path.Combine(run, name)) : string.Empty;
            var exitCode = File.Exists(status) ? int.Parse(File.ReadAllText(status).Trim(), CultureInfo.InvariantCulture) : -1;
            var stderr = Read("stderr") + (exitCode == -1 ? "\n(the script's run left no status: " + failures.GetValueOrDefault(index, "the batch session stopped before it") + ")" : string.Empty);
            outcomes[index] = new ScriptOutcome(null, new ExecutionResult(exitCode, Read("stdout"), stderr, ReadInvocations(Path.Combine(run, "log"), exitCode is 124 or 137), work, sandboxed ? ReadTree(Path.Combine(run, "after")) : new Dictionary<string, string>()), null);
        }

        return [.. outcomes.Select(o => o!)];
    }

    /// <summary>
    /// The start of a session script: in the sandbox, the same private mounts as <see cref="Execute"/>'s wrapper,
    /// made once; then <c>run_one</c>, which copies a run's fixture in, runs its command in its working directory
    /// (timed out and waited for as <see cref="Execute"/> does), records the exit status, stdout and stderr, and copies out and
    /// removes whatever is in the fake /sys, /dev (but /dev/null) and /proc/sys afterwards.
    /// </summary>
    private static string SessionPrelude(string session, bool sandboxed)
    {
        var text = new StringBuilder("set -u\nshopt -s nullglob dotglob\n");
        if (sandboxed)
        {
            var devNull = ShellQuote(Path.Combine(session, "null"));
            text.Append(CultureInfo.InvariantCulture, $$"""
                # A private mount namespace: /sys, /dev and /proc/sys become empty tmpfs, /dev/null stays the real one.
                mount --make-rprivate / || exit 90
                : > {{devNull}}
                mount --bind /dev/null {{devNull}} || exit 91
                mount -t tmpfs microvm-judge /sys || exit 92
                mount -t tmpfs microvm-judge /dev || exit 92
                mount -t tmpfs microvm-judge /proc/sys || exit 92
                : > /dev/null
                mount --bind {{devNull}} /dev/null || exit 93

                """);
        }

        text.Append(JudgeRun).Append("""
            run_one() {
              local run=$1 fixture=$2 work=$3 limit=$4 entry
              shift 4
              if [ -n "$fixture" ]; then
                cp -a "$fixture"/sys/. /sys/ && cp -a "$fixture"/dev/. /dev/ && cp -a "$fixture"/proc-sys/. /proc/sys/ || exit 94
              fi
              cd "$work" || exit 95
              judge_run "$run/alive" timeout --kill-after=5 "$limit" "$@" </dev/null >"$run/stdout" 2>"$run/stderr"
              printf '%s' "$?" > "$run/status"
              cd /
            """);
        if (sandboxed)
        {
            text.Append("""

                  local left=(/sys/* /proc/sys/* /dev/*)
                  if [ "${#left[@]}" -gt 1 ]; then
                    mkdir -p "$run/after/sys" "$run/after/dev" "$run/after/proc-sys"
                    cp -a /sys/. "$run/after/sys/" && cp -a /proc/sys/. "$run/after/proc-sys/" || exit 96
                    for entry in /dev/*; do
                      if [ "$entry" != /dev/null ]; then cp -a "$entry" "$run/after/dev/" || exit 96; fi
                    done
                    rm -rf /sys/* /proc/sys/* || exit 97
                    for entry in /dev/*; do
                      if [ "$entry" != /dev/null ]; then rm -rf "$entry" || exit 97; fi
                    done
                  fi
                """);
        }

        text.Append("\n}\n");
        return text.ToString();
    }

    /// <summary>
    /// <see cref="UnsafeConstructs"/> on each shell script of <paramref name="script"/> (itself and every file it
    /// refers to) with the contents of its quoted strings masked where bash reads them as data
    /// (<see cref="ShellQuotes.Mask"/>), so that a value upstream quotes, such as <c>'/srv/a;/x'</c>, is not taken
    /// for a command, a redirection or a cd. A quoted word keeps its leading absolute path (a quoted command or
    /// redirection target is still found), and a script the masking is unsure of is checked as it is.
    /// </summary>
    internal IEnumerable<string> UnsafeConstructsOutsideQuotes(NixFile script, bool sandboxed)
    {
        var store = Path.Combine(Root, "store") + "/";
        foreach (var file in new[] { script }.Concat(script.Descendants()).Where(f => f.Kind is "shellScript" or "script"))
        {
            // Blobs become the trusted store path they are run from, so the masked file refers to nothing further.
            var text = Blob.Replace(file.RawText, store);
            var masked = new NixFile(file.Kind, file.Name, ShellQuotes.Mask(text) ?? text);
            foreach (var construct in UnsafeConstructs(masked, sandboxed, [StubRoot + "/", store]))
            {
                yield return construct;
            }
        }
    }

    /// <summary><paramref name="items"/> dealt round-robin into <paramref name="parts"/> lists.</summary>
    private static List<List<T>> Split<T>(IReadOnlyList<T> items, int parts)
    {
        var result = Enumerable.Range(0, parts).Select(_ => new List<T>()).ToList();
        for (var i = 0; i < items.Count; i++)
        {
            result[i % parts].Add(items[i]);
        }

        return result;
    }
}

/// <summary>
/// Which characters of a bash script are quoted data, after bash's quoting rules (single quotes, double
/// quotes, backslashes, <c>$'…'</c>, comments, <c>$( )</c> and <c>${ }</c> inside and outside double quotes).
/// Conservative: anything it does not model (backquotes, here-documents, quotes inside <c>${ }</c>,
/// <c>case</c> inside <c>$( )</c>, an unterminated quote) makes it give up.
/// </summary>
internal static class ShellQuotes
{
    private const char Hidden = 'x';

    /// <summary>
    /// <paramref name="text"/> with every character of quoted data replaced by 'x', except the quotes themselves
    /// and a leading absolute path (a quoted word may still be a command or a redirection target); null when unsure.
    /// </summary>
    public static string? Mask(string text)
    {
        var masked = text.ToCharArray();
        var pos = 0;
        return Code(text, masked, ref pos, nested: false) && pos == text.Length ? new string(masked) : null;
    }

    /// <summary>Unquoted code up to the end (or, nested in <c>$( )</c>, up to its closing parenthesis, consumed).</summary>
    private static bool Code(string s, char[] masked, ref int pos, bool nested)
    {
        var depth = 0;
        while (pos < s.Length)
        {
            var c = s[pos];
            var wordStart = pos == 0 || " \t\n;&|()<>".Contains(s[pos - 1], StringComparison.Ordinal);
            switch (c)
            {
                case '\\':
                    pos += 2;
                    break;
                case '`':
                    return false;
                case '#' when wordStart:
                    while (pos < s.Length && s[pos] != '\n')
                    {
                        pos++;
                    }

                    break;
                case '\'':
                    {
                        var end = s.IndexOf('\'', pos + 1);
                        if (end < 0)
                        {
                            return false;
                        }

                        Hide(s, masked, pos + 1, end);
                        pos = end + 1;
                        break;
                    }

                case '"':
                    pos++;
                    if (!Double(s, masked, ref pos))
                    {
                        return false;
                    }

                    break;
                case '$' when pos + 1 < s.Length && s[pos + 1] == '\'':
                    // ANSI-C quoting: a backslash escapes any character; left as it is.
                    pos += 2;
                    while (pos < s.Length && s[pos] != '\'')
                    {
                        pos += s[pos] == '\\' ? 2 : 1;
                    }

                    if (pos >= s.Length)
                    {
                        return false;
                    }

                    pos++;
                    break;
                case '$' when pos + 1 < s.Length && s[pos + 1] == '(':
                    pos += 2;
                    if (!Code(s, masked, ref pos, nested: true))
                    {
                        return false;
                    }

                    break;
                case '$' when pos + 1 < s.Length && s[pos + 1] == '{':
                    if (!Parameter(s, ref pos))
                    {
                        return false;
                    }

                    break;
                case '<' when pos + 1 < s.Length && s[pos + 1] == '<' && (pos + 2 >= s.Length || s[pos + 2] != '<'):
                    return false;
                case '(':
                    depth++;
                    pos++;
                    break;
                case ')':
                    pos++;
                    if (nested && depth == 0)
                    {
                        return true;
                    }

                    depth--;
                    break;
                case 'c' when nested && wordStart && string.CompareOrdinal(s, pos, "case", 0, 4) == 0 && (pos + 4 == s.Length || char.IsWhiteSpace(s[pos + 4])):
                    return false;
                default:
                    pos++;
                    break;
            }
        }

        return !nested;
    }

    /// <summary>Inside double quotes, from after the opening quote to after the closing one.</summary>
    private static bool Double(string s, char[] masked, ref int pos)
    {
        var start = pos;
        while (pos < s.Length)
        {
            switch (s[pos])
            {
                case '"':
                    Hide(s, masked, start, pos);
                    pos++;
                    return true;
                case '\\':
                    pos += 2;
                    break;
                case '`':
                    return false;
                case '$' when pos + 1 < s.Length && s[pos + 1] == '(':
                    Hide(s, masked, start, pos);
                    pos += 2;
                    if (!Code(s, masked, ref pos, nested: true))
                    {
                        return false;
                    }

                    start = pos;
                    break;
                case '$' when pos + 1 < s.Length && s[pos + 1] == '{':
                    Hide(s, masked, start, pos);
                    if (!Parameter(s, ref pos))
                    {
                        return false;
                    }

                    start = pos;
                    break;
                default:
                    pos++;
                    break;
            }
        }

        return false;
    }

    /// <summary>A <c>${…}</c> expansion, left as it is; quotes or backquotes inside it are not modelled.</summary>
    private static bool Parameter(string s, ref int pos)
    {
        var depth = 0;
        for (pos += 2; pos < s.Length; pos++)
        {
            switch (s[pos])
            {
                case '\'' or '"' or '`' or '\\':
                    return false;
                case '{':
                    depth++;
                    break;
                case '}' when depth == 0:
                    pos++;
                    return true;
                case '}':
                    depth--;
                    break;
            }
        }

        return false;
    }

    /// <summary>Masks s[from..to), but a leading absolute path (up to a blank, quote or shell metacharacter).</summary>
    private static void Hide(string s, char[] masked, int from, int to)
    {
        var i = from;
        if (i < to && s[i] == '/')
        {
            while (i < to && !char.IsWhiteSpace(s[i]) && "'\";|&()<>`$\\".IndexOf(s[i], StringComparison.Ordinal) < 0)
            {
                i++;
            }
        }

        for (; i < to; i++)
        {
            masked[i] = Hidden;
        }
    }
}
