using System.Collections.Generic;
using System.Linq;
using MicroVm.Nix.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace MicroVm.Nix.Tests;

/// <summary>
/// Helpers (static methods of one expression) and members that give several VMs. The generator
/// evaluates them at compile time without running them; every module is compared with the record the
/// compiled C# builds at run time, evaluated by Nix.
/// </summary>
public class HelperTests
{
    private static void AssertMeans(GeneratorRun run, VirtualMachine record) =>
        ExpectedNix.AssertModuleMeans(NixEvaluator.ParseAndEval(run.Module(record.HostName + ".nix").Text), record);

    private static void AssertNoErrors(GeneratorRun run) =>
        Assert.That(run.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error), Is.Empty, string.Join("\n", run.Diagnostics));

    [Test]
    public void Helpers_with_parameters_defaults_named_arguments_conditionals_switches_and_interpolation_build_what_the_runtime_builds()
    {
        var run = GeneratorHarness.Run(
        [
            ("/src/Homelab/Presets.cs", """
                using System.Collections.Generic;
                using MicroVm.Nix;

                namespace Homelab;

                public enum Tier { Small, Medium, Large }

                public static class Presets
                {
                    public const string Pool = "tank";

                    public static Volume DbZvol(string name, int gib, string pool = Pool, bool readOnly = false) => new()
                    {
                        Image = new Zvol(pool, $"vms/{name}/data"),
                        MountPoint = readOnly ? "/srv/ro" : "/var/lib/postgresql",
                        Size = gib * 1024,
                        AutoCreate = false,
                        Serial = name + "-" + gib,
                        ReadOnly = readOnly,
                    };

                    public static int Memory(Tier tier) => tier switch
                    {
                        Tier.Small => 512,
                        Tier.Medium => 2 * 1024,
                        _ => 8 * 1024,
                    };

                    public static int Cpus(int memory, bool pinned) => memory >= 4096 && !pinned ? memory / 2048 : (memory < 1024 || pinned ? 1 : 2);

                    public static string Label(int n) { return n % 2 == 0 ? "even" : "odd"; }

                    public static VirtualMachine Web(string name, Tier tier = Tier.Small, Hypervisor hypervisor = Hypervisor.CloudHypervisor) => new()
                    {
                        HostName = name,
                        Hypervisor = hypervisor,
                        Mem = Memory(tier) + (tier == Tier.Large ? 512 : 0),
                        Vcpu = Cpus(Memory(tier), pinned: hypervisor == Hypervisor.Firecracker),
                        KernelParams = [$"tier={tier}", $"pinned={hypervisor == Hypervisor.Firecracker}", "parity=" + Label(name.Length)],
                        Volumes = tier > Tier.Small ? [DbZvol(name, gib: Memory(tier) / 256)] : [],
                    };
                }
                """),
            ("/src/Homelab/Fleet.cs", """
                using MicroVm.Nix;

                namespace Homelab;

                public static class Fleet
                {
                    [MicroVmModule]
                    public static readonly VirtualMachine Small = Presets.Web("small");

                    [MicroVmModule]
                    public static readonly VirtualMachine Db = Presets.Web("db", Tier.Large) with
                    {
                        Volumes = [Presets.DbZvol("db", 20), Presets.DbZvol(readOnly: true, name: "replica", gib: 5, pool: "ssd")],
                    };

                    [MicroVmModule]
                    public static VirtualMachine Worker => Presets.Web(hypervisor: Hypervisor.Firecracker, name: "worker", tier: Tier.Medium);
                }
                """),
        ]);

        AssertNoErrors(run);
        foreach (var member in new[] { "Small", "Db", "Worker" })
        {
            AssertMeans(run, (VirtualMachine)run.Value("Homelab.Fleet", member)!);
        }

        Assert.That(run.Module("worker.nix").Text, Does.Contain("\"pinned=True\""), "a bool interpolated as C# prints it");
        Assert.That(run.Module("db.nix").Text, Does.Contain("\"tier=Large\""), "an enum interpolated by its name");
    }

    [Test]
    public void A_list_member_gives_one_module_per_element_with_the_same_checks()
    {
        var run = GeneratorHarness.Run("""
            using System.Collections.Generic;
            using MicroVm.Nix;

            public static class Fleet
            {
                private static VirtualMachine Worker(int n) => new()
                {
                    HostName = $"worker-{n}",
                    Hypervisor = Hypervisor.Firecracker,
                    Vcpu = n,
                    Interfaces = [new() { Type = InterfaceType.Tap, Id = $"vm-w{n}", Mac = $"02:00:00:00:00:0{n}" }],
                };

                [MicroVmModule]
                public static readonly VirtualMachine[] Workers = [Worker(1), Worker(2), Worker(3)];

                [MicroVmModule]
                public static IReadOnlyList<VirtualMachine> Others => new List<VirtualMachine> { Worker(4) with { HostName = "other" } };
            }
            """);

        AssertNoErrors(run);
        var workers = (VirtualMachine[])run.Value("Fleet", "Workers")!;
        foreach (var worker in workers.Concat((IReadOnlyList<VirtualMachine>)run.Value("Fleet", "Others")!))
        {
            AssertMeans(run, worker);
        }

        Assert.That(run.Module("worker-2.nix").Text, Does.Contain("Fleet.Workers[1]"), "the header names the element");
        var devices = (IReadOnlyList<IReadOnlyList<GuestDevice>>)run.Value("MicroVm.Nix.Generated.GuestDevices", "Workers")!;
        Assert.That(devices, Has.Count.EqualTo(3), "the guest device map has one list per element, in order");
        var dir = System.IO.Directory.CreateTempSubdirectory("microvm-nix-list-");
        try
        {
            var vms = HostModule.Evaluate(run, dir.FullName)["microvm"]!["vms"]!.AsObject();
            Assert.That(vms.Select(vm => vm.Key), Is.EquivalentTo(new[] { "worker-1", "worker-2", "worker-3", "other" }));
            Assert.That((string?)vms["worker-3"]!["config"], Is.EqualTo(System.IO.Path.Combine(dir.FullName, "worker-3.nix")));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Test]
    public void Problems_across_the_elements_of_a_list_member_are_reported_on_each_element()
    {
        DiagnosticAssert.Exactly("""
            using MicroVm.Nix;

            public static class Fleet
            {
                [MicroVmModule]
                public static readonly VirtualMachine[] Workers =
                [
                    new() { HostName = {|MVN301:"worker"|} },
                    new() { HostName = {|MVN301:"worker"|} },
                    new() { HostName = {|MVN201:"bad name"|} },
                ];
            }
            """);
    }

    [Test]
    public void A_problem_caused_by_an_argument_is_reported_on_the_argument_at_each_call_site()
    {
        DiagnosticAssert.Exactly("""
            using MicroVm.Nix;

            public static class Fleet
            {
                private static Volume Data(string pool, string name, string? mountPoint = null) => new()
                {
                    Image = new Zvol(pool, "vms/" + name),
                    MountPoint = mountPoint,
                    Size = 10 * 1024,
                    AutoCreate = false,
                    Serial = name,
                };

                private static VirtualMachine Vm(string name, string pool) => new() { HostName = name, Volumes = [Data(pool, name)] };

                [MicroVmModule]
                public static readonly VirtualMachine A = Vm("a", {|MVN109:"-tank"|});

                [MicroVmModule]
                public static readonly VirtualMachine B = Vm({|MVN201:"b_"|}, "tank");

                [MicroVmModule]
                public static readonly VirtualMachine C = new() { HostName = "c", Volumes = [Data("tank", "c", {|MVN102:"data"|})] };
            }
            """);
    }

    [Test]
    public void What_a_helper_cannot_hold_is_reported_on_the_exact_expression_inside_it()
    {
        DiagnosticAssert.Exactly("""
            using System;
            using MicroVm.Nix;

            public static class Fleet
            {
                private static int Memory(int n) => n * {|MVN001:Environment.ProcessorCount|};

                private static int Block(int n)
                {
                    var twice = n * 2;
                    return twice;
                }

                private static int Forever(int n) => n > 100 ? n : {|MVN001:Forever(n - 1)|};

                private static int Pick(int n) => n switch { 1 => 512, 2 => 1024 };

                [MicroVmModule]
                public static readonly VirtualMachine A = new() { HostName = "a", Mem = Memory(2) };

                [MicroVmModule]
                public static readonly VirtualMachine B = new() { HostName = "b", Mem = {|MVN001:Block(2)|} };

                [MicroVmModule]
                public static readonly VirtualMachine C = new() { HostName = "c", Mem = Forever(1) };

                [MicroVmModule]
                public static readonly VirtualMachine D = new() { HostName = "d", Mem = Pick({|MVN001:3|}) };
            }
            """, allowCompilerErrors: true);
    }

    [Test]
    public void A_helper_problem_that_no_argument_causes_is_reported_once_inside_the_helper()
    {
        DiagnosticAssert.Exactly("""
            using System;
            using MicroVm.Nix;

            public static class Fleet
            {
                private static int Memory(int gib) => gib * {|MVN001:Environment.ProcessorCount|};

                [MicroVmModule]
                public static readonly VirtualMachine A = new() { HostName = "a", Mem = Memory(1) };

                [MicroVmModule]
                public static readonly VirtualMachine B = new() { HostName = "b", Mem = Memory(2) };
            }
            """);
    }

    [Test]
    public void Int_arithmetic_in_a_helper_that_would_wrap_at_run_time_is_reported_on_the_argument()
    {
        DiagnosticAssert.Exactly("""
            using MicroVm.Nix;

            public static class Fleet
            {
                private static int Mem(int gib) => gib * 1024 * 1024;

                [MicroVmModule]
                public static readonly VirtualMachine A = new() { HostName = "a", Mem = Mem({|MVN001:4096|}) };
            }
            """);
    }
}
