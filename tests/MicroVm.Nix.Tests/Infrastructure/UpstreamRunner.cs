using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Threading;
using MicroVm.Nix.Build;

namespace MicroVm.Nix.Tests.Infrastructure;

/// <summary>
/// The upstream judge: evaluates generated guest modules through microvm.nix's real guest module and
/// real runner (Nix/upstream-runner.nix) with stub packages, all modules in one <c>nix-instantiate</c>
/// call, and runs the scripts upstream writes under bash with stub executables that record their argv.
/// </summary>
/// <remarks>
/// <para>
/// Every package is a directory under the stub root (one set per platform: x86_64-linux, aarch64-linux,
/// aarch64-darwin) whose <c>bin/</c> holds stubs; <c>&lt;stub root&gt;/bin</c> holds a stub for every
/// command a script may call by bare name. A stub appends one record per call to the directory named by
/// <c>MICROVM_JUDGE_LOG</c>: its path, working directory, argc, the arguments and the targets of file
/// descriptors 3 to 9, each NUL-terminated, so any argument (spaces, quotes, newlines, unicode) is
/// recovered exactly. Only <c>bash</c> (vfkit's runner execs <c>bash -c</c>) and the read-only
/// <c>readlink</c>, <c>basename</c> and <c>dirname</c> go on to the real program after recording;
/// nothing else real is on the scripts' PATH.
/// </para>
/// <para>
/// Scripts run as <c>env -i PATH=&lt;stub root&gt;/bin … bash &lt;script&gt;</c> in a temporary working
/// directory. When the machine allows it (a user or mount namespace, probed once), they run in a private
/// mount and network namespace where /sys, /dev and /proc/sys are empty tmpfs (filled from
/// <see cref="ExecutionOptions.FakeHost"/>), so writes there (macvtap's <c>exec 3&lt;&gt;/dev/tap…</c>,
/// pci-setup's driver_override) land in the fake tree and are reported back. Without a namespace, a
/// script that redirects into an absolute path, opens a device or changes into an absolute directory is
/// not run: the test is ignored saying so.
/// </para>
/// </remarks>
internal sealed partial class UpstreamRunner : IDisposable
{
    /// <summary>Stub packages and the executables each provides (names as upstream refers to them).</summary>
    private static readonly Dictionary<string, string[]> PackageExecutables = new()
    {
        ["qemu"] = ["qemu-system-x86_64", "qemu-system-aarch64", "qemu-img"],
        ["qemu_kvm"] = ["qemu-system-x86_64", "qemu-system-aarch64"],
        ["cloud-hypervisor"] = ["cloud-hypervisor", "ch-remote"],
        ["cloud-hypervisor-graphics"] = ["cloud-hypervisor", "ch-remote"],
        ["firecracker"] = ["firecracker"],
        ["crosvm"] = ["crosvm"],
        ["kvmtool"] = ["lkvm"],
        ["stratovirt"] = ["stratovirt"],
        ["alioth"] = ["alioth"],
        ["vfkit"] = ["vfkit"],
        ["virtiofsd"] = ["virtiofsd"],
        ["coreutils"] = ["touch", "truncate", "chown", "chmod", "cat", "id", "basename", "dirname", "readlink", "rm", "mv", "mkdir", "ln", "cp", "tail", "head", "tr", "nproc", "sleep", "env", "sort"],
        ["coreutils-full"] = ["touch", "truncate", "chown", "chmod", "cat", "id", "basename", "dirname", "readlink", "rm", "mv", "mkdir", "ln", "cp", "tail", "head", "tr", "nproc", "sleep", "env", "sort"],
        ["e2fsprogs"] = ["mkfs.ext2", "mkfs.ext3", "mkfs.ext4", "mke2fs", "chattr"],
        ["xfsprogs"] = ["mkfs.xfs"],
        ["btrfs-progs"] = ["mkfs.btrfs"],
        ["dosfstools"] = ["mkfs.vfat", "mkfs.fat"],
        ["iproute2"] = ["ip"],
        ["kmod"] = ["modprobe"],
        ["socat"] = ["socat"],
        ["curl"] = ["curl"],
        ["jq"] = ["jq"],
        ["netcat"] = ["nc"],
        ["util-linux"] = ["waitpid", "mount", "umount"],
        ["expect"] = ["unbuffer", "expect"],
        ["python3"] = ["python3"],
        ["systemd"] = ["busctl", "systemd-notify", "systemctl"],
        ["gnused"] = ["sed"],
        ["gawk"] = ["awk", "gawk"],
        ["supervisor"] = ["supervisord", "supervisorctl"],
        ["nix"] = ["nix-store"],
        ["bubblewrap"] = ["bwrap"],
        ["erofs-utils"] = ["mkfs.erofs"],
        ["squashfs-tools-ng"] = ["gensquashfs"],
        ["time"] = ["time"],
    };

    private static readonly string[] Systems = ["x86_64-linux", "aarch64-linux", "aarch64-darwin"];

    /// <summary>What the stubs print by default: the virtiofsd scripts read <c>id -u</c> and <c>nproc</c>.</summary>
    private static readonly Dictionary<string, string> DefaultStubOutput = new()
    {
        ["id"] = "0",
        ["nproc"] = "4",
    };

    /// <summary>
    /// A blob, as upstream-runner.nix's file writers return it: <c>/microvm-judge@&lt;payload&gt;@</c>, the
    /// payload being JSON with every ASCII character but [A-Za-z0-9._/-] percent-encoded (non-ASCII stays).
    /// </summary>
    internal static readonly Regex Blob = new("/microvm-judge@((?:[A-Za-z0-9._/%-]|[^\\x00-\\x7F])*)@", RegexOptions.CultureInvariant);

    private static readonly Lazy<SandboxMode> Sandbox = new(ProbeSandbox);

    private static readonly Lazy<string> RealBash = new(() => FindOnPath("bash") ?? throw new InvalidOperationException("bash is not on PATH"));

