using System.Collections.Generic;
using System.Linq;
using MicroVm.Nix.Generator.Schema;
using MicroVm.Nix.Tests.Infrastructure;

namespace MicroVm.Nix.Tests;

/// <summary>
/// What the guest module says for each option: golden text, then the real Nix evaluator, whose
/// values must equal the C# record's.
/// </summary>
public class GuestModuleTests
{
    /// <summary>One case per upstream volume option (and per kind of image).</summary>
    public static IEnumerable<TestCaseData> VolumeOptions()
    {
        static TestCaseData Case(string name, string volume, string vm = "") =>
            new TestCaseData(name, volume, vm).SetName("Volume option " + name + " is written as upstream names it");

        yield return Case("image-file", """Image = "/var/lib/microvms/vm/data.img", MountPoint = "/data", Size = 1024""");
        yield return Case("image-zvol", """Image = new Zvol("tank", "vms/vm/data"), MountPoint = null, Size = 10240, AutoCreate = false""");
        yield return Case("image-block-device", """Image = "/dev/disk/by-id/nvme-disk1", MountPoint = null, Size = 1, AutoCreate = false""");
        yield return Case("serial", """Image = "/var/lib/microvms/vm/data.img", MountPoint = "/data", Size = 1024, Serial = "data-disk" """);
        yield return Case("direct", """Image = "/var/lib/microvms/vm/data.img", MountPoint = "/data", Size = 1024, Direct = true""");
        yield return Case("read-only", """Image = "/var/lib/microvms/vm/data.img", MountPoint = "/data", Size = 1024, ReadOnly = true""");
        yield return Case("label", """Image = "/var/lib/microvms/vm/data.img", MountPoint = "/data", Size = 1024, Label = "data" """);
        yield return Case("mount-point-null", """Image = "/var/lib/microvms/vm/scratch.img", MountPoint = null, Size = 512""");
        yield return Case("size", """Image = "/var/lib/microvms/vm/big.img", MountPoint = "/big", Size = 1048576""");
        yield return Case("auto-create", """Image = "/var/lib/microvms/vm/data.img", MountPoint = "/data", Size = 1024, AutoCreate = false""");
        yield return Case("mkfs-extra-args", """Image = "/var/lib/microvms/vm/data.img", MountPoint = "/data", Size = 1024, MkfsExtraArgs = ["-O", "^has_journal", "-E", "lazy_itable_init=0"]""");
        yield return Case("mkfs-extra-args-single", """Image = "/var/lib/microvms/vm/data.img", MountPoint = "/data", Size = 1024, MkfsExtraArgs = ["-m0"]""");
        yield return Case("fs-type", """Image = "/var/lib/microvms/vm/data.img", MountPoint = "/data", Size = 1024, FsType = "xfs" """);
        yield return Case("image-type", """Image = "/var/lib/microvms/vm/disk.qcow2", MountPoint = "/data", Size = 1024, ImageType = ImageType.Qcow2""", "Hypervisor = Hypervisor.CloudHypervisor, VsockCid = 3,");
    }

    [TestCaseSource(nameof(VolumeOptions))]
    public void Volume_option(string name, string volume, string vm)
    {
        var run = GeneratorHarness.Run(Snippets.OneVolume(volume, vm));

        Assert.That(run.Diagnostics.Where(d => d.Id != "MVN112"), Is.Empty, "no diagnostics beyond the warning to give raw devices a serial");
        var module = run.Module("vm.nix");
        Golden.AssertMatches("volume-" + name + ".nix", module.Text);
        var record = (VirtualMachine)run.Value("Fleet", "Vm")!;
        ExpectedNix.AssertModuleMeans(NixEvaluator.ParseAndEval(module.Text), record);
        Upstream.AssertMeansWhenAvailable(module.Text, record);
    }

