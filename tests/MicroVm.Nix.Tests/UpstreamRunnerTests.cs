using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MicroVm.Nix.Build;
using MicroVm.Nix.Tests.Infrastructure;
using static MicroVm.Nix.Tests.Infrastructure.HypervisorSyntax;

namespace MicroVm.Nix.Tests;

/// <summary>
/// Generated guest modules judged by upstream's real guest module and runner (Nix/upstream-runner.nix,
/// see <see cref="UpstreamRunner"/>): one realistic VM per hypervisor, all evaluated in one batch.
/// Upstream must accept each (no failed assertion, no warning), every script it writes must pass
/// <c>bash -n</c>, and <c>microvm-run</c>, executed with stub executables, must hand the hypervisor,
/// mkfs and the rest exactly the values of the C# record, field by field in each hypervisor's syntax.
/// </summary>
public class UpstreamRunnerTests
{
    /// <summary>
    /// One VM per hypervisor, each with what that hypervisor's runner supports: a zvol passed through
    /// raw, an image upstream creates and labels (relative, so it lands in the run's working directory),
    /// interfaces, a share of the protocol it takes, vsock where it has it, kernel parameters. Plus two
    /// VMs for what needs the fake /sys: macvtap and PCI passthrough.
    /// </summary>
    private const string Fleet = """
        using MicroVm.Nix;

        public static class Fleet
        {
            [MicroVmModule]
            public static readonly VirtualMachine Qemu = new()
            {
                HostName = "qemu-vm", Vcpu = 2, Mem = 1024, VsockCid = 3, KernelParams = ["quiet", "systemd.unit=multi-user.target"],
                Volumes =
                [
                    new() { Image = new Zvol("tank", "vms/qemu-vm/data"), MountPoint = null, Serial = "qemu-data", Size = 10240, AutoCreate = false },
                    new() { Image = "var.img", MountPoint = "/var", Size = 4096, Label = "qemu-var" },
                    new() { Image = "hömé image.img", MountPoint = "/home", Size = 1024, Label = "home", FsType = "xfs", MkfsExtraArgs = ["-m", "bigtime=1"] },
                ],
                Interfaces =
                [
                    new() { Type = InterfaceType.Tap, Id = "vm-qemu0", Mac = "02:00:00:00:01:01" },
                    new() { Type = InterfaceType.User, Id = "qemu-user", Mac = "02:00:00:00:01:02" },
                ],
                Shares =
                [
                    new() { Tag = "ro-store", Source = "/nix/store", MountPoint = "/nix/.ro-store" },
                    new() { Tag = "data", Source = "/srv/qemu dätä", MountPoint = "/data", Proto = ShareProtocol.Virtiofs },
                ],
            };

            [MicroVmModule]
            public static readonly VirtualMachine CloudHypervisor = new()
            {
                HostName = "ch-vm", Hypervisor = Hypervisor.CloudHypervisor, Vcpu = 2, Mem = 1024, VsockCid = 4, KernelParams = ["quiet"],
                Volumes =
                [
                    new() { Image = new Zvol("tank", "vms/ch-vm/data"), MountPoint = null, Serial = "ch-data", Size = 10240, AutoCreate = false },
                    new() { Image = "var.img", MountPoint = "/var", Size = 4096, Label = "ch-var" },
                ],
                Interfaces = [new() { Type = InterfaceType.Tap, Id = "vm-ch0", Mac = "02:00:00:00:02:01" }],
                Shares = [new() { Tag = "data", Source = "/srv/ch data", MountPoint = "/data", Proto = ShareProtocol.Virtiofs }],
                // Not upstream's default without graphics: the runner must start the package the record names.
                CloudHypervisor = new() { Package = new("cloud-hypervisor-graphics") },
            };

            [MicroVmModule]
            public static readonly VirtualMachine Firecracker = new()
            {
                HostName = "fc-vm", Hypervisor = Hypervisor.Firecracker, Vcpu = 2, Mem = 1024, VsockCid = 5, KernelParams = ["quiet"],
                Volumes =
                [
                    new() { Image = new Zvol("tank", "vms/fc-vm/data"), MountPoint = null, Size = 10240, AutoCreate = false },
                    new() { Image = "var.img", MountPoint = "/var", Size = 4096, Label = "fc-var" },
                ],
                Interfaces = [new() { Type = InterfaceType.Tap, Id = "vm-fc0", Mac = "02:00:00:00:03:01" }],
                Firecracker = new()
                {
                    Cpu = new System.Collections.Generic.Dictionary<string, object> { ["kvm_capabilities"] = new[] { "!56" }, ["vcpu_features"] = new object[] { new System.Collections.Generic.Dictionary<string, object> { ["index"] = 0, ["bitmap"] = "0b1100000" } } },
                    ExtraConfig = new System.Collections.Generic.Dictionary<string, object> { ["machine-config"] = new System.Collections.Generic.Dictionary<string, object> { ["smt"] = true }, ["logger"] = new System.Collections.Generic.Dictionary<string, object> { ["level"] = "Debug $x", ["show_level"] = true } },
                },
            };

            [MicroVmModule]
            public static readonly VirtualMachine Crosvm = new()
            {
                HostName = "crosvm-vm", Hypervisor = Hypervisor.Crosvm, Vcpu = 2, Mem = 1024, VsockCid = 6, KernelParams = ["quiet"],
                Volumes =
                [
                    new() { Image = new Zvol("tank", "vms/crosvm-vm/data"), MountPoint = null, Serial = "crosvm-data", Size = 10240, AutoCreate = false },
                    new() { Image = "var.img", MountPoint = "/var", Size = 4096, Label = "crosvm-var" },
                ],
                Interfaces = [new() { Type = InterfaceType.Tap, Id = "vm-crosvm0", Mac = "02:00:00:00:04:01" }],
                Shares =
                [
                    new() { Tag = "scratch", Source = "/srv/crosvm scratch", MountPoint = "/scratch" },
                    new() { Tag = "data", Source = "/srv/crosvm data", MountPoint = "/data", Proto = ShareProtocol.Virtiofs, ReadOnly = true },
                ],
            };

            [MicroVmModule]
            public static readonly VirtualMachine Kvmtool = new()
            {
                HostName = "kvmtool-vm", Hypervisor = Hypervisor.Kvmtool, Vcpu = 2, Mem = 1024, VsockCid = 7, KernelParams = ["quiet"],
                Volumes =
                [
                    new() { Image = new Zvol("tank", "vms/kvmtool-vm/data"), MountPoint = null, Size = 10240, AutoCreate = false },
                    new() { Image = "var.img", MountPoint = "/var", Size = 4096, Label = "kvmtool-var" },
                ],
                Interfaces =
                [
                    new() { Type = InterfaceType.Tap, Id = "vm-kvmtool0", Mac = "02:00:00:00:05:01" },
                    new() { Type = InterfaceType.User, Id = "kvmtool-user", Mac = "02:00:00:00:05:02" },
                ],
                Shares = [new() { Tag = "scratch", Source = "/srv/kvmtool scratch", MountPoint = "/scratch" }],
            };

            [MicroVmModule]
            public static readonly VirtualMachine Stratovirt = new()
            {
                HostName = "stratovirt-vm", Hypervisor = Hypervisor.Stratovirt, Vcpu = 2, Mem = 1024, KernelParams = ["quiet"],
                Volumes =
                [
                    new() { Image = new Zvol("tank", "vms/stratovirt-vm/data"), MountPoint = null, Serial = "strato-data", Size = 10240, AutoCreate = false },
                    new() { Image = "var.img", MountPoint = "/var", Size = 4096, Label = "strato-var" },
                ],
                Interfaces = [new() { Type = InterfaceType.Tap, Id = "vm-strato0", Mac = "02:00:00:00:06:01" }],
                Shares = [new() { Tag = "data", Source = "/srv/stratovirt data", MountPoint = "/data", Proto = ShareProtocol.Virtiofs }],
            };

            [MicroVmModule]
            public static readonly VirtualMachine Alioth = new()
            {
                // No volumes: upstream passes alioth 'readOnly=', which alioth refuses (MVN207).
                HostName = "alioth-vm", Hypervisor = Hypervisor.Alioth, Vcpu = 2, Mem = 1024, VsockCid = 8, KernelParams = ["quiet"],
                Interfaces = [new() { Type = InterfaceType.Tap, Id = "vm-alioth0", Mac = "02:00:00:00:07:01" }],
                Shares = [new() { Tag = "data", Source = "/srv/alioth data", MountPoint = "/data", Proto = ShareProtocol.Virtiofs }],
            };

            [MicroVmModule]
            public static readonly VirtualMachine Vfkit = new()
            {
                HostName = "vfkit-vm", Hypervisor = Hypervisor.Vfkit, Vcpu = 2, Mem = 1024, KernelParams = ["quiet"],
                Volumes =
                [
                    new() { Image = new Zvol("tank", "vms/vfkit-vm/data"), MountPoint = null, Size = 10240, AutoCreate = false },
                    new() { Image = "var.img", MountPoint = "/var", Size = 4096, Label = "vfkit-var" },
                ],
                Interfaces = [new() { Type = InterfaceType.User, Id = "vfkit-user", Mac = "02:00:00:00:08:01" }],
                Shares = [new() { Tag = "data", Source = "/Users/judge/vfkit data", MountPoint = "/data", Proto = ShareProtocol.Virtiofs }],
            };

            [MicroVmModule]
            public static readonly VirtualMachine QemuHostDevices = new()
            {
                HostName = "qemu-hostdev", Vcpu = 2, Mem = 1024,
                Interfaces = [new() { Type = InterfaceType.Macvtap, Id = "vm-qmvt0", Mac = "02:00:00:00:09:01", MacvtapLink = "judge-uplink0", MacvtapMode = MacvtapMode.Bridge }],
                Devices = [new() { Bus = DeviceBus.Pci, Path = "0000:0a:00.0" }],
            };

            [MicroVmModule]
            public static readonly VirtualMachine CloudHypervisorMacvtap = new()
            {
                HostName = "ch-macvtap", Hypervisor = Hypervisor.CloudHypervisor, Vcpu = 2, Mem = 1024, VsockCid = 9,
                Interfaces = [new() { Type = InterfaceType.Macvtap, Id = "vm-chmvt0", Mac = "02:00:00:00:0a:01", MacvtapLink = "judge-uplink0", MacvtapMode = MacvtapMode.Private }],
            };
        }
        """;