    private readonly string microvm;
    private readonly string nixpkgsLib;
    private int counter;

    private UpstreamRunner(string microvm, string nixpkgsLib)
    {
        this.microvm = Path.GetFullPath(microvm);
        this.nixpkgsLib = Path.GetFullPath(nixpkgsLib);
        Root = Directory.CreateTempSubdirectory("microvm-judge-").FullName;
        StubRoot = Path.Combine(Root, "stub");
        CreateStubs();
    }

    /// <summary>The temporary directory everything of this runner lives in; removed by <see cref="Dispose"/>.</summary>
    public string Root { get; }

    /// <summary>The stub root: <c>&lt;system&gt;/&lt;package&gt;/bin/…</c> and <c>bin/</c> for bare command names.</summary>
    public string StubRoot { get; }

    /// <summary>Whether scripts run in a private mount and network namespace with a fake /sys, /dev and /proc/sys.</summary>
    public static bool Sandboxed => Sandbox.Value != SandboxMode.None;

    /// <summary>A runner over the upstream checkouts named by MICROVM_NIX_SRC and NIXPKGS_LIB_SRC (the test is ignored without them).</summary>
    public static UpstreamRunner Create()
    {
        var (microvm, lib) = Upstream.RequirePaths();
        return new UpstreamRunner(microvm, lib);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary directory is no test failure.
        }
    }

    /// <summary>Judges every guest module of <paramref name="run"/> (all but the host module default.nix).</summary>
    public IReadOnlyList<JudgedVm> Judge(GeneratorRun run) => Judge(run.Modules.Where(m => m.FileName != "default.nix"));

    /// <summary>
    /// Evaluates <paramref name="modules"/> through upstream in one <c>nix-instantiate</c> call. When that
    /// call fails as a whole (an error <c>builtins.tryEval</c> cannot catch: infinite recursion, abort),
    /// each module is evaluated on its own and a failing one reports its error in <see cref="JudgedVm.ModuleError"/>.
    /// </summary>
    public IReadOnlyList<JudgedVm> Judge(IEnumerable<GeneratedFile> modules)
    {
        var batch = Interlocked.Increment(ref counter);
        var files = new List<(string File, GeneratedFile Module)>();
        foreach (var (module, i) in modules.Select((m, i) => (m, i)))
        {
            var dir = Path.Combine(Root, "modules", batch.ToString(CultureInfo.InvariantCulture), i.ToString(CultureInfo.InvariantCulture));
            Directory.CreateDirectory(dir);
            var file = Path.Combine(dir, module.FileName);
            File.WriteAllText(file, module.Text);
            files.Add((file, module));
        }

        var list = Path.Combine(Root, "modules", batch.ToString(CultureInfo.InvariantCulture), "modules.json");
        File.WriteAllText(list, new JsonArray([.. files.Select(f => (JsonNode?)JsonValue.Create(f.File))]).ToJsonString());

        var (exitCode, stdout, stderr) = Evaluate(list, only: null, raise: null);
        if (exitCode == 0)
        {
            var results = JsonNode.Parse(stdout)!.AsArray();
            var traces = Traces(stderr);
            return [.. files.Select((f, i) => new JudgedVm(this, list, i, f.Module, results[i]!.AsObject(), traces.GetValueOrDefault(i, []), null))];
        }

        var judged = new List<JudgedVm>();
        for (var i = 0; i < files.Count; i++)
        {
            var (code, output, errors) = Evaluate(list, only: i, raise: null);
            judged.Add(code == 0
                ? new JudgedVm(this, list, i, files[i].Module, JsonNode.Parse(output)![0]!.AsObject(), Traces(errors).GetValueOrDefault(i, []), null)
                : new JudgedVm(this, list, i, files[i].Module, null, Traces(errors).GetValueOrDefault(i, []), ErrorMessage(errors)));
        }

        return judged;
    }

    /// <summary>Upstream's error for one field of one module: the field evaluated alone, without <c>tryEval</c>.</summary>
    internal string FieldError(string list, int index, string field)
    {
        var (exitCode, _, stderr) = Evaluate(list, index, field);
        return exitCode == 0 ? "(" + field + " evaluated without error on its own)" : ErrorMessage(stderr);
    }

    private (int ExitCode, string Stdout, string Stderr) Evaluate(string list, int? only, string? raise)
    {
        var script = Path.Combine(RepoPaths.Root, "tests", "MicroVm.Nix.Tests", "Nix", "upstream-runner.nix");
        var arguments = new List<string>
        {
            "--eval", "--strict", "--json", script,
            "--argstr", "microvm", microvm,
            "--argstr", "nixpkgsLib", nixpkgsLib,
            "--argstr", "stubRoot", StubRoot,
            "--argstr", "modulesJson", list,
        };
        if (only is { } index)
        {
            arguments.AddRange(["--argstr", "only", index.ToString(CultureInfo.InvariantCulture)]);
        }

        if (raise is not null)
        {
            arguments.AddRange(["--argstr", "raise", raise]);
        }

        return ProcessRunner.Run("nix-instantiate", arguments);
    }

    private static string ErrorMessage(string stderr)
    {
        var lines = stderr.Split('\n');
        var start = Array.FindIndex(lines, l => l.StartsWith("error:", StringComparison.Ordinal));
        return start < 0 ? stderr.Trim() : string.Join("\n", lines.Skip(start)).Trim();
    }

    /// <summary>
    /// Splits nix-instantiate's stderr into the traces (lib.warn and friends) printed while each module was
    /// forced: upstream-runner.nix prints "microvm-judge-module &lt;i&gt;" before module i.
    /// </summary>
    private static Dictionary<int, List<string>> Traces(string stderr)
    {
        var result = new Dictionary<int, List<string>>();
        List<string>? current = null;
        StringBuilder? trace = null;

        void Flush()
        {
            if (trace is not null && current is not null)
            {
                current.Add(trace.ToString().TrimEnd('\n'));
            }

            trace = null;
        }

        foreach (var line in stderr.Split('\n'))
        {
            if (line.StartsWith("trace: ", StringComparison.Ordinal))
            {
                Flush();
                var text = Regex.Replace(line["trace: ".Length..], "\u001b\\[[0-9;]*m", string.Empty);
                var marker = Regex.Match(text, "^microvm-judge-module ([0-9]+)$");
                if (marker.Success)
                {
                    current = [];
                    result[int.Parse(marker.Groups[1].Value, CultureInfo.InvariantCulture)] = current;
                    continue;
                }

                trace = new StringBuilder(text.StartsWith("evaluation warning: ", StringComparison.Ordinal) ? text["evaluation warning: ".Length..] : text);
            }
            else if (trace is not null)
            {
                trace.Append('\n').Append(line);
            }
        }

        Flush();
        return result;
    }

    // ---------------------------------------------------------------------------------------------
    // Stubs

    private void CreateStubs()
    {
        var bin = Path.Combine(StubRoot, "bin");
        Directory.CreateDirectory(bin);
        foreach (var system in Systems)
        {
            foreach (var (package, executables) in PackageExecutables)
            {
                var dir = Path.Combine(StubRoot, system, package, "bin");
                Directory.CreateDirectory(dir);
                foreach (var executable in executables)
                {
                    WriteStub(Path.Combine(dir, executable), executable, passThrough: null);
                }
            }

            // The derivations runCommand builds; runner.nix reads "machine-uuid" when microvm.machineId is null.
            Directory.CreateDirectory(Path.Combine(StubRoot, system, "drv"));
            File.WriteAllText(Path.Combine(StubRoot, system, "drv", "machine-uuid"), "00000000-0000-5000-8000-000000000000");
            Directory.CreateDirectory(Path.Combine(StubRoot, system, "OVMF-fd", "FV"));
        }

        // Bare command names: everything a package provides, and what scripts call without a path.
        var bare = PackageExecutables.Values.SelectMany(e => e).Concat(["systemd-notify", "kill", "printf", "true", "false"]).Distinct(StringComparer.Ordinal);
        foreach (var name in bare)
        {
            // Read-only helpers whose output scripts use (pci-setup: basename $(readlink iommu_group)) run for real, after recording.
            WriteStub(Path.Combine(bin, name), name, passThrough: name is "readlink" or "basename" or "dirname" ? FindOnPath(name) : null);
        }

        // vfkit's runner execs `bash -c '…'`: record it, then run it with the real bash (still with the stub PATH).
        WriteStub(Path.Combine(bin, "bash"), "bash", passThrough: RealBash.Value);
    }

    private static void WriteStub(string path, string name, string? passThrough)
    {
        var readlink = FindOnPath("readlink");
        var fds = readlink is null ? string.Empty : $$"""
                for fd in 3 4 5 6 7 8 9; do
                  if [ -e "/proc/$$/fd/$fd" ]; then printf 'fd%s=%s\0' "$fd" "$({{ShellQuote(readlink)}} "/proc/$$/fd/$fd")"; fi
                done
            """;
        var text = $$"""
            #!{{RealBash.Value}}
            # MicroVm.Nix upstream judge: a stub for {{name}}. It records its arguments and changes nothing.
            if [ -n "${MICROVM_JUDGE_LOG:-}" ]; then
              {
                printf '%s\0' "$0" "$PWD" "$#" "$@"
            {{fds}}
              } > "$MICROVM_JUDGE_LOG/$EPOCHREALTIME-$$-$RANDOM"
            fi
            if [ -n "${MICROVM_JUDGE_OUT:-}" ] && [ -f "$MICROVM_JUDGE_OUT/{{name}}" ]; then
              printf '%s\n' "$(< "$MICROVM_JUDGE_OUT/{{name}}")"
            fi

            """ + (passThrough is null ? "exit 0\n" : "exec " + ShellQuote(passThrough) + " \"$@\"\n");
        File.WriteAllText(path, text.Replace("\r\n", "\n", StringComparison.Ordinal));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }
    }

    /// <summary>
    /// A bash function, <c>judge_run FIFO COMMAND…</c>: runs the command with descriptor 19 open on a new FIFO, then
    /// waits until every process that inherited it has exited (at most 10 s), so that what a script started in the
    /// background (crosvm's GPU device, for one) has finished and left its record before the run is read and the
    /// sandbox's /dev/null is unmounted. Returns the command's status.
    /// </summary>
    private const string JudgeRun = """
        judge_run() {
          local fifo=$1 status line
          shift
          mkfifo "$fifo" || return 98
          exec 18<>"$fifo" 17<"$fifo" 19>"$fifo" 18>&-
          "$@" 17<&-
          status=$?
          exec 19>&-
          while IFS= read -r -t 10 -u 17 line; do :; done
          exec 17<&-
          return "$status"
        }

        """;

    /// <summary>Sockets bound for runs, kept open: .NET removes a Unix socket's file when the socket is closed.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentBag<System.Net.Sockets.Socket> BoundSockets = [];

    private static readonly object CurrentDirectoryGate = new();

    /// <summary>
    /// Binds a Unix socket at each of <paramref name="sockets"/> under <paramref name="work"/>, open for the rest of the
    /// test run. Bound by the relative path, from <paramref name="work"/>, as a program started there would bind it: the
    /// kernel's limit (107 bytes) applies to the path as written, not to the absolute one.
    /// </summary>
    internal static void CreateSockets(string work, IReadOnlyList<string> sockets)
    {
        foreach (var name in sockets)
        {
            if (Path.Exists(Path.Combine(work, name)))
            {
                continue; // bound for an earlier run in the same folder
            }

            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(work, name))!);
            var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
            lock (CurrentDirectoryGate)
            {
                var before = Environment.CurrentDirectory;
                Environment.CurrentDirectory = work;
                try
                {
                    socket.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(name));
                }
                catch (System.Net.Sockets.SocketException e) when (e.SocketErrorCode == System.Net.Sockets.SocketError.AddressAlreadyInUse)
                {
                    // A socket is there already (another run in the same folder bound it).
                }
                finally
                {
                    Environment.CurrentDirectory = before;
                }
            }

            BoundSockets.Add(socket);
        }
    }

    private static string ShellQuote(string s) => "'" + s.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
            .Where(d => d.Length > 0)
            .Select(d => Path.Combine(d, name))
            .FirstOrDefault(File.Exists);

    // ---------------------------------------------------------------------------------------------
    // Files upstream writes, checked and executed

    /// <summary>Writes <paramref name="file"/> (and every file it refers to) to this runner's store; returns its path.</summary>
    public string Materialize(NixFile file)
    {
        var store = Path.Combine(Root, "store");
        Directory.CreateDirectory(store);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(file.Kind + "\0" + file.Name + "\0" + file.RawText)))[..16];
        var path = Path.Combine(store, hash + "-" + Regex.Replace(file.Name, "[^A-Za-z0-9._+-]", "_"));
        if (File.Exists(path))
        {
            return path;
        }

        var text = Blob.Replace(file.RawText, m => Materialize(NixFile.Decode(m.Groups[1].Value)));
        var executable = file.Kind is "shellScript" or "script" or "python3";
        var content = file.Kind switch
        {
            // nixpkgs' writeShellScript: "#!${runtimeShell}\n" + text.
            "shellScript" => "#!" + RealBash.Value + "\n" + text,
            "python3" => "#!" + Path.Combine(StubRoot, "x86_64-linux", "python3", "bin", "python3") + "\n" + text,
            _ => text,
        };
        File.WriteAllText(path, content);
        if (executable && !OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return path;
    }

    /// <summary><c>bash -n</c> on <paramref name="script"/> as written to the store; null when it parses, else bash's message.</summary>
    public string? BashSyntaxError(NixFile script)
    {
        var path = Materialize(script);
        var (exitCode, _, stderr) = ProcessRunner.Run(RealBash.Value, ["-n", path]);
        return exitCode == 0 ? null : stderr.Trim();
    }

    /// <summary>
    /// Runs <paramref name="script"/> under bash with only the stubs on PATH, in a fresh (or the given)
    /// working directory, and returns every stub call in order.
    /// </summary>
    public ExecutionResult Execute(NixFile script, ExecutionOptions? options = null)
    {
        options ??= new ExecutionOptions();
        var path = Materialize(script);
        var run = Path.Combine(Root, "runs", Interlocked.Increment(ref counter).ToString(CultureInfo.InvariantCulture));
        var log = Path.Combine(run, "log");
        var output = Path.Combine(run, "stub-output");
        var after = Path.Combine(run, "after");
        Directory.CreateDirectory(log);
        Directory.CreateDirectory(output);
        var work = options.WorkingDirectory ?? Path.Combine(run, "work");
        Directory.CreateDirectory(work);
        CreateSockets(work, options.Sockets);

        foreach (var (name, text) in DefaultStubOutput.Concat(options.StubOutput.Where(o => !DefaultStubOutput.ContainsKey(o.Key))))
        {
            File.WriteAllText(Path.Combine(output, name), options.StubOutput.GetValueOrDefault(name, text));
        }

        var sandboxed = Sandbox.Value != SandboxMode.None;
        var unsafeConstructs = UnsafeConstructs(script, sandboxed, [StubRoot + "/", Path.Combine(Root, "store") + "/"]).ToList();
        if (unsafeConstructs.Count > 0)
        {
            Assert.Ignore("Not running " + script.Name + (sandboxed ? string.Empty : " without a private mount namespace (unshare is not permitted here)")
                + ": " + string.Join("; ", unsafeConstructs.Distinct()));
        }

        if (!sandboxed && options.FakeHost.Count > 0)
        {
            Assert.Ignore("Not running " + script.Name + ": a fake /sys, /dev or /proc/sys needs a private mount namespace, and unshare is not permitted here.");
        }

        var environment = RunEnvironment(run, log, output, options);
        var command = "env -i " + string.Join(" ", environment.Select(ShellQuote)) + " " + ShellQuote(RealBash.Value) + " " + ShellQuote(path)
            + string.Concat(options.Arguments.Select(a => " " + ShellQuote(a))) + " </dev/null";

        var wrapper = new StringBuilder();
        wrapper.Append("set -eu\n");
        if (sandboxed)
        {
            var fixture = Path.Combine(run, "fixture");
            WriteFixture(fixture, options.FakeHost);
            wrapper.Append(CultureInfo.InvariantCulture, $$"""
                # A private mount namespace: /sys, /dev and /proc/sys become empty tmpfs holding only the fixture.
                mount --make-rprivate /
                : > {{ShellQuote(Path.Combine(run, "null"))}}
                mount --bind /dev/null {{ShellQuote(Path.Combine(run, "null"))}}
                mount -t tmpfs microvm-judge /sys
                mount -t tmpfs microvm-judge /dev
                mount -t tmpfs microvm-judge /proc/sys
                : > /dev/null
                mount --bind {{ShellQuote(Path.Combine(run, "null"))}} /dev/null
                cp -a {{ShellQuote(fixture)}}/sys/. /sys/
                cp -a {{ShellQuote(fixture)}}/dev/. /dev/
                cp -a {{ShellQuote(fixture)}}/proc-sys/. /proc/sys/

                """);
        }

        wrapper.Append(JudgeRun).Append("cd " + ShellQuote(work) + "\nset +e\njudge_run " + ShellQuote(Path.Combine(run, "alive")) + " " + command + "\nstatus=$?\nset -e\n");
        if (sandboxed)
        {
            wrapper.Append(CultureInfo.InvariantCulture, $$"""
                # Lazily: a process that has just exited may still hold /dev/null for a moment (the kernel releases
                # an exiting process's files after it is gone), and a plain umount then fails with "target is busy".
                umount -l /dev/null
                rm -f /dev/null
                mkdir -p {{ShellQuote(after)}}/sys {{ShellQuote(after)}}/dev {{ShellQuote(after)}}/proc-sys
                cp -a /sys/. {{ShellQuote(after)}}/sys/
                cp -a /dev/. {{ShellQuote(after)}}/dev/
                cp -a /proc/sys/. {{ShellQuote(after)}}/proc-sys/

                """);
        }

        wrapper.Append("exit $status\n");
        var wrapperPath = Path.Combine(run, "run.sh");
        File.WriteAllText(wrapperPath, wrapper.ToString());

        string[] prefix = Sandbox.Value switch
        {
            SandboxMode.UserNamespace => ["unshare", "--user", "--map-root-user", "--mount", "--net", "--fork"],
            SandboxMode.MountNamespace => ["unshare", "--mount", "--net", "--fork"],
            _ => [],
        };
        var (exitCode, stdout, stderr) = ProcessRunner.Run("timeout", ["--kill-after=5", options.TimeoutSeconds.ToString(CultureInfo.InvariantCulture), .. prefix, RealBash.Value, wrapperPath]);

        // timeout(1) exits 124 (or 137 after --kill-after) when it stopped the run: a stub it killed may have left
        // its record half written (a runner waiting in a loop for a socket that never appears, for example).
        var stopped = exitCode is 124 or 137;
        return new ExecutionResult(exitCode, stdout, stderr, ReadInvocations(log, stopped), work, sandboxed ? ReadTree(after) : new Dictionary<string, string>());
    }

    private static void WriteFixture(string fixture, IReadOnlyDictionary<string, string> fakeHost)
    {
        foreach (var root in new[] { "sys", "dev", "proc-sys" })
        {
            Directory.CreateDirectory(Path.Combine(fixture, root));
        }

        foreach (var (path, content) in fakeHost)
        {
            var relative = FixturePath(path);
            var target = Path.Combine(fixture, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            if (content.StartsWith("->", StringComparison.Ordinal))
            {
                File.CreateSymbolicLink(target, content[2..].Trim());
            }
            else if (path.EndsWith('/'))
            {
                Directory.CreateDirectory(target);
            }
            else
            {
                File.WriteAllText(target, content);
            }
        }
    }

    private static string FixturePath(string path)
    {
        foreach (var (root, dir) in new[] { ("/proc/sys/", "proc-sys/"), ("/sys/", "sys/"), ("/dev/", "dev/") })
        {
            if (path.StartsWith(root, StringComparison.Ordinal))
            {
                return dir + path[root.Length..];
            }
        }

        throw new ArgumentException("A fake host path must be under /sys, /dev or /proc/sys: " + path);
    }

    private static Dictionary<string, string> ReadTree(string after)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (dir, root) in new[] { ("sys", "/sys/"), ("dev", "/dev/"), ("proc-sys", "/proc/sys/") })
        {
            var top = Path.Combine(after, dir);
            if (!Directory.Exists(top))
            {
                continue;
            }

            foreach (var file in Directory.EnumerateFileSystemEntries(top, "*", SearchOption.AllDirectories))
            {
                var info = new FileInfo(file);
                var key = root + Path.GetRelativePath(top, file).Replace('\\', '/');
                if (info.LinkTarget is { } link)
                {
                    result[key] = "-> " + link;
                }
                else if (File.Exists(file))
                {
                    result[key] = File.ReadAllText(file);
                }
            }
        }

        return result;
    }

    /// <summary>
    /// The stubs' records in the order they were made. A record cut short is skipped when the run was stopped by its
    /// time limit (<paramref name="stopped"/>), where a killed stub can leave one; otherwise it is an error.
    /// </summary>
    private static List<Invocation> ReadInvocations(string log, bool stopped)
    {
        var invocations = new List<Invocation>();
        foreach (var file in Directory.GetFiles(log).OrderBy(f => Path.GetFileName(f), StringComparer.Ordinal))
        {
            var fields = Encoding.UTF8.GetString(File.ReadAllBytes(file)).Split('\0');
            var count = -1;
            if (fields.Length <= 3 || !int.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out count) || fields.Length <= 3 + count)
            {
                if (stopped)
                {
                    continue;
                }

                throw new InvalidOperationException("A stub's record is incomplete though the run was not stopped: " + file);
            }

            var args = fields.Skip(3).Take(count).ToList();
            var fds = new SortedDictionary<int, string>();
            foreach (var entry in fields.Skip(3 + count).Where(f => f.StartsWith("fd", StringComparison.Ordinal) && f.Contains('=', StringComparison.Ordinal)))
            {
                var eq = entry.IndexOf('=', StringComparison.Ordinal);
                fds[int.Parse(entry[2..eq], CultureInfo.InvariantCulture)] = entry[(eq + 1)..];
            }

            invocations.Add(new Invocation(fields[0], fields[1], args, fds));
        }

        return invocations;
    }

    /// <summary>
    /// What in <paramref name="script"/> (or a shell script it refers to) could reach the machine past the
    /// stubs: redirections into absolute paths, opening devices, changing into absolute directories (bash
    /// does those itself; in a sandbox, /sys, /dev and /proc/sys are fake and allowed), and running a
    /// program by an absolute path outside <paramref name="trusted"/> (the stub root and the judge's
    /// store), such as an extraArgsScript on the host.
    /// </summary>
    /// <summary>
    /// The environment of one run: PATH with the stubs (and, first, this run's recording pass-throughs to the
    /// programs that run for real), the stubs' log and output directories, and the run's own variables.
    /// </summary>
    private List<string> RunEnvironment(string run, string log, string output, ExecutionOptions options)
    {
        var searchPath = Path.Combine(StubRoot, "bin");
        if (options.RealPrograms.Count > 0)
        {
            var real = Path.Combine(run, "real-bin");
            Directory.CreateDirectory(real);
            foreach (var name in options.RealPrograms)
            {
                WriteStub(Path.Combine(real, name), name, passThrough: FindOnPath(name) ?? throw new InvalidOperationException(name + " is not on PATH"));
            }

            searchPath = real + ":" + searchPath;
        }

        var environment = new List<string> { "PATH=" + searchPath, "MICROVM_JUDGE_LOG=" + log, "MICROVM_JUDGE_OUT=" + output };
        environment.AddRange(options.Environment.Select(e => e.Key + "=" + e.Value));
        return environment;
    }

    internal static IEnumerable<string> UnsafeConstructs(NixFile script, bool sandboxed, IReadOnlyList<string> trusted)
    {
        var allowed = sandboxed ? new[] { "/sys/", "/dev/", "/proc/sys/" } : ["/dev/null"];
        bool Allowed(string target) => target == "/dev/null" || allowed.Any(a => target.StartsWith(a, StringComparison.Ordinal));

        foreach (var file in new[] { script }.Concat(script.Descendants()).Where(f => f.Kind is "shellScript" or "script"))
        {
            // A backslash before a line break continues the line: what follows is more words of the same command.
            var text = Blob.Replace(file.RawText, "/nix/store/judge").Replace("\\\n", " ", StringComparison.Ordinal);
            foreach (Match m in Regex.Matches(text, @"(?<![<>&0-9$])[0-9]*(?:>>|<>|>)\s*(?!&)(['""]?)([^\s;|&)]+)"))
            {
                var target = m.Groups[2].Value.Trim('\'', '"');
                if (target.StartsWith('/') ? !Allowed(target) : target.StartsWith('$') && !sandboxed)
                {
                    yield return file.Name + " writes to " + target;
                }
            }

            foreach (Match m in Regex.Matches(text, @"(?m)(?:^|[;&|]\s*)\s*cd\s+(['""]?)(/[^\s;|&]*)"))
            {
                if (!Allowed(m.Groups[2].Value.TrimEnd('\'', '"')))
                {
                    yield return file.Name + " changes into " + m.Groups[2].Value;
                }
            }

            // A command word that is an absolute path: at the start of a line or after ; & | ( ` $( then do
            // else, after `exec [-a name]`, after variable assignments.
            const string Command = @"(?m)(?:^|[;&|(`]|\$\(|\bthen\b|\bdo\b|\belse\b)\s*(?:exec(?:\s+-a\s+(?:""[^""]*""|'[^']*'|\S+))?\s+)?(?:[A-Za-z_][A-Za-z0-9_]*=\S*\s+)*['""]?(/[^\s'"";|&()<>`]+)";
            foreach (Match m in Regex.Matches(Blob.Replace(file.RawText, trusted[^1]).Replace("\\\n", " ", StringComparison.Ordinal), Command))
            {
                if (!trusted.Any(t => m.Groups[1].Value.StartsWith(t, StringComparison.Ordinal)))
                {
                    yield return file.Name + " runs " + m.Groups[1].Value;
                }
            }
        }
    }

    private static SandboxMode ProbeSandbox()
    {
        // MICROVM_JUDGE_NO_SANDBOX=1 runs scripts without namespaces, as on a machine that forbids them.
        if (!OperatingSystem.IsLinux() || FindOnPath("unshare") is null || Environment.GetEnvironmentVariable("MICROVM_JUDGE_NO_SANDBOX") == "1")
        {
            return SandboxMode.None;
        }

        const string Probe = "f=$(mktemp) && trap 'umount \"$f\" 2>/dev/null; rm -f \"$f\"' EXIT && mount --make-rprivate / && mount --bind /dev/null \"$f\""
            + " && mount -t tmpfs p /sys && mount -t tmpfs p /dev && mount -t tmpfs p /proc/sys";
        var candidates = new[]
        {
            (SandboxMode.UserNamespace, new[] { "unshare", "--user", "--map-root-user", "--mount", "--net", "--fork" }),
            (SandboxMode.MountNamespace, new[] { "unshare", "--mount", "--net", "--fork" }),
        };
        foreach (var (mode, prefix) in candidates)
        {
            var (exitCode, _, _) = ProcessRunner.Run("timeout", ["10", .. prefix, RealBash.Value, "-c", Probe]);
            if (exitCode == 0)
            {
                return mode;
            }
        }

        return SandboxMode.None;
    }

    private enum SandboxMode
    {
        None,
        UserNamespace,
        MountNamespace,
    }
}

