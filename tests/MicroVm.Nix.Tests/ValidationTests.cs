using System.Globalization;
using System.Linq;
using MicroVm.Nix.Tests.Infrastructure;

namespace MicroVm.Nix.Tests;

/// <summary>
/// Values that would break the module or the VM later are errors now, on the expression that set
/// them, and their VM gets no module; a near miss that is valid gets no diagnostic.
/// </summary>
public class ValidationTests
{
    private static string Vm(string volume, string vm = "") => Snippets.OneVolume(volume, vm);

    [Test]
    public void Zvol_with_autocreate_left_at_its_default_is_reported_on_the_zvol()
    {
        var run = DiagnosticAssert.Exactly(Vm("""Image = {|MVN101:new Zvol("mypool", "myzvol")|}, MountPoint = null, Serial = "myzvol", Size = 10240"""));
        Assert.That(run.Modules, Is.Empty);
        Assert.That(run.Diagnostics.Single().GetMessage(CultureInfo.InvariantCulture), Does.Contain("/dev/zvol/mypool/myzvol").And.Contain("AutoCreate = false"));
    }

    [Test]
    public void Block_device_with_autocreate_true_is_reported_on_the_true()
    {
        DiagnosticAssert.Exactly(Vm("""Image = "/dev/sdb", MountPoint = null, Serial = "sdb", Size = 1, AutoCreate = {|MVN101:true|}"""));
    }

    [TestCase("Volumes", "new() { Image = \"/var/lib/a.img\", MountPoint = \"/a\", Size = 1 }")]
    [TestCase("Interfaces", "new() { Type = InterfaceType.User, Id = \"net0\", Mac = \"02:00:00:00:00:01\" }")]
    [TestCase("Shares", "new() { Tag = \"a\", Source = \"/srv/a\", MountPoint = \"/a\" }")]
    [TestCase("Devices", "new() { Bus = DeviceBus.Pci, Path = \"0000:01:00.0\" }")]
    [TestCase("ForwardPorts", "new() { HostPort = 2222, GuestPort = 22 }")]
    public void A_null_element_of_a_list_of_records_is_reported_on_the_null(string list, string element)
    {
        var extra = list == "ForwardPorts" ? "Interfaces = [new() { Type = InterfaceType.User, Id = \"net0\", Mac = \"02:00:00:00:00:01\" }], " : string.Empty;
        var run = DiagnosticAssert.Exactly(Snippets.Vm(extra + list + " = [" + element + ", {|MVN003:null|}!],"));
        Assert.That(run.Modules, Is.Empty, "no module, and the build step's MVNB02 names this error");
        Assert.That(run.Diagnostics.Single().GetMessage(CultureInfo.InvariantCulture), Does.Contain("Fleet.Vm." + list + "[1]' must not be null"));
    }

    [Test]
    public void A_null_pcie_root_port_is_reported_on_the_null()
    {
        DiagnosticAssert.Exactly(Snippets.Vm("Qemu = new() { Machine = \"q35\", PcieRootPorts = [{|MVN003:null|}!] },"));
    }

    [Test]
    public void Image_file_with_autocreate_is_fine()
    {
        var run = DiagnosticAssert.Exactly(Vm("""Image = "/var/lib/microvms/vm/data.img", MountPoint = "/data", Size = 1"""));
        Assert.That(run.Modules.Select(m => m.FileName), Is.EquivalentTo(new[] { "default.nix", "vm.nix" }));
    }

    [Test]
    public void Relative_mount_point_is_reported_with_the_absolute_suggestion()
    {
        var run = DiagnosticAssert.Exactly(Vm("""Image = "/var/lib/d.img", MountPoint = {|MVN102:"mnt/data"|}, Size = 1"""));
        Assert.That(run.Modules, Is.Empty);
        Assert.That(run.Diagnostics.Single().GetMessage(CultureInfo.InvariantCulture), Does.Contain("'/mnt/data'"));
    }

    [Test]
    public void Null_mount_point_is_fine()
    {
        DiagnosticAssert.Exactly(Vm("""Image = new Zvol("tank", "raw"), MountPoint = null, Serial = "raw", Size = 1, AutoCreate = false"""));
    }

    [TestCase("0")]
    [TestCase("-5")]
    public void Size_not_positive_is_reported(string size)
    {
        DiagnosticAssert.Exactly(Vm($$"""Image = "/var/lib/d.img", MountPoint = "/d", Size = {|MVN103:{{size}}|}"""));
    }

    [Test]
    public void Relative_image_path_is_reported()
    {
        DiagnosticAssert.Exactly(Vm("""Image = {|MVN104:"data.img"|}, MountPoint = "/d", Size = 1"""));
    }

    [TestCase("-web")]
    [TestCase("web server")]
    [TestCase("../../etc/passwd")]
    [TestCase("")]
    [TestCase("a234567890123456789012345678901234567890123456789012345678901234")]
    public void Invalid_host_name_is_reported_and_never_becomes_a_file_name(string hostName)
    {
        var run = DiagnosticAssert.Exactly($$"""
            using MicroVm.Nix;

            public static class Fleet
            {
                [MicroVmModule]
                public static readonly VirtualMachine Vm = new() { HostName = {|MVN201:"{{hostName}}"|} };
            }
            """);
        Assert.That(run.Modules, Is.Empty);
    }

