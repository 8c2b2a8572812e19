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
