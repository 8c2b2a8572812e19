using System;
using System.IO;
using System.Linq;
using MicroVm.Nix.Tests.Infrastructure;

namespace MicroVm.Nix.Tests;

/// <summary>
/// The <c>microvm-nix</c> tool as a user runs it (<c>dotnet microvm-nix.dll …</c>): explaining a diagnostic
/// offline, listing a project's VMs with their guest device map, checking its committed modules. The project
/// is a temporary one that uses the in-repo generator the way examples/ does.
/// </summary>
[NonParallelizable]
public class CliTests
{
    private const string Fleet = """
        using MicroVm.Nix;

        namespace Lab;

        public static class Hosts
        {
            [MicroVmModule]
            public static readonly VirtualMachine Db = new()
            {
                HostName = "db",
                Volumes =
                [
                    new() { Image = new Zvol("tank", "db"), Serial = "db", MountPoint = null, Size = 1024, AutoCreate = false },
                    new() { Image = "/var/lib/microvms/db/var.img", MountPoint = "/var", Size = 512, Label = "var" },
                ],
            };

            [MicroVmModule]
            public static readonly VirtualMachine[] Workers = [new() { HostName = "worker-1" }, new() { HostName = "worker-2" }];
        }
        """;

    private string _project = null!;

    [OneTimeSetUp]
    public void CreateProject()
    {
        _project = TempProject.Create("microvm-nix-cli-");
        File.WriteAllText(Path.Combine(_project, "Fleet.cs"), Fleet);
    }

    [OneTimeTearDown]
    public void RemoveProject() => Directory.Delete(_project, recursive: true);

    private static (int ExitCode, string Stdout, string Stderr) Run(string workingDirectory, params string[] args) => CliTool.Run(workingDirectory, args);

    [Test]
    public void The_packed_tool_installs_and_runs_as_the_readme_says()
    {
        // dotnet pack generator/MicroVm.Nix.Cli -o <feed>, then dotnet tool install from that feed: the tool carries what
        // import needs (the generator's schema and Roslyn's types), not only what explain, list and check need.
        var work = Directory.CreateTempSubdirectory("microvm-nix-tool-").FullName;
        var feed = Path.Combine(work, "feed");
        var tools = Path.Combine(work, "tools");
        var (packed, packLog) = Dotnet.Run("pack", Path.Combine(RepoPaths.Root, "generator", "MicroVm.Nix.Cli", "MicroVm.Nix.Cli.csproj"), "PackageOutputPath=" + feed);
        Assert.That(packed, Is.Zero, packLog);
        var install = ProcessRunner.Run("dotnet", ["tool", "install", "--tool-path", tools, "MicroVm.Nix.Tool", "--add-source", feed], work);
        Assert.That(install.ExitCode, Is.Zero, install.Stdout + install.Stderr);

        var tool = Path.Combine(tools, OperatingSystem.IsWindows() ? "microvm-nix.exe" : "microvm-nix");
        var explain = ProcessRunner.Run(tool, ["explain", "MVN101"], work);
        Assert.That(explain.ExitCode, Is.Zero, explain.Stderr);
        Assert.That(explain.Stdout, Does.StartWith("# MVN101"));

        File.WriteAllText(Path.Combine(work, "web.json"), "{ \"microvm\": { \"hypervisor\": \"firecracker\", \"vcpu\": 2 }, \"networking\": { \"hostName\": \"web\" } }");
        var imported = ProcessRunner.Run(tool, ["import", "web.json"], work);
        Assert.That(imported.ExitCode, Is.Zero, imported.Stderr);
        Assert.That(imported.Stdout, Does.Contain("Hypervisor = Hypervisor.Firecracker,").And.Contain("Vcpu = 2,"));
        Directory.Delete(work, recursive: true);
    }

    [TestCase("MVN101")]
    [TestCase("mvn250")]
    [TestCase("MVNB03")]
    public void Explain_prints_the_page_of_a_diagnostic_offline(string id)
    {
        var (exitCode, stdout, stderr) = Run(_project, "explain", id);
        Assert.That(exitCode, Is.Zero, stderr);
        var page = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "diagnostics", id.ToUpperInvariant() + ".md"));
        Assert.That(stdout, Is.EqualTo(page));
    }

    [Test]
    public void Explain_of_an_unknown_id_is_a_usage_error_naming_the_known_ones()
    {
        var (exitCode, _, stderr) = Run(_project, "explain", "MVN999");
        Assert.That(exitCode, Is.EqualTo(2));
        Assert.That(stderr, Does.Contain("no diagnostic 'MVN999'").And.Contain("MVN101").And.Contain("MVNB03"));
    }

    [Test, Order(1)]
    public void List_names_each_vm_its_module_and_member_and_where_its_volumes_appear_in_the_guest()
    {
        var (exitCode, stdout, stderr) = Run(_project, "list");
        Assert.That(exitCode, Is.Zero, stdout + stderr);
        var lines = stdout.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        Assert.That(lines, Does.Contain("db  db.nix  Hosts.Db  (Fleet.cs)"));
        Assert.That(lines, Does.Contain("worker-2  worker-2.nix  Hosts.Workers[1]  (Fleet.cs)"));
        Assert.That(lines, Does.Contain("host module: default.nix"));

        // The device map is the one the generated module states above each volume.
        var db = lines.SkipWhile(l => !l.StartsWith("db ", StringComparison.Ordinal)).Skip(1).TakeWhile(l => l.StartsWith("  ", StringComparison.Ordinal)).ToList();
        var run = GeneratorHarness.Run(Fleet);
        var module = run.Module("db.nix").Text;
        var record = (VirtualMachine)run.Value("Lab.Hosts", "Db")!;
        Assert.That(db, Has.Count.EqualTo(record.Volumes.Count));
        for (var i = 0; i < db.Count; i++)
        {
            var hostPath = record.Volumes[i].Image.HostPath;
            Assert.That(db[i], Does.StartWith("  " + hostPath + " -> /dev/vd"));
            var device = db[i].Split(" -> ")[1].Split(' ')[0];
            Assert.That(module, Does.Contain(device), "the module says where " + hostPath + " appears");
        }

        Assert.That(db[0], Does.EndWith("(stable: /dev/disk/by-id/virtio-db)"));
        Assert.That(db[1], Does.EndWith("(stable: /dev/disk/by-label/var)"));
        Assert.That(Directory.Exists(Path.Combine(_project, "nix")), Is.False, "list writes nothing");
    }

    [Test, Order(2)]
    public void Check_fails_until_the_modules_are_written_and_passes_after()
    {
        var (before, stdout, stderr) = Run(_project, "check");
        Assert.That(before, Is.EqualTo(1), stdout + stderr);
        Assert.That(stderr, Does.Contain("error MVNB03").And.Contain("db.nix is out of date: it is missing"));

        var (built, log) = Dotnet.Run("build", Path.Combine(_project, "Lab.csproj"));
        Assert.That(built, Is.Zero, log);
        var (after, afterOut, afterErr) = Run(_project, "check");
        Assert.That(after, Is.Zero, afterOut + afterErr);
        Assert.That(afterOut, Does.Contain("up to date"));
    }
}