    /// <summary>One case per group of VM options; each initializer line ends with a comma.</summary>
    public static IEnumerable<TestCaseData> VmOptions()
    {
        static TestCaseData Case(string name, string vm) =>
            new TestCaseData(name, vm).SetName("VM options " + name + " are written as upstream names them");

        yield return Case("memory", """
            Hypervisor = Hypervisor.CloudHypervisor, VsockCid = 3, Vcpu = 4, Mem = 4096, HugepageMem = true, HotplugMem = 8192, HotpluggedMem = 1024,
            Balloon = true, InitialBalloonMem = 256, DeflateOnOom = false,
            """);
        yield return Case("cpu", """
            Hypervisor = Hypervisor.Qemu, Cpu = "host",
            """);
        yield return Case("interfaces", """
            Interfaces =
            [
                new() { Type = InterfaceType.Tap, Id = "vm-tap", Mac = "02:00:00:00:00:01", TapVhost = true },
                new() { Type = InterfaceType.Macvtap, Id = "vm-mvt", Mac = "02:00:00:00:00:02", MacvtapLink = "enp1s0", MacvtapMode = MacvtapMode.Bridge },
                new() { Type = InterfaceType.Bridge, Id = "vm-br", Mac = "02:00:00:00:00:03", Bridge = "br0" },
                new() { Type = InterfaceType.User, Id = "vm-user", Mac = "02:00:00:00:00:04" },
            ],
            """);
        yield return Case("shares", """
            Shares =
            [
                new() { Tag = "ro-store", Source = "/nix/store", MountPoint = "/nix/.ro-store" },
                new() { Tag = "data", Source = "/srv/data", MountPoint = "/data", Proto = ShareProtocol.Virtiofs, Socket = "data.sock",
                        SecurityModel = SecurityModel.MappedFile, ReadOnly = true, Cache = ShareCache.Never, PosixAcl = false, ExtraArgs = ["--translate-uid=map:0:1000:1"] },
            ],
            """);
        yield return Case("devices", """
            Devices =
            [
                new() { Bus = DeviceBus.Pci, Path = "0000:01:00.0", QemuId = "gpu", QemuBus = "pcie.1", QemuDeviceExtraArgs = "x-igd-opregion=on" },
                new() { Bus = DeviceBus.Usb, Path = "vendorid=0xabcd,productid=0x0123" },
            ],
            """);
        yield return Case("forward-ports", """
            Interfaces = [new() { Type = InterfaceType.User, Id = "user0", Mac = "02:00:00:00:00:05" }],
            ForwardPorts =
            [
                new() { HostPort = 2222, GuestPort = 22 },
                new() { From = ForwardDirection.Guest, Proto = TransportProtocol.Udp, HostAddress = "127.0.0.1", HostPort = 53, GuestAddress = "10.0.2.10", GuestPort = 5353 },
            ],
            """);
        yield return Case("vsock-kernel-store-credentials", """
            VsockCid = 42,
            KernelParams = ["console=ttyS0", "quiet"],
            StoreOnDisk = true,
            CredentialFiles = new Dictionary<string, string> { ["SOPS_AGE_KEY"] = "/run/secrets/age", ["with space"] = "/run/secrets/x" },
            """);
    }