    private UpstreamRunner judge = null!;
    private GeneratorRun run = null!;
    private Dictionary<string, JudgedVm> judged = null!;

    [OneTimeSetUp]
    public void JudgeTheFleet()
    {
        judge = UpstreamRunner.Create();
        run = GeneratorHarness.Run(Fleet);
        Assert.That(run.Diagnostics.Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error), Is.Empty, "the fleet has no errors");
        judged = judge.Judge(run).ToDictionary(v => v.Module.FileName[..^".nix".Length], StringComparer.Ordinal);
    }

    [OneTimeTearDown]
    public void Dispose() => judge?.Dispose();

    private (VirtualMachine Record, JudgedVm Vm) Get(string member)
    {
        var record = (VirtualMachine)run.Value("Fleet", member)!;
        return (record, judged[record.HostName]);
    }

    private static IEnumerable<string> Members() => Hypervisors().Select(c => (string)c.Arguments[0]!);

    private static IEnumerable<TestCaseData> Hypervisors()
    {
        yield return new TestCaseData("Qemu", "qemu");
        yield return new TestCaseData("CloudHypervisor", "cloud-hypervisor");
        yield return new TestCaseData("Firecracker", "firecracker");
        yield return new TestCaseData("Crosvm", "crosvm");
        yield return new TestCaseData("Kvmtool", "kvmtool");
        yield return new TestCaseData("Stratovirt", "stratovirt");
        yield return new TestCaseData("Alioth", "alioth");
        yield return new TestCaseData("Vfkit", "vfkit");
        yield return new TestCaseData("QemuHostDevices", "qemu");
        yield return new TestCaseData("CloudHypervisorMacvtap", "cloud-hypervisor");
    }

    // ---------------------------------------------------------------------------------------------
    // Every hypervisor

    [TestCaseSource(nameof(Hypervisors))]
    public void Upstream_accepts_the_vm_and_every_script_it_writes_parses(string member, string hypervisor)
    {
        var (record, vm) = Get(member);

        Assert.That(vm.HostName, Is.EqualTo(record.HostName));
        Assert.That(vm.Hypervisor, Is.EqualTo(hypervisor));
        Assert.That(vm.FailedAssertions, Is.Empty, "NixOS assertions (upstream's asserts.nix, system.nix, the fileSystems checks)");
        Assert.That(vm.Warnings, Is.Empty, "NixOS warnings");
        Assert.That(vm.TraceWarnings, Is.Empty, "lib.warn from upstream's runner and volumes.nix");
        Assert.That(vm.Runner.Name, Is.EqualTo("microvm-" + hypervisor + "-" + record.HostName));
        Assert.That(vm.Runner.Scripts.Keys, Does.Contain("microvm-run"));

        var scripts = vm.Runner.AllFiles().Where(f => f.Kind == "shellScript").Append(vm.Runner.BuildScript).ToList();
        Assert.Multiple(() =>
        {
            foreach (var script in scripts)
            {
                Assert.That(judge.BashSyntaxError(script), Is.Null, "bash -n " + script.Name + ":\n" + script.Text);
            }
        });

        // The scripts of the runner are the module's bin scripts (tap-up, virtiofsd-run, ...) plus its own.
        foreach (var (name, snippet) in vm.ModuleBinScripts)
        {
            Assert.That(vm.Runner.Script(name).RawText, Is.EqualTo(snippet.RawText), name);
        }

        // What the host module reads from the runner's share/microvm to create taps and start virtiofsd.
        var build = vm.Runner.BuildScript.Text.Split('\n').Select(l => l.Trim()).ToList();
        Assert.That(build, Does.Contain("echo \"" + hypervisor + "\" > $out/share/microvm/hypervisor"));
        foreach (var tap in record.Interfaces.Where(i => i.Type == InterfaceType.Tap))
        {
            Assert.That(build, Does.Contain("echo \"" + tap.Id + "\" >> $out/share/microvm/tap-interfaces"));
        }

        foreach (var macvtap in record.Interfaces.Where(i => i.Type == InterfaceType.Macvtap))
        {
            Assert.That(build, Does.Contain("echo \"" + string.Join(" ", macvtap.Id, macvtap.Mac, macvtap.MacvtapLink, macvtap.MacvtapMode == MacvtapMode.Bridge ? "bridge" : "private") + "\" >> $out/share/microvm/macvtap-interfaces"));
        }

        foreach (var share in record.Shares.Where(s => s.Proto == ShareProtocol.Virtiofs))
        {
            Assert.That(build, Does.Contain("echo \"" + share.Source + "\" > $out/share/microvm/virtiofs/" + share.Tag + "/source"));
        }

        if (record.VsockCid is { } cid)
        {
            Assert.That(build, Does.Contain("echo \"" + S(cid) + "\" > $out/share/microvm/vsock-cid"));
        }
    }

    [TestCaseSource(nameof(Members))]
    public void Guest_file_systems_mount_each_volume_by_label_and_each_share_by_tag(string member)
    {
        var (record, vm) = Get(member);
        var fileSystems = vm.FileSystems;

        foreach (var volume in record.Volumes.Where(v => v.MountPoint is not null))
        {
            var fs = fileSystems[volume.MountPoint!];
            Assert.That(fs.Device, Is.EqualTo(volume.Label is null ? GuestDevice(vm, volume) : "/dev/disk/by-label/" + volume.Label), volume.MountPoint);
            Assert.That(fs.FsType, Is.EqualTo(volume.FsType), volume.MountPoint);
        }

        foreach (var share in record.Shares.Where(s => s.Source != "/nix/store"))
        {
            var fs = fileSystems[share.MountPoint];
            Assert.That(fs.Device, Is.EqualTo(share.Tag), share.MountPoint);
            Assert.That(fs.FsType, Is.EqualTo(share.Proto == ShareProtocol.Virtiofs ? "virtiofs" : "9p"), share.MountPoint);
        }

        var mounted = record.Volumes.Where(v => v.MountPoint is not null).Select(v => v.MountPoint!).Concat(record.Shares.Select(s => s.MountPoint));
        Assert.That(fileSystems.Keys.Except(mounted).Except(["/", "/nix/store"]), Is.Empty, "nothing else is mounted");
        Assert.That(fileSystems["/"].FsType, Is.EqualTo("tmpfs"), "upstream's default root");
    }

    [TestCaseSource(nameof(Hypervisors))]
    public void Microvm_run_creates_each_auto_created_image_with_its_label_and_leaves_block_devices_alone(string member, string hypervisor)
    {
        var (record, vm) = Get(member);
        var result = Run(vm, "microvm-run", new ExecutionOptions { FakeHost = FakeHostFor(record) });

        foreach (var volume in record.Volumes)
        {
            // Every call but the hypervisor's that names the image: upstream's createVolumesScript.
            var image = volume.Image.HostPath;
            var calls = result.Invocations.Where(i => i.Args.Contains(image) && i.Program != HypervisorProgram(hypervisor)).ToList();
            if (!volume.AutoCreate)
            {
                Assert.That(calls, Is.Empty, image + " is neither created nor formatted");
                continue;
            }

            Assert.That(calls.Select(c => c.Program), Is.EqualTo(new[] { "touch", "chattr", "truncate", "mkfs." + volume.FsType }), image);
            Assert.That(calls[0].Args, Is.EqualTo(new[] { image }));
            Assert.That(calls[1].Args, Is.EqualTo(new[] { "+C", image }));
            Assert.That(calls[2].Args, Is.EqualTo(new[] { "-s", S(volume.Size) + "M", image }));
            Assert.That(calls[3].Args, Is.EqualTo(new[] { "-L", volume.Label! }.Concat(volume.MkfsExtraArgs).Append(image)), "mkfs." + volume.FsType);
            Assert.That(calls[3].WorkingDirectory, Is.EqualTo(result.WorkingDirectory), "a relative image is created in the runner's working directory");
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Each hypervisor, in its own syntax

    [Test]
    public void Qemu_gets_each_drive_fsdev_chardev_netdev_and_vsock_of_the_record()
    {
        var (record, vm) = Get("Qemu");
        var qemu = Run(vm, "microvm-run").Single("qemu-system-x86_64");
        Assert.That((qemu.Package, qemu.System), Is.EqualTo(("qemu_kvm", "x86_64-linux")));
        var args = qemu.Args;

        Assert.That(ValuesOf(args, "-name"), Is.EqualTo(new[] { record.HostName }));
        Assert.That(ValuesOf(args, "-m"), Is.EqualTo(new[] { S(record.Mem) + "M" }));
        Assert.That(ValuesOf(args, "-smp"), Is.EqualTo(new[] { S(record.Vcpu) }));
        Assert.That(ValuesOf(args, "-qmp").Select(Qemu).Single().Positional, Is.EqualTo("unix:" + (string)vm.Microvm["socket"]!));
        Assert.That(ValuesOf(args, "-append").Single().Split(' '), Is.SupersetOf(record.KernelParams));

        var drives = ValuesOf(args, "-drive").Select(Qemu).ToList();
        var devices = ValuesOf(args, "-device").Select(Qemu).ToList();
        Assert.That(drives, Has.Count.EqualTo(record.Volumes.Count), "the store is a share here, so every drive is a volume");
        for (var i = 0; i < record.Volumes.Count; i++)
        {
            var volume = record.Volumes[i];
            var drive = drives[i];
            Assert.That(drive["file"], Is.EqualTo(volume.Image.HostPath));
            Assert.That(drive["format"], Is.EqualTo("raw"));
            Assert.That(drive["read-only"], Is.EqualTo(volume.ReadOnly ? "on" : "off"));
            Assert.That("/dev/" + drive["id"], Is.EqualTo(GuestDevice(vm, volume)), "the generator's guest device comment names upstream's drive letter");
            var device = devices.Single(d => d.Positional == "virtio-blk-pci" && d.All("drive").Contains(drive["id"]));
            Assert.That(device.All("serial"), Is.EqualTo(volume.Serial is null ? Array.Empty<string>() : new[] { volume.Serial }));
        }

        var shares = vm.Microvm["shares"]!.AsArray();
        var fsdevs = ValuesOf(args, "-fsdev").Select(Qemu).ToList();
        var chardevs = ValuesOf(args, "-chardev").Select(Qemu).Where(c => c.Positional == "socket").ToList();
        foreach (var share in record.Shares)
        {
            if (share.Proto == ShareProtocol.NineP)
            {
                var fsdev = fsdevs.Single(f => f["path"] == share.Source);
                Assert.That(fsdev.Positional, Is.EqualTo("local"));
                Assert.That(fsdev["security_model"], Is.EqualTo("none"));
                Assert.That(fsdev["readonly"], Is.EqualTo(share.ReadOnly ? "true" : "false"));
                Assert.That(devices.Single(d => d.Positional == "virtio-9p-pci" && d.All("fsdev").Contains(fsdev["id"]))["mount_tag"], Is.EqualTo(share.Tag));
            }
            else
            {
                var socket = (string)shares.Single(s => (string)s!["tag"]! == share.Tag)!["socket"]!;
                var chardev = chardevs.Single(c => c["path"] == socket);
                Assert.That(devices.Single(d => d.Positional == "vhost-user-fs-pci" && d.All("chardev").Contains(chardev["id"]))["tag"], Is.EqualTo(share.Tag));
            }
        }

        var netdevs = ValuesOf(args, "-netdev").Select(Qemu).ToList();
        Assert.That(netdevs, Has.Count.EqualTo(record.Interfaces.Count));
        foreach (var (nic, netdev) in record.Interfaces.Zip(netdevs))
        {
            Assert.That(netdev.Positional, Is.EqualTo(nic.Type == InterfaceType.Tap ? "tap" : "user"));
            Assert.That(netdev["id"], Is.EqualTo(nic.Id));
            if (nic.Type == InterfaceType.Tap)
            {
                Assert.That(netdev["ifname"], Is.EqualTo(nic.Id));
            }

            var device = devices.Single(d => d.Positional == "virtio-net-pci" && d.All("netdev").Contains(nic.Id));
            Assert.That(device["mac"], Is.EqualTo(nic.Mac));
        }

        Assert.That(devices.Single(d => d.Positional == "vhost-vsock-pci")["guest-cid"], Is.EqualTo(S(record.VsockCid)));
    }

    [Test]
    public void Cloud_hypervisor_gets_each_disk_fs_net_and_vsock_of_the_record()
    {
        var (record, vm) = Get("CloudHypervisor");
        var ch = Run(vm, "microvm-run", new ExecutionOptions { Environment = new Dictionary<string, string> { ["NOTIFY_SOCKET"] = "/run/judge/notify" } });
        var hypervisor = ch.Single("cloud-hypervisor");
        Assert.That((hypervisor.Package, hypervisor.System), Is.EqualTo(("cloud-hypervisor-graphics", "x86_64-linux")), "the package CloudHypervisor.Package names, from the host's package set");
        var args = hypervisor.Args;

        Assert.That(ValuesOf(args, "--cpus").Select(CloudHypervisor).Single()["boot"], Is.EqualTo(S(record.Vcpu)));
        var memory = ValuesOf(args, "--memory").Select(CloudHypervisor).Single();
        Assert.That(memory["size"], Is.EqualTo(S(record.Mem) + "M"));
        Assert.That(memory["shared"], Is.EqualTo("on"), "virtiofs needs shared memory");
        Assert.That(ValuesOf(args, "--cmdline").Single().Split(' '), Is.SupersetOf(record.KernelParams));

        // --disk A B C (clap's num_args since cloud-hypervisor 36): the store disk, then the volumes.
        var disks = MultiValuesOf(args, "--disk").Select(CloudHypervisor).ToList();
        Assert.That(disks, Has.Count.EqualTo(1 + record.Volumes.Count));
        Assert.That(disks[0]["readonly"], Is.EqualTo("on"), "the store disk");
        foreach (var (volume, disk) in record.Volumes.Zip(disks.Skip(1)))
        {
            Assert.That(disk["path"], Is.EqualTo(volume.Image.HostPath));
            Assert.That(disk["readonly"], Is.EqualTo(volume.ReadOnly ? "on" : "off"));
            Assert.That(disk["direct"], Is.EqualTo(volume.Direct ? "on" : "off"));
            Assert.That(disk["image_type"], Is.EqualTo("raw"));
            Assert.That(disk.All("serial"), Is.EqualTo(volume.Serial is null ? Array.Empty<string>() : new[] { volume.Serial }));
        }

        var fs = MultiValuesOf(args, "--fs").Select(CloudHypervisor).Single();
        Assert.That(fs["tag"], Is.EqualTo(record.Shares[0].Tag));
        Assert.That(fs["socket"], Is.EqualTo((string)vm.Microvm["shares"]![0]!["socket"]!));

        var net = MultiValuesOf(args, "--net").Select(CloudHypervisor).Single();
        Assert.That(net["tap"], Is.EqualTo(record.Interfaces[0].Id));
        Assert.That(net["mac"], Is.EqualTo(record.Interfaces[0].Mac));

        var vsock = ValuesOf(args, "--vsock").Select(CloudHypervisor).Single();
        Assert.That(vsock["cid"], Is.EqualTo(S(record.VsockCid)));
        Assert.That(vsock["socket"], Is.EqualTo("notify.vsock"));
        Assert.That(CloudHypervisorList(ValuesOf(args, "--platform").Select(CloudHypervisor).Single()["oem_strings"]),
            Is.EqualTo(new[] { "io.systemd.credential:vmm.notify_socket=vsock-stream:2:8888" }), "systemd-notify over vsock");
        Assert.That(ValuesOf(args, "--api-socket"), Is.EqualTo(new[] { (string)vm.Microvm["socket"]! }));

        // The notify socket forwarder upstream starts when systemd passes NOTIFY_SOCKET.
        Assert.That(ch.Single("socat").Args, Is.EqualTo(new[] { "-t0", "-T0.2", "UNIX-LISTEN:notify.vsock_8888,fork", "UNIX-SENDTO:/run/judge/notify" }));
    }

    [Test]
    public void Firecracker_gets_a_config_file_whose_drives_interfaces_and_vsock_are_the_record()
    {
        var (record, vm) = Get("Firecracker");
        var firecracker = Run(vm, "microvm-run").Single("firecracker");
        var socket = (string)vm.Microvm["socket"]!;
        Assert.That(firecracker.Args, Has.Count.EqualTo(5));
        Assert.That(firecracker.Args.Skip(2), Is.EqualTo(new[] { "--api-sock", socket, "--enable-pci" }));
        Assert.That(firecracker.Args[0], Is.EqualTo("--config-file"));

        // The file firecracker reads is the one upstream wrote with pkgs.writers.writeJSON.
        var text = File.ReadAllText(firecracker.Args[1]);
        // (The judge's store holds it with the store paths inside, such as cpu-config's, made real.)
        Assert.That(text, Is.EqualTo(File.ReadAllText(judge.Materialize(vm.Runner.File("firecracker-" + record.HostName + ".json")))));
        var config = JsonNode.Parse(text)!;

        var drives = config["drives"]!.AsArray();
        Assert.That((string)drives[0]!["drive_id"]!, Is.EqualTo("store"));
        Assert.That(drives, Has.Count.EqualTo(1 + record.Volumes.Count));
        foreach (var (volume, drive) in record.Volumes.Zip(drives.Skip(1)))
        {
            Assert.That((string)drive!["path_on_host"]!, Is.EqualTo(volume.Image.HostPath));
            Assert.That((string)drive["drive_id"]!, Is.EqualTo(volume.Image.HostPath));
            Assert.That((bool)drive["is_read_only"]!, Is.EqualTo(volume.ReadOnly));
            Assert.That((bool)drive["is_root_device"]!, Is.False);
            Assert.That((string)drive["io_engine"]!, Is.EqualTo("Async"));
        }

        // ExtraConfig is merged key by key into upstream's own configuration; Cpu is the JSON of the file cpu-config names.
        Assert.That((bool)config["machine-config"]!["smt"]!, Is.True);
        Assert.That((int)config["machine-config"]!["vcpu_count"]!, Is.EqualTo(record.Vcpu), "upstream's keys beside the merged ones");
        Assert.That(JsonNode.DeepEquals(config["logger"], JsonNode.Parse("""{"level":"Debug $x","show_level":true}""")), Is.True, config["logger"]?.ToJsonString());
        var cpu = File.ReadAllText((string)config["cpu-config"]!);
        Assert.That(JsonNode.DeepEquals(JsonNode.Parse(cpu), JsonNode.Parse("""{"kvm_capabilities":["!56"],"vcpu_features":[{"bitmap":"0b1100000","index":0}]}""")), Is.True, cpu);

        var nic = config["network-interfaces"]!.AsArray().Single()!;
        Assert.That((string)nic["iface_id"]!, Is.EqualTo(record.Interfaces[0].Id));
        Assert.That((string)nic["host_dev_name"]!, Is.EqualTo(record.Interfaces[0].Id));
        Assert.That((string)nic["guest_mac"]!, Is.EqualTo(record.Interfaces[0].Mac));
        Assert.That((int)config["vsock"]!["guest_cid"]!, Is.EqualTo(record.VsockCid));
        Assert.That((int)config["machine-config"]!["vcpu_count"]!, Is.EqualTo(record.Vcpu));
        Assert.That((int)config["machine-config"]!["mem_size_mib"]!, Is.EqualTo(record.Mem));
        Assert.That(((string)config["boot-source"]!["boot_args"]!).Split(' '), Is.SupersetOf(record.KernelParams));
    }

    [Test]
    public void Crosvm_gets_each_block_shared_dir_vhost_user_net_and_vsock_of_the_record()
    {
        var (record, vm) = Get("Crosvm");
        var crosvm = Run(vm, "microvm-run").Single("crosvm");
        var args = crosvm.Args;
        Assert.That(args[0], Is.EqualTo("run"));
        Assert.That(ValuesOf(args, "-m"), Is.EqualTo(new[] { S(record.Mem) }));
        Assert.That(ValuesOf(args, "-c"), Is.EqualTo(new[] { S(record.Vcpu) }));
        Assert.That(ValuesOf(args, "-s"), Is.EqualTo(new[] { (string)vm.Microvm["socket"]! }));
        Assert.That(ValuesOf(args, "-p").Single().Split(' '), Is.SupersetOf(record.KernelParams));

        var blocks = ValuesOf(args, "--block").Select(Crosvm).ToList();
        Assert.That(blocks, Has.Count.EqualTo(record.Volumes.Count));
        foreach (var (volume, block) in record.Volumes.Zip(blocks))
        {
            Assert.That(block.Positional, Is.EqualTo(volume.Image.HostPath));
            Assert.That(block["ro"], Is.EqualTo(volume.ReadOnly ? "true" : "false"));
            Assert.That(block["o_direct"], Is.EqualTo(volume.Direct ? "true" : "false"));
            Assert.That(block.All("id"), Is.EqualTo(volume.Serial is null ? Array.Empty<string>() : new[] { volume.Serial }));
        }

        var ninePShare = record.Shares.Single(s => s.Proto == ShareProtocol.NineP);
        var sharedDir = CrosvmSharedDir(ValuesOf(args, "--shared-dir").Single());
        Assert.That((sharedDir.Path, sharedDir.Tag, sharedDir.Options["type"]), Is.EqualTo((ninePShare.Source, ninePShare.Tag, "p9")));

        var virtiofs = Crosvm(ValuesOf(args, "--vhost-user").Single());
        Assert.That(virtiofs["type"], Is.EqualTo("fs"));
        Assert.That(virtiofs["socket"], Is.EqualTo((string)vm.Microvm["shares"]!.AsArray().Single(s => (string)s!["proto"]! == "virtiofs")!["socket"]!));

        var net = Crosvm(ValuesOf(args, "--net").Single());
        Assert.That(net["tap-name"], Is.EqualTo(record.Interfaces[0].Id));
        Assert.That(net["mac"], Is.EqualTo(record.Interfaces[0].Mac));
        Assert.That(ValuesOf(args, "--vsock"), Is.EqualTo(new[] { S(record.VsockCid) }));
        Assert.That(args[^1], Does.EndWith("/x86_64-linux/linux-dev/vmlinux"), "the kernel comes last");
    }

    [Test]
    public void Kvmtool_gets_each_disk_9p_share_network_and_vsock_of_the_record()
    {
        var (record, vm) = Get("Kvmtool");
        var lkvm = Run(vm, "microvm-run").Single("lkvm");
        var args = lkvm.Args;
        Assert.That(args[0], Is.EqualTo("run"));
        Assert.That(ValuesOf(args, "--name"), Is.EqualTo(new[] { record.HostName }));
        Assert.That(ValuesOf(args, "-m"), Is.EqualTo(new[] { S(record.Mem) }));
        Assert.That(ValuesOf(args, "-c"), Is.EqualTo(new[] { S(record.Vcpu) }));
        Assert.That(ValuesOf(args, "-p").Single().Split(' '), Is.SupersetOf(record.KernelParams));

        var disks = ValuesOf(args, "-d").Select(Kvmtool).ToList();
        Assert.That(disks, Has.Count.EqualTo(1 + record.Volumes.Count));
        Assert.That(disks[0].HasFlag("ro"), Is.True, "the store disk");
        foreach (var (volume, disk) in record.Volumes.Zip(disks.Skip(1)))
        {
            Assert.That(disk.Positional, Is.EqualTo(volume.Image.HostPath));
            Assert.That(disk.HasFlag("ro"), Is.EqualTo(volume.ReadOnly));
            Assert.That(disk.HasFlag("direct"), Is.EqualTo(volume.Direct));
        }

        var share = Kvmtool(ValuesOf(args, "--9p").Single());
        Assert.That(share.Positional, Is.EqualTo(record.Shares[0].Source));
        Assert.That(share.Items.Select(i => i.Key), Is.EqualTo(new[] { record.Shares[0].Tag }));

        var nets = ValuesOf(args, "-n").Select(Kvmtool).ToList();
        Assert.That(nets, Has.Count.EqualTo(record.Interfaces.Count));
        foreach (var (nic, net) in record.Interfaces.Zip(nets))
        {
            Assert.That(net["mode"], Is.EqualTo(nic.Type == InterfaceType.Tap ? "tap" : "user"));
            Assert.That(net["tapif"], Is.EqualTo(nic.Id));
            Assert.That(net["guest_mac"], Is.EqualTo(nic.Mac));
        }

        Assert.That(ValuesOf(args, "--vsock"), Is.EqualTo(new[] { S(record.VsockCid) }));
    }

    [Test]
    public void Stratovirt_runs_under_unbuffer_and_gets_each_drive_chardev_and_netdev_of_the_record()
    {
        var (record, vm) = Get("Stratovirt");
        var unbuffer = Run(vm, "microvm-run").Single("unbuffer");
        Assert.That(unbuffer.Package, Is.EqualTo("expect"));
        Assert.That(unbuffer.Args[0], Does.EndWith("/x86_64-linux/stratovirt/bin/stratovirt"));
        var args = unbuffer.Args.Skip(1).ToList();
        Assert.That(ValuesOf(args, "-name"), Is.EqualTo(new[] { record.HostName }));
        Assert.That(ValuesOf(args, "-m"), Is.EqualTo(new[] { S(record.Mem) }));
        Assert.That(ValuesOf(args, "-smp"), Is.EqualTo(new[] { S(record.Vcpu) }));
        Assert.That(ValuesOf(args, "-append").Single().Split(' '), Is.SupersetOf(record.KernelParams));

        var drives = ValuesOf(args, "-drive").Select(Stratovirt).ToList();
        var devices = ValuesOf(args, "-device").Select(Stratovirt).ToList();
        Assert.That(drives[0]["id"], Is.EqualTo("store"));
        foreach (var (volume, drive) in record.Volumes.Zip(drives.Skip(1)))
        {
            Assert.That(drive["file"], Is.EqualTo(volume.Image.HostPath));
            Assert.That(drive["readonly"], Is.EqualTo(volume.ReadOnly ? "on" : "off"));
            Assert.That(drive["direct"], Is.EqualTo(volume.Direct ? "on" : "off"));
            Assert.That("/dev/" + drive["id"], Is.EqualTo(GuestDevice(vm, volume)), "the generator's guest device comment names upstream's drive letter");
            var device = devices.Single(d => d.Positional == "virtio-blk-device" && d.All("drive").Contains(drive["id"]));
            Assert.That(device.All("serial"), Is.EqualTo(volume.Serial is null ? Array.Empty<string>() : new[] { volume.Serial }));
        }

        var chardev = Stratovirt(ValuesOf(args, "-chardev").Single());
        Assert.That(chardev["path"], Is.EqualTo((string)vm.Microvm["shares"]![0]!["socket"]!));
        Assert.That(devices.Single(d => d.Positional == "vhost-user-fs-device")["tag"], Is.EqualTo(record.Shares[0].Tag));

        var netdev = Stratovirt(ValuesOf(args, "-netdev").Single());
        Assert.That(netdev.Positional, Is.EqualTo("tap"));
        Assert.That(netdev["id"], Is.EqualTo(record.Interfaces[0].Id));
        Assert.That(netdev["ifname"], Is.EqualTo(record.Interfaces[0].Id));
        var nic = devices.Single(d => d.Positional == "virtio-net-device");
        Assert.That(nic["netdev"], Is.EqualTo(record.Interfaces[0].Id));
        Assert.That(nic["mac"], Is.EqualTo(record.Interfaces[0].Mac));
    }

    [Test]
    public void Alioth_gets_each_blk_fs_net_and_vsock_of_the_record()
    {
        var (record, vm) = Get("Alioth");
        var alioth = Run(vm, "microvm-run").Single("alioth");
        var args = alioth.Args;
        Assert.That(args[0], Is.EqualTo("run"));
        Assert.That(Alioth(ValuesOf(args, "--memory").Single())["size"], Is.EqualTo(S(record.Mem) + "M"));
        Assert.That(ValuesOf(args, "--num-cpu"), Is.EqualTo(new[] { S(record.Vcpu) }));
        Assert.That(ValuesOf(args, "-c").Single().Split(' '), Is.SupersetOf(record.KernelParams));

        var blks = ValuesOf(args, "--blk").Select(Alioth).ToList();
        Assert.That(blks, Has.Count.EqualTo(1 + record.Volumes.Count));
        foreach (var (volume, blk) in record.Volumes.Zip(blks.Skip(1)))
        {
            Assert.That(blk["path"], Is.EqualTo(volume.Image.HostPath));
            Assert.That(blk["readOnly"], Is.EqualTo(volume.ReadOnly ? "true" : "false"));
        }

        var fs = Alioth(ValuesOf(args, "--fs").Single());
        Assert.That(fs.Positional, Is.EqualTo("vu"));
        Assert.That(fs["socket"], Is.EqualTo((string)vm.Microvm["shares"]![0]!["socket"]!));
        Assert.That(fs["tag"], Is.EqualTo(record.Shares[0].Tag));

        var net = Alioth(ValuesOf(args, "--net").Single());
        Assert.That(net["if_name"], Is.EqualTo(record.Interfaces[0].Id));
        Assert.That(net["mac"], Is.EqualTo(record.Interfaces[0].Mac));
        var vsock = Alioth(ValuesOf(args, "--vsock").Single());
        Assert.That((vsock.Positional, vsock["cid"]), Is.EqualTo(("vhost", S(record.VsockCid))));
    }

    [Test]
    public void Vfkit_runs_on_a_darwin_host_and_gets_each_device_of_the_record()
    {
        var (record, vm) = Get("Vfkit");
        var result = Run(vm, "microvm-run");

        // vfkit's runner makes the socket path absolute in a `bash -c`, which the stub passes to bash.
        Assert.That(result.Single("bash").Args[0], Is.EqualTo("-c"));
        var vfkit = result.Single("vfkit");
        Assert.That((vfkit.Package, vfkit.System), Is.EqualTo(("vfkit", "aarch64-darwin")), "the host is a Mac");
        var args = vfkit.Args;
        Assert.That(ValuesOf(args, "--cpus"), Is.EqualTo(new[] { S(record.Vcpu) }));
        Assert.That(ValuesOf(args, "--memory"), Is.EqualTo(new[] { S(record.Mem) }));
        Assert.That(ValuesOf(args, "--restful-uri"), Is.EqualTo(new[] { "unix:///" + Path.Combine(result.WorkingDirectory, (string)vm.Microvm["socket"]!) }));

        var bootloader = Vfkit(ValuesOf(args, "--bootloader").Single());
        Assert.That(bootloader.Positional, Is.EqualTo("linux"));
        Assert.That(bootloader["kernel"], Does.Contain("/aarch64-linux/"), "the guest is aarch64-linux");
        Assert.That(bootloader["cmdline"].Split(' '), Is.SupersetOf(record.KernelParams));

        var devices = ValuesOf(args, "--device").Select(Vfkit).ToList();
        var blocks = devices.Where(d => d.Positional == "virtio-blk").ToList();
        Assert.That(blocks, Has.Count.EqualTo(1 + record.Volumes.Count));
        Assert.That(blocks.Skip(1).Select(b => b["path"]), Is.EqualTo(record.Volumes.Select(v => v.Image.HostPath)));
        var fs = devices.Single(d => d.Positional == "virtio-fs");
        Assert.That((fs["sharedDir"], fs["mountTag"]), Is.EqualTo((record.Shares[0].Source, record.Shares[0].Tag)));
        var net = devices.Single(d => d.Positional == "virtio-net");
        Assert.That(net.HasFlag("nat"), Is.True);
        Assert.That(net["mac"], Is.EqualTo(record.Interfaces[0].Mac));

        Assert.That(vm.Runner.Scripts.Keys, Does.Not.Contain("virtiofsd-run"), "vfkit shares directories itself");
    }

    // ---------------------------------------------------------------------------------------------
    // The other scripts

    [TestCase("Qemu", "data")]
    [TestCase("CloudHypervisor", "data")]
    [TestCase("Crosvm", "data")]
    [TestCase("Stratovirt", "data")]
    [TestCase("Alioth", "data")]
    public void Virtiofsd_run_starts_one_virtiofsd_per_share_with_its_exact_arguments(string member, string tag)
    {
        var (record, vm) = Get(member);
        var share = record.Shares.Single(s => s.Tag == tag);
        var socket = (string)vm.Microvm["shares"]!.AsArray().Single(s => (string)s!["tag"]! == tag)!["socket"]!;

        var supervisord = Run(vm, "virtiofsd-run").Single("supervisord");
        Assert.That(supervisord.Args[0], Is.EqualTo("--configuration"));
        var ini = Ini(File.ReadAllText(supervisord.Args[1]));
        Assert.That(ini["supervisord"]["user"], Is.EqualTo("root"));
        var program = ini["program:virtiofsd-" + tag];

        // The program supervisord starts is upstream's per-share script: run it.
        var script = vm.Runner.File("virtiofsd-" + tag);
        Assert.That(program["command"], Is.EqualTo(judge.Materialize(script)));
        Assert.That(judge.BashSyntaxError(script), Is.Null);
        var virtiofsd = judge.Execute(script).Single("virtiofsd");
        var expected = new List<string>
        {
            "--socket-path=" + socket, "--socket-group=kvm", "--shared-dir=" + share.Source, "--rlimit-nofile", "1048576",
            "--thread-pool-size", "4", "--posix-acl", "--xattr", "--cache=auto", "--inode-file-handles=prefer",
        };
        if (record.Hypervisor == Hypervisor.Crosvm)
        {
            expected.Add("--tag=" + tag);
        }

        if (share.ReadOnly)
        {
            expected.Add("--readonly");
        }

        Assert.That(virtiofsd.Args, Is.EqualTo(expected), "virtiofsd's arguments (id -u is 0 and nproc 4 in the stubs)");

        // The event listener waits for every virtiofsd and itself.
        var handler = vm.Runner.File("supervisord-event-handler");
        var shares = record.Shares.Count(s => s.Proto == ShareProtocol.Virtiofs);
        Assert.That(handler.Text, Does.Contain("expected_count = " + (1 + shares) + "\n"));
    }

    [TestCase("Qemu", true)]
    [TestCase("Firecracker", false)]
    [TestCase("Stratovirt", true)]
    public void Tap_up_creates_each_tap_for_the_microvm_user_and_tap_down_deletes_it(string member, bool multiQueue)
    {
        var (record, vm) = Get(member);
        var id = record.Interfaces.Single(i => i.Type == InterfaceType.Tap).Id;

        var up = Run(vm, "tap-up");
        Assert.That(up.Calls("ip").Select(c => c.Args), Is.EqualTo(new[]
        {
            new[] { "tuntap", "add", "name", id, "mode", "tap", "user", "microvm", "vnet_hdr" }.Concat(multiQueue ? ["multi_queue"] : Array.Empty<string>()),
            ["link", "set", id, "up"],
        }));
        Assert.That(up.Calls("ip").Select(c => c.Package), Is.All.EqualTo("iproute2"));
        Assert.That(Run(vm, "tap-down").Single("ip").Args, Is.EqualTo(new[] { "link", "delete", id }));

        if (UpstreamRunner.Sandboxed)
        {
            // A tap left over from the last start is deleted first.
            var again = Run(vm, "tap-up", new ExecutionOptions { FakeHost = new Dictionary<string, string> { ["/sys/class/net/" + id + "/"] = string.Empty } });
            Assert.That(again.Calls("ip")[0].Args, Is.EqualTo(new[] { "link", "delete", id }));
        }
    }

    [TestCase("QemuHostDevices")]
    [TestCase("CloudHypervisorMacvtap")]
    public void Macvtap_up_creates_the_macvtap_and_microvm_run_hands_its_tap_device_to_the_hypervisor(string member)
    {
        var (record, vm) = Get(member);
        var nic = record.Interfaces.Single();
        var fakeHost = new Dictionary<string, string>
        {
            ["/sys/class/net/" + nic.Id + "/ifindex"] = "42\n",
            ["/proc/sys/net/ipv6/conf/" + nic.Id + "/disable_ipv6"] = "0\n",
        };

        var up = Run(vm, "macvtap-up", new ExecutionOptions { FakeHost = fakeHost });
        Assert.That(up.Calls("ip").Select(c => c.Args), Is.EqualTo(new[]
        {
            new[] { "link", "delete", nic.Id },
            ["link", "add", "link", nic.MacvtapLink!, "name", nic.Id, "address", nic.Mac, "type", "macvtap", "mode", nic.MacvtapMode == MacvtapMode.Bridge ? "bridge" : "private"],
            ["link", "set", nic.Id, "allmulticast", "on"],
            ["link", "set", nic.Id, "up"],
        }));
        Assert.That(up.Single("chown").Args, Is.EqualTo(new[] { "microvm:kvm", "/dev/tap42" }));
        Assert.That(up.FakeHost["/proc/sys/net/ipv6/conf/" + nic.Id + "/disable_ipv6"], Is.EqualTo("1\n"), "IPv6 is switched off on the macvtap");

        // Two vCPUs: one queue, so one open /dev/tap42, per vCPU.
        var result = Run(vm, "microvm-run", new ExecutionOptions { FakeHost = fakeHost });
        var hypervisor = result.Invocations.Single(i => i.Program is "qemu-system-x86_64" or "cloud-hypervisor");
        Assert.That(hypervisor.FileDescriptors, Is.EqualTo(new Dictionary<int, string> { [3] = "/dev/tap42", [4] = "/dev/tap42" }));
        if (record.Hypervisor == Hypervisor.Qemu)
        {
            var netdev = Qemu(ValuesOf(hypervisor.Args, "-netdev").Single());
            Assert.That((netdev.Positional, netdev["id"], netdev["fds"]), Is.EqualTo(("tap", nic.Id, "3:4")));
            Assert.That(ValuesOf(hypervisor.Args, "-device").Select(Qemu).Single(d => d.Positional == "virtio-net-pci")["mac"], Is.EqualTo(nic.Mac));
        }
        else
        {
            var net = CloudHypervisor(MultiValuesOf(hypervisor.Args, "--net").Single());
            Assert.That(CloudHypervisorList(net["fd"]), Is.EqualTo(new[] { "3", "4" }));
            Assert.That(net["mac"], Is.EqualTo(nic.Mac));
        }
    }

    [Test]
    public void Pci_setup_binds_the_device_to_vfio_and_qemu_gets_it()
    {
        var (record, vm) = Get("QemuHostDevices");
        var path = record.Devices.Single().Path;
        var device = "/sys/bus/pci/devices/" + path;
        var result = Run(vm, "pci-setup", new ExecutionOptions
        {
            FakeHost = new Dictionary<string, string>
            {
                [device + "/driver/unbind"] = string.Empty,
                [device + "/driver_override"] = string.Empty,
                [device + "/iommu_group"] = "-> /sys/kernel/iommu_groups/17",
                ["/sys/kernel/iommu_groups/17/"] = string.Empty,
                ["/sys/bus/pci/drivers_probe"] = string.Empty,
            },
        });

        result.AssertSucceeded();
        Assert.That(result.Single("modprobe").Args, Is.EqualTo(new[] { "vfio-pci" }));
        Assert.That(result.FakeHost[device + "/driver/unbind"], Is.EqualTo(path + "\n"));
        Assert.That(result.FakeHost[device + "/driver_override"], Is.EqualTo("vfio-pci\n"));
        Assert.That(result.FakeHost["/sys/bus/pci/drivers_probe"], Is.EqualTo(path + "\n"));
        Assert.That(result.Single("chown").Args, Is.EqualTo(new[] { "microvm:kvm", "/dev/vfio/17" }));

        var qemu = Run(vm, "microvm-run", new ExecutionOptions { FakeHost = new Dictionary<string, string> { ["/sys/class/net/" + record.Interfaces[0].Id + "/ifindex"] = "42\n" } })
            .Single("qemu-system-x86_64");
        var vfio = ValuesOf(qemu.Args, "-device").Select(Qemu).Single(d => d.Positional == "vfio-pci");
        Assert.That(vfio["host"], Is.EqualTo(path));
    }

    [TestCase("CloudHypervisor")]
    [TestCase("Firecracker")]
    [TestCase("Crosvm")]
    [TestCase("Vfkit")]
    public void Microvm_shutdown_talks_to_the_vm_socket(string member)
    {
        var (record, vm) = Get(member);
        var socket = (string)vm.Microvm["socket"]!;
        var result = Run(vm, "microvm-shutdown", new ExecutionOptions { Environment = new Dictionary<string, string> { ["MAINPID"] = "4242" } });

        switch (record.Hypervisor)
        {
            case Hypervisor.CloudHypervisor:
                Assert.That(result.Single("curl").Args, Is.EqualTo(new[] { "-s", "--unix-socket", socket, "-X", "PUT", "http://localhost/api/v1/vm.power-button" }));
                Assert.That(result.Single("waitpid").Args, Is.EqualTo(new[] { "4242" }));
                break;
            case Hypervisor.Firecracker:
                Assert.That(result.Single("curl").Args, Is.EqualTo(new[] { "-s", "--unix-socket", socket, "-X", "PUT", "http://localhost/actions", "-d", "{ \"action_type\": \"SendCtrlAltDel\" }" }));
                Assert.That(result.Single("socat").Args, Is.EqualTo(new[] { "STDOUT", "UNIX:" + socket + ",shut-none" }));
                break;
            case Hypervisor.Crosvm:
                Assert.That(result.Single("crosvm").Args, Is.EqualTo(new[] { "powerbtn", socket }));
                break;
            default:
                var socat = result.Single("socat");
                Assert.That(socat.Args, Is.EqualTo(new[] { "-", "UNIX-CONNECT:" + Path.Combine(result.WorkingDirectory, socket) }));
                Assert.That(socat.System, Is.EqualTo("aarch64-darwin"));
                break;
        }
    }

    // ---------------------------------------------------------------------------------------------
    // The judge itself

    [Test]
    public void Stubs_record_every_argument_exactly()
    {
        var weird = new[] { string.Empty, "a b", "q\"uote's", "new\nline", "tab\there", "ünïcødé ✓", "$HOME", "back\\slash", "-", "--", "*" };
        var script = new NixFile("shellScript", "args", "ip " + string.Join(" ", weird.Select(a => "'" + a.Replace("'", "'\\''", StringComparison.Ordinal) + "'")) + "\n");
        var result = judge.Execute(script);
        result.AssertSucceeded();
        Assert.That(result.Single("ip").Args, Is.EqualTo(weird));
    }

    [TestCase("runtime_args=$(/etc/microvm/args)\n", "runs /etc/microvm/args")]
    [TestCase("exec -a \"microvm@x\" /usr/bin/qemu-system-x86_64 -m 1\n", "runs /usr/bin/qemu-system-x86_64")]
    [TestCase("echo 1 > /etc/motd\n", "writes to /etc/motd")]
    [TestCase("cd /etc\necho 1 > motd\n", "changes into /etc")]
    public void A_script_that_could_reach_the_machine_past_the_stubs_is_not_run(string text, string reason)
    {
        var ignored = Assert.Throws<IgnoreException>(() => judge.Execute(new NixFile("shellScript", "unsafe", text)));
        Assert.That(ignored!.Message, Does.Contain(reason));
    }

    [Test]
    public void A_module_upstream_refuses_fails_alone_with_upstreams_message()
    {
        // Hand-written: the generator renders neither (MVN205, MVN243).
        var modules = new[]
        {
            new GeneratedFile("ok.nix", "{ networking.hostName = \"ok\"; }"),
            new GeneratedFile("refused.nix", """
                { networking.hostName = "refused"; microvm = { hypervisor = "firecracker"; shares = [ { tag = "t"; source = "/srv/t"; mountPoint = "/t"; } ]; }; }
                """),
            new GeneratedFile("clash.nix", """
                { networking.hostName = "clash";
                  microvm.volumes = [ { image = "/var/lib/microvms/clash/a.img"; mountPoint = "/data"; size = 16; } ];
                  microvm.shares = [ { tag = "t"; source = "/srv/t"; mountPoint = "/data"; } ]; }
                """),
            new GeneratedFile("slash.nix", """
                { networking.hostName = "slash"; microvm.volumes = [ { image = "/var/lib/microvms/slash/a.img"; mountPoint = "/data/"; size = 16; } ]; }
                """),
            new GeneratedFile("recursion.nix", "{ config, ... }: { networking.hostName = config.networking.hostName; }"),
        };

        var vms = judge.Judge(modules);

        Assert.That(vms[0].Runner.Name, Is.EqualTo("microvm-qemu-ok"));
        Assert.That(vms[1].Evaluated("fileSystems"), Is.True);
        Assert.That(vms[1].Evaluated("runner"), Is.False);
        Assert.That(vms[1].Error("runner"), Does.Contain("9p/virtiofs shares not implemented for Firecracker"));
        Assert.That(vms[2].Evaluated("runner"), Is.True);
        Assert.That(vms[2].Error("fileSystems"), Does.Contain("fileSystems.\"/data\".").And.Contain("conflicting definition values"), "a volume and a share at one mount point");
        Assert.That(vms[3].Error("fileSystems"), Does.Contain("fileSystems.\"/data/\".mountPoint"));
        Assert.That(vms[4].ModuleError, Does.Contain("infinite recursion"), "an error tryEval cannot catch: the batch is evaluated one module at a time");
        Assert.That(vms[0].ModuleError, Is.Null);
    }

    [Test]
    public void Warnings_upstream_prints_are_attributed_to_their_module()
    {
        var vms = judge.Judge(
        [
            new GeneratedFile("quiet.nix", "{ networking.hostName = \"quiet\"; }"),
            new GeneratedFile("loud.nix", "{ networking.hostName = \"loud\"; microvm.mem = 2048; }"),
            new GeneratedFile("label.nix", """
                { networking.hostName = "label"; microvm.volumes = [ { image = "/dev/zvol/tank/label"; mountPoint = "/data"; size = 16; autoCreate = false; label = "data"; } ]; }
                """),
            new GeneratedFile("narrow.nix", "{ networking.hostName = \"narrow\"; microvm.mem = 16; }"),
        ]);

        Assert.That(vms[0].TraceWarnings, Is.Empty);
        Assert.That(vms[1].TraceWarnings.Single(), Does.StartWith("QEMU hangs if memory is exactly 2GB"));
        Assert.That(vms[2].TraceWarnings.Single(), Does.StartWith("Volume is not automatically labeled unless autoCreate is true"));
        Assert.That(vms[3].Warnings.Single(), Does.Contain("16 MB of RAM is uncomfortably narrow"));
    }

    [Test]
    public void A_hundred_vms_are_judged_in_one_evaluation()
    {
        var members = new StringBuilder();
        var kinds = new[] { "Qemu", "CloudHypervisor", "Firecracker", "Crosvm", "Kvmtool", "Stratovirt", "Alioth" };
        for (var i = 0; i < 100; i++)
        {
            var hypervisor = kinds[i % kinds.Length];
            var vsock = hypervisor is "Stratovirt" ? string.Empty : "VsockCid = " + (100 + i) + ", ";
            var volumes = hypervisor is "Alioth" ? string.Empty : "Volumes = [new() { Image = \"/var/lib/microvms/vm" + i + "/var.img\", MountPoint = \"/var\", Size = 512, Label = \"var" + i + "\" }],";
            members.Append(System.Globalization.CultureInfo.InvariantCulture, $$"""
                    [MicroVmModule]
                    public static readonly VirtualMachine Vm{{i}} = new()
                    {
                        HostName = "vm{{i}}", Hypervisor = Hypervisor.{{hypervisor}}, {{vsock}}
                        {{volumes}}
                        Interfaces = [new() { Type = InterfaceType.Tap, Id = "vm-t{{i}}", Mac = "02:00:00:01:{{i / 256:x2}}:{{i % 256:x2}}" }],
                    };

                """);
        }

        var fleet = GeneratorHarness.Run("using MicroVm.Nix;\npublic static class Fleet\n{\n" + members + "}\n");
        Assert.That(fleet.Diagnostics.Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error), Is.Empty);

        var clock = Stopwatch.StartNew();
        var vms = judge.Judge(fleet);
        TestContext.Out.WriteLine("100 modules judged in one nix-instantiate call in " + clock.ElapsedMilliseconds + " ms");

        Assert.That(vms, Has.Count.EqualTo(100));
        foreach (var vm in vms)
        {
            Assert.That(vm.HostName + ".nix", Is.EqualTo(vm.Module.FileName), "results stay in module order");
            Assert.That(vm.FailedAssertions, Is.Empty, vm.HostName);
            var script = vm.Runner.Script("microvm-run");
            if (vm.Hypervisor != "alioth")
            {
                Assert.That(script.Text, Does.Contain("mkfs.ext4 -L 'var" + vm.HostName[2..] + "'"), vm.HostName);
            }
        }

        Assert.That(judge.BashSyntaxError(vms[^1].Runner.Script("microvm-run")), Is.Null);
    }

    /// <summary>How long one batch takes for 1, 10, 100 and 300 modules (run explicitly; prints the times).</summary>
    [Test]
    [Explicit("Measures; prints timings")]
    public void Batch_timing()
    {
        var module = run.Modules.Single(m => m.FileName == "qemu-vm.nix");
        foreach (var count in new[] { 1, 10, 100, 300 })
        {
            var modules = Enumerable.Range(0, count).Select(i => new GeneratedFile("vm" + i + ".nix", module.Text.Replace("\"qemu-vm\"", "\"vm" + i + "\"", StringComparison.Ordinal))).ToList();
            var clock = Stopwatch.StartNew();
            var vms = judge.Judge(modules);
            var evaluation = clock.ElapsedMilliseconds;
            _ = vms.Select(v => v.Runner.Script("microvm-run").Text).ToList();
            TestContext.Out.WriteLine(count + " modules: " + evaluation + " ms in one nix-instantiate call (" + (evaluation / count) + " ms per module), " + clock.ElapsedMilliseconds + " ms with decoding");
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Helpers

    private ExecutionResult Run(JudgedVm vm, string script, ExecutionOptions? options = null)
    {
        var result = judge.Execute(vm.Runner.Script(script), options);
        result.AssertSucceeded();
        return result;
    }

    private static string HypervisorProgram(string hypervisor) => hypervisor switch
    {
        "qemu" => "qemu-system-x86_64",
        "kvmtool" => "lkvm",
        "stratovirt" => "unbuffer",
        _ => hypervisor,
    };

    private static string S(int? value) => value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;

    /// <summary>A fake /sys in which every macvtap interface of <paramref name="record"/> exists with ifindex 42.</summary>
    private static Dictionary<string, string> FakeHostFor(VirtualMachine record) =>
        record.Interfaces.Where(i => i.Type == InterfaceType.Macvtap).ToDictionary(i => "/sys/class/net/" + i.Id + "/ifindex", _ => "42\n", StringComparer.Ordinal);

    /// <summary>The guest device the generator's comment above <paramref name="volume"/> names (<c># guest: /dev/vdb, …</c>).</summary>
    private static string GuestDevice(JudgedVm vm, Volume volume)
    {
        var image = Regex.Escape("image = \"" + volume.Image.HostPath + "\";");
        var match = Regex.Match(vm.Module.Text, @"# guest: (/dev/vd[a-z]+)[^\n]*\n\s*\{\s*" + image);
        Assert.That(match.Success, Is.True, "a guest device comment above " + volume.Image.HostPath);
        return match.Groups[1].Value;
    }

    /// <summary>lib.generators.toINI's output: [section] then key=value lines.</summary>
    private static Dictionary<string, Dictionary<string, string>> Ini(string text)
    {
        var sections = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        Dictionary<string, string>? current = null;
        foreach (var line in text.Split('\n').Where(l => l.Length > 0))
        {
            if (line.StartsWith('[') && line.EndsWith(']'))
            {
                current = sections[line[1..^1]] = new Dictionary<string, string>(StringComparer.Ordinal);
            }
            else
            {
                var eq = line.IndexOf('=', StringComparison.Ordinal);
                current![line[..eq]] = line[(eq + 1)..];
            }
        }

        return sections;
    }
}
