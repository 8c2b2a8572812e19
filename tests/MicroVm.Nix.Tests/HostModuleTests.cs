using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using MicroVm.Nix.Tests.Infrastructure;

namespace MicroVm.Nix.Tests;

/// <summary>
/// The host module (default.nix): microvm.vms for every VM, host options only where set, and one
/// udev rule per attached block device giving the microvm user that device alone.
/// </summary>
public class HostModuleTests
{
    private const string Fleet = """
        using MicroVm.Nix;

        public static class Fleet
        {
            [MicroVmModule]
            public static readonly VirtualMachine Db = new()
            {
                HostName = "db",
                Autostart = false,
                Volumes =
                [
                    new() { Image = new Zvol("tank", "vms/db-data"), Serial = "db-data", MountPoint = null, Size = 1024, AutoCreate = false },
                    new() { Image = "/dev/sdb", Serial = "sdb", MountPoint = null, Size = 1, AutoCreate = false, ReadOnly = true },
                    new() { Image = "/dev/disk/by-id/nvme-Samsung_SSD_970_S1", Serial = "nvme", MountPoint = "/fast", Size = 1, AutoCreate = false },
                    new() { Image = "/var/lib/microvms/db/var.img", MountPoint = "/var", Size = 1024 },
                ],
            };

            [MicroVmModule]
            public static readonly VirtualMachine Web = new() { HostName = "web", RestartIfChanged = false };
        }
        """;

    private static (JsonObject Host, GeneratorRun Run) EvaluateHost(string source)
    {
        var run = GeneratorHarness.Run(source);
        var dir = Directory.CreateTempSubdirectory("microvm-nix-host-");
        try
        {
            return (HostModule.Evaluate(run, dir.FullName), run);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Test]
    public void Every_vm_is_declared_with_its_guest_module_and_the_host_options_it_sets()
    {
        var (host, run) = EvaluateHost(Fleet);
        Golden.AssertMatches("host-default.nix", run.Module("default.nix").Text);

        var vms = host["microvm"]!["vms"]!.AsObject();
        Assert.That(vms.Select(v => v.Key), Is.EquivalentTo(new[] { "db", "web" }));
        foreach (var (name, member) in new[] { ("db", "Db"), ("web", "Web") })
        {
            var record = (VirtualMachine)run.Value("Fleet", member)!;
            var vm = vms[name]!.AsObject();
            Assert.That((string?)vm["config"], Does.EndWith("/" + name + ".nix"), "config is the VM's guest module");

            // Each host option: written exactly when the record differs from upstream's default (true).
            Assert.That(vm.ContainsKey("autostart"), Is.EqualTo(!record.Autostart), name + " autostart written only when set");
            Assert.That(vm.ContainsKey("restartIfChanged"), Is.EqualTo(!record.RestartIfChanged), name + " restartIfChanged written only when set");
            Assert.That((bool?)vm["autostart"] ?? true, Is.EqualTo(record.Autostart));
            Assert.That((bool?)vm["restartIfChanged"] ?? true, Is.EqualTo(record.RestartIfChanged));
        }

        // The guest modules it points at are importable on their own.
        ExpectedNix.AssertModuleMeans(NixEvaluator.ParseAndEval(run.Module("db.nix").Text), (VirtualMachine)run.Value("Fleet", "Db")!);
    }

    [Test]
    public void Each_block_device_gets_a_udev_rule_for_the_microvm_user_alone()
    {
        var (host, _) = EvaluateHost(Fleet);
        var rules = ((string)host["services"]!["udev"]!["extraRules"]!).Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();

        Assert.That(rules, Is.EqualTo(new[]
        {
            """KERNEL=="zd*", SUBSYSTEM=="block", ACTION=="add|change", PROGRAM=="/zfs/lib/udev/zvol_id $devnode", RESULT=="tank/vms/db-data", OWNER="microvm", GROUP="kvm", MODE="0660" """.TrimEnd(),
            """KERNEL=="sdb", SUBSYSTEM=="block", ACTION=="add|change", OWNER="microvm", GROUP="kvm", MODE="0440" """.TrimEnd(),
            """SUBSYSTEM=="block", ACTION=="add|change", ENV{DEVLINKS}=="/dev/disk/by-id/nvme-Samsung_SSD_970_S1|/dev/disk/by-id/nvme-Samsung_SSD_970_S1 *|* /dev/disk/by-id/nvme-Samsung_SSD_970_S1|* /dev/disk/by-id/nvme-Samsung_SSD_970_S1 *", OWNER="microvm", GROUP="kvm", MODE="0660" """.TrimEnd(),
        }), "one rule per block device, none for the image file, read-only devices read-only");
    }

    [Test]
    public void A_device_several_vms_attach_gets_one_rule_naming_them_all()
    {
        var (host, run) = EvaluateHost("""
            using MicroVm.Nix;

            public static class Fleet
            {
                private static readonly Volume Iso = new() { Image = "/dev/sr0", Serial = "iso", MountPoint = null, Size = 1, AutoCreate = false, ReadOnly = true };

                [MicroVmModule]
                public static readonly VirtualMachine A = new() { HostName = "a", Volumes = [Iso, new() { Image = new Zvol("tank", "base"), Serial = "base", MountPoint = null, Size = 1, AutoCreate = false, ReadOnly = true }] };

                [MicroVmModule]
                public static readonly VirtualMachine B = new() { HostName = "b", Volumes = [Iso, new() { Image = new Zvol("tank", "base"), Serial = "base", MountPoint = null, Size = 1, AutoCreate = false, ReadOnly = true }] };
            }
            """);
        Assert.That(run.Diagnostics.Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error), Is.Empty);
        var lines = ((string)host["services"]!["udev"]!["extraRules"]!).Split('\n').Where(l => l.Length > 0).ToList();
        Assert.That(lines.Where(l => !l.StartsWith('#')), Is.EqualTo(new[]
        {
            """KERNEL=="sr0", SUBSYSTEM=="block", ACTION=="add|change", OWNER="microvm", GROUP="kvm", MODE="0440" """.TrimEnd(),
            """KERNEL=="zd*", SUBSYSTEM=="block", ACTION=="add|change", PROGRAM=="/zfs/lib/udev/zvol_id $devnode", RESULT=="tank/base", OWNER="microvm", GROUP="kvm", MODE="0440" """.TrimEnd(),
        }), "one rule per device, read-only as every VM attaches it");
        Assert.That(lines.Where(l => l.StartsWith('#')), Is.EqualTo(new[] { "# a, b: /dev/sr0 (read-only)", "# a, b: /dev/zvol/tank/base (read-only)" }));
    }