    /// <summary>Settings records, module options and the escape hatch.</summary>
    public static IEnumerable<TestCaseData> MoreVmOptions()
    {
        static TestCaseData Case(string name, string vm) =>
            new TestCaseData(name, vm).SetName("VM options " + name + " are written as upstream names them");

        yield return Case("runner", """
            Optimize = false, PreStart = "echo 'starting ${HOSTNAME}'\nmodprobe vhost_net", ExtraArgsScript = "/etc/microvm/args.sh",
            Socket = "control.sock", User = "microvm", RegisterWithMachined = true, MachineId = "a67472e5-570e-5c8a-b18c-ae3c77701050",
            WritableStoreOverlay = "/nix/.rw-store", StoreDiskType = StoreDiskType.Squashfs,
            StoreDiskErofsFlags = ["-zlz4hc,12", "-Ededupe"], StoreDiskSquashfsFlags = ["-c", "xz", "-j", "$NIX_BUILD_CORES"],
            BinScripts = new Dictionary<string, string> { ["hello"] = "echo 'hello ${USER}'\nexit 0\n", ["status"] = "systemctl status microvm@vm" },
            """);
        yield return Case("guest-switches", """
            StateVersion = "25.05", GuestEnable = false, PrettyProcnames = false, RegisterClosure = false, SystemSymlink = true, VsockCid = 7, VsockSshEnable = true,
            """);
        yield return Case("users-and-ssh", """
            StateVersion = "25.05", SshServer = true,
            Users =
            [
                new()
                {
                    Name = "admin",
                    Groups = ["wheel", "kvm"],
                    HashedPassword = "$y$j9T$Jq3kVhV0yF9yUWKBrmcIH/$ufN1.wY1Sy7B3SZVBGOnWm35SSCVUdMpXBO2jDSkyj4",
                    AuthorizedKeys =
                    [
                        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIxpduW1QQQVvekIvU3uFd+xZ6nIc/xLuKgfbyq0SKkY admin@laptop",
                        "from=\"10.0.0.0/8\",no-pty ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBsViDn4qjOeibtQsWA+kOxo4P1VZf4Qp8sycp/d9wcK ci ${not-nix}",
                    ],
                },
                new() { Name = "root", AuthorizedKeys = ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEgTSU0TfhYxu6MB1ayrbnu3qnTOEYXUVlZe9R1zdney root@laptop"] },
                new() { Name = "svc.backup", Groups = ["backup"] },
            ],
            """);
        yield return Case("qemu-settings", """
            Qemu = new()
            {
                Machine = "q35",
                MachineOpts = new Dictionary<string, string> { ["accel"] = "kvm", ["mem-merge"] = "on" },
                ExtraArgs = ["-vga", "none"],
                SerialConsole = false,
                PcieRootPorts = [new() { Id = "rp1", Bus = "pcie.0", Chassis = 1, Slot = "1", Addr = "0x10" }],
            },
            Virtiofsd = new() { InodeFileHandles = InodeFileHandles.Mandatory, ThreadPoolSize = 4, Group = null, ExtraArgs = ["--sandbox=none"] },
            """);
        yield return Case("other-hypervisor-settings", """
            CloudHypervisor = new() { PlatformOemStrings = ["io.systemd.credential:x=y"], ExtraArgs = ["--serial", "tty"] },
            Firecracker = new()
            {
                DriveIoEngine = FirecrackerIoEngine.Sync,
                ExtraArgs = ["--no-seccomp"],
                Cpu = new Dictionary<string, object> { ["kvm_capabilities"] = new[] { "!56" }, ["cpuid_modifiers"] = new object[] { new Dictionary<string, object> { ["leaf"] = "0x1", ["flags"] = 0 } } },
                ExtraConfig = new Dictionary<string, object> { ["machine-config"] = new Dictionary<string, object> { ["smt"] = true, ["track_dirty_pages"] = false }, ["logger"] = new Dictionary<string, object> { ["level"] = "Debug ${x}", ["log_path"] = null! } },
            },
            Crosvm = new() { ExtraArgs = ["--disable-sandbox"], PivotRoot = "/var/empty" },
            Vfkit = new() { ExtraArgs = ["--gui"], LogLevel = VfkitLogLevel.Debug, RosettaEnable = true, RosettaInstall = true, RosettaIgnoreIfMissing = true },
            """);
        yield return Case("graphics", """
            Graphics = new() { Enable = true, Backend = GraphicsBackend.Headless, Vulkan = GraphicsVulkan.DrmNativeContext, Hostmem = "8G", Socket = "/run/microvm/vm-gpu.sock" },
            """);
        yield return Case("packages", """
            Kernel = new NixPackage("linuxPackages_6_12.kernel"),
            Qemu = new() { Package = new("qemu_kvm") },
            CloudHypervisor = new() { Package = new("cloud-hypervisor-graphics") },
            Firecracker = new() { Package = new("firecracker") },
            Crosvm = new() { Package = new("crosvm") },
            Vfkit = new() { Package = new("vfkit") },
            Kvmtool = new() { Package = new("kvmtool") },
            Stratovirt = new() { Package = new("stratovirt") },
            Alioth = new() { Package = new("alioth") },
            Graphics = new() { CrosvmPackage = new("\"crosvm.gpu\".latest") },
            Virtiofsd = new() { Package = new("virtiofsd") },
            """);
        yield return Case("host-packages-and-initrd", """
            VmHostPackages = new NixPackageSet("aarch64-darwin"),
            Hypervisor = Hypervisor.Vfkit,
            Vfkit = new() { Package = new("vfkit") },
            InitrdPath = "/var/lib/microvms/vm/initrd",
            """);
        yield return Case("settings-left-to-the-program", """
            Vfkit = new() { LogLevel = null },
            Virtiofsd = new() { InodeFileHandles = null },
            """);
        yield return Case("imports-and-extra-config", """
            Imports = ["./common.nix", "../shared/hardening.nix"],
            ExtraConfig = new Dictionary<string, object>
            {
                ["services.nginx.enable"] = true,
                ["users.users.root.openssh.authorizedKeys.keys"] = new[] { "ssh-ed25519 AAAA... admin@host" },
                ["environment.etc"] = new Dictionary<string, object> { ["resolv.conf"] = new Dictionary<string, object> { ["text"] = "nameserver ${x}\n" } },
                ["boot.kernel.sysctl"] = new Dictionary<string, object> { ["vm.swappiness"] = 10 },
                ["time.timeZone"] = "UTC",
            },
            """);
    }

