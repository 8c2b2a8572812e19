using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using MicroVm.Nix.Tests.Infrastructure;

namespace MicroVm.Nix.Tests;

/// <summary>
/// The examples as a user meets them: a real <c>dotnet build</c> (generator, analyzer, MSBuild task)
/// writes the modules that are committed, byte for byte, and they mean what the records say.
/// Homelab reproduces the seed article; Fleet is built from the presets and helpers of a config
/// library (examples/Presets) it references, evaluated from the library's assembly; Cluster places VMs on two
/// hosts with a bridged and a routed network.
/// </summary>
[NonParallelizable]
[TestFixture("Homelab")]
[TestFixture("Fleet")]
[TestFixture("Cluster")]
public class ExampleTests(string example)
{
    private Lazy<string> BuiltOutput => Outputs.GetOrAdd(example, name => new Lazy<string>(() => Build(name)));

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<string>> Outputs = new();

    private string ExampleDir => RepoPaths.Example(example);

    /// <summary>Builds the example into a temporary output folder, leaving the committed one alone.</summary>
    private static string Build(string name)
    {
        var output = Directory.CreateTempSubdirectory("microvm-nix-" + name.ToLowerInvariant() + "-").FullName;
        var (exitCode, log) = Dotnet.Run("build", Path.Combine(RepoPaths.Example(name), name + ".csproj"), "MicroVmNixOutputDir=" + output);
        Assert.That(exitCode, Is.Zero, "dotnet build of the example failed:\n" + log);
        return output;
    }

    [Test]
    public void Committed_modules_are_byte_identical_to_a_fresh_build()
    {
        GeneratedFolder.AssertSame(BuiltOutput.Value, Path.Combine(ExampleDir, "nix"), example + ".csproj",
            "differs from a fresh build: run 'dotnet build examples/" + example + "' and commit the result");
    }

    [Test]
    public void Example_modules_mean_what_its_records_say()
    {
        foreach (var (_, vm) in ExampleVms())
        {
            var module = ModulePath(vm);
            NixEvaluator.Parse(module);
            ExpectedNix.AssertModuleMeans(NixEvaluator.EvalFile(module), vm);
        }
    }

    /// <summary>Where a VM's module is: in its host's folder, when it has a host.</summary>
    private string ModulePath(VirtualMachine vm) =>
        vm.Host is null ? Path.Combine(BuiltOutput.Value, vm.HostName + ".nix") : Path.Combine(BuiltOutput.Value, vm.Host.Name, vm.HostName + ".nix");

    [Test]
    public void Example_shows_what_it_says()
    {
        var vms = ExampleVms();
        if (example == "Cluster")
        {
            ClusterShowsWhatItSays(vms);
            return;
        }

        if (example == "Homelab")
        {
            // The seed article: a raw zvol, a pre-formatted zvol and a file image microvm.nix creates.
            var storage = vms.Single(v => v.Vm.HostName == "storage").Vm;
            var raw = storage.Volumes.Single(v => v.Image.HostPath == "/dev/zvol/mypool/myzvol");
            Assert.That((raw.MountPoint, raw.Size, raw.AutoCreate), Is.EqualTo(((string?)null, 10240, false)), "raw zvol, never auto-created");
            var formatted = storage.Volumes.Single(v => v.MountPoint == "/mnt/data");
            Assert.That((formatted.Image.IsBlockDevice, formatted.FsType, formatted.AutoCreate), Is.EqualTo((true, "ext4", false)), "pre-formatted zvol");
            Assert.That(storage.Volumes.Count(v => !v.Image.IsBlockDevice && v.AutoCreate), Is.EqualTo(1), "one file-backed, auto-created volume");
            return;
        }

        // The fleet: built from the library's helpers, one module per element of the list member.
        Assert.That(vms.Select(v => v.Name), Is.SupersetOf(new[] { "Hosts.Workers[0]", "Hosts.Workers[1]", "Hosts.Workers[2]" }));
        Assert.That(vms.Where(v => v.Name.StartsWith("Hosts.Workers", StringComparison.Ordinal)).Select(v => v.Vm.Hypervisor), Is.All.EqualTo(Hypervisor.Firecracker));
        var db = vms.Single(v => v.Vm.HostName == "db").Vm;
        var zvol = (Zvol)db.Volumes[0].Image;
        Assert.That((zvol.Name, zvol.Create!.VolBlockSize), Is.EqualTo(("fast/vms/db/db", DataSize.KiB(8))), "the library's database zvol, on the pool the fleet chose");
        var host = File.ReadAllText(Path.Combine(BuiltOutput.Value, "default.nix"));
        Assert.That(host, Does.Contain("zfs create -V 107374182400 -b 8192"), "the host module creates it as the library says");
    }

    [Test]
    public void Example_modules_type_check_against_upstream_options()
    {
        foreach (var (_, vm) in ExampleVms())
        {
            Upstream.AssertMeans(ModulePath(vm), vm);
        }
    }