    [Test]
    public void A_zvol_whose_name_holds_blanks_is_named_as_zvol_id_names_it_and_created_by_its_real_name()
    {
        var (host, run) = EvaluateHost("""
            using MicroVm.Nix;

            public static class Fleet
            {
                [MicroVmModule]
                public static readonly VirtualMachine Vm = new()
                {
                    HostName = "vm",
                    Volumes = [new() { Image = new Zvol("my pool", "vm disk") { Create = new() { VolSize = DataSize.GiB(1) } }, Serial = "disk", MountPoint = null, Size = 1024, AutoCreate = false }],
                };
            }
            """);
        Assert.That(run.Diagnostics.Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error), Is.Empty);

        // OpenZFS's udev/zvol_id.c prints the dataset with every blank as '+', and udev links /dev/zvol/<that>.
        static string ZvolId(string dataset) => new(dataset.Select(c => c is ' ' or '\t' ? '+' : c).ToArray());
        var record = (VirtualMachine)run.Value("Fleet", "Vm")!;
        var image = (string?)NixEvaluator.ParseAndEval(run.Module("vm.nix").Text)!["microvm"]!["volumes"]![0]!["image"];
        Assert.That(image, Is.EqualTo("/dev/zvol/" + ZvolId("my pool/vm disk")));
        Assert.That(record.Volumes[0].Image.HostPath, Is.EqualTo(image), "the runtime's HostPath agrees");

        var rules = ((string)host["services"]!["udev"]!["extraRules"]!).Split('\n');
        Assert.That(rules, Has.Some.Contains("RESULT==\"" + ZvolId("my pool/vm disk") + "\""));
        var script = (string)host["systemd"]!["services"]!["microvm-zvols-vm"]!["script"]!;
        Assert.That(script, Does.Contain("zfs create -V 1073741824 'my pool/vm disk'").And.Not.Contain("my+pool"), "zfs takes the real name");
        Assert.That(ProcessRunner.Run("bash", ["-n", "-c", script]).ExitCode, Is.Zero);
    }

    [Test]
    public void Without_block_devices_the_host_module_needs_no_arguments_and_no_udev_rules()
    {
        var (host, run) = EvaluateHost("""
            using MicroVm.Nix;

            public static class Fleet
            {
                [MicroVmModule]
                public static readonly VirtualMachine Web = new() { HostName = "web" };
            }
            """);
        Assert.That(run.Module("default.nix").Text, Does.Not.Contain("config, ...").And.Not.Contain("udev"));
        Assert.That(host.Select(p => p.Key), Is.EqualTo(new[] { "microvm" }));
    }
}
