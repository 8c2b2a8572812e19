using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using static MicroVm.Nix.Tests.Infrastructure.HypervisorSyntax;

namespace MicroVm.Nix.Tests.Infrastructure;

/// <summary>
/// The observers of the map of contexts (<c>ValueContexts</c>), shared by <c>UpstreamContextTests</c>
/// (each row's intact and broken example) and <c>ContextPropertyTests</c> (thousands of generated
/// values): per row, a function that returns the value(s) the row's consumer actually received from a
/// module upstream evaluated (<see cref="JudgedVm"/>): the stub-recorded argv of the hypervisor, mkfs,
/// ip or virtiofsd, a file the runner's build script wrote, NixOS's fileSystems, the host module's
/// tmpfiles rules. Where the final consumer cannot run here (QEMU, the kernel, udev, systemd-tmpfiles,
/// the other hypervisors' option parsers), <see cref="Consumer"/> models its parsing, citing the source.
/// A consumer that refuses what it gets, a failing evaluation, script or <c>bash -n</c> throws
/// <see cref="Refused"/>.
/// </summary>
internal static class ContextObservers
{
    private const string Qemu = "qemu-system-x86_64";

    /// <summary>The observer of each row, by row id.</summary>
    public static IReadOnlyDictionary<string, Func<Probe, IEnumerable<string>>> ByRow => Observers;

    /// <summary>
    /// Runs the observer of row <paramref name="id"/> on <paramref name="probe"/>. A refusal is part of the
    /// observation; an observer's own failure (an assertion) names the row and <paramref name="value"/>.
    /// </summary>
    public static Observation Observe(string id, Probe probe, string value)
    {
        try
        {
            return new Observation([.. Observers[id](probe)], null, probe.Notes);
        }
        catch (Refused refused)
        {
            return new Observation([], refused.Message, probe.Notes);
        }
        catch (AssertionException e)
        {
            throw new AssertionException("observing " + Show(value) + " in " + id + ": " + e.Message + "\n" + string.Join("\n", probe.Notes), e);
        }
    }

    /// <summary>A value as a C# literal, for messages.</summary>
    public static string Show(string value) => Microsoft.CodeAnalysis.CSharp.SymbolDisplay.FormatLiteral(value, quote: true);

    // ---------------------------------------------------------------------------------------------
    // The observers: per row, the values the row's consumer received.

