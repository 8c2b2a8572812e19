using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using MicroVm.Nix.Tests.Infrastructure;

namespace MicroVm.Nix.Tests;

/// <summary>
/// The example as a user meets it: a real <c>dotnet build</c> (generator, analyzer, MSBuild task)
/// writes the modules that are committed, byte for byte, and they mean what the records say.
/// </summary>
[NonParallelizable]
public class ExampleTests
{
    private static readonly Lazy<string> BuiltOutput = new(BuildHomelab);

    private static string ExampleDir => RepoPaths.Example("Homelab");

    /// <summary>Builds the example into a temporary output folder, leaving the committed one alone.</summary>
    private static string BuildHomelab()
    {
        var output = Directory.CreateTempSubdirectory("microvm-nix-homelab-").FullName;
        var (exitCode, log) = Dotnet.Run("build", Path.Combine(ExampleDir, "Homelab.csproj"), "MicroVmNixOutputDir=" + output);
        Assert.That(exitCode, Is.Zero, "dotnet build of the example failed:\n" + log);
        return output;
    }

    [Test]
    public void Committed_modules_are_byte_identical_to_a_fresh_build()
    {
        var fresh = Directory.GetFiles(BuiltOutput.Value).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        var committed = Directory.GetFiles(Path.Combine(ExampleDir, "nix")).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.That(fresh, Is.EqualTo(committed), "the same files");
        Assert.That(fresh, Is.Not.Empty);
        foreach (var file in fresh)
        {
            Assert.That(File.ReadAllBytes(Path.Combine(BuiltOutput.Value, file!)), Is.EqualTo(File.ReadAllBytes(Path.Combine(ExampleDir, "nix", file!))),
                file + " differs from a fresh build: run 'dotnet build examples/Homelab' and commit the result");
        }
    }

    [Test]
    public void Example_modules_mean_what_its_records_say()
    {
        foreach (var (_, vm) in ExampleVms())
        {
            var module = Path.Combine(BuiltOutput.Value, vm.HostName + ".nix");
            NixEvaluator.Parse(module);
            ExpectedNix.AssertModuleMeans(NixEvaluator.EvalFile(module), vm);
        }
    }

    [Test]
    public void Example_reproduces_the_seed_article()
    {
        var storage = ExampleVms().Single(v => v.Vm.HostName == "storage").Vm;
        var raw = storage.Volumes.Single(v => v.Image.HostPath == "/dev/zvol/mypool/myzvol");
        Assert.That((raw.MountPoint, raw.Size, raw.AutoCreate), Is.EqualTo(((string?)null, 10240, false)), "raw zvol, never auto-created");
        var formatted = storage.Volumes.Single(v => v.MountPoint == "/mnt/data");
        Assert.That((formatted.Image.IsBlockDevice, formatted.FsType, formatted.AutoCreate), Is.EqualTo((true, "ext4", false)), "pre-formatted zvol");
        Assert.That(storage.Volumes.Count(v => !v.Image.IsBlockDevice && v.AutoCreate), Is.EqualTo(1), "one file-backed, auto-created volume");
    }

    [Test]
    public void Example_modules_type_check_against_upstream_options()
    {
        foreach (var (_, vm) in ExampleVms())
        {
            var evaluated = Upstream.Evaluate(Path.Combine(BuiltOutput.Value, vm.HostName + ".nix"));
            evaluated.Remove("volumeOptions");
            ExpectedNix.AssertModuleMeans(evaluated, vm);
        }
    }

    /// <summary>The example's [MicroVmModule] values, from the assembly the build produced.</summary>
    private static (string Name, VirtualMachine Vm)[] ExampleVms()
    {
        _ = BuiltOutput.Value;
        var dll = Directory.GetFiles(Path.Combine(ExampleDir, "bin"), "Homelab.dll", SearchOption.AllDirectories)
            .OrderByDescending(File.GetLastWriteTimeUtc).First();
        var context = new AssemblyLoadContext("homelab", isCollectible: true);
        try
        {
            var assembly = context.LoadFromAssemblyPath(dll);
            var vms = assembly.GetTypes()
                .SelectMany(t => t.GetMembers(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static))
                .Where(m => m.GetCustomAttribute<MicroVmModuleAttribute>() is not null)
                .Select(m => (m.DeclaringType!.Name + "." + m.Name, (VirtualMachine)(m is FieldInfo f ? f.GetValue(null) : ((PropertyInfo)m).GetValue(null))!))
                .ToArray();
            Assert.That(vms, Is.Not.Empty);
            return vms;
        }
        finally
        {
            context.Unload();
        }
    }
}
