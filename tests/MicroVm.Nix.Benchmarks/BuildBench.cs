using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Linq;

namespace MicroVm.Nix.Benchmarks;

/// <summary>
/// <c>--build N [runs]</c>: a real <c>dotnet build</c> of the generated fleet (<see cref="FleetSource"/>)
/// with MicroVm.Nix (the package, packed from this repository into a local feed) against the same
/// sources in a project that references only the package's runtime assembly, built in turn (A B A B …):
/// a no-op build, and a build after editing one VM. Prints each figure's median and the medians of the
/// pairwise ratios.
/// </summary>
internal static class BuildBench
{
    public static void Run(int n, int runs)
    {
        var repo = FindRepo();
        var root = Directory.CreateTempSubdirectory("microvm-nix-build-bench-").FullName;
        try
        {
            // MicroVm.Nix as a user has it: the package, from a local feed, restored into a packages folder of
            // the run's own (the package's version does not change with the code, and NuGet would use the
            // copy it restored the last time, from older code). The project without it
            // references the package's runtime assembly only, the same way a package's lib is referenced.
            var feed = Path.Combine(root, "feed");
            Run("pack", Path.Combine(repo, "runtime", "MicroVm.Nix", "MicroVm.Nix.csproj"), "-c", "Release", "-p:PackageOutputPath=" + feed);
            var package = Directory.GetFiles(feed, "MicroVm.Nix.*.nupkg").Single();
            var version = Path.GetFileNameWithoutExtension(package)["MicroVm.Nix.".Length..];
            var runtime = Path.Combine(root, "runtime", "MicroVm.Nix.dll");
            using (var zip = ZipFile.OpenRead(package))
            {
                Directory.CreateDirectory(Path.GetDirectoryName(runtime)!);
                zip.Entries.Single(e => e.FullName.StartsWith("lib/", StringComparison.Ordinal) && e.Name == "MicroVm.Nix.dll").ExtractToFile(runtime);
            }

            File.WriteAllText(Path.Combine(root, "nuget.config"), $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <config>
                    <add key="globalPackagesFolder" value="{Path.Combine(root, "packages")}" />
                  </config>
                  <packageSources>
                    <clear />
                    <add key="local" value="{feed}" />
                  </packageSources>
                </configuration>
                """);
            var with = Project(root, "WithMicroVmNix", n, $"<PackageReference Include=\"MicroVm.Nix\" Version=\"{version}\" />");
            var without = Project(root, "WithoutMicroVmNix", n, $"<Reference Include=\"{runtime}\" />");
            foreach (var project in new[] { with, without })
            {
                Build(project); // restore, first build, warm the build server
                Build(project);
            }

            var noop = new List<(double With, double Without)>();
            var edit = new List<(double With, double Without)>();
            for (var run = 0; run < runs; run++)
            {
                noop.Add((Build(with), Build(without)));
                edit.Add((EditAndBuild(with, n, run), EditAndBuild(without, n, run)));
            }

            Console.WriteLine($"N={n}, {runs} pairs, {Environment.ProcessorCount} cores, UseSharedCompilation={SharedCompilation}");
            Report("no-op build", noop);
            Report("after editing one VM", edit);
        }
        finally
        {
            // MICROVM_NIX_BENCH_KEEP=1 keeps the two projects, for a look with -bl or /p:ReportAnalyzer=true.
            if (Environment.GetEnvironmentVariable("MICROVM_NIX_BENCH_KEEP") == "1")
            {
                Console.WriteLine("kept " + root);
            }
            else
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }

    private static void Report(string what, List<(double With, double Without)> pairs)
    {
        static double Median(IEnumerable<double> values)
        {
            var sorted = values.Order().ToList();
            return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {what}: with MicroVm.Nix {Median(pairs.Select(p => p.With)):F2} s, without {Median(pairs.Select(p => p.Without)):F2} s, ratio {Median(pairs.Select(p => p.With / p.Without)):F2} (pairs {string.Join(", ", pairs.Select(p => (p.With / p.Without).ToString("F2", CultureInfo.InvariantCulture)))})"));
    }

    private static string FindRepo()
    {
        for (var dir = AppContext.BaseDirectory; dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(Path.Combine(dir, "Generator.sln")))
            {
                return dir;
            }
        }

        throw new InvalidOperationException("Run from the repository's build output: Generator.sln not found above " + AppContext.BaseDirectory);
    }

    private static string Project(string root, string name, int n, string reference)
    {
        var dir = Directory.CreateDirectory(Path.Combine(root, name)).FullName;
        File.WriteAllText(Path.Combine(dir, name + ".csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
              </PropertyGroup>
              <ItemGroup>
                {reference}
              </ItemGroup>
            </Project>
            """);
        foreach (var (path, text) in FleetSource.Files(n))
        {
            File.WriteAllText(Path.Combine(dir, Path.GetFileName(path)), text);
        }

        return dir;
    }

    private static double EditAndBuild(string project, int n, int run)
    {
        // VM 50's memory, changed back and forth: one VM edited, the text of the others in place.
        var files = FleetSource.Files(n, edit: run % 2 == 0);
        var part = files.Single(f => f.Path.EndsWith("/Part0.cs", StringComparison.Ordinal));
        File.WriteAllText(Path.Combine(project, "Part0.cs"), part.Text);
        var seconds = Build(project);

        // A build that did not write the edit measured nothing: the module must say what the source says.
        var module = Path.Combine(project, "nix", "vm50.nix");
        var mem = run % 2 == 0 ? "mem = 2304;" : "mem = 2048;";
        if (File.Exists(module) && !File.ReadAllText(module).Contains(mem, StringComparison.Ordinal))
        {
            throw new InvalidOperationException(module + " does not hold the edit (" + mem + ")");
        }

        return seconds;
    }

    /// <summary>
    /// Whether builds use the compiler server, as the SDK does by default (<c>true</c>), unless
    /// <c>MICROVM_NIX_BENCH_SHARED_COMPILATION=false</c>: an environment that sets <c>UseSharedCompilation=false</c>
    /// (some CI machines do) runs every build's compiler, generator and analyzers cold.
    /// </summary>
    private static readonly string SharedCompilation = Environment.GetEnvironmentVariable("MICROVM_NIX_BENCH_SHARED_COMPILATION") == "false" ? "false" : "true";

    private static double Build(string project)
    {
        var start = Stopwatch.GetTimestamp();
        Run("build", project, "-c", "Debug", "-p:UseSharedCompilation=" + SharedCompilation);
        return Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    /// <summary>Runs <c>dotnet &lt;verb&gt; &lt;project&gt;</c>; fails when it fails, or when a generator or analyzer threw.</summary>
    private static void Run(string verb, string project, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo("dotnet", [verb, project, "-v:q", "-nologo", .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0 || output.Result.Contains("CS8785", StringComparison.Ordinal) || output.Result.Contains("AD0001", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("dotnet " + verb + " " + project + " failed, or a generator or analyzer threw:\n" + output.Result + error.Result);
        }
    }
}