    /// <summary>
    /// The cluster: one folder per host named by fleet.nix, each host module judged by upstream's host options with the
    /// networkd units its networks need, and each guest's side of its network.
    /// </summary>
    private void ClusterShowsWhatItSays((string Name, VirtualMachine Vm)[] vms)
    {
        var fleet = NixEvaluator.EvalExpression("builtins.mapAttrs (_: h: h // { module = toString h.module; }) (import " + Path.Combine(BuiltOutput.Value, "fleet.nix") + ")")!.AsObject();
        foreach (var host in vms.Select(v => v.Vm.Host!).DistinctBy(h => h.Name))
        {
            var entry = fleet[host.Name]!;
            Assert.That(((string?)entry["system"], (string?)entry["targetHost"], (string?)entry["module"]), Is.EqualTo((host.System, host.TargetHost ?? host.Name, Path.Combine(BuiltOutput.Value, host.Name))));
            Assert.That(entry["vms"]!.AsArray().Select(v => (string?)v), Is.EqualTo(vms.Where(v => v.Vm.Host!.Name == host.Name).Select(v => v.Vm.HostName).Order()));

            var evaluated = HostModule.EvaluateWithUpstream(Path.Combine(BuiltOutput.Value, host.Name, "default.nix"));
            Assert.That(evaluated["vms"]!.AsObject().Select(v => v.Key), Is.EquivalentTo(vms.Where(v => v.Vm.Host!.Name == host.Name).Select(v => v.Vm.HostName)));
            Assert.That((int?)evaluated["host"]!["startupTimeout"], Is.EqualTo(host.StartupTimeout));
            var networks = evaluated["systemd"]!["network"]!["networks"]!.AsObject();
            foreach (var side in host.Networks)
            {
                var taps = vms.Where(v => v.Vm.Host!.Name == host.Name).SelectMany(v => v.Vm.Interfaces).Where(i => i.Network?.Name == side.Network.Name).ToList();
                Assert.That(taps, Is.Not.Empty, host.Name + " runs a VM on " + side.Network.Name);
                if (side.Network.Kind == NetworkKind.Bridge)
                {
                    Assert.That((string?)evaluated["systemd"]!["network"]!["netdevs"]!["20-" + side.Network.Name]!["netdevConfig"]!["Kind"], Is.EqualTo("bridge"));
                    Assert.That(networks["20-" + side.Network.Name]!["address"]!.AsArray().Select(a => (string?)a), Is.EqualTo(new[] { side.Address + "/24" }));
                    Assert.That(networks["21-" + side.Network.Name + "-ports"]!["matchConfig"]!["Name"]!.AsArray().Select(n => (string?)n),
                        Is.EqualTo(new[] { side.Uplink }.Concat(taps.Select(t => t.Id))), "the uplink and every tap of this host on the bridge");
                }
                else
                {
                    foreach (var tap in taps)
                    {
                        var unit = networks["30-" + tap.Id]!;
                        Assert.That((string?)unit["routes"]![0]!["Destination"], Is.EqualTo(tap.Address + "/32"), "a host route to the VM");
                        Assert.That((string?)unit["address"]![0], Is.EqualTo(side.Network.Gateway + "/32"), "the host answers as the gateway");
                    }

                    Assert.That((string?)evaluated["networking"]!["nat"]!["externalInterface"], Is.EqualTo(side.NatInterface));
                }
            }
        }

        // Each guest's side: its address on its network, found by its MAC.
        foreach (var (_, vm) in vms)
        {
            var guest = Upstream.Evaluate(ModulePath(vm));
            var nic = vm.Interfaces.Single();
            var unit = guest["systemd"]!["network"]!["networks"]!["10-" + nic.Id]!;
            Assert.That((string?)unit["matchConfig"]!["MACAddress"], Is.EqualTo(nic.Mac));
            var prefix = nic.Network!.Kind == NetworkKind.Routed ? "/32" : "/24";
            Assert.That((string?)unit["address"]![0], Is.EqualTo(nic.Address + prefix));
        }
    }

    /// <summary>The example's [MicroVmModule] values (each element of a list member), from the assembly the build produced.</summary>
    private (string Name, VirtualMachine Vm)[] ExampleVms()
    {
        _ = BuiltOutput.Value;
        var dll = Directory.GetFiles(Path.Combine(ExampleDir, "bin"), example + ".dll", SearchOption.AllDirectories)
            .OrderByDescending(File.GetLastWriteTimeUtc).First();
        var context = new AssemblyLoadContext(example, isCollectible: true);
        context.Resolving += (loader, name) => Path.Combine(Path.GetDirectoryName(dll)!, name.Name + ".dll") is var path && File.Exists(path) && name.Name != "MicroVm.Nix"
            ? loader.LoadFromAssemblyPath(path)
            : null;
        try
        {
            var assembly = context.LoadFromAssemblyPath(dll);
            var vms = assembly.GetTypes()
                .SelectMany(t => t.GetMembers(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static))
                .Where(m => m.GetCustomAttribute<MicroVmModuleAttribute>() is not null && (m is FieldInfo f ? f.FieldType : ((PropertyInfo)m).PropertyType) != typeof(Host))
                .SelectMany(m => (m is FieldInfo f ? f.GetValue(null) : ((PropertyInfo)m).GetValue(null)) switch
                {
                    VirtualMachine vm => [(m.DeclaringType!.Name + "." + m.Name, vm)],
                    System.Collections.Generic.IEnumerable<VirtualMachine> list => list.Select((vm, i) => (m.DeclaringType!.Name + "." + m.Name + "[" + i + "]", vm)),
                    var other => throw new InvalidOperationException(m.Name + " is " + other),
                })
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