/// <summary>How <see cref="UpstreamRunner.Execute"/> runs a script.</summary>
internal sealed class ExecutionOptions
{
    /// <summary>Arguments passed to the script.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>
    /// Files of the fake /sys, /dev and /proc/sys (absolute paths under them) and their content; a value
    /// starting with <c>-&gt;</c> makes a symbolic link, a path ending in <c>/</c> a directory. Needs the sandbox.
    /// </summary>
    public IReadOnlyDictionary<string, string> FakeHost { get; init; } = new Dictionary<string, string>();

    /// <summary>What a stub prints, by command name (default: <c>id</c> prints 0, <c>nproc</c> 4).</summary>
    public IReadOnlyDictionary<string, string> StubOutput { get; init; } = new Dictionary<string, string>();

    /// <summary>Further environment variables (the script otherwise gets PATH only).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Programs (bare names) that run for real after recording their call, ahead of the stubs on PATH:
    /// <c>mkdir</c> and <c>ln</c> to run a runner's build script into a temporary <c>$out</c>.
    /// </summary>
    public IReadOnlyList<string> RealPrograms { get; init; } = [];

    /// <summary>
    /// Unix sockets to create in the working directory before the run (relative paths), as a program the script
    /// starts in the background would (crosvm's GPU device, which the graphics start scripts wait for).
    /// </summary>
    public IReadOnlyList<string> Sockets { get; init; } = [];

