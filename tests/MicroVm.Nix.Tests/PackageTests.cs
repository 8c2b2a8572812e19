using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using MicroVm.Nix.Tests.Infrastructure;

namespace MicroVm.Nix.Tests;

/// <summary>
/// The packages as a new user meets them: MicroVm.Nix from a local folder feed in a brand-new project
/// outside the repository (no project references), and the 'dotnet new microvm-nix' template.
/// NuGet's global packages folder is a temporary one, so nothing cached elsewhere is used.
/// </summary>
[NonParallelizable]
public class PackageTests
{
    private string _root = null!;

    private string Feed => Path.Combine(_root, "feed");

    [OneTimeSetUp]
    public void Pack()
    {
        _root = Directory.CreateTempSubdirectory("microvm-nix-package-").FullName;
        foreach (var project in new[] { "runtime/MicroVm.Nix/MicroVm.Nix.csproj", "templates/dotnet/MicroVm.Nix.Templates.csproj" })
        {
            var (exitCode, log) = Dotnet.Run("pack", Path.Combine(RepoPaths.Root, project), "PackageOutputPath=" + Feed);
            Assert.That(exitCode, Is.Zero, "dotnet pack " + project + ":\n" + log);
        }

        File.WriteAllText(Path.Combine(_root, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{Feed}" />
              </packageSources>
            </configuration>
            """);
    }

    [OneTimeTearDown]
    public void Remove() => Directory.Delete(_root, recursive: true);

    private (int ExitCode, string Output) Build(string project, params string[] properties) => Run("build", project, properties);

    private (int ExitCode, string Output) Run(string verb, string project, params string[] properties)
    {
        return Dotnet.Run(verb, project,
            ["RestorePackagesPath=" + Path.Combine(_root, "packages"), "RestoreConfigFile=" + Path.Combine(_root, "nuget.config"), .. properties]);
    }

    [TestCase("default")]
    [TestCase("zvol")]
    [TestCase("fleet")]
    public void Flake_templates_commit_exactly_the_modules_their_csharp_project_writes(string template)
    {
        var vms = Path.Combine(RepoPaths.Root, "templates", "flake", template, "vms");
        var fresh = Directory.CreateDirectory(Path.Combine(_root, "flake-" + template)).FullName;
        var (exitCode, output) = Build(vms, "MicroVmNixOutputDir=" + fresh);
        Assert.That(exitCode, Is.Zero, output);

        var committed = Path.Combine(vms, "nix");
        GeneratedFolder.AssertSame(fresh, committed, "Vms.csproj", "templates/flake/" + template + "/vms/nix differs from a fresh build");
        foreach (var file in Directory.GetFiles(fresh, "*.nix", SearchOption.AllDirectories))
        {
            NixEvaluator.Parse(file);
        }

        // A fleet has a host module per host's folder; a single host one for the folder.
        var hosts = File.Exists(Path.Combine(committed, "fleet.nix")) ? Directory.GetDirectories(committed) : [committed];
        Assert.That(hosts, Is.Not.Empty);
        foreach (var folder in hosts)
        {
            var host = HostModuleFile(folder);
            Assert.That(host["microvm"]!["vms"]!.AsObject(), Is.Not.Empty, folder);
        }
    }

    [Test]
    public void The_package_holds_the_runtime_the_generator_with_scriban_the_code_fixes_the_targets_and_the_task()
    {
        using var package = ZipFile.OpenRead(Directory.GetFiles(Feed, "MicroVm.Nix.0*.nupkg").Single());
        Assert.That(package.Entries.Select(e => e.FullName), Is.SupersetOf(new[]
        {
            "lib/netstandard2.0/MicroVm.Nix.dll",
            "lib/netstandard2.0/MicroVm.Nix.xml",
            "analyzers/dotnet/cs/MicroVm.Nix.Generator.dll",
            "analyzers/dotnet/cs/Scriban.Signed.dll",
            "analyzers/dotnet/cs/MicroVm.Nix.CodeFixes.dll",
            "buildTransitive/MicroVm.Nix.targets",
            "tasks/netstandard2.0/MicroVm.Nix.Build.dll",
            "README.md",
            "icon.png",
            "docs/diagnostics/README.md",
            "docs/diagnostics/MVN101.md",
            "docs/diagnostics/MVNB03.md",
        }));
        using var nuspec = new StreamReader(package.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open());
        var manifest = nuspec.ReadToEnd();
        Assert.That(manifest, Does.Not.Contain("<dependency "), "users get one package, with nothing else to restore");
        Assert.That(manifest, Does.Contain("<license type=\"expression\">MIT</license>").And.Contain("<icon>icon.png</icon>").And.Contain("<readme>README.md</readme>").And.Contain("<tags>"));
    }

    [Test]
    public void The_template_package_has_a_readme_an_icon_and_a_licence()
    {
        using var package = ZipFile.OpenRead(Directory.GetFiles(Feed, "MicroVm.Nix.Templates.*.nupkg").Single());
        Assert.That(package.Entries.Select(e => e.FullName), Is.SupersetOf(new[] { "README.md", "icon.png" }));
        using var nuspec = new StreamReader(package.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open());
        Assert.That(nuspec.ReadToEnd(), Does.Contain("<license type=\"expression\">MIT</license>").And.Contain("<icon>icon.png</icon>").And.Contain("<readme>README.md</readme>"));
    }

    [Test]
    public void A_brand_new_project_with_one_package_reference_writes_its_modules()
    {
        var project = Directory.CreateDirectory(Path.Combine(_root, "consumer")).FullName;
        File.WriteAllText(Path.Combine(project, "Consumer.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="MicroVm.Nix" Version="0.1.0" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(project, "Vms.cs"), """
            using MicroVm.Nix;

            public static class Vms
            {
                [MicroVmModule]
                public static readonly VirtualMachine Db = new()
                {
                    HostName = "db",
                    Mem = 4096,
                    Volumes = [new() { Image = new Zvol("tank", "db"), Serial = "db", MountPoint = null, Size = 8192, AutoCreate = false }],
                };
            }
            """);

        var (exitCode, output) = Build(project);
        Assert.That(exitCode, Is.Zero, output);
        Assert.That(Directory.GetFiles(Path.Combine(project, "nix")).Select(Path.GetFileName), Is.EquivalentTo(new[] { "db.nix", "default.nix", ".microvm-nix" }));

        var db = NixEvaluator.ParseAndEval(File.ReadAllText(Path.Combine(project, "nix", "db.nix")))!;
        Assert.That((string?)db["networking"]!["hostName"], Is.EqualTo("db"));
        Assert.That((int?)db["microvm"]!["mem"], Is.EqualTo(4096));
        Assert.That((string?)db["microvm"]!["volumes"]![0]!["image"], Is.EqualTo("/dev/zvol/tank/db"));
        var host = HostModuleFile(Path.Combine(project, "nix"));
        Assert.That((string?)host["microvm"]!["vms"]!["db"]!["config"], Does.EndWith("/db.nix"));
    }

    [Test]
    public void Dotnet_format_fixes_every_occurrence_of_a_diagnostic_in_one_run()
    {
        var project = Directory.CreateDirectory(Path.Combine(_root, "format")).FullName;
        File.WriteAllText(Path.Combine(project, "Format.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <RestorePackagesPath>{Path.Combine(_root, "packages")}</RestorePackagesPath>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="MicroVm.Nix" Version="0.1.0" />
              </ItemGroup>
            </Project>
            """);
        var vms = Path.Combine(project, "Vms.cs");
        File.WriteAllText(vms, """
            using MicroVm.Nix;

            public static class Vms
            {
                [MicroVmModule]
                public static readonly VirtualMachine Web = new()
                {
                    HostName = "web",
                    Volumes =
                    [
                        new() { Image = "data.img", MountPoint = "data", Size = 64 },
                        new() { Image = "logs.img", MountPoint = "var/log", Size = 64 },
                    ],
                };

                [MicroVmModule]
                public static readonly VirtualMachine Db = new()
                {
                    HostName = "db",
                    Volumes = [new() { Image = "db.img", MountPoint = "srv/db", Size = 64 }],
                };
            }
            """);

        // The nuget.config beside the projects (the feed) is found from the project's folder, as NuGet looks upwards.
        var (exitCode, stdout, stderr) = ProcessRunner.Run("dotnet", ["format", "analyzers", project, "--diagnostics", "MVN102", "--verbosity", "detailed"], project);
        var fixedText = File.ReadAllText(vms);
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.Zero, stdout + stderr);
            Assert.That(stdout + stderr, Does.Not.Contain("Fix All"), "every occurrence is fixed by one Fix All action");
            Assert.That(fixedText, Does.Contain("MountPoint = \"/data\"").And.Contain("MountPoint = \"/var/log\"").And.Contain("MountPoint = \"/srv/db\""), fixedText);
        });

        var (built, output) = Build(project);
        Assert.That(built, Is.Zero, "the fixed project builds:\n" + output);
    }

    [Test]
    public void A_preset_library_packed_into_a_feed_gives_a_new_fleet_project_the_same_modules_and_diagnostics_as_local_source()
    {
        // The library of examples/Presets, as its own package: one PackageReference, packed into the feed.
        var library = Directory.CreateDirectory(Path.Combine(_root, "presets-package")).FullName;
        File.WriteAllText(Path.Combine(library, "Presets.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <PackageId>Homelab.Presets</PackageId>
                <Version>1.2.0</Version>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="MicroVm.Nix" Version="0.1.0" />
              </ItemGroup>
            </Project>
            """);
        File.Copy(Path.Combine(RepoPaths.Example("Presets"), "Vms.cs"), Path.Combine(library, "Vms.cs"));
        var (packed, packLog) = Run("pack", library, "PackageOutputPath=" + Feed);
        Assert.That(packed, Is.Zero, packLog);
        Assert.That(Directory.Exists(Path.Combine(library, "nix")), Is.False, "a library writes no modules");

        // A brand-new fleet project that uses it by PackageReference, with the source of examples/Fleet.
        var fleet = Directory.CreateDirectory(Path.Combine(_root, "fleet-package")).FullName;
        File.WriteAllText(Path.Combine(fleet, "Fleet.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="MicroVm.Nix" Version="0.1.0" />
                <PackageReference Include="Homelab.Presets" Version="1.2.0" />
              </ItemGroup>
            </Project>
            """);
        File.Copy(Path.Combine(RepoPaths.Example("Fleet"), "Fleet.cs"), Path.Combine(fleet, "Fleet.cs"));
        var (exitCode, output) = Build(fleet);
        Assert.That(exitCode, Is.Zero, output);

        GeneratedFolder.AssertSame(Path.Combine(fleet, "nix"), Path.Combine(RepoPaths.Example("Fleet"), "nix"), "Fleet.csproj", "the package gives another module than the project reference of examples/Fleet");

        // A mistake in an argument is reported on the argument, in the consumer's file; one in a preset on its use.
        const string Bad = """
            using MicroVm.Nix;
            using Presets;

            public static class Bad
            {
                [MicroVmModule]
                public static readonly VirtualMachine Cache = Vms.HardenedWeb("cache", cid: 9) with { Volumes = [Vms.DbZvol("cache", 10, pool: "-fast")] };
            }
            """;
        File.WriteAllText(Path.Combine(fleet, "Bad.cs"), Bad);
        var (failed, log) = Build(fleet);
        Assert.That(failed, Is.Not.Zero, log);
        var line = Bad.Split('\n').Select((text, i) => (text, i)).Single(l => l.text.Contains("\"-fast\"", StringComparison.Ordinal));
        Assert.That(log, Does.Contain("Bad.cs(" + (line.i + 1) + "," + (line.text.IndexOf("\"-fast\"", StringComparison.Ordinal) + 1) + "): error MVN109"), log);
    }

    [Test]
    public void The_dotnet_new_template_gives_a_project_that_builds_and_writes_its_modules()
    {
        var hive = Path.Combine(_root, "hive");
        var install = ProcessRunner.Run("dotnet", ["new", "install", Directory.GetFiles(Feed, "MicroVm.Nix.Templates.*.nupkg").Single(), "--debug:custom-hive", hive], _root);
        Assert.That(install.ExitCode, Is.Zero, install.Stdout + install.Stderr);
        var create = ProcessRunner.Run("dotnet", ["new", "microvm-nix", "-o", "lab", "-n", "Lab", "--hostName", "lab-vm", "--debug:custom-hive", hive], _root);
        Assert.That(create.ExitCode, Is.Zero, create.Stdout + create.Stderr);

        var (exitCode, output) = Build(Path.Combine(_root, "lab"));
        Assert.That(exitCode, Is.Zero, output);
        var vm = NixEvaluator.ParseAndEval(File.ReadAllText(Path.Combine(_root, "lab", "nix", "lab-vm.nix")))!;
        Assert.That((string?)vm["networking"]!["hostName"], Is.EqualTo("lab-vm"));
        Assert.That((string?)vm["microvm"]!["volumes"]![0]!["image"], Is.EqualTo("/var/lib/microvms/lab-vm/var.img"));
        Assert.That(HostModuleFile(Path.Combine(_root, "lab", "nix"))["microvm"]!["vms"]!.AsObject().Select(p => p.Key), Is.EqualTo(new[] { "lab-vm" }));
        Assert.That(File.ReadAllText(Path.Combine(_root, "lab", ".gitignore")), Does.Contain("bin/").And.Contain("obj/"));

        // A user's first edit that upstream warns about (qemu at exactly 2048 MiB) is a warning, not a failed build.
        var fleet = Path.Combine(_root, "lab", "Fleet.cs");
        File.WriteAllText(fleet, File.ReadAllText(fleet).Replace("Mem = 1024,", "Mem = 2048,", StringComparison.Ordinal));
        var (warned, warnedOutput) = Build(Path.Combine(_root, "lab"));
        Assert.That(warned, Is.Zero, warnedOutput);
        Assert.That(warnedOutput, Does.Contain("warning MVN204"));
    }

    [Test]
    public void The_template_references_the_version_this_repository_packs()
    {
        var version = System.Text.RegularExpressions.Regex.Match(File.ReadAllText(Path.Combine(RepoPaths.Root, "Directory.Build.props")), "<Version>(.*)</Version>").Groups[1].Value;
        Assert.That(File.ReadAllText(Path.Combine(RepoPaths.Root, "templates", "dotnet", "content", "microvm-nix", "MicroVmConfig.csproj")),
            Does.Contain("<PackageReference Include=\"MicroVm.Nix\" Version=\"" + version + "\" />"));
    }

    /// <summary>The same files, byte for byte, in a freshly written folder and a committed one.</summary>
    private static System.Text.Json.Nodes.JsonObject HostModuleFile(string folder)
    {
        var script = Path.Combine(RepoPaths.Root, "tests", "MicroVm.Nix.Tests", "Nix", "eval-host.nix");
        return NixEvaluator.EvalFile(script, ("module", Path.Combine(folder, "default.nix")))!.AsObject();
    }
}
