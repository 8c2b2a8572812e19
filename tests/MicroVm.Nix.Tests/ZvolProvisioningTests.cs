using System.IO;
using System.Linq;
using MicroVm.Nix.Tests.Infrastructure;

namespace MicroVm.Nix.Tests;

/// <summary>
/// Zvol.Create: the host module's oneshot service, evaluated by Nix, and its script run against a
/// fake <c>zfs</c> on PATH: a missing zvol is created once, an existing one is left alone, and a
/// differing size or block size stops the VM with a clear message.
/// </summary>
[NonParallelizable]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class ZvolProvisioningTests
{
    private const string Fleet = """
        using MicroVm.Nix;

        public static class Fleet
        {
            [MicroVmModule]
            public static readonly VirtualMachine Db = new()
            {
                HostName = "db",
                Volumes =
                [
                    new()
                    {
                        Image = new Zvol("tank", "vms/db")
                        {
                            Create = new()
                            {
                                VolSize = DataSize.GiB(1),
                                VolBlockSize = DataSize.KiB(16),
                                Compression = "lz4",
                                Sync = ZfsSync.Standard,
                                LogBias = ZfsLogBias.Throughput,
                                PrimaryCache = ZfsCache.Metadata,
                                Sparse = true,
                            },
                        },
                        Serial = "db",
                        MountPoint = null,
                        Size = 1024,
                        AutoCreate = false,
                    },
                ],
            };
        }
        """;

    /// <summary>A stand-in for zfs: state in files under $ZFS_STATE, every create logged to $ZFS_STATE/calls.</summary>
    private const string FakeZfs = """
        #!/usr/bin/env bash
        set -eu
        key() { printf '%s' "$1" | tr / %; }
        if [ "$1" = get ]; then
          prop="${@: -2:1}"; name="${@: -1}"
          file="$ZFS_STATE/$(key "$name").$prop"
          # $ZFS_STATE/hide-once: the first lookup misses a zvol another service is creating right now.
          if [ -e "$ZFS_STATE/hide-once" ]; then rm "$ZFS_STATE/hide-once"; echo "cannot open '$name': dataset does not exist" >&2; exit 1; fi
          if [ -e "$file" ]; then cat "$file"; else echo "cannot open '$name': dataset does not exist" >&2; exit 1; fi
        elif [ "$1" = create ]; then
          echo "zfs $*" >> "$ZFS_STATE/calls"
          name="${@: -1}"; size=""; block=16384
          if [ -e "$ZFS_STATE/$(key "$name").type" ]; then echo "cannot create '$name': dataset already exists" >&2; exit 1; fi
          while [ $# -gt 0 ]; do case "$1" in -V) size="$2"; shift;; -b) block="$2"; shift;; esac; shift; done
          k=$(key "$name"); echo volume > "$ZFS_STATE/$k.type"; echo "$size" > "$ZFS_STATE/$k.volsize"; echo "$block" > "$ZFS_STATE/$k.volblocksize"
        else
          echo "unexpected: zfs $*" >&2; exit 2
        fi
        """;

    private string _dir = null!;
    private string _state = null!;
    private string _script = null!;

    [SetUp]
    public void Render()
    {
        _dir = Directory.CreateTempSubdirectory("microvm-nix-zvol-").FullName;
        _state = Directory.CreateDirectory(Path.Combine(_dir, "state")).FullName;
        var bin = Directory.CreateDirectory(Path.Combine(_dir, "bin")).FullName;
        File.WriteAllText(Path.Combine(bin, "zfs"), FakeZfs.Replace("\r\n", "\n", System.StringComparison.Ordinal) + "\n");
        File.SetUnixFileMode(Path.Combine(bin, "zfs"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var run = GeneratorHarness.Run(Fleet);
        Golden.AssertMatches("host-zvol-provisioning.nix", run.Module("default.nix").Text);
        var host = HostModule.Evaluate(run, _dir);
        var service = host["systemd"]!["services"]!["microvm-zvols-db"]!;
        Assert.That(service["requiredBy"]!.AsArray().Select(n => (string?)n), Is.EqualTo(new[] { "microvm@db.service" }));
        Assert.That(service["before"]!.AsArray().Select(n => (string?)n), Is.EqualTo(new[] { "microvm@db.service" }));
        Assert.That((string?)service["serviceConfig"]!["Type"], Is.EqualTo("oneshot"));
        Assert.That(service["path"]!.AsArray().Select(n => (string?)n), Is.EqualTo(new[] { "/zfs" }));
        _script = (string)service["script"]!;
    }

    [TearDown]
    public void Remove() => Directory.Delete(_dir, recursive: true);

    private (int ExitCode, string Output) RunScript()
    {
        var (exitCode, stdout, stderr) = ProcessRunner.Run("env",
            ["PATH=" + Path.Combine(_dir, "bin") + ":/usr/bin:/bin", "ZFS_STATE=" + _state, "bash", "-e", "-c", _script]);
        return (exitCode, stdout + stderr);
    }

    private string[] Calls() => File.Exists(Path.Combine(_state, "calls")) ? File.ReadAllLines(Path.Combine(_state, "calls")) : [];

    [Test]
    public void Missing_zvol_is_created_once_and_then_left_alone()
    {
        var first = RunScript();
        Assert.That(first.ExitCode, Is.Zero, first.Output);
        Assert.That(Calls(), Is.EqualTo(new[]
        {
            "zfs create -s -V 1073741824 -b 16384 -o compression=lz4 -o sync=standard -o logbias=throughput -o primarycache=metadata tank/vms/db",
        }));
        Assert.That(first.Output, Does.Contain("created zvol tank/vms/db"));

        var second = RunScript();
        Assert.That(second.ExitCode, Is.Zero, second.Output);
        Assert.That(Calls(), Has.Length.EqualTo(1), "an existing zvol is not created again");
    }

    [Test]
    public void Existing_zvol_with_another_size_stops_the_vm_with_a_clear_message()
    {
        RunScript();
        File.WriteAllText(Path.Combine(_state, "tank%vms%db.volsize"), "536870912\n");
        var result = RunScript();
        Assert.That(result.ExitCode, Is.Not.Zero);
        Assert.That(result.Output, Does.Contain("zvol tank/vms/db of db has volsize 536870912 bytes, but the C# record says 1073741824")
            .And.Contain("never resizes"));
        Assert.That(Calls(), Has.Length.EqualTo(1), "nothing is created or changed");
    }

    [Test]
    public void Existing_zvol_with_another_block_size_stops_the_vm()
    {
        RunScript();
        File.WriteAllText(Path.Combine(_state, "tank%vms%db.volblocksize"), "8192\n");
        var result = RunScript();
        Assert.That(result.ExitCode, Is.Not.Zero);
        Assert.That(result.Output, Does.Contain("has volblocksize 8192 bytes, but the C# record says 16384").And.Contain("fixes volblocksize"));
    }

    [Test]
    public void A_zvol_another_vms_service_creates_at_the_same_moment_is_accepted()
    {
        RunScript();
        File.WriteAllText(Path.Combine(_state, "hide-once"), string.Empty);
        var result = RunScript();
        Assert.That(result.ExitCode, Is.Zero, result.Output);
        Assert.That(Calls(), Has.Length.EqualTo(2), "the second create was tried and failed, as it does when another service won the race");
        Assert.That(result.Output, Does.Contain("dataset already exists").And.Not.Contain("created zvol"));
    }

    [Test]
    public void A_filesystem_where_the_zvol_belongs_stops_the_vm()
    {
        File.WriteAllText(Path.Combine(_state, "tank%vms%db.type"), "filesystem\n");
        var result = RunScript();
        Assert.That(result.ExitCode, Is.Not.Zero);
        Assert.That(result.Output, Does.Contain("tank/vms/db exists but is a filesystem, not a volume"));
        Assert.That(Calls(), Is.Empty);
    }
}