    /// <summary>An existing working directory to run in (to run scripts one after another); default: a new one.</summary>
    public string? WorkingDirectory { get; init; }

    public int TimeoutSeconds { get; init; } = 60;
}

/// <summary>One call of a stub: the path it was called by, its working directory, its arguments, its open file descriptors 3 to 9.</summary>
internal sealed record Invocation(string Path, string WorkingDirectory, IReadOnlyList<string> Args, IReadOnlyDictionary<int, string> FileDescriptors)
{
    /// <summary>The executable's name: <c>qemu-system-x86_64</c>.</summary>
    public string Program => global::System.IO.Path.GetFileName(Path);

    /// <summary>The stub package it belongs to (<c>qemu_kvm</c>), or null for a bare command from <c>&lt;stub root&gt;/bin</c>.</summary>
    public string? Package => Parts is { Length: 4 } p ? p[1] : null;

    /// <summary>The platform of its package (<c>x86_64-linux</c>), or null for a bare command.</summary>
    public string? System => Parts is { Length: 4 } p ? p[0] : null;

    private string[]? Parts
    {
        get
        {
            var parts = Path.Split('/');
            return parts.Length >= 4 && parts[^2] == "bin" && parts[^4] is "x86_64-linux" or "aarch64-linux" or "aarch64-darwin" ? parts[^4..] : null;
        }
    }

