using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using MicroVm.Nix.Tests.Infrastructure;

namespace MicroVm.Nix.Tests;

/// <summary>The README's first example is real: its C# gives its Nix, and its diagnostic text is the one users see.</summary>
public partial class ReadmeTests
{
    [GeneratedRegex("```csharp\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();

    [GeneratedRegex("```nix\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex NixBlock();

    private static string Readme => File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md"));

    [Test]
    public void First_example_generates_the_module_shown()
    {
        var source = CSharpBlock().Match(Readme).Groups[1].Value;
        var shown = NixBlock().Match(Readme).Groups[1].Value.Split('\n').Where(l => l.Length > 0).ToList();

        var run = GeneratorHarness.Run(source);
        var module = run.Module("storage.nix").Text.Split('\n');
        ExpectedNix.AssertModuleMeans(NixEvaluator.ParseAndEval(string.Join("\n", module)), (VirtualMachine)run.Value("Fleet", "Storage")!);

        // Every line shown appears in the generated module, in the same order ("…" stands for the rest of a list).
        var at = 0;
        foreach (var line in shown.Where(l => l.Trim() != "…"))
        {
            var found = System.Array.IndexOf(module, line, at);
            Assert.That(found, Is.GreaterThanOrEqualTo(0), "README line not generated (in this order): " + line);
            at = found + 1;
        }
    }

    [Test]
    public void Package_readme_example_builds_without_a_diagnostic_and_its_links_work_on_a_gallery()
    {
        var readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "package", "README.md"));
        var run = GeneratorHarness.Run(CSharpBlock().Match(readme).Groups[1].Value);
        Assert.That(run.Diagnostics, Is.Empty);
        ExpectedNix.AssertModuleMeans(NixEvaluator.ParseAndEval(run.Module("db.nix").Text), (VirtualMachine)run.Value("Fleet", "Db")!);

        foreach (var file in new[] { Path.Combine("docs", "package", "README.md"), Path.Combine("templates", "dotnet", "README.md") })
        {
            var links = Regex.Matches(File.ReadAllText(Path.Combine(RepoPaths.Root, file)), @"\]\(([^)]+)\)").Select(m => m.Groups[1].Value).ToList();
            Assert.That(links.Where(l => !l.StartsWith("https://", System.StringComparison.Ordinal)), Is.Empty, file + ": a package gallery shows no repository-relative link");
        }
    }

    [Test]
    public void Reusing_configuration_example_builds_the_modules_its_records_mean()
    {
        var block = CSharpBlock().Matches(Readme).Select(m => m.Groups[1].Value).Single(b => b.Contains("public static class Vms", System.StringComparison.Ordinal));
        var run = GeneratorHarness.Run("using MicroVm.Nix;\n\n" + block);

        Assert.That(run.Diagnostics.Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error), Is.Empty, string.Join("\n", run.Diagnostics));
        var vms = ((VirtualMachine[])run.Value("Vms", "Workers")!).Append((VirtualMachine)run.Value("Vms", "Db")!).ToList();
        Assert.That(vms.Select(vm => vm.HostName), Is.EqualTo(new[] { "worker-1", "worker-2", "worker-3", "db" }));
        foreach (var vm in vms)
        {
            ExpectedNix.AssertModuleMeans(NixEvaluator.ParseAndEval(run.Module(vm.HostName + ".nix").Text), vm);
        }
    }

    [Test]
    public void Fleet_example_builds_a_folder_per_host_and_its_deployment_block_is_nix()
    {
        var block = CSharpBlock().Matches(Readme).Select(m => m.Groups[1].Value).Single(b => b.Contains("public static class Cluster", System.StringComparison.Ordinal));
        var run = DiagnosticAssert.Exactly("using MicroVm.Nix;\n\n" + block);
        Assert.That(run.Modules.Select(m => m.FileName).Order(), Is.EqualTo(new[] { "alpha/db.nix", "alpha/default.nix", "beta/default.nix", "beta/runner.nix", "fleet.nix" }));
        foreach (var (file, member) in new[] { ("alpha/db.nix", "Db"), ("beta/runner.nix", "Runner") })
        {
            ExpectedNix.AssertModuleMeans(NixEvaluator.ParseAndEval(run.Module(file).Text), (VirtualMachine)run.Value("Cluster", member)!);
        }

        // The deployment block is the body of a flake's attribute set: it parses as one.
        var nix = NixBlock().Matches(Readme).Select(m => m.Groups[1].Value).Single(b => b.Contains("microvm-nix.lib.fleet", System.StringComparison.Ordinal));
        var dir = Directory.CreateTempSubdirectory("microvm-nix-readme-");
        try
        {
            var file = Path.Combine(dir.FullName, "flake.nix");
            File.WriteAllText(file, "{\n" + nix + "}\n");
            NixEvaluator.Parse(file);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Test]
    public void Diagnostic_shown_is_the_one_reported()
    {
        var source = CSharpBlock().Match(Readme).Groups[1].Value.Replace(", Size = 10240, AutoCreate = false }", ", Size = 10240 }", System.StringComparison.Ordinal);
        var run = GeneratorHarness.Run(source);
        var message = run.Diagnostics.Single().ToString();
        var shown = Regex.Match(Readme, "```\n(error MVN101: .*?)```", RegexOptions.Singleline).Groups[1].Value.Replace("\n", " ", System.StringComparison.Ordinal).Trim();
        Assert.That(message, Does.EndWith(shown));
        Assert.That(run.Modules, Is.Empty);
    }
}