    [TestCase("Vcpu")]
    [TestCase("Mem")]
    public void Vcpu_and_mem_must_be_positive(string property)
    {
        var run = DiagnosticAssert.Exactly($$"""
            using MicroVm.Nix;

            public static class Fleet
            {
                [MicroVmModule]
                public static readonly VirtualMachine Vm = new() { HostName = "vm", {{property}} = {|MVN202:0|} };
            }
            """);
        Assert.That(run.Diagnostics.Single().GetMessage(CultureInfo.InvariantCulture), Does.Contain("microvm." + property.ToLowerInvariant()));
    }

    [Test]
    public void Two_vms_with_one_host_name_are_both_reported_and_neither_is_written()
    {
        var run = DiagnosticAssert.Exactly("""
            using MicroVm.Nix;

            public static class Fleet
            {
                [MicroVmModule] public static readonly VirtualMachine A = new() { HostName = {|MVN301:"web"|} };
                [MicroVmModule] public static readonly VirtualMachine B = new() { HostName = {|MVN301:"Web"|} };
                [MicroVmModule] public static readonly VirtualMachine C = new() { HostName = "db" };
            }
            """);
        Assert.That(run.Modules.Select(m => m.FileName), Is.EquivalentTo(new[] { "db.nix", "default.nix" }));
    }

    [Test]
    public void A_vm_with_an_error_is_not_written_while_valid_vms_beside_it_are()
    {
        var run = DiagnosticAssert.Exactly("""
            using MicroVm.Nix;

            public static class Fleet
            {
                [MicroVmModule]
                public static readonly VirtualMachine Good = new() { HostName = "good" };

                [MicroVmModule]
                public static readonly VirtualMachine Bad = new()
                {
                    HostName = "bad",
                    Volumes = [new() { Image = new Zvol("tank", "x"), MountPoint = {|MVN102:"data"|}, Size = 1, AutoCreate = false }],
                };
            }
            """);
        Assert.That(run.Modules.Select(m => m.FileName), Is.EquivalentTo(new[] { "default.nix", "good.nix" }));
    }

    [Test]
    public void A_problem_in_a_value_shared_by_two_vms_is_reported_once_and_blocks_both()
    {
        var run = DiagnosticAssert.Exactly("""
            using MicroVm.Nix;

            public static class Fleet
            {
                private static readonly Volume Scratch = new() { Image = "/var/lib/scratch.img", MountPoint = {|MVN102:"scratch"|}, Size = 1, ReadOnly = true };

                [MicroVmModule] public static readonly VirtualMachine A = new() { HostName = "a", Volumes = [Scratch] };
                [MicroVmModule] public static readonly VirtualMachine B = new() { HostName = "b", Volumes = [Scratch] };
            }
            """);
        Assert.That(run.Modules, Is.Empty);
    }

    [Test]
    public void Pragma_suppresses_a_diagnostic_at_its_real_location()
    {
        var run = GeneratorHarness.Run("""
            using MicroVm.Nix;

            public static class Fleet
            {
                [MicroVmModule]
            #pragma warning disable MVN202
                public static readonly VirtualMachine Vm = new() { HostName = "vm", Mem = 0 };
            #pragma warning restore MVN202
            }
            """);
        Assert.That(run.Diagnostics.Where(d => !d.IsSuppressed), Is.Empty);
    }

    [Test]
    public void Severities_follow_the_projects_analyzer_configuration_like_any_analyzer()
    {
        // What `dotnet_diagnostic.MVN112.severity = none` and `… MVN206.severity = error` in .editorconfig become.
        var source = Snippets.Vm("""
            Hypervisor = Hypervisor.CloudHypervisor,
            Volumes = [new() { Image = new Zvol("tank", "raw"), MountPoint = null, Size = 1, AutoCreate = false }],
            """);
        var compilation = GeneratorHarness.Compile((GeneratorHarness.DefaultPath, source));
        compilation = compilation.WithOptions(compilation.Options.WithSpecificDiagnosticOptions(new System.Collections.Generic.Dictionary<string, Microsoft.CodeAnalysis.ReportDiagnostic>
        {
            ["MVN112"] = Microsoft.CodeAnalysis.ReportDiagnostic.Suppress,
            ["MVN206"] = Microsoft.CodeAnalysis.ReportDiagnostic.Error,
        }));

        var diagnostics = Microsoft.CodeAnalysis.Diagnostics.DiagnosticAnalyzerExtensions
            .WithAnalyzers(compilation, [new MicroVm.Nix.Generator.MicroVmAnalyzer()])
            .GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();

        Assert.That(diagnostics.Select(d => d.Id), Has.None.EqualTo("MVN112"), "suppressed");
        Assert.That(diagnostics.Single(d => d.Id == "MVN206").Severity, Is.EqualTo(Microsoft.CodeAnalysis.DiagnosticSeverity.Error), "raised to error");
    }
}