    public override string ToString() => Program + " " + string.Join(" ", Args.Select(a => "«" + a + "»"));
}

/// <summary>What running a script did.</summary>
/// <param name="FakeHost">The fake /sys, /dev and /proc/sys after the run (path to content, "-> target" for links); empty without the sandbox.</param>
internal sealed record ExecutionResult(int ExitCode, string Stdout, string Stderr, IReadOnlyList<Invocation> Invocations, string WorkingDirectory, IReadOnlyDictionary<string, string> FakeHost)
{
    public IReadOnlyList<Invocation> Calls(string program) => [.. Invocations.Where(i => i.Program == program)];

    /// <summary>The one call of <paramref name="program"/>; fails listing every call otherwise.</summary>
    public Invocation Single(string program)
    {
        var calls = Calls(program);
        Assert.That(calls, Has.Count.EqualTo(1), program + " is called once; calls:\n" + this);
        return calls[0];
    }

    public void AssertSucceeded() =>
        Assert.That(ExitCode, Is.EqualTo(0), "exit code; stderr:\n" + Stderr + "\ncalls:\n" + this);

    public override string ToString() => string.Join("\n", Invocations.Select(i => i.ToString()));
}

/// <summary>
/// A file upstream writes (<c>pkgs.writeShellScript</c>, <c>writeText</c>, <c>writers.writeJSON</c>,
/// <c>writers.writePython3</c>), decoded from the judge's blob; <see cref="RawText"/> holds the blobs of
/// the files it refers to, <see cref="Files"/> those files.
/// </summary>
internal sealed record NixFile(string Kind, string Name, string RawText)
{
    /// <summary>The text with every referenced file shown as <c>/nix/store/judge-&lt;name&gt;</c>.</summary>
    public string Text => UpstreamRunner.Blob.Replace(RawText, m => "/nix/store/judge-" + Decode(m.Groups[1].Value).Name);