    private static readonly Dictionary<string, Func<Probe, IEnumerable<string>>> Observers = new(StringComparer.Ordinal)
    {
        // lib/volumes.nix: touch '<image>' creates the image (a file operand of touch, not an option).
        // The drive QEMU opens must be a file: a path that names a directory where the runner runs (its state directory) is not.
        ["volume-image-file"] = p =>
        {
            var run = p.Run("microvm-run");
            return VolumeDrives(p).SelectMany(d => d.All("file")).Where(f => !System.IO.Directory.Exists(System.IO.Path.Combine(run.WorkingDirectory, f)));
        },

        ["volume-image-create-script"] = p => p.Run("microvm-run").Calls("touch").SelectMany(c => Consumer.GnuOperands(c.Args)),

        // QEMU's -drive id=vd<letter>,…,file=<image>: QemuOpts (HypervisorSyntax.Qemu).
        ["volume-image-qemu"] = p => VolumeDrives(p).SelectMany(d => d.All("file")),

        // Only a file= that QEMU does not read as a protocol reaches the file driver (block.c path_has_protocol).
        ["volume-image-qemu-protocol"] = p => VolumeDrives(p).SelectMany(d => d.All("file")).Where(f => !Consumer.QemuPathHasProtocol(f)),

        // cloud-hypervisor --disk A B C, each parsed by option_parser, path= dequoted.
        ["volume-image-cloud-hypervisor"] = p => MultiValuesOf(p.Argv("cloud-hypervisor"), "--disk").Select(Consumer.CloudHypervisorOptions).Select(o => o.GetValueOrDefault("path")).OfType<string>(),

        // crosvm --block <path>,… parsed by serde_keyvalue into DiskOption.
        ["volume-image-crosvm"] = p => ValuesOf(p.Argv("crosvm"), "--block").Select(Consumer.CrosvmDiskPath),
        ["volume-image-crosvm-option"] = p => ValuesOf(p.Argv("crosvm"), "--block").Select(Consumer.CrosvmDiskPath),

        // kvmtool -d <image>,direct,ro: the file name ends at the first comma (disk/core.c).
        ["volume-image-kvmtool"] = p => ValuesOf(p.Argv("lkvm"), "-d").Select(Consumer.KvmtoolDiskImage).OfType<string>(),

        // stratovirt -drive …,file=<image>,…: str_slip_to_clap, then clap.
        ["volume-image-stratovirt"] = p => ValuesOf(StratovirtArgv(p), "-drive").Select(d => Consumer.Stratovirt(d, Consumer.StratovirtDriveOptions, classType: false)).Select(d => d.GetValueOrDefault("path-on-host")).OfType<string>(),

        // alioth --blk path=<image>,…: alioth-cli parse_blk_arg with serde-aco.

        // vfkit --device virtio-blk,path=<image>: deviceFromCmdLine.
        ["volume-image-vfkit"] = p => ValuesOf(p.Argv("vfkit"), "--device").Select(Consumer.VfkitDevice).Where(d => d.Type == "virtio-blk").SelectMany(d => d.Options.Where(o => o.Key == "path").Select(o => o.Value)),

        // lib/volumes.nix: mkfs.<fsType> -L '<label>' labels the new filesystem.
        ["volume-label-create-script"] = p => MkfsLabels(p),

        // The label reaches the guest only if the device the guest mounts is the link udev makes for it.
        ["volume-label-by-label"] = p =>
        {
            var labels = MkfsLabels(p);
            var device = Consumer.Fstab(p.FileSystems["/data"]).Device;
            p.Notes.Add("the guest mounts " + Show(device) + "; udev links " + string.Join(", ", labels.Select(l => Show("/dev/disk/by-label/" + Consumer.BlkidEncode(l)))));
            return labels.Where(l => device == "/dev/disk/by-label/" + Consumer.BlkidEncode(l));
        },

        // The mount points of the guest's fstab, as libmount reads them back.
        ["volume-mount-point-fstab"] = p => p.FileSystems.Values.Select(fs => Consumer.Fstab(fs).MountPoint),
        ["share-mount-point-fstab"] = p => p.FileSystems.Values.Select(fs => Consumer.Fstab(fs).MountPoint),

        // The type field of the volume's fstab line.
        ["volume-fs-type-fstab"] = p => [Consumer.Fstab(p.FileSystems["/data"]).FsType],

        // QEMU's -netdev …,id=<id>: a QEMU identifier or refused.
        ["interface-id-qemu"] = p => QemuValues(p, "-netdev").SelectMany(n => n.All("id")).Where(Consumer.QemuIdWellformed),

        // tap-up creates the tap: ip tuntap add name '<id>' …; the kernel takes a valid name only.
        ["interface-id-host"] = p => p.Run("tap-up").Calls("ip").Where(c => c.Args.Take(2).SequenceEqual(["tuntap", "add"]))
            .Select(c => After(c.Args, "name")).OfType<string>().Where(Consumer.LinuxDevValidName),

        // stratovirt -netdev <type>,id=<id>,…: str_slip_to_clap, then clap (NetDevcfg).

        // kvmtool -n mode=…,tapif=<id>,…: strtok(",=") pairs (virtio/net.c netdev_parser).
        ["interface-id-kvmtool"] = p => ValuesOf(p.Argv("lkvm"), "-n").SelectMany(n => Consumer.KvmtoolNetdev(n).Where(kv => kv.Key == "tapif").Select(kv => kv.Value)),

        // QEMU's -netdev bridge,…,br=<bridge>: the bridge helper opens that interface name.
        ["interface-bridge-qemu"] = p => QemuValues(p, "-netdev").Where(n => n.Positional == "bridge").SelectMany(n => n.All("br")).Where(Consumer.LinuxDevValidName),

        // macvtap-up: ip link add link '<link>' name '<id>' … type macvtap.
        // The fake host has the macvtap interface the VM creates (mvt-vm in ContextScenarios; the property tests number it).
        ["interface-macvtap-link"] = p =>
        {
            var id = p.InterfaceIds("macvtap").Single();
            return p.Run("macvtap-up", new ExecutionOptions
            {
                FakeHost = new Dictionary<string, string>
                {
                    ["/sys/class/net/" + id + "/ifindex"] = "42\n",
                    ["/proc/sys/net/ipv6/conf/" + id + "/disable_ipv6"] = "0\n",
                },
            }).Calls("ip").Where(c => c.Args.Take(3).SequenceEqual(["link", "add", "link"])).Select(c => c.Args[3]);
        },

        // QEMU's virtio-9p mount_tag, which must be the device the guest mounts.
        ["share-tag"] = p =>
        {
            var device = Consumer.Fstab(p.FileSystems["/mnt/share"]).Device;
            return QemuDevices(p, "virtio-9p-pci").SelectMany(d => d.All("mount_tag")).Where(t => t == device);
        },

        // QEMU's vhost-user-fs tag.
        ["share-tag-virtiofs"] = p => QemuDevices(p, "vhost-user-fs-pci").SelectMany(d => d.All("tag")),

        // The tag fits virtio_fs_config.tag (36 bytes: hw/virtio/vhost-user-fs.c vuf_device_realize).
        ["share-tag-virtiofs-length"] = p => QemuDevices(p, "vhost-user-fs-pci").SelectMany(d => d.All("tag")).Where(t => Encoding.UTF8.GetByteCount(t) <= 36),

        // QEMU's 9p mount tag (at most MAX_TAG_LEN - 1 = 31 bytes: hw/9pfs/9p.c v9fs_device_realize_common).
        ["share-tag-9p-qemu-length"] = p => QemuDevices(p, "virtio-9p-pci").SelectMany(d => d.All("mount_tag")).Where(t => Encoding.UTF8.GetByteCount(t) <= 31),

        // kvmtool --9p <dir>,<tag>: the tag after the first comma, at most MAX_TAG_LEN = 32 bytes (virtio/9p.c).
        ["share-tag-9p-kvmtool-length"] = p => ValuesOf(p.Argv("lkvm"), "--9p").Select(Consumer.Kvmtool9p).Select(s => s.Tag).OfType<string>().Where(t => Encoding.UTF8.GetByteCount(t) <= 32),

        // The host module's tmpfiles rule for the share, as systemd-tmpfiles parses it.
        ["share-source-host-tmpfiles"] = p => p.HostTmpfilesPaths().Where(path => path != "/var/lib/microvms"),

        // The runner's share/microvm/virtiofs/<tag>/source, written by its build script.
        ["share-source-runner"] = p => p.RunnerShareFiles("source"),

        // QEMU's -fsdev local,…,path=<source>.
        ["share-source-qemu-9p"] = p => QemuValues(p, "-fsdev").SelectMany(f => f.All("path")),

        // crosvm --shared-dir <source>:<tag>:type=p9, split at every ':' (src/crosvm/sys/linux/config.rs SharedDir::from_str).
        ["share-source-crosvm-9p"] = p => ValuesOf(p.Argv("crosvm"), "--shared-dir").Select(s => s.Split(':')[0]),

        // kvmtool --9p <dir>,<tag>: the directory before the first comma.
        ["share-source-kvmtool-9p"] = p => ValuesOf(p.Argv("lkvm"), "--9p").Select(Consumer.Kvmtool9p).Select(s => s.Dir),

        // vfkit --device virtio-fs,sharedDir=<source>,mountTag=<tag>.
        ["share-source-vfkit"] = p => ValuesOf(p.Argv("vfkit"), "--device").Select(Consumer.VfkitDevice).Where(d => d.Type == "virtio-fs").SelectMany(d => d.Options.Where(o => o.Key == "sharedDir").Select(o => o.Value)),

        // QEMU's -chardev socket,id=fs<n>,path=<socket>.
        ["share-socket"] = p => QemuValues(p, "-chardev").Where(c => c.Positional == "socket").SelectMany(c => c.All("path")),

        // virtiofsd's argv, from the per-share script supervisord starts.
        ["share-extra-args-virtiofsd"] = p => p.VirtiofsdArgv(),
        ["virtiofsd-extra-args"] = p => p.VirtiofsdArgv(),
        ["virtiofsd-group"] = p => p.VirtiofsdArgv().Where(a => a.StartsWith("--socket-group=", StringComparison.Ordinal)).Select(a => a["--socket-group=".Length..]),

        // pci-setup binds the device it names to vfio-pci: the address written to drivers_probe.
        // The fake host has the PCI device the VM's address designates, under the name the kernel gives it in
        // sysfs (Consumer.PciSysfsName); an address no device can have gets a host whose device is 0000:01:00.0.
        ["device-path-pci"] = p =>
        {
            var device = "/sys/bus/pci/devices/" + (Consumer.PciSysfsName(p.DevicePaths("pci").Single()) ?? "0000:01:00.0");
            var result = p.Run("pci-setup", new ExecutionOptions
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
            return result.FakeHost["/sys/bus/pci/drivers_probe"].Split('\n', StringSplitOptions.RemoveEmptyEntries);
        },

        // QEMU's -device usb-host,<options>: the options text.
        ["device-path-usb"] = p => ValuesOf(p.Argv(Qemu), "-device").Where(d => d.StartsWith("usb-host,", StringComparison.Ordinal)).Select(d => d["usb-host,".Length..]),

        // QEMU's vfio-pci id= and bus=, QEMU identifiers.
        ["device-qemu-id"] = p => QemuDevices(p, "vfio-pci").SelectMany(d => d.All("id")).Where(Consumer.QemuIdWellformed),
        ["device-qemu-bus"] = p => QemuDevices(p, "vfio-pci").SelectMany(d => d.All("bus")).Where(Consumer.QemuIdWellformed),

        // What follows multifunction=on in the vfio-pci option list.
        ["device-qemu-extra-args"] = p => ValuesOf(p.Argv(Qemu), "-device").Where(d => d.StartsWith("vfio-pci,", StringComparison.Ordinal))
            .Select(d => d.IndexOf("multifunction=on,", StringComparison.Ordinal) is var i and >= 0 ? d[(i + "multifunction=on,".Length)..] : string.Empty),

        // QEMU's -netdev user,…,hostfwd=<rule>, parsed as net/slirp.c slirp_hostfwd does.
        ["forward-port-host-address"] = p => QemuValues(p, "-netdev").SelectMany(n => n.All("hostfwd")).Select(Consumer.SlirpHostfwd).Select(f => f.HostAddress),
        ["forward-port-guest-address"] = p => QemuValues(p, "-netdev").SelectMany(n => n.All("hostfwd")).Select(Consumer.SlirpHostfwd).Select(f => f.GuestAddress),

        // QEMU's -qmp unix:<path>,server,nowait: the text after "unix:" is QemuOpts with the implied key path (chardev/char.c qemu_chr_parse_compat).
        ["vm-socket"] = p => ValuesOf(p.Argv(Qemu), "-qmp").Where(q => q.StartsWith("unix:", StringComparison.Ordinal)).Select(q => HypervisorSyntax.Qemu(q["unix:".Length..]))
            .SelectMany(o => new[] { o.Positional }.OfType<string>().Concat(o.All("path"))),

        // QEMU's -run-with user=<user>: a flag "user" alone means user=on (QemuOpts).
        ["vm-user-qemu"] = p => QemuValues(p, "-run-with").SelectMany(o => o.Items.Where(i => i.Key == "user").Select(i => i.Value ?? "on")),

        // QEMU's -smbios type=1,uuid=<id>, kept if qemu_uuid_parse accepts it.
        ["vm-machine-id"] = p => QemuValues(p, "-smbios").SelectMany(s => s.All("uuid")).Where(Consumer.QemuUuidValid),

        // The kernel's parameters: -append split as lib/cmdline.c next_arg does.
        ["vm-kernel-params"] = p => ValuesOf(p.Argv(Qemu), "-append").SelectMany(Consumer.KernelArgs),

        // vfkit --bootloader linux,…,cmdline="…": vfkit's parsing, then the kernel's.
        ["vm-kernel-params-vfkit"] = p => ValuesOf(p.Argv("vfkit"), "--bootloader").Select(Consumer.VfkitBootloaderCmdline).SelectMany(Consumer.KernelArgs),

        // The /nix/store overlay's upperdir=<path>/store, from its fstab options. NixOS mounts it from the
        // systemd initrd, where the system's root is /sysroot, and prefixes the directories with that
        // (nixos/modules/tasks/filesystems/overlayfs.nix, useStage1BaseDirectories): /sysroot/<path> is <path>.
        ["vm-writable-store-overlay"] = p => Consumer.Fstab(p.FileSystems["/nix/store"]).Options.Split(',')
            .Where(o => o.StartsWith("upperdir=", StringComparison.Ordinal) && o.EndsWith("/store", StringComparison.Ordinal))
            .Select(o => o["upperdir=".Length..^"/store".Length])
            .Select(d => p.FileSystems["/nix/store"].NeededForBoot && d.StartsWith("/sysroot/", StringComparison.Ordinal) ? d["/sysroot".Length..] : d),

        // QEMU's -fw_cfg name=opt/io.systemd.credentials/<name>,file=<path> (system/vl.c parse_fw_cfg: name at most 55 bytes).
        ["vm-credential-name"] = p => QemuValues(p, "-fw_cfg").SelectMany(f => f.All("name"))
            .Where(n => Encoding.UTF8.GetByteCount(n) <= 55 && n.StartsWith("opt/io.systemd.credentials/", StringComparison.Ordinal)).Select(n => n["opt/io.systemd.credentials/".Length..]),
        // The initrd: vfkit's --bootloader linux,…,initrd=<path>,…; qemu's -initrd <path> (an argv word of its own).
        ["vm-initrd-path-vfkit"] = p => ValuesOf(p.Argv("vfkit"), "--bootloader").Select(b => Consumer.VfkitBootloaderOption(b, "initrd")),
        ["vm-initrd-path"] = p => ValuesOf(p.Argv(Qemu), "-initrd"),

        ["vm-credential-file"] = p => QemuValues(p, "-fw_cfg").SelectMany(f => f.All("file")),

        // QEMU's -M <machine>,<key>=<value>,…
        // The graphics start script and the hypervisor: rm -f <socket>, crosvm device gpu --socket <socket>, then
        // cloud-hypervisor --gpu socket=<socket> or crosvm --vhost-user gpu,socket=<socket>. The socket is made
        // where upstream evaluated it, as crosvm's GPU device would, so the script's wait for it ends.
        ["graphics-socket-cloud-hypervisor"] = p => GraphicsSockets(p, run => ValuesOf(run.Calls("cloud-hypervisor").Single().Args, "--gpu")
            .Select(Consumer.CloudHypervisorOptions).Select(o => o.GetValueOrDefault("socket")).OfType<string>()),
        ["graphics-socket-crosvm"] = p => GraphicsSockets(p, run => MultiValuesOf(run.Calls("crosvm").Single(c => c.Args.Count > 0 && c.Args[0] == "run").Args, "--vhost-user")
            .Select(v => v.Split(',')).Where(parts => parts[0] == "gpu").SelectMany(parts => parts.Skip(1)).Where(part => part.StartsWith("socket=", StringComparison.Ordinal)).Select(part => part["socket=".Length..])),

        // The runner's build script: ln -s <script> $out/bin/<name>, run into a temporary $out.
        ["bin-script-name"] = p => p.RunnerBinNames().Where(n => n != "microvm-run" && n != "microvm-shutdown"),

        // The store disk's build script: bwrap … -- time mkfs.erofs <flags> -T 0 … / gensquashfs <flags> -D store ….
        ["store-disk-erofs-flags"] = p => Between(BwrapCommand(p), "mkfs.erofs", "-T"),
        ["store-disk-squashfs-flags"] = p => Between(BwrapCommand(p), "gensquashfs", "-D"),

        // QEMU's -device virtio-vga-gl,blob=true,hostmem=<hostmem>,venus=on (the gtk backend, upstream's default on Linux).
        ["graphics-hostmem-qemu"] = p => QemuDevices(p, "virtio-vga-gl").SelectMany(d => d.All("hostmem")),

        ["qemu-machine"] = p => QemuValues(p, "-M").Select(m => m.Positional).OfType<string>(),
        ["qemu-machine-opts-name"] = p => QemuValues(p, "-M").SelectMany(m => m.Items.Select(i => i.Key)),
        ["qemu-machine-opts-value"] = p => QemuValues(p, "-M").SelectMany(m => m.All("acpi")),

        // QEMU's -device pcie-root-port,id=<id>,bus=<bus>,slot=<slot>,addr=<addr>.
        ["qemu-pcie-root-port-id"] = p => QemuDevices(p, "pcie-root-port").SelectMany(d => d.All("id")).Where(Consumer.QemuIdWellformed),
        ["qemu-pcie-root-port-bus"] = p => QemuDevices(p, "pcie-root-port").SelectMany(d => d.All("bus")).Where(Consumer.QemuIdWellformed),
        ["qemu-pcie-root-port-slot"] = p => QemuDevices(p, "pcie-root-port").SelectMany(d => d.All("slot")),
        ["qemu-pcie-root-port-addr"] = p => QemuDevices(p, "pcie-root-port").SelectMany(d => d.All("addr")),

        // cloud-hypervisor --platform oem_strings=[…]: option_parser, then StringList.
        ["cloud-hypervisor-oem-string"] = p => ValuesOf(p.Argv("cloud-hypervisor"), "--platform").Select(Consumer.CloudHypervisorOptions)
            .Select(o => o.GetValueOrDefault("oem_strings")).OfType<string>().SelectMany(Consumer.CloudHypervisorStringList),

        // crosvm's preStart: mkdir -p <pivotRoot> (the directory operands of mkdir).
        ["crosvm-pivot-root"] = p => p.Run("microvm-run").Calls("mkdir").SelectMany(c => Consumer.GnuOperands(c.Args)),
    };

    /// <summary>
    /// What the graphics start script and the hypervisor make of the socket: each place's value, one value when every
    /// place got the same (rm's operands, crosvm device gpu's --socket, the hypervisor's own option).
    /// </summary>
    private static IEnumerable<string> GraphicsSockets(Probe p, Func<ExecutionResult, IEnumerable<string>> hypervisor)
    {
        var run = p.Run("microvm-run", new ExecutionOptions { Sockets = [p.GraphicsSocket], TimeoutSeconds = 5, Environment = new Dictionary<string, string> { ["XDG_RUNTIME_DIR"] = "/run/user/1000", ["WAYLAND_DISPLAY"] = "wayland-0" } });
        var start = run.Invocations.ToList().FindIndex(c => c.Program == "crosvm" && c.Args.Take(2).SequenceEqual(["device", "gpu"]));
        var gpu = start < 0 ? [] : new[] { After(run.Invocations[start].Args, "--socket") }.OfType<string>();
        // The last rm before crosvm's GPU device (the runner removes its control socket with rm earlier). The device
        // runs in the background, so the hypervisor may be recorded between the two.
        var rm = start < 0 ? -1 : run.Invocations.ToList().FindLastIndex(start, c => c.Program == "rm");
        var removed = rm < 0 ? [] : Consumer.GnuOperands(run.Invocations[rm].Args);
        var places = removed.Concat(gpu).Concat(hypervisor(run)).ToList();
        return places.Distinct().Count() == 1 ? places.Take(1) : places.Select(v => v + " (not in every place)");
    }

    /// <summary>The command bwrap runs in the store disk's build script (its arguments after <c>--</c>).</summary>
    private static List<string> BwrapCommand(Probe p)
    {
        var calls = p.Run(p.StoreDiskBuildScript).Calls("bwrap");
        return calls.Count == 1 ? [.. calls[0].Args.SkipWhile(a => a != "--").Skip(1)] : throw new Refused("the store disk's build calls bwrap " + calls.Count + " times");
    }

    /// <summary>The arguments between <paramref name="program"/> and the first <paramref name="next"/> after it.</summary>
    private static IEnumerable<string> Between(List<string> args, string program, string next) =>
        args.SkipWhile(a => a != program).Skip(1).TakeWhile(a => a != next);

    private static IEnumerable<OptionValue> QemuValues(Probe p, string option) => ValuesOf(p.Argv(Qemu), option).Select(HypervisorSyntax.Qemu);

    private static IEnumerable<OptionValue> QemuDevices(Probe p, string driver) => QemuValues(p, "-device").Where(d => d.Positional == driver);

    /// <summary>The -drive of each volume (upstream names them vd&lt;letter&gt;).</summary>
    private static IEnumerable<OptionValue> VolumeDrives(Probe p) => QemuValues(p, "-drive").Where(d => d.All("id").Any(i => i.StartsWith("vd", StringComparison.Ordinal)));

    /// <summary>stratovirt runs under expect's unbuffer: its argv is unbuffer's after the program.</summary>
    private static List<string> StratovirtArgv(Probe p) => [.. p.Argv("unbuffer").Skip(1)];

    private static List<string> MkfsLabels(Probe p) =>
        [.. p.Run("microvm-run").Invocations.Where(i => i.Program.StartsWith("mkfs.", StringComparison.Ordinal)).Select(i => After(i.Args, "-L")).OfType<string>()];

    private static string? After(IReadOnlyList<string> args, string option) =>
        args.Select((a, i) => (a, i)).Where(x => x.a == option && x.i + 1 < args.Count).Select(x => args[x.i + 1]).FirstOrDefault();

    // ---------------------------------------------------------------------------------------------
    // Observing many values at once

    /// <summary>
    /// Observes row <paramref name="id"/> in each of <paramref name="vms"/>, with the scripts the observer
    /// runs executed in batches (<see cref="UpstreamRunner.ExecuteMany"/>: the same stubs, sandbox and options as
    /// <see cref="UpstreamRunner.Execute"/>, many scripts per sandbox, and a safety check that reads quoted values
    /// as data) and the host's tmpfiles rules
    /// of every guest from one evaluation. Each observer runs until it needs a run not prepared yet; those
    /// runs are executed together, and the observers run again (observers are deterministic functions of
    /// their VM). An observer's own failure is an observation whose <see cref="Observation.Failure"/> says so.
    /// </summary>
    public static IReadOnlyList<Observation> ObserveAll(UpstreamRunner judge, string id, IReadOnlyList<(JudgedVm Vm, string Value)> vms, Action<int>? ran = null)
    {
        var probes = vms.Select(v => new Probe(judge, v.Vm) { Prepared = new PreparedRuns() }).ToList();
        var observations = new Observation?[vms.Count];
        var active = Enumerable.Range(0, vms.Count).ToList();
        while (active.Count > 0)
        {
            var waiting = new List<int>();
            foreach (var i in active)
            {
                var probe = probes[i];
                probe.Restart();
                probe.Prepared!.PendingRun = null;
                probe.Prepared.PendingTmpfiles = false;
                try
                {
                    observations[i] = Observe(id, probe, vms[i].Value);
                }
                catch (NotPrepared)
                {
                    waiting.Add(i);
                }
                catch (AssertionException e)
                {
                    observations[i] = new Observation([], null, [.. probe.Notes]) { Failure = e.Message };
                }
            }

            var runs = waiting.Where(i => probes[i].Prepared!.PendingRun is not null).ToList();
            if (runs.Count > 0)
            {
                var outcomes = judge.ExecuteMany([.. runs.Select(i => probes[i].Prepared!.PendingRun!)]);
                ran?.Invoke(runs.Count);
                foreach (var (i, outcome) in runs.Zip(outcomes))
                {
                    probes[i].Prepared!.Runs.Add((probes[i].Prepared!.PendingRun!, outcome));
                }
            }

            var tmpfiles = waiting.Where(i => probes[i].Prepared!.PendingTmpfiles).ToList();
            if (tmpfiles.Count > 0)
            {
                foreach (var (i, text) in tmpfiles.Zip(HostTmpfilesTexts(judge, [.. tmpfiles.Select(i => vms[i].Vm)])))
                {
                    probes[i].Prepared!.Tmpfiles = text;
                }
            }

            active = waiting;
        }

        return [.. observations.Select(o => o!)];
    }

    /// <summary>The host's tmpfiles.d text for one guest's shares (Nix/host-tmpfiles.nix), or upstream's error.</summary>
    public sealed record HostTmpfiles(string? Text, string? Error);

    /// <summary>The host's tmpfiles.d text for each guest's shares (evaluated by upstream), all guests in one <c>nix-instantiate</c> call.</summary>
    public static IReadOnlyList<HostTmpfiles> HostTmpfilesTexts(UpstreamRunner judge, IReadOnlyList<JudgedVm> vms)
    {
        var shares = Path.Combine(judge.Root, "shares-" + Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(shares, new JsonArray([.. vms.Select(vm => vm.Microvm["shares"]!.DeepClone())]).ToJsonString());
        var (microvm, lib) = Upstream.RequirePaths();
        var script = Path.Combine(RepoPaths.Root, "tests", "MicroVm.Nix.Tests", "Nix", "host-tmpfiles.nix");
        var (exitCode, stdout, stderr) = ProcessRunner.Run("nix-instantiate",
            ["--eval", "--strict", "--json", script, "--argstr", "microvm", Path.GetFullPath(microvm), "--argstr", "nixpkgsLib", Path.GetFullPath(lib), "--argstr", "sharesJson", shares]);
        if (exitCode == 0)
        {
            return [.. JsonNode.Parse(stdout)!.AsArray().Select(t => new HostTmpfiles((string)t!, null))];
        }

        // One guest's error fails the whole list: evaluate each on its own to attribute it.
        return vms.Count == 1 ? [new HostTmpfiles(null, stderr.Trim())] : [.. vms.SelectMany(vm => HostTmpfilesTexts(judge, [vm]))];
    }

    /// <summary>What an observer of <see cref="Probe.Prepared"/> asked for and was given, in order, and what it waits for.</summary>
    public sealed class PreparedRuns
    {
        public List<(ScriptRun Run, ScriptOutcome Outcome)> Runs { get; } = [];

        public ScriptRun? PendingRun { get; set; }

        public HostTmpfiles? Tmpfiles { get; set; }

        public bool PendingTmpfiles { get; set; }
    }

    /// <summary>The observer needs a run (or tmpfiles text) that is not prepared yet.</summary>
    public sealed class NotPrepared : Exception;

    // ---------------------------------------------------------------------------------------------
    // Observing

    /// <summary>What an observer saw: the values the consumer received, or why the value never got there.</summary>
    public sealed record Observation(IReadOnlyList<string> Values, string? Refusal, IReadOnlyList<string> Notes)
    {
        /// <summary>The observer's own failure (an assertion of its, or upstream's evaluation it needed), from <see cref="ObserveAll"/>.</summary>
        public string? Failure { get; init; }

        public override string ToString() =>
            (Failure is not null ? "the observer failed: " + Failure : Refusal is not null ? "refused: " + Refusal : "received [" + string.Join(", ", Values.Select(Show)) + "]")
            + (Notes.Count > 0 ? "\n  " + string.Join("\n  ", Notes.Select(n => n.Replace("\n", "\n    ", StringComparison.Ordinal))) : string.Empty);
    }

    /// <summary>The value never reached its consumer: upstream's evaluation, bash, the script or the consumer refused it.</summary>

    public sealed class Refused(string message) : Exception(message);

    /// <summary>
    /// One module as an observer sees it: upstream's evaluation, its scripts run with stubs, and notes for the report.
    /// Scripts run when the observer asks (<see cref="UpstreamRunner.Execute"/>), or, with <see cref="Prepared"/>,
    /// come from a batch run ahead (<see cref="ObserveAll"/>).
    /// </summary>
    public sealed class Probe(UpstreamRunner judge, JudgedVm vm)
    {
        private readonly Dictionary<string, ExecutionResult> runs = new(StringComparer.Ordinal);
        private string? shareOutput;
        private int requests;

        public List<string> Notes { get; } = [];

        /// <summary>
        /// When set, the runs and the host's tmpfiles rules this probe needs are prepared ahead, in a batch: the
        /// observer's n-th run is <c>Prepared.Runs[n]</c>, and a run or tmpfiles text not prepared yet is recorded in
        /// <see cref="PreparedRuns"/> and stops the observer (<see cref="NotPrepared"/>), which runs again once it is.
        /// </summary>
        public PreparedRuns? Prepared { get; init; }

        public JudgedRunner Runner
        {
            get
            {
                Require("runner");
                return vm.Runner;
            }
        }

        /// <summary>The store disk's build script (bwrap … mkfs.erofs or gensquashfs with the flags).</summary>
        public NixFile StoreDiskBuildScript
        {
            get
            {
                Require("storeDiskBuild");
                return vm.StoreDiskBuildScript;
            }
        }

        public IReadOnlyDictionary<string, JudgedFileSystem> FileSystems
        {
            get
            {
                Require("fileSystems");
                return vm.FileSystems;
            }
        }

        /// <summary>The paths of the VM's devices on <paramref name="bus"/> (pci, usb), as upstream evaluated them.</summary>
        public IReadOnlyList<string> DevicePaths(string bus)
        {
            Require("microvm");
            return [.. vm.Microvm["devices"]!.AsArray().Where(d => (string?)d!["bus"] == bus).Select(d => (string)d!["path"]!)];
        }

        /// <summary>microvm.graphics.socket, as upstream evaluated it.</summary>
        public string GraphicsSocket
        {
            get
            {
                Require("microvm");
                return (string)vm.Microvm["graphicsSocket"]!;
            }
        }

        /// <summary>The ids of the VM's interfaces of <paramref name="type"/> (user, tap, macvtap, bridge), as upstream evaluated them.</summary>
        public IReadOnlyList<string> InterfaceIds(string type)
        {
            Require("microvm");
            return [.. vm.Microvm["interfaces"]!.AsArray().Where(i => (string?)i!["type"] == type).Select(i => (string)i!["id"]!)];
        }

        /// <summary>Forgets what an earlier, stopped pass of the observer saw (runs, notes), keeping what was prepared.</summary>
        internal void Restart()
        {
            runs.Clear();
            Notes.Clear();
            requests = 0;
        }

        private void Require(string field)
        {
            if (vm.ModuleError is not null)
            {
                throw new Refused("upstream cannot evaluate the module: " + vm.ModuleError);
            }

            if (!vm.Evaluated(field))
            {
                throw new Refused("upstream's evaluation of " + field + " fails: " + vm.Error(field));
            }
        }

        /// <summary>Runs <paramref name="script"/> after <c>bash -n</c>; a syntax error or a failing run is a refusal.</summary>
        public ExecutionResult Run(NixFile script, ExecutionOptions? options = null)
        {
            if (runs.TryGetValue(script.Name, out var done) && options is null)
            {
                return done;
            }

            var (error, executed) = Execute(script, options);
            if (error is not null)
            {
                throw new Refused("bash -n " + script.Name + ": " + error);
            }

            var result = executed!;
            Notes.Add(script.Name + " called: " + (result.Invocations.Count == 0 ? "nothing" : "\n" + result));
            if (result.ExitCode != 0)
            {
                throw new Refused(script.Name + " exits with " + result.ExitCode + ": " + result.Stderr.Trim());
            }

            if (options is null)
            {
                runs[script.Name] = result;
            }

            return result;
        }

        /// <summary><c>bash -n</c>, then the run: now, or from <see cref="Prepared"/>.</summary>
        private (string? SyntaxError, ExecutionResult? Result) Execute(NixFile script, ExecutionOptions? options)
        {
            if (Prepared is null)
            {
                return judge.BashSyntaxError(script) is { } error ? (error, null) : (null, judge.Execute(script, options));
            }

            var index = requests++;
            if (index < Prepared.Runs.Count)
            {
                var (run, outcome) = Prepared.Runs[index];
                if (run.Script.Name != script.Name)
                {
                    throw new InvalidOperationException("The observer asked for " + script.Name + " where its earlier pass asked for " + run.Script.Name + ": observers must be deterministic.");
                }

                if (outcome.NotRun is not null)
                {
                    Assert.Ignore(outcome.NotRun);
                }

                return (outcome.SyntaxError, outcome.Result);
            }

            Prepared.PendingRun = new ScriptRun(script, options ?? new ExecutionOptions());
            throw new NotPrepared();
        }

        public ExecutionResult Run(string name, ExecutionOptions? options = null) => Run(Runner.Script(name), options);

        /// <summary>The argv of the one call of <paramref name="program"/> in microvm-run.</summary>
        public IReadOnlyList<string> Argv(string program)
        {
            var calls = Run("microvm-run").Calls(program);
            return calls.Count == 1 ? calls[0].Args : throw new Refused("microvm-run calls " + program + " " + calls.Count + " times");
        }

        /// <summary>virtiofsd's argv, from the per-share script supervisord starts (virtiofsd-&lt;tag&gt;).</summary>
        public IReadOnlyList<string> VirtiofsdArgv()
        {
            var calls = Run(Runner.File("virtiofsd-share")).Calls("virtiofsd");
            return calls.Count == 1 ? calls[0].Args : throw new Refused("virtiofsd-share calls virtiofsd " + calls.Count + " times");
        }

        /// <summary>
        /// Runs the runner's build script (it only creates directories and links and writes files under
        /// $out: checked line by line first) with the real mkdir and ln into a temporary $out, and
        /// returns share/microvm/virtiofs/*/<paramref name="file"/> as <c>cat</c> would print them, minus echo's newline.
        /// </summary>
        public List<string> RunnerShareFiles(string file)
        {
            var output = RunRunnerBuild();
            var virtiofs = Path.Combine(output, "share", "microvm", "virtiofs");
            return Directory.Exists(virtiofs)
                ? [.. Directory.GetDirectories(virtiofs).Select(d => Path.Combine(d, file)).Where(File.Exists).Select(f => File.ReadAllText(f)).Select(t => t.EndsWith('\n') ? t[..^1] : t)]
                : [];
        }

        /// <summary>The names in the runner's bin/ after its build script ran (<see cref="RunRunnerBuild"/>).</summary>
        public List<string> RunnerBinNames()
        {
            var bin = Path.Combine(RunRunnerBuild(), "bin");
            return Directory.Exists(bin) ? [.. Directory.GetFileSystemEntries(bin).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)] : [];
        }

        /// <summary>
        /// Runs the runner's build script with the real mkdir and ln into a temporary $out (one per probe, so that a
        /// prepared run and the observer's next pass agree on it) and returns $out. The script must only create
        /// directories and links and write files under $out, line by line; a line that would do more (a value that
        /// split a word) is a refusal.
        /// </summary>
        private string RunRunnerBuild()
        {
            var build = Runner.BuildScript;
            var lines = build.Text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
            var allowed = new Regex("^(mkdir -p \\$out(/[^ ;&|`$]*)?|ln -s /[^ ;&|`$]+ \\$out/[^ ;&|`$]+|echo .* >>? \\$out/[^ ;&|`$]+)$", RegexOptions.CultureInvariant);
            if (lines.FirstOrDefault(l => !allowed.IsMatch(l)) is { } other)
            {
                throw new Refused("the runner's build script would do more than write under $out: " + other);
            }

            var output = shareOutput ??= Path.Combine(judge.Root, "out-" + Guid.NewGuid().ToString("N"));
            Run(build, new ExecutionOptions { Environment = new Dictionary<string, string> { ["out"] = output }, RealPrograms = ["mkdir", "ln"] });
            return output;
        }

        /// <summary>
        /// The paths systemd-tmpfiles creates from the host module's rules for this guest's shares
        /// (Nix/host-tmpfiles.nix evaluates upstream's host module; <see cref="Consumer.TmpfilesPath"/> parses each line).
        /// </summary>
        public List<string> HostTmpfilesPaths()
        {
            Require("microvm");
            HostTmpfiles text;
            if (Prepared is null)
            {
                text = HostTmpfilesTexts(judge, [vm])[0];
            }
            else if (Prepared.Tmpfiles is { } prepared)
            {
                text = prepared;
            }
            else
            {
                Prepared.PendingTmpfiles = true;
                throw new NotPrepared();
            }

            if (text.Error is not null)
            {
                throw new Refused("upstream's host module: " + text.Error);
            }

            Notes.Add("tmpfiles.d:\n" + text.Text!.TrimEnd('\n'));
            var paths = new List<string>();
            foreach (var line in text.Text.Split('\n').Where(l => l.Trim().Length > 0 && !l.TrimStart().StartsWith('#')))
            {
                var (path, error) = Consumer.TmpfilesPath(line);
                Notes.Add(error is null ? "systemd-tmpfiles creates " + Show(path!) : "systemd-tmpfiles refuses the line: " + error);
                if (path is not null)
                {
                    paths.Add(path);
                }
            }

            return paths;
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Models of the consumers that cannot run here.

    /// <summary>
    /// Test-side models of how the final readers parse what upstream hands them, each after its source
    /// (repository, file, function). A parse the reader would refuse throws <see cref="Refused"/>.
    /// </summary>
    public static class Consumer
    {
        /// <summary>QEMU block.c path_has_protocol: a ':' before any '/' makes the prefix a protocol name.</summary>
        public static bool QemuPathHasProtocol(string path) => path.IndexOfAny([':', '/']) is var i and >= 0 && path[i] == ':';

        /// <summary>
        /// The name under /sys/bus/pci/devices of the PCI function <paramref name="address"/> designates
        /// ([domain:]bus:device.function in hex, domain 0 when left out), as the kernel names it
        /// (drivers/pci/probe.c pci_setup_device: "%04x:%02x:%02x.%d", lower-case hex); null when no PCI
        /// function can have that address (device above 0x1f, function above 7, or not an address at all).
        /// </summary>
        public static string? PciSysfsName(string address)
        {
            var m = Regex.Match(address, "^(?:([0-9a-fA-F]{1,4}):)?([0-9a-fA-F]{1,2}):([0-9a-fA-F]{1,2})\\.([0-7])\\z", RegexOptions.CultureInvariant);
            if (!m.Success)
            {
                return null;
            }

            int Hex(int group) => m.Groups[group].Success ? Convert.ToInt32(m.Groups[group].Value, 16) : 0;
            return Hex(3) > 0x1f ? null : string.Format(CultureInfo.InvariantCulture, "{0:x4}:{1:x2}:{2:x2}.{3}", Hex(1), Hex(2), Hex(3), m.Groups[4].Value);
        }

        /// <summary>
        /// The operands (files, directories) a GNU coreutils program takes from <paramref name="args"/>: getopt_long
        /// with argument permutation reads every argument that starts with '-' (but "-" itself) before "--" as
        /// options, wherever it stands. The options upstream passes take no argument (mkdir -p), so no option
        /// consumes the argument after it.
        /// </summary>
        public static IEnumerable<string> GnuOperands(IReadOnlyList<string> args)
        {
            var end = args.Select((a, i) => (a, i)).FirstOrDefault(x => x.a == "--", (a: string.Empty, i: args.Count)).i;
            return args.Take(end).Where(a => a == "-" || !a.StartsWith('-')).Concat(args.Skip(end + 1));
        }

        /// <summary>QEMU util/id.c id_wellformed: a letter, then letters, digits, '-', '.', '_'.</summary>
        public static bool QemuIdWellformed(string id) => Regex.IsMatch(id, "^[A-Za-z][A-Za-z0-9._-]*\\z", RegexOptions.CultureInvariant);

        /// <summary>QEMU util/uuid.c qemu_uuid_parse / qemu_uuid_is_valid: 36 characters, '-' at 8, 13, 18, 23, hex digits elsewhere.</summary>
        public static bool QemuUuidValid(string uuid) =>
            uuid.Length == 36 && uuid.Select((c, i) => i is 8 or 13 or 18 or 23 ? c == '-' : Uri.IsHexDigit(c)).All(ok => ok);

        /// <summary>
        /// Linux net/core/dev.c dev_valid_name: not empty, shorter than IFNAMSIZ (16), not "." or "..",
        /// and no '/', ':' or space (the kernel's isspace: \t \n \v \f \r space, and byte 0xA0).
        /// </summary>
        public static bool LinuxDevValidName(string name)
        {
            var bytes = Encoding.UTF8.GetBytes(name);
            return bytes.Length is > 0 and < 16 && name is not "." and not ".."
                && !bytes.Any(b => b is (byte)'/' or (byte)':' or (byte)' ' or (byte)'\t' or (byte)'\n' or 0x0b or 0x0c or (byte)'\r' or 0xa0);
        }

        /// <summary>
        /// util-linux libblkid/src/encode.c blkid_encode_string, which udev uses for the
        /// /dev/disk/by-label/ link (ID_FS_LABEL_ENC): letters, digits, "#+-.:=@_" and valid multi-byte
        /// UTF-8 stay, every other byte (backslash included) becomes \xNN.
        /// </summary>
        public static string BlkidEncode(string label)
        {
            var result = new StringBuilder();
            foreach (var rune in label.EnumerateRunes())
            {
                if (rune.Value >= 0x80)
                {
                    result.Append(rune.ToString());
                }
                else
                {
                    var c = (char)rune.Value;
                    result.Append(char.IsAsciiLetterOrDigit(c) || "#+-.:=@_".Contains(c, StringComparison.Ordinal) ? c.ToString() : "\\x" + ((int)c).ToString("x2", CultureInfo.InvariantCulture));
                }
            }

            return result.ToString();
        }

        /// <summary>One fstab entry as libmount reads it back.</summary>
        public sealed record FstabEntry(string Device, string MountPoint, string FsType, string Options);

        /// <summary>
        /// The fstab line NixOS writes for <paramref name="fs"/> (nixpkgs nixos/modules/tasks/filesystems.nix
        /// makeFstabEntries: device, mount point and options escaped by `escape`, which turns only space
        /// and tab into \040 and \011; fsType as it is), read back as libmount does (util-linux
        /// libmount/src/tab_parse.c mnt_parse_table_line: fields split at blanks, each unmangled, where
        /// only \ooo octal escapes are decoded).
        /// </summary>
        public static FstabEntry Fstab(JudgedFileSystem fs)
        {
            static string Escape(string s) => s.Replace(" ", "\\040", StringComparison.Ordinal).Replace("\t", "\\011", StringComparison.Ordinal);
            if (fs.Device is null)
            {
                throw new Refused("NixOS: No device specified for mount point ‘" + fs.MountPoint + "’.");
            }

            var line = Escape(fs.Device) + " " + Escape(fs.MountPoint) + " " + fs.FsType + " " + Escape(string.Join(",", fs.Options)) + " 0 0";
            var fields = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries).Select(Unmangle).ToList();
            return new FstabEntry(fields[0], fields[1], fields[2], fields[3]);
        }

        /// <summary>util-linux lib/mangle.c unmangle: \ followed by three octal digits is that byte.</summary>
        private static string Unmangle(string field) =>
            Regex.Replace(field, "\\\\([0-3][0-7]{2})", m => ((char)Convert.ToInt32(m.Groups[1].Value, 8)).ToString(), RegexOptions.CultureInvariant);

        /// <summary>
        /// cloud-hypervisor option_parser/src/lib.rs: split_commas (a '"' toggles quoting, '[' ']' nest
        /// outside quotes, a ',' splits only outside both; an unmatched ']' or unbalanced quotes or
        /// brackets are InvalidSyntax), each option split at its first '=' with the value trimmed, and
        /// OptionParser::get's dequote. Every option upstream passes is known, so no UnknownOption here.
        /// </summary>
        public static Dictionary<string, string> CloudHypervisorOptions(string text)
        {
            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var option in CloudHypervisorSplitCommas(text))
            {
                var eq = option.IndexOf('=', StringComparison.Ordinal);
                result[eq < 0 ? option : option[..eq]] = eq < 0 ? string.Empty : Dequote(option[(eq + 1)..].Trim());
            }

            return result;
        }

        /// <summary>cloud-hypervisor option_parser StringList::from_str: trim '[' and ']' off both ends, split_commas, no dequoting.</summary>
        public static List<string> CloudHypervisorStringList(string value) => CloudHypervisorSplitCommas(value.Trim().Trim('[', ']'));

        private static List<string> CloudHypervisorSplitCommas(string text)
        {
            var list = new List<string>();
            var current = new StringBuilder();
            var brackets = 0;
            var quoted = false;
            foreach (var c in text.Trim())
            {
                if (c == '"')
                {
                    quoted = !quoted;
                }
                else if (!quoted && c == '[')
                {
                    brackets++;
                }
                else if (!quoted && c == ']')
                {
                    if (brackets < 1)
                    {
                        throw new Refused("cloud-hypervisor: Invalid syntax: " + text);
                    }

                    brackets--;
                }
                else if (!quoted && c == ',' && brackets == 0)
                {
                    list.Add(current.ToString());
                    current.Clear();
                    continue;
                }

                current.Append(c);
            }

            list.Add(current.ToString());
            return quoted || brackets != 0 ? throw new Refused("cloud-hypervisor: Invalid syntax: " + text) : list;
        }

        /// <summary>cloud-hypervisor option_parser dequote: '"' characters go, "" inside a quoted run gives one '"'.</summary>
        private static string Dequote(string s)
        {
            var result = new StringBuilder();
            var quoted = false;
            var previous = '\0';
            foreach (var c in s)
            {
                if (c == '"')
                {
                    if (previous == '"' && !quoted)
                    {
                        result.Append('"');
                    }

                    quoted = !quoted;
                }
                else
                {
                    result.Append(c);
                }

                previous = c;
            }

            return result.ToString();
        }

        /// <summary>crosvm DiskOption's fields (devices/src/virtio/block/mod.rs, kebab-case, ro renamed, aliases o_direct, block_size, async_executor), and which are booleans.</summary>
        private static readonly Dictionary<string, (string Field, bool Bool)> CrosvmDiskFields = new(StringComparer.Ordinal)
        {
            ["path"] = ("path", false),
            ["ro"] = ("ro", true),
            ["root"] = ("root", true),
            ["sparse"] = ("sparse", true),
            ["direct"] = ("direct", true),
            ["o_direct"] = ("direct", true),
            ["lock"] = ("lock", true),
            ["block-size"] = ("block-size", false),
            ["block_size"] = ("block-size", false),
            ["id"] = ("id", false),
            ["multiple-workers"] = ("multiple-workers", true),
            ["async-executor"] = ("async-executor", false),
            ["async_executor"] = ("async-executor", false),
            ["packed-queue"] = ("packed-queue", true),
            ["bootindex"] = ("bootindex", false),
            ["pci-address"] = ("pci-address", false),
            ["dontcache"] = ("dontcache", true),
        };

        /// <summary>
        /// The path crosvm's --block gives the disk: serde_keyvalue/src/key_values.rs from_key_values into
        /// DiskOption (deny_unknown_fields). The first field's name may be left out: when the input does
        /// not start with an identifier followed by '=', and that identifier is not a field name (a field
        /// name alone is a boolean flag), the first value is the path (deserialize_struct's
        /// next_identifier). A string is double-quoted (escapes \" and \\), single-quoted, or unquoted up
        /// to the next ',' and holding none of , " ' [ ] (any_string), and must be followed by ',', ']' or
        /// the end (parse_string, confirm_separator); booleans are true/false, or a bare flag.
        /// </summary>
        public static string CrosvmDiskPath(string text)
        {
            var input = text;
            var pos = 0;
            string? Identifier(int at)
            {
                var m = Regex.Match(input[at..], "^[\\p{L}\\p{Nd}_][\\p{L}\\p{Nd}_-]*", RegexOptions.CultureInvariant);
                return m.Success ? m.Value : null;
            }

            string? next;
            if (Identifier(0) is { } first)
            {
                next = first.Length < input.Length && input[first.Length] == '=' ? null : CrosvmDiskFields.ContainsKey(first) ? null : "path";
            }
            else
            {
                next = "path";
            }

            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            while (pos < input.Length && input[pos] != ']')
            {
                string key;
                bool hasEqual;
                if (next is not null)
                {
                    (key, next, hasEqual) = (next, null, true);
                }
                else
                {
                    key = Identifier(pos) ?? throw new Refused("crosvm --block: expected an identifier at position " + pos + " of " + Show(text));
                    pos += key.Length;
                    if (pos < input.Length && input[pos] == '=')
                    {
                        pos++;
                        hasEqual = true;
                    }
                    else if (pos == input.Length || input[pos] is ',' or ']')
                    {
                        hasEqual = false;
                    }
                    else
                    {
                        throw new Refused("crosvm --block: expected '=' at position " + pos + " of " + Show(text));
                    }
                }

                if (!CrosvmDiskFields.TryGetValue(key, out var field))
                {
                    throw new Refused("crosvm --block: unknown field `" + key + "` in " + Show(text));
                }

                string value;
                if (field.Bool && !hasEqual)
                {
                    value = "true";
                }
                else if (field.Bool)
                {
                    value = input[pos..].StartsWith("true", StringComparison.Ordinal) ? "true"
                        : input[pos..].StartsWith("false", StringComparison.Ordinal) ? "false"
                        : throw new Refused("crosvm --block: expected a boolean at position " + pos + " of " + Show(text));
                    pos += value.Length;
                }
                else
                {
                    (value, pos) = CrosvmString(input, pos) ?? throw new Refused("crosvm --block: expected a string at position " + pos + " of " + Show(text));
                    if (pos < input.Length && input[pos] is not (',' or ']'))
                    {
                        throw new Refused("crosvm --block: \" and ' can only be used in quoted strings (position " + pos + " of " + Show(text) + ")");
                    }
                }

                if (pos < input.Length && input[pos] == ',')
                {
                    pos++;
                }
                else if (pos < input.Length && input[pos] != ']')
                {
                    throw new Refused("crosvm --block: expected ',' at position " + pos + " of " + Show(text));
                }

                if (!values.TryAdd(field.Field, value))
                {
                    throw new Refused("crosvm --block: duplicate field `" + field.Field + "` in " + Show(text));
                }
            }

            if (pos != input.Length)
            {
                throw new Refused("crosvm --block: remaining characters in " + Show(text));
            }

            return values.GetValueOrDefault("path") ?? throw new Refused("crosvm --block: missing field `path` in " + Show(text));
        }

        /// <summary>serde_keyvalue any_string.</summary>
        private static (string Value, int End)? CrosvmString(string input, int pos)
        {
            if (pos < input.Length && input[pos] == '"')
            {
                var value = new StringBuilder();
                for (var i = pos + 1; i < input.Length; i++)
                {
                    if (input[i] == '\\' && i + 1 < input.Length && input[i + 1] is '"' or '\\')
                    {
                        value.Append(input[++i]);
                    }
                    else if (input[i] == '\\')
                    {
                        return null;
                    }
                    else if (input[i] == '"')
                    {
                        return (value.ToString(), i + 1);
                    }
                    else
                    {
                        value.Append(input[i]);
                    }
                }

                return null;
            }

            if (pos < input.Length && input[pos] == '\'')
            {
                var end = input.IndexOf('\'', pos + 1);
                return end < 0 ? null : (input[(pos + 1)..end], end + 1);
            }

            var stop = pos;
            while (stop < input.Length && input[stop] is not (',' or '"' or '\'' or '[' or ']'))
            {
                stop++;
            }

            return stop == pos ? null : (input[pos..stop], stop);
        }

        /// <summary>kvmtool disk/core.c disk_img_name_parser: the file name ends at the first ','; "scsi:…" names a SCSI target, not a file.</summary>
        public static string? KvmtoolDiskImage(string text) => text.StartsWith("scsi:", StringComparison.Ordinal) ? null : text.Split(',')[0];

        /// <summary>kvmtool virtio/9p.c virtio_9p_rootdir_parser: the directory up to the first ',', the tag (or none) after it.</summary>
        public static (string Dir, string? Tag) Kvmtool9p(string text) => text.IndexOf(',', StringComparison.Ordinal) is var i and >= 0 ? (text[..i], text[(i + 1)..]) : (text, null);

        /// <summary>
        /// kvmtool virtio/net.c netdev_parser: strtok(",=") tokens (empty ones skipped), taken in turns as
        /// parameter and value; set_net_param dies on an unknown parameter.
        /// </summary>
        public static List<KeyValuePair<string, string>> KvmtoolNetdev(string text)
        {
            string[] known = ["guest_mac", "host_mac", "mode", "script", "downscript", "guest_ip", "host_ip", "trans", "tapif", "vhost", "fd", "mq"];
            var tokens = text.Split([',', '='], StringSplitOptions.RemoveEmptyEntries);
            var pairs = new List<KeyValuePair<string, string>>();
            for (var i = 0; i + 1 < tokens.Length; i += 2)
            {
                pairs.Add(new(tokens[i], tokens[i + 1]));
            }

            return pairs.FirstOrDefault(p => !known.Contains(p.Key)) is { Key: not null } unknown
                ? throw new Refused("kvmtool: Unknown network parameter " + unknown.Key)
                : pairs;
        }

        /// <summary>The long options of StratoVirt's DriveConfig (machine_manager/src/config/drive.rs), aliases mapped to their option.</summary>
        public static readonly Dictionary<string, string> StratovirtDriveOptions = new(StringComparer.Ordinal)
        {
            ["id"] = "id", ["drive-type"] = "drive-type", ["if"] = "drive-type", ["unit"] = "unit", ["path-on-host"] = "path-on-host", ["file"] = "path-on-host",
            ["readonly"] = "readonly", ["direct"] = "direct", ["iops"] = "iops", ["throttling.iops-total"] = "iops", ["aio"] = "aio", ["media"] = "media",
            ["discard"] = "discard", ["write-zeroes"] = "write-zeroes", ["detect-zeroes"] = "write-zeroes", ["format"] = "format",
            ["l2-cache-size"] = "l2-cache-size", ["refcount-cache-size"] = "refcount-cache-size",
        };

        /// <summary>The long options of StratoVirt's NetDevcfg (machine_manager/src/config/network.rs), aliases mapped to their option.</summary>
        public static readonly Dictionary<string, string> StratovirtNetdevOptions = new(StringComparer.Ordinal)
        {
            ["netdev-type"] = "netdev-type", ["classtype"] = "netdev-type", ["id"] = "id", ["tap-fds"] = "tap-fds", ["fds"] = "tap-fds", ["fd"] = "tap-fds",
            ["vhost-kernel"] = "vhost-kernel", ["vhost"] = "vhost-kernel", ["vhost-fds"] = "vhost-fds", ["vhostfds"] = "vhost-fds", ["vhostfd"] = "vhost-fds",
            ["ifname"] = "ifname", ["path"] = "path", ["queues"] = "queues", ["chardev"] = "chardev", ["macnat"] = "macnat",
        };

        /// <summary>
        /// StratoVirt machine_manager/src/config/mod.rs str_slip_to_clap: the option list (with
        /// "classtype=" prepended when its first item is the type) split at every ',' and then every
        /// '=', the 1st, 3rd, … pieces of each item becoming "--piece" and the others values; then clap
        /// (no_binary_name): every "--option" known and followed by its value. NetDevcfg's netdev_type
        /// takes only tap or vhost-user.
        /// </summary>
        public static Dictionary<string, string> Stratovirt(string text, Dictionary<string, string> options, bool classType)
        {
            var tokens = new List<string>();
            foreach (var item in (classType ? "classtype=" + text : text).Split(','))
            {
                tokens.AddRange(item.Split('=').Select((piece, i) => i % 2 == 0 ? "--" + piece : piece));
            }

            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < tokens.Count; i += 2)
            {
                // An empty item (a trailing comma) gives "--", which ends clap's options: nothing may follow.
                if (tokens[i] == "--")
                {
                    if (i + 1 < tokens.Count)
                    {
                        throw new Refused("stratovirt: unexpected argument '" + tokens[i + 1] + "' in " + Show(text) + " (clap arguments: " + string.Join(" ", tokens) + ")");
                    }

                    break;
                }

                if (!tokens[i].StartsWith("--", StringComparison.Ordinal) || !options.TryGetValue(tokens[i][2..], out var option))
                {
                    throw new Refused("stratovirt: unexpected argument '" + tokens[i] + "' in " + Show(text) + " (clap arguments: " + string.Join(" ", tokens) + ")");
                }

                if (i + 1 >= tokens.Count || tokens[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    throw new Refused("stratovirt: a value is required for '" + tokens[i] + "' in " + Show(text));
                }

                result[option] = tokens[i + 1];
            }

            if (result.TryGetValue("netdev-type", out var type) && type is not ("tap" or "vhost-user"))
            {
                throw new Refused("stratovirt: invalid value '" + type + "' for '--netdev-type' (possible values: tap, vhost-user) in " + Show(text));
            }

            return result;
        }

        /// <summary>
        /// alioth alioth-cli/src/boot/boot.rs parse_blk_arg: the argument as a BlkSpec (a variant name
        /// first: file or vu), else as a BlkFileSpec (path, readonly, api; serde-aco/src/de.rs: a key runs
        /// to the next '=' and must hold no ',', a value to the next ','; an unknown key is
        /// Error::Ignored; a value starting with "id_" names an --object), else — after "Please update the
        /// cmd line to --blk file,path=…" — the whole argument is the path.
        /// </summary>
        public static string AliothBlkPath(string text)
        {
            var variant = text.Split(',')[0];
            if (variant is "File" or "file" && AliothBlkFileSpec(text[Math.Min(text.Length, variant.Length + 1)..]) is { } inner)
            {
                return inner;
            }

            return AliothBlkFileSpec(text) ?? text;
        }

        private static string? AliothBlkFileSpec(string text)
        {
            var input = text;
            string? path = null;
            while (input.Length > 0)
            {
                var eq = input.IndexOf('=', StringComparison.Ordinal);
                if (eq < 0 || input[..eq].Contains(',', StringComparison.Ordinal))
                {
                    return null;
                }

                var key = input[..eq];
                input = input[(eq + 1)..];
                var comma = input.IndexOf(',', StringComparison.Ordinal);
                var value = comma < 0 ? input : input[..comma];
                input = comma < 0 ? string.Empty : input[(comma + 1)..];
                if (value.StartsWith("id_", StringComparison.Ordinal))
                {
                    return null;
                }

                switch (key)
                {
                    case "path":
                        path = value;
                        break;
                    case "readonly" when value is "true" or "false":
                    case "api":
                        break;
                    default:
                        return null;
                }
            }

            return path;
        }

        /// <summary>One vfkit --device: its type and options.</summary>
        public sealed record VfkitDeviceOptions(string Type, IReadOnlyList<KeyValuePair<string, string>> Options);

        /// <summary>
        /// vfkit pkg/config/virtio.go deviceFromCmdLine: strings.Split at every ',', the type first, each
        /// option split at its first '=' (strToOption, empty ones skipped); VirtioFs.FromOptions and
        /// DiskStorageConfig.FromOptions refuse unknown options.
        /// </summary>
        public static VfkitDeviceOptions VfkitDevice(string text)
        {
            var parts = text.Split(',');
            var options = parts.Skip(1).Where(o => o.Length > 0)
                .Select(o => o.IndexOf('=', StringComparison.Ordinal) is var eq and >= 0 ? new KeyValuePair<string, string>(o[..eq], o[(eq + 1)..]) : new KeyValuePair<string, string>(o, string.Empty)).ToList();
            string[]? known = parts[0] switch
            {
                "virtio-fs" => ["sharedDir", "mountTag"],
                "virtio-blk" => ["deviceId", "path", "type", "readonly"],
                _ => null,
            };
            return known is not null && options.FirstOrDefault(o => !known.Contains(o.Key)) is { Key: not null } unknown
                ? throw new Refused("vfkit: unknown option for " + parts[0] + " devices: " + unknown.Key)
                : new VfkitDeviceOptions(parts[0], options);
        }

        /// <summary>
        /// The kernel command line vfkit's --bootloader gives the guest: pkg/cmdline/string_slice.go
        /// parseString (split at ',' outside double quotes, the quotes kept; each piece through
        /// util.TrimQuotes; unbalanced quotes are an error), BootloaderFromCmdLine (the type, then
        /// options split at their first '='), LinuxBootloader.FromOptions (cmdline through
        /// util.TrimQuotes, which strips every leading and trailing '"' when the value starts and ends with one).
        /// </summary>
        public static string VfkitBootloaderCmdline(string text) => VfkitBootloaderOption(text, "cmdline");

        /// <summary>One option of vfkit's --bootloader (<c>kernel</c>, <c>initrd</c>, <c>cmdline</c>), read as <see cref="VfkitBootloaderCmdline"/> describes.</summary>
        public static string VfkitBootloaderOption(string text, string name)
        {
            var pieces = new List<string>();
            var current = new StringBuilder();
            var quoted = false;
            foreach (var c in text)
            {
                if (quoted)
                {
                    quoted = c != '"';
                    current.Append(c);
                }
                else if (c == ',')
                {
                    pieces.Add(TrimQuotes(current.ToString()));
                    current.Clear();
                }
                else
                {
                    quoted = c == '"';
                    current.Append(c);
                }
            }

            if (quoted)
            {
                throw new Refused("vfkit: mismatched \" in --bootloader " + Show(text));
            }

            pieces.Add(TrimQuotes(current.ToString()));
            if (pieces[0] != "linux")
            {
                throw new Refused("vfkit: bootloader type " + pieces[0]);
            }

            var value = pieces.Skip(1).Where(p => p.Length > 0).Where(p => p.Split('=', 2)[0] == name).Select(p => p.Split('=', 2) is [_, var v] ? v : string.Empty).LastOrDefault();
            return TrimQuotes(value ?? throw new Refused("vfkit: no " + name + " in --bootloader " + Show(text)));
        }

        private static string TrimQuotes(string s) => s.StartsWith('"') && s.EndsWith('"') ? s.Trim('"') : s;

        /// <summary>
        /// The parameters the kernel reads from its command line, each as written (quotes included):
        /// Linux lib/cmdline.c next_arg, as parse_args calls it: leading spaces skipped, an argument runs
        /// to the next space outside double quotes, every '"' toggles quoting (no escape for '"').
        /// </summary>
        public static IEnumerable<string> KernelArgs(string line)
        {
            static bool Space(char c) => c is ' ' or '\t' or '\n' or '\v' or '\f' or '\r';
            var pos = 0;
            while (pos < line.Length && Space(line[pos]))
            {
                pos++;
            }

            while (pos < line.Length)
            {
                var start = pos;
                var quoted = false;
                if (line[pos] == '"')
                {
                    pos++;
                    quoted = true;
                }

                var i = pos;
                for (; i < line.Length; i++)
                {
                    if (Space(line[i]) && !quoted)
                    {
                        break;
                    }

                    if (line[i] == '"')
                    {
                        quoted = !quoted;
                    }
                }

                yield return line[start..i];
                pos = i < line.Length ? i + 1 : i;
                while (pos < line.Length && Space(line[pos]))
                {
                    pos++;
                }
            }
        }

        /// <summary>A host forwarding rule as slirp reads it.</summary>
        public sealed record Hostfwd(string HostAddress, int HostPort, string GuestAddress, int GuestPort);

        /// <summary>
        /// QEMU net/slirp.c slirp_hostfwd: "[tcp|udp]:[hostaddr]:hostport-[guestaddr]:guestport", cut with
        /// get_str_sep (the first ':', ':', '-', ':'), addresses through inet_aton (IPv4), ports through
        /// qemu_strtoi with an end pointer (base 0; characters after the number are not checked).
        /// </summary>
        public static Hostfwd SlirpHostfwd(string rule)
        {
            var p = rule;
            string Next(char separator, string reason)
            {
                var i = p.IndexOf(separator, StringComparison.Ordinal);
                if (i < 0)
                {
                    throw new Refused("qemu: Invalid host forwarding rule '" + rule + "' (" + reason + ")");
                }

                var part = p[..i];
                p = p[(i + 1)..];
                return part;
            }

            Refused Invalid(string reason) => new("qemu: Invalid host forwarding rule '" + rule + "' (" + reason + ")");

            var protocol = Next(':', "No : separators");
            if (protocol is not ("tcp" or "udp" or ""))
            {
                throw Invalid("Bad protocol name");
            }

            var host = Next(':', "Missing : separator");
            if (host.Length > 0 && !InetAton(host))
            {
                throw Invalid("Bad host address");
            }

            var hostPort = QemuStrtoi(Next('-', "Bad host port separator"));
            if (hostPort is null or < 0 or > 65535)
            {
                throw Invalid("Bad host port");
            }

            var guest = Next(':', "Missing guest address");
            if (guest.Length > 0 && !InetAton(guest))
            {
                throw Invalid("Bad guest address");
            }

            var guestPort = QemuStrtoi(p);
            return guestPort is null or < 1 or > 65535 ? throw Invalid("Bad guest port") : new Hostfwd(host, hostPort.Value, guest, guestPort.Value);
        }

        /// <summary>QEMU util/cutils.c qemu_strtoi with an end pointer: leading blanks, a sign, base 0 (0x hex, 0 octal); no digits is -EINVAL; what follows is not checked.</summary>
        private static int? QemuStrtoi(string s)
        {
            var m = Regex.Match(s, "^\\s*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)", RegexOptions.CultureInvariant);
            if (!m.Success)
            {
                return null;
            }

            var digits = m.Groups[2].Value;
            var value = digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? Convert.ToInt64(digits[2..], 16)
                : digits.Length > 1 && digits[0] == '0' ? Convert.ToInt64(digits, 8)
                : long.Parse(digits, CultureInfo.InvariantCulture);
            value = m.Groups[1].Value == "-" ? -value : value;
            return value is < int.MinValue or > int.MaxValue ? null : (int)value;
        }

        /// <summary>glibc inet_aton: one to four numbers in C notation separated by '.', within range, followed by the end or a space.</summary>
        private static bool InetAton(string s)
        {
            var m = Regex.Match(s, "^((?:0[xX][0-9a-fA-F]*|0[0-7]*|[1-9][0-9]*)(?:\\.(?:0[xX][0-9a-fA-F]*|0[0-7]*|[1-9][0-9]*)){0,3})(?:$|\\s)", RegexOptions.CultureInvariant);
            if (!m.Success)
            {
                return false;
            }

            var parts = m.Groups[1].Value.Split('.').Select(d =>
                d.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? (d.Length > 2 ? Convert.ToUInt64(d[2..], 16) : 0)
                : d.Length > 1 && d[0] == '0' ? Convert.ToUInt64(d, 8)
                : ulong.Parse(d, CultureInfo.InvariantCulture)).ToList();
            var last = parts[^1];
            return parts.Take(parts.Count - 1).All(x => x <= 0xff) && last <= (parts.Count switch { 1 => 0xffffffffUL, 2 => 0xffffffUL, 3 => 0xffffUL, _ => 0xffUL });
        }

        /// <summary>
        /// The path systemd-tmpfiles takes from one tmpfiles.d line (systemd src/tmpfiles/tmpfiles.c
        /// parse_line): extract_many_words with EXTRACT_UNQUOTE|EXTRACT_CUNESCAPE (src/basic/extract-word.c:
        /// words end at whitespace outside quotes, ' and " quote, a backslash starts a C escape, also
        /// inside quotes, an unknown escape or an unterminated quote is an error), then specifier_printf
        /// with the tmpfiles specifier table (src/shared/specifier.c: "%%" is '%', a known specifier is
        /// replaced, any other letter or digit is an error, any other character and a final '%' stay as
        /// they are), patch_var_run and path_is_absolute. Returns the path as systemd-tmpfiles read it (before
        /// patch_var_run and path_simplify, which only rewrite it to another name of the same directory:
        /// /run for /var/run, one '/' for several, no "." component, no trailing '/') or the error.
        /// </summary>
        public static (string? Path, string? Error) TmpfilesPath(string line)
        {
            var pos = 0;
            var words = new List<string>();
            while (words.Count < 6)
            {
                var (word, error) = ExtractWord(line, ref pos);
                if (error is not null)
                {
                    return (null, "Failed to parse line: " + error);
                }

                if (word is null)
                {
                    break;
                }

                words.Add(word);
            }

            if (words.Count < 2)
            {
                return (null, "Syntax error.");
            }

            const string Specifiers = "abBHlmovwWhCLStgGuUTV";
            var path = new StringBuilder();
            for (var i = 0; i < words[1].Length; i++)
            {
                var c = words[1][i];
                if (c != '%' || i + 1 == words[1].Length)
                {
                    path.Append(c);
                    continue;
                }

                var s = words[1][++i];
                if (s == '%')
                {
                    path.Append('%');
                }
                else if (Specifiers.Contains(s, StringComparison.Ordinal))
                {
                    path.Append("<%" + s + ">");
                }
                else if (char.IsAsciiLetterOrDigit(s))
                {
                    return (null, "Failed to replace specifiers in '" + words[1] + "': unknown specifier %" + s);
                }
                else
                {
                    path.Append('%').Append(s);
                }
            }

            var read = path.ToString();
            var result = read.StartsWith("/var/run/", StringComparison.Ordinal) ? "/run/" + read["/var/run/".Length..] : read;
            return result.StartsWith('/') ? (read, null) : (null, "Path '" + result + "' not absolute.");
        }

        private static (string? Word, string? Error) ExtractWord(string line, ref int pos)
        {
            const string Blank = " \t\n\r";
            while (pos < line.Length && Blank.Contains(line[pos], StringComparison.Ordinal))
            {
                pos++;
            }

            if (pos == line.Length)
            {
                return (null, null);
            }

            var word = new StringBuilder();
            var quote = '\0';
            while (pos < line.Length)
            {
                var c = line[pos];
                if (c == '\\')
                {
                    var (escaped, length) = CUnescapeOne(line, pos + 1);
                    if (escaped is null)
                    {
                        return (null, "invalid escape in " + Show(line));
                    }

                    word.Append(escaped);
                    pos += 1 + length;
                }
                else if (quote != '\0')
                {
                    quote = c == quote ? '\0' : quote;
                    if (quote != '\0')
                    {
                        word.Append(c);
                    }

                    pos++;
                }
                else if (c is '\'' or '"')
                {
                    quote = c;
                    pos++;
                }
                else if (Blank.Contains(c, StringComparison.Ordinal))
                {
                    break;
                }
                else
                {
                    word.Append(c);
                    pos++;
                }
            }

            return quote != '\0' ? (null, "unterminated quote in " + Show(line)) : (word.ToString(), null);
        }

        /// <summary>systemd src/basic/escape.c cunescape_one: the C escapes, \s, \xNN, \uNNNN, \UNNNNNNNN and \ooo (NUL refused); anything else is an error.</summary>
        private static (string? Value, int Length) CUnescapeOne(string s, int at)
        {
            if (at >= s.Length)
            {
                return (null, 0);
            }

            string? Hex(int digits)
            {
                if (at + 1 + digits > s.Length || !s.Substring(at + 1, digits).All(Uri.IsHexDigit))
                {
                    return null;
                }

                var code = Convert.ToInt32(s.Substring(at + 1, digits), 16);
                return code is > 0 and <= 0x10ffff and (< 0xd800 or > 0xdfff) ? char.ConvertFromUtf32(code) : null;
            }

            return s[at] switch
            {
                'a' => ("\a", 1),
                'b' => ("\b", 1),
                'f' => ("\f", 1),
                'n' => ("\n", 1),
                'r' => ("\r", 1),
                't' => ("\t", 1),
                'v' => ("\v", 1),
                '\\' or '"' or '\'' => (s[at].ToString(), 1),
                's' => (" ", 1),
                'x' => (Hex(2), 3),
                'u' => (Hex(4), 5),
                'U' => (Hex(8), 9),
                >= '0' and <= '7' when at + 3 <= s.Length && s[at + 1] is >= '0' and <= '7' && s[at + 2] is >= '0' and <= '7'
                    && ((s[at] - '0') * 64) + ((s[at + 1] - '0') * 8) + (s[at + 2] - '0') is var o and > 0 and < 256 => (((char)o).ToString(), 3),
                _ => (null, 0),
            };
        }
    }
}
