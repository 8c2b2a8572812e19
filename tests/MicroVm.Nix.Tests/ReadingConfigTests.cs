using System.Linq;
using MicroVm.Nix.Tests.Infrastructure;

namespace MicroVm.Nix.Tests;

/// <summary>
/// The generator reads values from source without running them. Each accepted form is checked the
/// strongest way available: the module Nix evaluates must equal the record the C# actually builds at run time.
/// </summary>
public class ReadingConfigTests
{
    private static void AssertStaticReadingMatchesRuntime(GeneratorRun run, string type, string member, string fileName)
    {
        Assert.That(run.Diagnostics.Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error), Is.Empty);
        ExpectedNix.AssertModuleMeans(NixEvaluator.ParseAndEval(run.Module(fileName).Text), (VirtualMachine)run.Value(type, member)!);
    }

    [Test]
    public void Several_vms_in_one_field_declaration_are_read_and_reported_each_on_its_own_declarator()
    {
        // What a stray '}' leaves after error recovery: one declaration, several declarators, one of them not a VM.
        const string Source = """
            using MicroVm.Nix;

            public static class Fleet
            {
                [MicroVmModule]
                public static readonly VirtualMachine Web = new() { HostName = "web" }, Db = new() { HostName = "db" }, Broken = "25.05";
            }
            """;
        var run = GeneratorHarness.Run(Source, allowCompilerErrors: true);

        Assert.That(run.Modules.Select(m => m.FileName), Is.EquivalentTo(new[] { "web.nix", "db.nix", "default.nix" }));
        var ours = run.Diagnostics.Where(d => d.Id.StartsWith("MVN", System.StringComparison.Ordinal)).ToList();
        Assert.That(ours, Is.Not.Empty, "the declarator that is not a VM is reported");
        var broken = Source.IndexOf("Broken", System.StringComparison.Ordinal);
        Assert.That(ours.Select(d => d.Location.SourceSpan.Start), Has.All.InRange(broken, Source.IndexOf(';', broken)),
            string.Join("\n", ours.Select(d => d.ToString())));
    }

    [Test]
    public void Constants_static_readonly_members_and_with_expressions_from_other_files_are_followed()
    {
        var run = GeneratorHarness.Run(
        [
            ("/src/Homelab/Shared.cs", """
                using MicroVm.Nix;

                namespace Homelab;

                public static class Shared
                {
                    public const string Pool = "tank";
                    public const int GiB = 1024;
                    public const Hypervisor Default = Hypervisor.CloudHypervisor;
                    public static readonly string StateDir = "/var/lib/microvms";
                    public static string Journal => "^has_journal";

                    public static readonly VirtualMachine Base = new()
                    {
                        HostName = "base",
                        Hypervisor = Default,
                        Vcpu = 2,
                    };

                    public static readonly Volume Scratch = new()
                    {
                        Image = StateDir + "/scratch.img",
                        MountPoint = "/scratch",
                        Size = 4 * GiB,
                        MkfsExtraArgs = ["-O", Journal],
                    };
                }
                """),
            ("/src/Homelab/Fleet.cs", """
                using System.Collections.Generic;
                using MicroVm.Nix;

                namespace Homelab;

                public static class Fleet
                {
                    private static readonly Volume[] Common = [Shared.Scratch];

                    [MicroVmModule]
                    public static readonly VirtualMachine Db = Shared.Base with
                    {
                        HostName = $"db-{Shared.GiB}",
                        Mem = 8 * Shared.GiB - 512,
                        Volumes =
                        [
                            ..Common,
                            new() { Image = new Zvol(Shared.Pool, Dataset: "db/data"), MountPoint = null, Size = 100 * Shared.GiB, AutoCreate = false },
                            Shared.Scratch with { Image = $"{Shared.StateDir}/db/wal.img", MountPoint = "/wal", Serial = "wal" },
                        ],
                    };

                    [MicroVmModule]
                    public static VirtualMachine Web
                    {
                        get { return new VirtualMachine { HostName = "web", Hypervisor = (Hypervisor)2, Volumes = new List<Volume> { Shared.Scratch with { Image = "/var/lib/microvms/web/scratch.img" } } }; }
                    }

                    [MicroVmModule]
                    public static VirtualMachine Cache => new() { HostName = "cache", Volumes = new Volume[] { new() { Image = "/dev/sdb", MountPoint = null, Size = -(-1), AutoCreate = false } } };
                }
                """),
        ]);

        AssertStaticReadingMatchesRuntime(run, "Homelab.Fleet", "Db", "db-1024.nix");
        AssertStaticReadingMatchesRuntime(run, "Homelab.Fleet", "Web", "web.nix");
        AssertStaticReadingMatchesRuntime(run, "Homelab.Fleet", "Cache", "cache.nix");
        Assert.That(run.Module("db-1024.nix").Text, Does.Contain("hypervisor = \"cloud-hypervisor\";"), "kept from the record 'with' copied");
    }

    [Test]
    public void Properties_and_elements_of_static_readonly_values_are_read_as_the_runtime_sees_them()
    {
        var run = GeneratorHarness.Run("""
            using System.Collections.Generic;
            using MicroVm.Nix;

            public static class Fleet
            {
                private static readonly Volume[] Disks =
                [
                    new() { Image = new Zvol("tank", "vms/base"), MountPoint = null, Size = 1024, AutoCreate = false, Serial = "base" },
                    new() { Image = "/var/lib/microvms/base/var.img", MountPoint = "/var", Size = 2048 },
                ];

                private static readonly VirtualMachine Base = new()
                {
                    HostName = "base",
                    Mem = 1024,
                    Volumes = Disks,
                    KernelParams = ["quiet"],
                    ExtraConfig = new Dictionary<string, object> { ["services.nginx.enable"] = true },
                };

                private static readonly Volume Extra = new() { Image = "/var/lib/microvms/web/extra.img", MountPoint = "/extra", Size = 512 };

                [MicroVmModule]
                public static readonly VirtualMachine Web = Base with
                {
                    HostName = "web",
                    Volumes = [.. Base.Volumes, Extra with { Size = Disks[1].Size / 4 }],
                    Mem = Base.Mem + 512,
                    Vcpu = Base.Vcpu * 2 + Base.KernelParams.Count,
                    KernelParams = [.. Base.KernelParams, "console=" + Base.HostName],
                    ExtraConfig = new Dictionary<string, object>
                    {
                        ["networking.firewall.allowedTCPPorts"] = new[] { Base.Mem % 1000, -Base.Mem, Disks.Length },
                        ["environment.etc.disks.text"] = Disks[0].Image.HostPath + " " + ((Zvol)Disks[0].Image).Name + " " + Base.Volumes[1].MountPoint,
                        ["boot.kernel.sysctl.\"vm.ratio\""] = Base.Mem / 2.5,
                    },
                    Socket = Base.Socket,
                };
            }
            """);

        Assert.That(run.Diagnostics.Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error), Is.Empty, string.Join("\n", run.Diagnostics));
        var text = run.Module("web.nix").Text;
        var record = (VirtualMachine)run.Value("Fleet", "Web")!;
        var extra = NixEvaluator.ParseAndEval(text)!["imports"]![0]!;
        Assert.That((long)extra["networking"]!["firewall"]!["allowedTCPPorts"]![1]!, Is.EqualTo(-1024), "a negative list element");
        Assert.That((string?)extra["environment"]!["etc"]!["disks"]!["text"], Is.EqualTo(((System.Collections.Generic.IReadOnlyDictionary<string, object>)record.ExtraConfig)["environment.etc.disks.text"]));
        Assert.That((double)extra["boot"]!["kernel"]!["sysctl"]!["vm.ratio"]!, Is.EqualTo(409.6), "one attribute named vm.ratio");

        // Everything else, compared with the record the C# builds at run time.
        var withoutExtra = record with { ExtraConfig = new System.Collections.Generic.Dictionary<string, object>() };
        var module = NixEvaluator.ParseAndEval(text)!.AsObject();
        module.Remove("imports");
        ExpectedNix.AssertModuleMeans(module, withoutExtra);
        Assert.That(record.Vcpu, Is.EqualTo(3));
        Assert.That(record.Volumes, Has.Count.EqualTo(3));
    }

    [Test]
    public void Reading_a_property_of_null_is_reported_where_it_is_read()
    {
        DiagnosticAssert.Exactly("""
            using MicroVm.Nix;

            public static class Fleet
            {
                private static readonly VirtualMachine Base = new() { HostName = "base" };

                [MicroVmModule]
                public static readonly VirtualMachine Vm = new() { HostName = "vm", Qemu = new() { Machine = {|MVN001:Base.Qemu!.Machine|} } };
            }
            """);
    }

    [Test]
    public void Int_arithmetic_that_would_wrap_at_run_time_is_reported()
    {
        DiagnosticAssert.Exactly("""
            using MicroVm.Nix;

            public static class Fleet
            {
                private static readonly VirtualMachine Base = new() { HostName = "base", Mem = int.MaxValue };

                [MicroVmModule]
                public static readonly VirtualMachine Vm = new() { HostName = "vm", Mem = {|MVN001:Base.Mem + 1|} };
            }
            """);
    }

    [Test]
    public void Method_call_is_reported_on_the_call_and_no_module_is_written()
    {
        var run = DiagnosticAssert.Exactly("""
            using System;
            using MicroVm.Nix;

            public static class Fleet
            {
                [MicroVmModule]
                public static readonly VirtualMachine Vm = new()
                {
                    HostName = {|MVN001:Environment.GetEnvironmentVariable("VM_NAME")|}!,
                };
            }
            """);

        Assert.That(run.Modules, Is.Empty);
        Assert.That(run.Diagnostics.Single().GetMessage(System.Globalization.CultureInfo.InvariantCulture),
            Does.Contain("Fleet.Vm.HostName").And.Contain("GetEnvironmentVariable").And.Contain("never runs your code"));
    }

    [TestCase("{|MVN001:Base?.Mem|} ?? 512", "the '?.' operator")]
    [TestCase("({|MVN001:Base is null|} ? 1 : 2)", "'is'")]
    [TestCase("Fallback ?? {|MVN001:throw new System.InvalidOperationException()|}", "a throw expression")]
    public void Unsupported_expression_is_named_as_written_in_csharp(string expression, string named)
    {
        var run = DiagnosticAssert.Exactly($$"""
            using MicroVm.Nix;

            public static class Fleet
            {
                public static readonly int? Fallback = null;
                public static readonly VirtualMachine? Base = null;

                [MicroVmModule]
                public static readonly VirtualMachine Vm = new() { HostName = "vm", Mem = {{expression}} };
            }
            """);

        var message = run.Diagnostics.Single().GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(message, Does.Contain(named + " is not supported"));
        Assert.That(message, Does.Not.Match(@"\((Coalesce|ConditionalAccess|IsPattern|IsNull|Throw|[A-Z][a-z]+[A-Z][A-Za-z]*)\)"), "no Roslyn operation name");
    }

    [Test]
    public void A_vm_whose_source_does_not_parse_is_not_rendered_from_the_parsers_guesses()
    {
        // Mid-edit: the list is broken. The parser recovers with an empty list, which must not become
        // a module with no volumes; the compiler's own error is what the user sees.
        var run = GeneratorHarness.Run("""
            using MicroVm.Nix;

            public static class Fleet
            {
                [MicroVmModule]
                public static readonly VirtualMachine Vm = new()
                {
                    HostName = "vm",
                    Volumes = [ },
                };
            }
            """, allowCompilerErrors: true);

        Assert.That(run.Output.GetDiagnostics().Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error), Is.Not.Empty);
        Assert.That(run.Modules, Is.Empty);
    }

    [Test]
    public void Element_outside_a_list_is_reported_on_the_element_access()
    {
        DiagnosticAssert.Exactly("""
            using MicroVm.Nix;

            public static class Fleet
            {
                private static readonly int[] Sizes = [512, 1024];

                [MicroVmModule]
                public static readonly VirtualMachine Vm = new() { HostName = "vm", Mem = {|MVN001:Sizes[2]|} };
            }
            """);
    }

    [Test]
    public void Mutable_static_field_is_reported_where_it_is_read()
    {
        DiagnosticAssert.Exactly("""
            using MicroVm.Nix;

            public static class Fleet
            {
                public static int Memory = 1024;

                [MicroVmModule]
                public static readonly VirtualMachine Vm = new() { HostName = "vm", Mem = {|MVN001:Memory|} };
            }
            """);
    }

    [Test]
    public void Self_reference_is_reported_not_followed_forever()
    {
        DiagnosticAssert.Exactly("""
            using MicroVm.Nix;

            public static class Fleet
            {
                [MicroVmModule]
                public static readonly VirtualMachine Vm = {|MVN001:Vm|} with { HostName = "vm" };
            }
            """);
    }

    [Test]
    public void Each_unreadable_value_gets_its_own_diagnostic()
    {
        var run = DiagnosticAssert.Exactly("""
            using System;
            using MicroVm.Nix;

            public static class Fleet
            {
                [MicroVmModule]
                public static readonly VirtualMachine Vm = new()
                {
                    HostName = {|MVN001:Guid.NewGuid().ToString()|},
                    Mem = {|MVN001:Environment.ProcessorCount|} * 512,
                };
            }
            """);
        Assert.That(run.Modules, Is.Empty);
    }

    [Test]
    public void Instance_member_is_reported_on_its_name()
    {
        DiagnosticAssert.Exactly("""
            using MicroVm.Nix;

            public class Fleet
            {
                [MicroVmModule]
                public VirtualMachine {|MVN002:Vm|} { get; } = new() { HostName = "vm" };
            }
            """);
    }

    [Test]
    public void Member_of_another_type_is_reported_on_its_name()
    {
        DiagnosticAssert.Exactly("""
            using MicroVm.Nix;

            public static class Fleet
            {
                [MicroVmModule]
                public static readonly Volume {|MVN002:Disk|} = new() { Image = "/var/lib/d.img", MountPoint = "/d", Size = 1 };
            }
            """);
    }

    [Test]
    public void Member_without_a_value_is_reported_on_its_name()
    {
        DiagnosticAssert.Exactly("""
            using MicroVm.Nix;

            public static class Fleet
            {
                [MicroVmModule]
                public static VirtualMachine? {|MVN002:Vm|} { get; set; }
            }
            """);
    }

    [Test]
    public void Null_where_upstream_has_no_null_is_reported_on_the_null()
    {
        DiagnosticAssert.Exactly("""
            using MicroVm.Nix;

            public static class Fleet
            {
                [MicroVmModule]
                public static readonly VirtualMachine Vm = new()
                {
                    HostName = "vm",
                    Volumes = [new() { Image = "/var/lib/d.img", MountPoint = "/d", Size = 1, FsType = {|MVN003:null|}! }],
                };
            }
            """);
    }

    [Test]
    public void Nul_character_is_reported_because_nix_strings_cannot_hold_it()
    {
        var run = DiagnosticAssert.Exactly("""
            using MicroVm.Nix;

            public static class Fleet
            {
                [MicroVmModule]
                public static readonly VirtualMachine Vm = new()
                {
                    HostName = "vm",
                    Volumes = [new() { Image = "/var/lib/d.img", MountPoint = "/d", Size = 1, Label = {|MVN004:"da\0ta"|} }],
                };
            }
            """);
        Assert.That(run.Modules, Is.Empty);
    }
}