    /// <summary>The files this one refers to, in order.</summary>
    public IReadOnlyList<NixFile> Files => [.. UpstreamRunner.Blob.Matches(RawText).Select(m => Decode(m.Groups[1].Value))];

    public IEnumerable<NixFile> Descendants() => Files.SelectMany(f => new[] { f }.Concat(f.Descendants()));

    /// <summary>The one file named <paramref name="name"/> this one refers to, directly or not.</summary>
    public NixFile Find(string name) =>
        Descendants().FirstOrDefault(f => f.Name == name)
        ?? throw new AssertionException("No file " + name + " in " + Name + "; it refers to: " + string.Join(", ", Descendants().Select(f => f.Name)));

    /// <summary>Decodes a blob's payload: percent-encoded JSON { kind, name, text }.</summary>
    public static NixFile Decode(string payload)
    {
        var json = new StringBuilder(payload.Length);
        for (var i = 0; i < payload.Length; i++)
        {
            if (payload[i] == '%')
            {
                json.Append((char)Convert.ToInt32(payload.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
            {
                json.Append(payload[i]);
            }
        }

        var o = JsonNode.Parse(json.ToString())!.AsObject();
        return new NixFile((string)o["kind"]!, (string)o["name"]!, (string)o["text"]!);
    }

    public override string ToString() => Kind + " " + Name + ":\n" + Text;
}

/// <summary>One entry of NixOS's <c>fileSystems</c> as upstream's mounts.nix (and the NixOS types) make it.</summary>
internal sealed record JudgedFileSystem(
    string MountPoint,
    string? Device,
    string FsType,
    IReadOnlyList<string> Options,
    IReadOnlyList<string> Depends,
    string? Label,
    bool NeededForBoot,
    bool NoCheck,
    IReadOnlyList<string>? OverlayLowerdir,
    string? OverlayUpperdir,
    string? OverlayWorkdir);

/// <summary>The runner derivation upstream's lib/runner.nix builds: its build script, the scripts it links into bin/, its passthru.</summary>
internal sealed class JudgedRunner
{
    private static readonly Regex BinLink = new(@"ln -s (/microvm-judge@(?:[A-Za-z0-9._/%-]|[^\x00-\x7F])*@) \$out/bin/(\S+)", RegexOptions.CultureInvariant);

    public JudgedRunner(JsonObject runner)
    {
        Name = (string)runner["name"]!;
        BuildScript = new NixFile("runCommand", Name, (string)runner["buildCommand"]!);
        Passthru = runner["passthru"]!.AsObject();
        Scripts = BinLink.Matches(BuildScript.RawText).ToDictionary(
            m => m.Groups[2].Value,
            m => NixFile.Decode(UpstreamRunner.Blob.Match(m.Groups[1].Value).Groups[1].Value),
            StringComparer.Ordinal);
    }

    /// <summary>The derivation's name: <c>microvm-qemu-vm</c>.</summary>
    public string Name { get; }

    /// <summary>The runCommand script that assembles the runner (bin/ links, share/microvm/*).</summary>
    public NixFile BuildScript { get; }

    /// <summary>The runner's bin/ scripts by name: microvm-run, microvm-shutdown, tap-up, virtiofsd-run, …</summary>
    public IReadOnlyDictionary<string, NixFile> Scripts { get; }

    /// <summary>canShutdown, supportsNotifySocket, tapMultiQueue, hypervisor, registerWithMachined, machineId.</summary>
    public JsonObject Passthru { get; }

    public NixFile Script(string name) =>
        Scripts.GetValueOrDefault(name) ?? throw new AssertionException("The runner has no bin/" + name + "; it has: " + string.Join(", ", Scripts.Keys));

    /// <summary>Every file the runner writes: its scripts and everything they refer to.</summary>
    public IEnumerable<NixFile> AllFiles() => Scripts.Values.SelectMany(s => new[] { s }.Concat(s.Descendants()));

    /// <summary>The one file named <paramref name="name"/> among <see cref="AllFiles"/>.</summary>
    public NixFile File(string name) =>
        AllFiles().FirstOrDefault(f => f.Name == name)
        ?? throw new AssertionException("The runner writes no file " + name + "; it writes: " + string.Join(", ", AllFiles().Select(f => f.Name)));
}

/// <summary>
/// One generated module as upstream evaluates it. A field upstream failed to evaluate (a <c>throw</c>)
/// fails the test that reads it, with upstream's message.
/// </summary>
internal sealed class JudgedVm
{
    private readonly UpstreamRunner runner;
    private readonly string list;
    private readonly JsonObject? result;

    public JudgedVm(UpstreamRunner runner, string list, int index, GeneratedFile module, JsonObject? result, IReadOnlyList<string> traces, string? moduleError)
    {
        this.runner = runner;
        this.list = list;
        this.result = result;
        Index = index;
        Module = module;
        TraceWarnings = traces;
        ModuleError = moduleError;
    }

    public int Index { get; }

    /// <summary>The generated module (file name and text).</summary>
    public GeneratedFile Module { get; }

    /// <summary>Nix's error when the module could not be evaluated at all (not even field by field).</summary>
    public string? ModuleError { get; }

    /// <summary>Warnings upstream printed with lib.warn/warnIf while this module was evaluated (runner warnings, volumes.nix label warnings, …).</summary>
    public IReadOnlyList<string> TraceWarnings { get; }

    public string HostName => (string)Field("hostName")!;

    public string Hypervisor => (string)Field("hypervisor")!;

    /// <summary>The messages of NixOS <c>assertions</c> that fail (upstream's asserts.nix, system.nix, the fileSystems checks).</summary>
    public IReadOnlyList<string> FailedAssertions => Strings(Field("failedAssertions"));

    /// <summary>NixOS <c>warnings</c> (asserts.nix).</summary>
    public IReadOnlyList<string> Warnings => Strings(Field("warnings"));

    public IReadOnlyList<string> KernelParams => Strings(Field("kernelParams"));

    /// <summary>microvm.* after upstream's types and defaults: volumes, interfaces, shares, devices, socket, storeOnDisk, vsockCid, …</summary>
    public JsonObject Microvm => Field("microvm")!.AsObject();

    public IReadOnlyDictionary<string, JudgedFileSystem> FileSystems =>
        Field("fileSystems")!.AsObject().ToDictionary(p => p.Key, p => FileSystem(p.Value!.AsObject()), StringComparer.Ordinal);

    /// <summary>microvm.binScripts as the modules define them, before the runner adds its own.</summary>
    public IReadOnlyDictionary<string, NixFile> ModuleBinScripts =>
        Field("moduleBinScripts")!.AsObject().ToDictionary(p => p.Key, p => new NixFile("binScript", p.Key, (string)p.Value!), StringComparer.Ordinal);

    public JudgedRunner Runner => new(Field("runner")!.AsObject());

    /// <summary>The build script of the store disk (store-disk.nix), when the store is on a disk.</summary>
    public NixFile StoreDiskBuildScript => new("runCommand", "microvm-store-disk", (string)Field("storeDiskBuild")!);

    /// <summary>Whether upstream evaluated <paramref name="field"/> (hostName, runner, fileSystems, …) without error.</summary>
    public bool Evaluated(string field) => result?[field]?["ok"]?.GetValue<bool>() == true;

    /// <summary>Upstream's error for <paramref name="field"/> (evaluated again, alone, to get Nix's message).</summary>
    public string Error(string field) =>
        ModuleError ?? (Evaluated(field) ? throw new InvalidOperationException(field + " evaluated without error") : runner.FieldError(list, Index, field));

    public JsonNode? Field(string field)
    {
        if (ModuleError is not null)
        {
            throw new AssertionException(Module.FileName + " could not be evaluated by upstream: " + ModuleError);
        }

        if (!Evaluated(field))
        {
            throw new AssertionException("Upstream could not evaluate " + field + " of " + Module.FileName + ": " + Error(field) + "\n--- module:\n" + Module.Text);
        }

        return result![field]!["value"];
    }

    private static List<string> Strings(JsonNode? node) => [.. node!.AsArray().Select(n => (string)n!)];

    private static List<string>? NullableStrings(JsonNode? node) => node is null ? null : Strings(node);

    private static JudgedFileSystem FileSystem(JsonObject fs) => new(
        (string)fs["mountPoint"]!,
        (string?)fs["device"],
        (string)fs["fsType"]!,
        Strings(fs["options"]),
        Strings(fs["depends"]),
        (string?)fs["label"],
        (bool)fs["neededForBoot"]!,
        (bool)fs["noCheck"]!,
        NullableStrings(fs["overlay"]!["lowerdir"]),
        (string?)fs["overlay"]!["upperdir"],
        (string?)fs["overlay"]!["workdir"]);

    public override string ToString() => Module.FileName;
}