    [TestCaseSource(nameof(MoreVmOptions))]
    public void More_vm_options(string name, string vm) => Vm_options(name, vm);

    [TestCaseSource(nameof(VmOptions))]
    public void Vm_options(string name, string vm)
    {
        var run = GeneratorHarness.Run(Snippets.Vm(vm));

        Assert.That(run.Diagnostics.Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error), Is.Empty);
        var module = run.Module("vm.nix");
        Golden.AssertMatches("vm-" + name + ".nix", module.Text);
        var record = (VirtualMachine)run.Value("Fleet", "Vm")!;
        ExpectedNix.AssertModuleMeans(NixEvaluator.ParseAndEval(module.Text), record);
        Upstream.AssertMeansWhenAvailable(module.Text, record);
    }

    [Test]
    public void Every_vm_option_has_a_golden_case()
    {
        var cases = string.Join("\n", VmOptions().Concat(MoreVmOptions()).Select(c => (string)c.Arguments[1]!)) + "\n"
            + string.Join("\n", VolumeOptions().Select(c => (string)c.Arguments[1]!));
        // Zvol.Create is host-side: ZvolProvisioningTests cover it; hosts and placement: HostsTests.
        foreach (var record in MicroVmSchema.Records.Where(r => r != MicroVmSchema.ZvolProvisioning && r != MicroVmSchema.Host))
        {
            foreach (var option in record.Options.Where(o => o.Property != "HostName" && o.Scope is not (OptionScope.Host or OptionScope.Fleet) && !(record == MicroVmSchema.VirtualMachine && o.Property is "Volumes")))
            {
                Assert.That(cases, Does.Contain(option.Property + " ="), record.Type + "." + option.Property);
            }
        }
    }

    [Test]
    public void Every_volume_option_has_a_golden_case()
    {
        var cases = string.Join("\n", VolumeOptions().Select(c => (string)c.Arguments[1]!));
        foreach (var option in MicroVmSchema.Volume.Options)
        {
            Assert.That(cases, Does.Contain(option.Property + " ="), option.Property);
        }
    }

    [TestCase(Hypervisor.Qemu, "qemu")]
    [TestCase(Hypervisor.CloudHypervisor, "cloud-hypervisor")]
    [TestCase(Hypervisor.Firecracker, "firecracker")]
    [TestCase(Hypervisor.Crosvm, "crosvm")]
    [TestCase(Hypervisor.Kvmtool, "kvmtool")]
    [TestCase(Hypervisor.Stratovirt, "stratovirt")]
    [TestCase(Hypervisor.Alioth, "alioth")]
    [TestCase(Hypervisor.Vfkit, "vfkit")]
    public void Hypervisor_is_written_with_upstream_name(Hypervisor hypervisor, string nixName)
    {
        var run = GeneratorHarness.Run($$"""
            using MicroVm.Nix;

            public static class Fleet
            {
                [MicroVmModule]
                public static VirtualMachine Vm => new() { HostName = "vm", Hypervisor = Hypervisor.{{hypervisor}}, Vcpu = 4, Mem = 4096 };
            }
            """);

        var evaluated = NixEvaluator.ParseAndEval(run.Module("vm.nix").Text);
        Assert.That((string?)evaluated!["microvm"]!["hypervisor"], Is.EqualTo(nixName));
        ExpectedNix.AssertModuleMeans(evaluated, (VirtualMachine)run.Value("Fleet", "Vm")!);
    }

    [Test]
    public void Minimal_vm_sets_only_its_host_name()
    {
        var run = GeneratorHarness.Run("""
            using MicroVm.Nix;

            public static class Fleet
            {
                [MicroVmModule]
                public static VirtualMachine Minimal { get; } = new() { HostName = "minimal" };
            }
            """);

        var module = run.Module("minimal.nix");
        Golden.AssertMatches("vm-minimal.nix", module.Text);
        ExpectedNix.AssertModuleMeans(NixEvaluator.ParseAndEval(module.Text), (VirtualMachine)run.Value("Fleet", "Minimal")!);
    }

    [Test]
    public void Header_names_the_generator_and_the_source_relative_to_the_project()
    {
        var run = GeneratorHarness.Run([("/src/Homelab/Vms/Storage.cs", """
            using MicroVm.Nix;

            namespace Homelab.Vms;

            public static class Storage
            {
                [MicroVmModule]
                public static readonly VirtualMachine Vm = new() { HostName = "storage" };
            }
            """)]);

        var firstLines = run.Module("storage.nix").Text.Split('\n').Take(2).ToArray();
        Assert.That(firstLines[0], Is.EqualTo("# Generated by MicroVm.Nix.Generator from Vms/Storage.cs (Storage.Vm)."));
        Assert.That(firstLines[1], Does.StartWith("# Do not edit"));
    }

    [Test]
    public void Explicitly_set_empty_volume_list_is_written()
    {
        var run = GeneratorHarness.Run("""
            using MicroVm.Nix;

            public static class Fleet
            {
                [MicroVmModule]
                public static readonly VirtualMachine Vm = new() { HostName = "vm", Volumes = [] };
            }
            """);

        var module = run.Module("vm.nix");
        Assert.That(module.Text, Does.Contain("    volumes = [ ];\n"));
        ExpectedNix.AssertModuleMeans(NixEvaluator.ParseAndEval(module.Text), (VirtualMachine)run.Value("Fleet", "Vm")!);
    }

    [Test]
    public void Several_vms_give_one_module_each()
    {
        var run = GeneratorHarness.Run("""
            using MicroVm.Nix;

            public static class Fleet
            {
                [MicroVmModule] public static readonly VirtualMachine Web = new() { HostName = "web", Mem = 1024 };
                [MicroVmModule] public static readonly VirtualMachine Db = new() { HostName = "db", Vcpu = 8 };
            }
            """);

        Assert.That(run.Modules.Select(m => m.FileName), Is.EquivalentTo(new[] { "db.nix", "default.nix", "web.nix" }));
        ExpectedNix.AssertModuleMeans(NixEvaluator.ParseAndEval(run.Module("web.nix").Text), (VirtualMachine)run.Value("Fleet", "Web")!);
        ExpectedNix.AssertModuleMeans(NixEvaluator.ParseAndEval(run.Module("db.nix").Text), (VirtualMachine)run.Value("Fleet", "Db")!);
    }
}
