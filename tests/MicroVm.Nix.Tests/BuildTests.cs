using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using MicroVm.Nix.Tests.Infrastructure;

namespace MicroVm.Nix.Tests;

/// <summary>
/// What a user sees from <c>dotnet build</c> on the command line: diagnostics with file:line:col,
/// check mode for CI, and hand-written files that are never overwritten. The project lives in a
/// temporary folder and uses the in-repo generator the way examples/ does.
/// </summary>
[NonParallelizable]
public class BuildTests
{
    private const string Good = """
        using MicroVm.Nix;

        namespace Lab;

        public static class Fleet
        {
            [MicroVmModule]
            public static readonly VirtualMachine Vm = new()
            {
                HostName = "vm",
                Volumes = [new() { Image = new Zvol("tank", "vm"), Serial = "vm", MountPoint = null, Size = 1024, AutoCreate = false }],
            };
        }
        """;

    private string _project = null!;

    private string Nix => Path.Combine(_project, "nix");

    [OneTimeSetUp]
    public void CreateProject()
    {
        _project = TempProject.Create("microvm-nix-build-");
    }

    [OneTimeTearDown]
    public void RemoveProject() => Directory.Delete(_project, recursive: true);

    private (int ExitCode, string Output) Build(string fleet, params string[] properties)
    {
        File.WriteAllText(Path.Combine(_project, "Fleet.cs"), fleet);
        return Dotnet.Run("build", Path.Combine(_project, "Lab.csproj"), properties);
    }

    [Test, Order(1)]
    public void A_broken_config_fails_the_build_with_file_line_column_and_the_fix()
    {
        var broken = Good.Replace(", AutoCreate = false }", " }", StringComparison.Ordinal);
        var sarif = Path.Combine(_project, "build.sarif");
        var (exitCode, output) = Build(broken, "ErrorLog=" + sarif + "%2Cversion=2.1");

        Assert.That(exitCode, Is.Not.Zero);
        var line = broken.Split('\n').Select((text, i) => (text, i)).Single(l => l.text.Contains("new Zvol", StringComparison.Ordinal));
        var column = line.text.IndexOf("new Zvol", StringComparison.Ordinal) + 1;
        Assert.That(output, Does.Contain($"Fleet.cs({line.i + 1},{column}): error MVN101: Block device '/dev/zvol/tank/vm' must not have AutoCreate enabled")
            .And.Contain("Set 'AutoCreate = false'."));
        Assert.That(File.Exists(Path.Combine(Nix, "vm.nix")), Is.False, "nothing is written for a broken VM");

        // The SARIF log carries the page's why and how to fix as the rule's description.
        var rules = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(sarif))!["runs"]![0]!["tool"]!["driver"]!["rules"]!.AsArray();
        var rule = rules.Single(r => (string?)r!["id"] == "MVN101")!;
        Assert.That((string?)rule["fullDescription"]!["text"], Does.StartWith("Why: With `autoCreate = true`").And.Contain("How to fix: Set `AutoCreate = false` on every block device"));
    }

    [Test, Order(6)]
    public void An_import_that_names_no_file_is_an_error_at_the_import_until_the_file_exists()
    {
        Directory.CreateDirectory(Nix);
        File.WriteAllText(Path.Combine(Nix, "common.nix"), "{ }\n");
        var shared = Path.Combine(_project, "shared");
        if (Directory.Exists(shared))
        {
            Directory.Delete(shared, recursive: true);
        }

        var fleet = Good.Replace("HostName = \"vm\",", "HostName = \"vm\", Imports = [\"./common.nix\", \"../shared/hardening.nix\", \"../shared\"],", StringComparison.Ordinal);
        var (exitCode, output) = Build(fleet);
        Assert.That(exitCode, Is.Not.Zero, output);
        var line = fleet.Split('\n').Select((text, i) => (text, i)).Single(l => l.text.Contains("Imports", StringComparison.Ordinal));
        var column = line.text.IndexOf("\"../shared/hardening.nix\"", StringComparison.Ordinal) + 1;
        Assert.That(output, Does.Contain($"Fleet.cs({line.i + 1},{column}): error MVN252: Import '../shared/hardening.nix' names no file")
            .And.Contain("'" + Path.Combine(_project, "shared", "hardening.nix") + "'"));
        Assert.That(output, Does.Contain("error MVN252: Import '../shared' names no file"), "a folder without default.nix");
        Assert.That(output, Does.Not.Contain("Import './common.nix'"), "an existing hand-written module is fine");

        // The files appear: a module and a folder with a default.nix.
        Directory.CreateDirectory(shared);
        File.WriteAllText(Path.Combine(shared, "hardening.nix"), "{ }\n");
        File.WriteAllText(Path.Combine(shared, "default.nix"), "{ }\n");
        var (fixedCode, fixedOutput) = Build(fleet);
        Assert.That(fixedCode, Is.Zero, fixedOutput);
        Assert.That(fixedOutput, Does.Not.Contain("MVN252"));
        File.Delete(Path.Combine(Nix, "common.nix"));
        Directory.Delete(shared, recursive: true);
    }

    [Test, Order(7)]
    public void Writing_the_modules_does_not_make_the_next_build_compile_again()
    {
        // A hand-written module whose name has the characters that end an .editorconfig value or separate
        // the list of files the analyzer sees: it must not cut the list short.
        Directory.CreateDirectory(Nix);
        File.WriteAllText(Path.Combine(Nix, "a;b#c|d%e.nix"), "{ }\n");
        File.WriteAllText(Path.Combine(Nix, "common.nix"), "{ }\n");
        var fleet = Good.Replace("HostName = \"vm\",", "HostName = \"vm\", Imports = [\"./common.nix\"], Vcpu = 3,", StringComparison.Ordinal);
        var first = Build(fleet);
        Assert.That(first.ExitCode, Is.Zero, first.Output);
        Assert.That(first.Output, Does.Not.Contain("MVN252"), "every file of the folder is seen");
        Assert.That(File.ReadAllText(Path.Combine(Nix, "vm.nix")), Does.Contain("vcpu = 3;"));

        // The set of .nix files is a compile input (the analyzer checks imports against it): when the first build
        // created vm.nix, the next one compiles again, once. Then a build after a module was written (here, updated)
        // does not compile: the compiler's output is not touched.
        if (first.Output.Contains("MicroVm.Nix: created ", StringComparison.Ordinal))
        {
            Assert.That(Dotnet.Run("build", Path.Combine(_project, "Lab.csproj")).ExitCode, Is.Zero);
            Assert.That(Build(Good).ExitCode, Is.Zero);
            Assert.That(Build(fleet).Output, Does.Contain("MicroVm.Nix: updated "));
        }

        var assembly = Directory.GetFiles(Path.Combine(_project, "obj"), "Lab.dll", SearchOption.AllDirectories)
            .Single(f => Path.GetFileName(Path.GetDirectoryName(f)) is not ("ref" or "refint"));
        var compiled = File.GetLastWriteTimeUtc(assembly);
        var again = Dotnet.Run("build", Path.Combine(_project, "Lab.csproj"));
        Assert.That(again.ExitCode, Is.Zero, again.Output);
        Assert.That(File.GetLastWriteTimeUtc(assembly), Is.EqualTo(compiled), "the second build compiled again:\n" + again.Output);
        Assert.That(again.Output, Does.Match(@"MicroVm\.Nix: .*: 0 created, 0 updated, 0 removed, [1-9][0-9]* unchanged\."));

        // A build that compiles nothing still puts back a module edited or removed by hand, and removes one
        // no VM produces (the build skips reading the modules only while the folder is as it left it).
        var module = Path.Combine(Nix, "vm.nix");
        var written = File.ReadAllText(module);
        File.WriteAllText(module, written.Replace("vcpu = 3;", "vcpu = 4;", StringComparison.Ordinal));
        var restored = Dotnet.Run("build", Path.Combine(_project, "Lab.csproj"));
        Assert.That(restored.Output, Does.Contain("MicroVm.Nix: updated " + module));
        Assert.That(File.ReadAllText(module), Is.EqualTo(written));
        Assert.That(File.GetLastWriteTimeUtc(assembly), Is.EqualTo(compiled), "the build that put the module back did not compile");

        // Files removed and added change the list of .nix files the analyzer sees, so this build compiles.
        File.Delete(module);
        File.WriteAllText(Path.Combine(Nix, "old.nix"), "# Generated by MicroVm.Nix.Generator from Old.cs (Old.Vm).\n{ }\n");
        var recreated = Dotnet.Run("build", Path.Combine(_project, "Lab.csproj"));
        Assert.That(recreated.Output, Does.Contain("MicroVm.Nix: created " + module).And.Contain("MicroVm.Nix: removed " + Path.Combine(Nix, "old.nix")));
        Assert.That(File.ReadAllText(module), Is.EqualTo(written));
        File.Delete(Path.Combine(Nix, "a;b#c|d%e.nix"));
        File.Delete(Path.Combine(Nix, "common.nix"));
    }

    [Test, Order(8)]
    public void A_second_project_is_refused_the_folder_of_the_first_and_removes_nothing()
    {
        var first = Build(Good);
        Assert.That(first.ExitCode, Is.Zero, first.Output);
        var owner = File.ReadAllText(Path.Combine(Nix, ".microvm-nix"));
        Assert.That(owner, Does.Contain("project = ../Lab.csproj"), "the owner is named relative to the folder: the file reads the same on every machine");

        var other = TempProject.Create("microvm-nix-other-");
        try
        {
            File.WriteAllText(Path.Combine(other, "Fleet.cs"), Good.Replace("\"vm\"", "\"other\"", StringComparison.Ordinal));
            var refused = Dotnet.Run("build", Path.Combine(other, "Lab.csproj"), "MicroVmNixOutputDir=" + Nix);
            Assert.That(refused.ExitCode, Is.Not.Zero, refused.Output);
            Assert.That(refused.Output, Does.Contain("error MVNB04: MicroVm.Nix: '" + Nix + "' holds the modules of '" + Path.Combine(_project, "Lab.csproj") + "', not of '" + Path.Combine(other, "Lab.csproj") + "'"));
            Assert.That(File.Exists(Path.Combine(Nix, "vm.nix")), Is.True, "the first project's module is not removed");
            Assert.That(File.Exists(Path.Combine(Nix, "other.nix")), Is.False, "nothing is written");
            Assert.That(Dotnet.Run("build", Path.Combine(other, "Lab.csproj"), "MicroVmNixOutputDir=" + Nix, "MicroVmNixCheck=true").Output, Does.Contain("error MVNB04"), "check mode says so too");

            // The first project still builds; its own folder stays its own.
            Assert.That(Build(Good).ExitCode, Is.Zero);

            // A folder whose owner is gone (the project was moved) is taken over.
            File.WriteAllText(Path.Combine(Nix, ".microvm-nix"), owner.Replace("../Lab.csproj", "../Moved.csproj", StringComparison.Ordinal));
            var taken = Dotnet.Run("build", Path.Combine(other, "Lab.csproj"), "MicroVmNixOutputDir=" + Nix);
            Assert.That(taken.ExitCode, Is.Zero, taken.Output);
            Assert.That(File.Exists(Path.Combine(Nix, "other.nix")), Is.True);
            Assert.That(File.ReadAllText(Path.Combine(Nix, ".microvm-nix")), Does.Contain("project = " + Path.GetRelativePath(Nix, Path.Combine(other, "Lab.csproj")).Replace('\\', '/')));
        }
        finally
        {
            Directory.Delete(other, recursive: true);
            File.Delete(Path.Combine(Nix, ".microvm-nix"));
            Assert.That(Build(Good).ExitCode, Is.Zero, "the first project takes its folder back");
        }
    }

    [Test, Order(2)]
    public void Check_mode_fails_and_lists_out_of_date_files_then_passes_once_they_are_written()
    {
        var write = Build(Good);
        Assert.That(write.ExitCode, Is.Zero, write.Output);
        Assert.That(File.ReadAllText(Path.Combine(Nix, "vm.nix")), Does.StartWith("# Generated by MicroVm.Nix.Generator"));

        // Someone edits a generated file by hand, and an old VM's module is still lying around.
        File.AppendAllText(Path.Combine(Nix, "vm.nix"), "# edited\n");
        File.WriteAllText(Path.Combine(Nix, "gone.nix"), "# Generated by MicroVm.Nix.Generator from Old.cs (Old.Vm).\n{ }\n");

        var check = Build(Good, "MicroVmNixCheck=true");
        Assert.That(check.ExitCode, Is.Not.Zero);
        var lines = File.ReadAllLines(Path.Combine(Nix, "vm.nix"));
        Assert.That(check.Output, Does.Contain(Path.Combine(Nix, "vm.nix") + "(" + lines.Length + "): error MVNB03: MicroVm.Nix: the module vm.nix is out of date: it differs from what the build generates")
            .And.Contain("  - # edited"), "attributed to the module's first differing line, with what differs");
        Assert.That(check.Output, Does.Contain(Path.Combine(Nix, "gone.nix") + " : error MVNB03: MicroVm.Nix: the module gone.nix is out of date: it is no longer generated"));
        Assert.That(File.ReadAllText(Path.Combine(Nix, "vm.nix")), Does.EndWith("# edited\n"), "check mode changes nothing");

        var fix = Build(Good);
        Assert.That(fix.ExitCode, Is.Zero, fix.Output);
        Assert.That(File.Exists(Path.Combine(Nix, "gone.nix")), Is.False, "a module no VM produces is removed");
        Assert.That(fix.Output, Does.Contain("MicroVm.Nix: updated " + Path.Combine(Nix, "vm.nix")).And.Match(@"MicroVm\.Nix: .*: 0 created, 1 updated, 1 removed, [0-9]+ unchanged\."), "the build says what it did");
        var again = Build(Good);
        Assert.That(again.Output, Does.Match(@"MicroVm\.Nix: .*: 0 created, 0 updated, 0 removed, [1-9][0-9]* unchanged\."), "a no-op build says so too");
        var recheck = Build(Good, "MicroVmNixCheck=true");
        Assert.That(recheck.ExitCode, Is.Zero, recheck.Output);
        Assert.That(recheck.Output, Does.Contain("up to date"));
    }

    [Test, Order(2)]
    public void Placing_vms_on_hosts_moves_their_modules_into_host_folders_and_back()
    {
        static string Placed(string host) => Good.Replace("HostName = \"vm\",", "HostName = \"vm\",\n            Host = new() { Name = \"" + host + "\", Pools = [\"tank\"] },", StringComparison.Ordinal);

        var placed = Build(Placed("alpha"));
        Assert.That(placed.ExitCode, Is.Zero, placed.Output);
        Assert.That(Directory.GetFiles(Nix, "*.nix", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(Nix, f).Replace('\\', '/')).Order(),
            Is.EqualTo(new[] { "alpha/default.nix", "alpha/vm.nix", "fleet.nix" }), "the single-host modules are gone, the host's folder and fleet.nix are there");

        // Check mode names a module in a host's folder by its path in the output folder.
        File.AppendAllText(Path.Combine(Nix, "alpha", "vm.nix"), "# edited\n");
        var check = Build(Placed("alpha"), "MicroVmNixCheck=true");
        Assert.That(check.ExitCode, Is.Not.Zero);
        Assert.That(check.Output, Does.Contain("error MVNB03: MicroVm.Nix: the module alpha/vm.nix is out of date"));

        // Moved to another host: the old host's folder goes, a hand-written file keeps its folder.
        File.WriteAllText(Path.Combine(Nix, "alpha", "hardware.nix"), "{ }\n");
        var moved = Build(Placed("beta"));
        Assert.That(moved.ExitCode, Is.Zero, moved.Output);
        Assert.That(File.Exists(Path.Combine(Nix, "beta", "vm.nix")), Is.True);
        Assert.That(Directory.GetFiles(Path.Combine(Nix, "alpha")).Select(Path.GetFileName), Is.EqualTo(new[] { "hardware.nix" }), "only the hand-written file is left of alpha");
        File.Delete(Path.Combine(Nix, "alpha", "hardware.nix"));

        var back = Build(Good);
        Assert.That(back.ExitCode, Is.Zero, back.Output);
        Assert.That(Directory.GetFiles(Nix, "*.nix", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(Nix, f).Replace('\\', '/')).Order(),
            Is.EqualTo(new[] { "default.nix", "vm.nix" }), "without hosts: one folder again");
        Assert.That(Directory.Exists(Path.Combine(Nix, "beta")), Is.False);
    }

    [Test, Order(3)]
    public void A_hand_written_file_in_the_way_stops_the_build_and_survives()
    {
        Directory.CreateDirectory(Nix);
        var mine = Path.Combine(Nix, "vm.nix");
        File.WriteAllText(mine, "# my own module\n{ }\n");

        var (exitCode, output) = Build(Good);

        Assert.That(exitCode, Is.Not.Zero);
        Assert.That(Regex.IsMatch(output, @"vm\.nix.*error MVNB01: MicroVm\.Nix: .*was not written by MicroVm\.Nix"), Is.True, output);
        Assert.That(File.ReadAllText(mine), Is.EqualTo("# my own module\n{ }\n"));
        File.Delete(mine);
    }

    [Test, Order(4)]
    public void A_suppressed_error_keeps_the_folder_as_it_is_and_says_why()
    {
        var good = Build(Good);
        Assert.That(good.ExitCode, Is.Zero, good.Output);
        var before = Directory.GetFiles(Nix).ToDictionary(f => f, File.ReadAllText);

        var editorconfig = Path.Combine(_project, ".editorconfig");
        File.WriteAllText(editorconfig, "root = true\n\n[*.cs]\ndotnet_diagnostic.MVN101.severity = none\n");
        try
        {
            var (exitCode, output) = Build(Good.Replace(", AutoCreate = false }", " }", StringComparison.Ordinal));
            Assert.That(exitCode, Is.Not.Zero, "the module cannot be generated, so the build cannot succeed");
            Assert.That(output, Does.Contain("error MVNB02").And.Contain("Fleet.Vm: Block device '/dev/zvol/tank/vm' must not have AutoCreate enabled"));
            Assert.That(Directory.GetFiles(Nix).ToDictionary(f => f, File.ReadAllText), Is.EqualTo(before), "vm.nix and default.nix are kept as they were");
        }
        finally
        {
            File.Delete(editorconfig);
        }
    }

    [Test, Order(5)]
    public void The_compiler_servers_next_build_writes_the_edit_without_a_warning()
    {
        // The SDK's default: csc runs in a compiler server that outlives the build, so the second
        // build's compilation meets what the first left behind. A server of this test's own, stopped after.
        var id = "microvm-nix-test-" + Guid.NewGuid().ToString("N");
        string[] server = ["UseSharedCompilation=true", "SharedCompilationId=" + id];
        try
        {
            var first = Build(Good, server);
            Assert.That(first.ExitCode, Is.Zero, first.Output);

            var (exitCode, output) = Build(Good.Replace("HostName = \"vm\",", "HostName = \"vm\", Mem = 1536,", StringComparison.Ordinal), server);
            Assert.That(exitCode, Is.Zero, output);
            Assert.That(output, Does.Not.Contain("CS8785").And.Not.Contain("AD0001").And.Not.Contain("did not run"), "neither the generator nor the analyzer failed");
            Assert.That(File.ReadAllText(Path.Combine(Nix, "vm.nix")), Does.Contain("mem = 1536;"), "the edit reached the module");
        }
        finally
        {
            foreach (var process in Directory.GetDirectories("/proc").Where(d => File.Exists(Path.Combine(d, "cmdline"))))
            {
                try
                {
                    if (File.ReadAllText(Path.Combine(process, "cmdline")).Contains(id, StringComparison.Ordinal))
                    {
                        System.Diagnostics.Process.GetProcessById(int.Parse(Path.GetFileName(process), System.Globalization.CultureInfo.InvariantCulture)).Kill();
                    }
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException or FormatException)
                {
                    // gone already, or not a process
                }
            }
        }
    }
}
