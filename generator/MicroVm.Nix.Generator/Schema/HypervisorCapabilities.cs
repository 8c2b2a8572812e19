using System;
using System.Collections.Generic;
using System.Linq;
using MicroVm.Nix.Generator.Model;

namespace MicroVm.Nix.Generator.Schema;

/// <summary>What a rule means for a config that matches it.</summary>
internal enum CapabilityKind
{
    /// <summary>Upstream's runner throws: the VM cannot be built (MVN205, an error).</summary>
    Unsupported,

    /// <summary>Upstream warns, ignores the setting, or fails only on some platforms (MVN206, a warning).</summary>
    Caveat,

    /// <summary>
    /// Upstream builds the VM, but its runner hands the hypervisor an argument the hypervisor refuses,
    /// so the VM fails every time it starts (MVN207, an error).
    /// </summary>
    FailsAtStart,
}

/// <summary>
/// One thing a hypervisor's runner (upstream lib/runners/*.nix, HEAD 71beea0) refuses or ignores.
/// </summary>
/// <param name="Hypervisor">The C# <c>Hypervisor</c> member it applies to.</param>
/// <param name="Kind">Error or warning.</param>
/// <param name="Collection">The list whose elements the rule looks at (<c>Shares</c>), or <c>null</c> for the VM itself.</param>
/// <param name="Property">The property the diagnostic points at (on the VM or the element); where it was not written, the element or VM itself.</param>
/// <param name="Subject">What is refused, for the message: <c>A 9p share</c>.</param>
/// <param name="Applies">Whether the VM (or element) matches.</param>
/// <param name="Upstream">Upstream's message, verbatim, or what upstream does.</param>
/// <param name="Source">Where upstream does it.</param>
/// <param name="Advice">What to write instead.</param>
internal sealed record CapabilityRule(
    string Hypervisor,
    CapabilityKind Kind,
    string? Collection,
    string Property,
    string Subject,
    Func<BoundRecord, bool> Applies,
    string Upstream,
    string Source,
    string Advice)
{
    /// <summary>For <see cref="CapabilityKind.Caveat"/>: what happens, e.g. <c>is ignored</c>.</summary>
    public string Effect { get; init; } = "is ignored";

    /// <summary>A code fix: set <see cref="FixProperty"/> to this C# expression.</summary>
    public string? FixValue { get; init; }

    /// <summary>The property the code fix sets; by default <see cref="Property"/>.</summary>
    public string? FixProperty { get; init; }

    /// <summary>The code fix's title.</summary>
    public string? FixTitle { get; init; }
}

/// <summary>
/// The hypervisor capability matrix: every runner <c>throw</c> a config can trigger, and the settings a
/// runner warns about or silently ignores, for the options the runtime records cover. Validation
/// reports from it; docs/diagnostics/MVN205.md and MVN206.md describe it.
/// </summary>
internal static class HypervisorCapabilities
{
    private const string Qemu = "Qemu";
    private const string CloudHypervisor = "CloudHypervisor";
    private const string Firecracker = "Firecracker";
    private const string Crosvm = "Crosvm";
    private const string Kvmtool = "Kvmtool";
    private const string Stratovirt = "Stratovirt";
    private const string Alioth = "Alioth";
    private const string Vfkit = "Vfkit";

    private static readonly string[] All = [Qemu, CloudHypervisor, Firecracker, Crosvm, Kvmtool, Stratovirt, Alioth, Vfkit];

    /// <summary>VM-level settings runners refuse: when a VM sets each, and what to write instead.</summary>
    private static readonly Dictionary<string, (string Subject, Func<BoundRecord, bool> IsSet, string Advice)> Features = new()
    {
        ["Balloon"] = ("Balloon", vm => vm.Bool("Balloon") == true, "Leave Balloon off."),
        ["InitialBalloonMem"] = ("InitialBalloonMem", vm => vm.Int("InitialBalloonMem") != 0, "Leave InitialBalloonMem at 0."),
        ["HotplugMem"] = ("HotplugMem", vm => vm.Int("HotplugMem") != 0, "Leave HotplugMem at 0."),
        ["HotpluggedMem"] = ("HotpluggedMem", vm => ExplicitNonZero(vm, "HotpluggedMem"), "Leave HotpluggedMem unset."),
        ["CredentialFiles"] = ("CredentialFiles", vm => vm.Count("CredentialFiles") > 0, "Pass secrets through a share or a volume."),
        ["Devices"] = ("Device passthrough", vm => vm.Count("Devices") > 0, "Use qemu or cloud-hypervisor for passthrough."),
        ["Shares"] = ("Shares", vm => vm.Count("Shares") > 0, "Use volumes, or another hypervisor."),
        ["VsockCid"] = ("VsockCid", vm => vm.Effective("VsockCid") is IntValue, "Remove VsockCid."),
    };

    /// <summary>Where each runner refuses microvm.user; qemu honours it, stratovirt ignores it.</summary>
    private static readonly Dictionary<string, int> UserLines = new()
    {
        [CloudHypervisor] = 203,
        [Firecracker] = 85,
        [Crosvm] = 51,
        [Kvmtool] = 24,
        [Alioth] = 19,
        [Vfkit] = 108,
    };

    /// <summary>Every rule; built after the tables above (static fields initialise in order).</summary>
    public static readonly IReadOnlyList<CapabilityRule> Rules = Build();

    /// <summary>Where in a hypervisor's runner upstream does it: <c>lib/runners/&lt;name&gt;.nix:&lt;line&gt;</c>.</summary>
    private static string Runner(string hypervisor, int line) =>
        "lib/runners/" + Name(hypervisor) + ".nix:" + line.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Name(string hypervisor) =>
        MicroVmSchema.Hypervisors.First(p => p.Key == hypervisor).Value;

    /// <summary>The runner of <paramref name="hypervisor"/> throws <paramref name="upstream"/> at <paramref name="line"/> when the VM sets <paramref name="property"/>.</summary>
    /// <param name="advice">What to write instead, where the general advice does not fit this hypervisor.</param>
    private static CapabilityRule Refuses(string hypervisor, string property, string upstream, int line, string? advice = null)
    {
        var (subject, isSet, generalAdvice) = Features[property];
        return Throws(hypervisor, null, property, subject, isSet, upstream, Runner(hypervisor, line), advice ?? generalAdvice);
    }

    /// <summary>The runner warns about a volume serial and drops it.</summary>
    private static CapabilityRule DropsVolumeSerial(string hypervisor, int line) =>
        Caveat(hypervisor, "Volumes", "Serial", "A volume Serial", v => v.Effective("Serial") is StringValue,
            "Volume serial is not supported for " + Name(hypervisor), Runner(hypervisor, line),
            "Mount by Label, or use another hypervisor for stable disk names.");

    /// <summary>The runner warns about direct I/O on a volume and drops it.</summary>
    private static CapabilityRule DropsVolumeDirect(string hypervisor, int line) =>
        Caveat(hypervisor, "Volumes", "Direct", "Direct I/O on a volume", v => v.Bool("Direct") == true,
            "Volume direct IO is not supported for " + Name(hypervisor), Runner(hypervisor, line),
            "Remove Direct.");

    private static bool NineP(BoundRecord share) => share.Enum("Proto") == "NineP";

    private static bool Virtiofs(BoundRecord share) => share.Enum("Proto") == "Virtiofs";

    private static bool ExplicitNonZero(BoundRecord vm, string property) => vm.Explicit(property) is IntValue { Value: not 0 };

    private static CapabilityRule Throws(string hypervisor, string? collection, string property, string subject, Func<BoundRecord, bool> applies, string upstream, string source, string advice) =>
        new(hypervisor, CapabilityKind.Unsupported, collection, property, subject, applies, upstream, source, advice);

    private static CapabilityRule Caveat(string hypervisor, string? collection, string property, string subject, Func<BoundRecord, bool> applies, string upstream, string source, string advice) =>
        new(hypervisor, CapabilityKind.Caveat, collection, property, subject, applies, upstream, source, advice);

    private static CapabilityRule FailsAtStart(string hypervisor, string? collection, string property, string subject, Func<BoundRecord, bool> applies, string happens, string source, string advice) =>
        new(hypervisor, CapabilityKind.FailsAtStart, collection, property, subject, applies, happens, source, advice);

    private static List<CapabilityRule> Build()
    {
        var rules = new List<CapabilityRule>
        {
            // qemu
            Refuses(Qemu, "InitialBalloonMem", "QEMU does not support initialBalloonMem", 168),
            Throws(Qemu, null, "HotplugMem", "HotplugMem with the microvm machine type", vm => vm.Int("HotplugMem") > 0 && vm.Record("Qemu")?.String("Machine") == "microvm",
                "QEMU's microvm machine type does not support virtio-mem", "lib/runners/qemu.nix:170", "Use Qemu.Machine = \"q35\" on x86_64-linux, or leave HotplugMem at 0."),
            Caveat(Qemu, null, "HotplugMem", "HotplugMem", vm => vm.Int("HotplugMem") > 0 && vm.Record("Qemu")?.String("Machine") is null,
                "QEMU's microvm machine type does not support virtio-mem", "lib/runners/qemu.nix:170", "Set Qemu.Machine = \"q35\" on x86_64-linux, or leave HotplugMem at 0.")
                with { Effect = "fails on x86_64-linux, where QEMU's default machine type is 'microvm'," },

            // cloud-hypervisor
            Refuses(CloudHypervisor, "CredentialFiles", "cloud-hypervisor does not support credentialFiles", 205),
            Throws(CloudHypervisor, "Shares", "Proto", "A 9p share", NineP,
                "cloud-hypervisor supports only shares that are virtiofs", "lib/runners/cloud-hypervisor.nix:261", "Use 'Proto = ShareProtocol.Virtiofs'.")
                with { FixValue = "global::MicroVm.Nix.ShareProtocol.Virtiofs", FixTitle = "Use virtiofs" },
            Throws(CloudHypervisor, "Interfaces", "Type", "An interface of type User or Bridge", i => i.Enum("Type") is "User" or "Bridge",
                "Unsupported interface type ${type} for Cloud-Hypervisor", "lib/runners/cloud-hypervisor.nix:271", "Use a Tap or Macvtap interface (attach the tap to a bridge on the host)."),
            Throws(CloudHypervisor, "Devices", "Bus", "USB passthrough", d => d.Enum("Bus") == "Usb",
                "USB passthrough is not supported on cloud-hypervisor", "lib/runners/cloud-hypervisor.nix:293", "Pass the USB controller through as a PCI device, or use qemu."),
            Caveat(CloudHypervisor, null, "Hypervisor", "Leaving VsockCid unset", vm => Validation.CloudHypervisorArgs.VsockCid(vm) is null,
                "cloud-hypervisor supports systemd-notify via vsock, but `microvm.vsock.cid` must be set to enable this.", "lib/runners/cloud-hypervisor.nix:54",
                "Set a VsockCid (3 or more, unique on the host) so the host learns when the guest is up.")
                with { Effect = "disables systemd-notify" },

            // firecracker
            Refuses(Firecracker, "Shares", "9p/virtiofs shares not implemented for Firecracker", 87),
            Refuses(Firecracker, "Devices", "devices passthrough not implemented for Firecracker", 89),
            Refuses(Firecracker, "Balloon", "balloon not implemented for Firecracker", 91),
            Refuses(Firecracker, "InitialBalloonMem", "initialBalloonMem not implemented for Firecracker", 93),
            Refuses(Firecracker, "HotplugMem", "hotplugMem not implemented for Firecracker", 95),
            Refuses(Firecracker, "HotpluggedMem", "hotpluggedMem not implemented for Firecracker", 97),
            Refuses(Firecracker, "CredentialFiles", "credentialFiles are not implemented for Firecracker", 99, "Pass secrets through a volume."),
            Throws(Firecracker, "Interfaces", "Type", "An interface that is not a Tap", i => i.Enum("Type") != "Tap",
                "Network interface type ${type} not implemented for Firecracker", "lib/runners/firecracker.nix:57", "Use 'Type = InterfaceType.Tap'."),
            Throws(Firecracker, null, "StoreOnDisk", "StoreOnDisk = false", vm => vm.Explicit("StoreOnDisk") is BoolValue { Value: false },
                "The option `microvm.storeDisk' was accessed but has no value defined", "lib/runners/firecracker.nix:39, firecracker always attaches the store disk", "Leave StoreOnDisk unset."),
            DropsVolumeSerial(Firecracker, 44),
            DropsVolumeDirect(Firecracker, 47),

            // crosvm
            Refuses(Crosvm, "InitialBalloonMem", "crosvm does not support initialBalloonMem", 53),
            Refuses(Crosvm, "HotplugMem", "crosvm does not support hotplugMem", 55),
            Refuses(Crosvm, "HotpluggedMem", "crosvm does not support hotpluggedMem", 57),
            Refuses(Crosvm, "CredentialFiles", "crosvm does not support credentialFiles", 59),
            Throws(Crosvm, "Shares", "ReadOnly", "A read-only 9p share", s => NineP(s) && s.Bool("ReadOnly") == true,
                "Readonly 9p share is not supported", "lib/runners/crosvm.nix:109", "Use 'Proto = ShareProtocol.Virtiofs' for a read-only share.")
                with { FixProperty = "Proto", FixValue = "global::MicroVm.Nix.ShareProtocol.Virtiofs", FixTitle = "Use virtiofs" },
            Throws(Crosvm, "Interfaces", "Type", "An interface of type User or Bridge", i => i.Enum("Type") is "User" or "Bridge",
                "Unsupported interface type ${type} for crosvm", "lib/runners/crosvm.nix:119", "Use a Tap or Macvtap interface."),
            Throws(Crosvm, "Devices", "Bus", "USB passthrough", d => d.Enum("Bus") == "Usb",
                "USB passthrough is not supported on crosvm", "lib/runners/crosvm.nix:147", "Use qemu for USB passthrough."),

            // kvmtool
            Refuses(Kvmtool, "InitialBalloonMem", "kvmtool does not support initialBalloonMem", 26),
            Refuses(Kvmtool, "HotplugMem", "kvmtool does not support hotplugMem", 28),
            Refuses(Kvmtool, "HotpluggedMem", "kvmtool does not support hotpluggedMem", 30),
            Refuses(Kvmtool, "CredentialFiles", "kvmtool does not support credentialFiles", 32),
            Throws(Kvmtool, "Shares", "ReadOnly", "A read-only 9p share", s => NineP(s) && s.Bool("ReadOnly") == true,
                "kvmtool does not support readonly 9p share", "lib/runners/kvmtool.nix:68", "Make the share writable, or use another hypervisor."),
            Throws(Kvmtool, "Shares", "Proto", "A virtiofs share", Virtiofs,
                "virtiofs shares not implemented for kvmtool", "lib/runners/kvmtool.nix:72", "Use 'Proto = ShareProtocol.NineP'.")
                with { FixValue = "global::MicroVm.Nix.ShareProtocol.NineP", FixTitle = "Use 9p" },
            Throws(Kvmtool, "Interfaces", "Type", "A Bridge interface", i => i.Enum("Type") == "Bridge",
                "interface type ${type} is not supported by kvmtool", "lib/runners/kvmtool.nix:84", "Use a Tap interface and attach it to the bridge on the host."),
            Refuses(Kvmtool, "Devices", "anonymous function at lib/runners/kvmtool.nix:87:12 called with unexpected argument 'qemu'", 87),
            DropsVolumeSerial(Kvmtool, 54),

            // stratovirt
            Refuses(Stratovirt, "Balloon", "balloon not implemented for stratovirt", 78),
            Refuses(Stratovirt, "InitialBalloonMem", "initialBalloonMem not implemented for stratovirt", 80),
            Refuses(Stratovirt, "HotplugMem", "stratovirt does not support hotplugMem", 82),
            Refuses(Stratovirt, "HotpluggedMem", "stratovirt does not support hotpluggedMem", 84),
            Refuses(Stratovirt, "CredentialFiles", "stratovirt does not support credentialFiles", 86),
            Throws(Stratovirt, "Shares", "Proto", "A 9p share", NineP,
                "attribute '9p' missing", "lib/runners/stratovirt.nix:140", "Use 'Proto = ShareProtocol.Virtiofs'.")
                with { FixValue = "global::MicroVm.Nix.ShareProtocol.Virtiofs", FixTitle = "Use virtiofs" },
            Caveat(Stratovirt, "Devices", "Bus", "PCI passthrough", d => d.Enum("Bus") == "Pci",
                "PCI configuration for stratovirt is non-functional", "lib/runners/stratovirt.nix:29", "Use qemu or cloud-hypervisor for PCI passthrough on x86_64.")
                with { Effect = "fails on x86_64-linux" },
            FailsAtStart(Stratovirt, "Interfaces", "Type", "An interface of type User or Bridge", i => i.Enum("Type") is "User" or "Bridge",
                "upstream passes -netdev user,… or -netdev bridge,…, but stratovirt's -netdev takes only tap and vhost-user (machine_manager/src/config/network.rs)",
                "lib/runners/stratovirt.nix:151", "Use a Tap interface (attach it to a bridge on the host)."),
            Caveat(Stratovirt, null, "User", "User", vm => vm.Effective("User") is StringValue,
                "stratovirt's runner does not read microvm.user", "lib/runners/stratovirt.nix:15", "Remove User; the host runs the VM as the microvm user."),
            Caveat(Stratovirt, null, "VsockCid", "VsockCid", vm => vm.Effective("VsockCid") is IntValue,
                "stratovirt's runner adds no vsock device", "lib/runners/stratovirt.nix:15", "Remove VsockCid, or use another hypervisor for vsock."),

            // alioth
            Refuses(Alioth, "Balloon", "balloon not implemented for alioth", 21),
            Refuses(Alioth, "InitialBalloonMem", "initialBalloonMem not implemented for alioth", 23),
            Refuses(Alioth, "HotplugMem", "alioth does not support hotplugMem", 25),
            Refuses(Alioth, "HotpluggedMem", "alioth does not support hotpluggedMem", 27),
            Refuses(Alioth, "CredentialFiles", "alioth does not support credentialFiles", 29),
            Throws(Alioth, "Shares", "Proto", "A 9p share", NineP,
                "9p shares not implemented for alioth", "lib/runners/alioth.nix:61", "Use 'Proto = ShareProtocol.Virtiofs'.")
                with { FixValue = "global::MicroVm.Nix.ShareProtocol.Virtiofs", FixTitle = "Use virtiofs" },
            Throws(Alioth, "Interfaces", "Type", "An interface that is not a Tap", i => i.Enum("Type") != "Tap",
                "interface type ${type} is not supported by alioth", "lib/runners/alioth.nix:68", "Use 'Type = InterfaceType.Tap'."),
            Refuses(Alioth, "Devices", "PCI/USB passthrough is not supported on alioth", 76),
            DropsVolumeSerial(Alioth, 47),
            DropsVolumeDirect(Alioth, 50),
            FailsAtStart(Alioth, "Volumes", "Image", "A volume", v => true,
                "upstream passes --blk path=<image>,readOnly=<bool>, but alioth's key is 'readonly'; alioth (serde-aco, since 2024-07) refuses the unknown key and falls back to taking the whole argument as the file name (alioth-cli boot.rs parse_blk_arg), which does not exist",
                "lib/runners/alioth.nix:55", "Use another hypervisor for volumes until upstream passes 'readonly'."),

            // vfkit
            Refuses(Vfkit, "Balloon", "vfkit does not support memory ballooning", 110),
            Refuses(Vfkit, "Devices", "vfkit does not support device passthrough", 114, "Remove the devices: vfkit has no passthrough."),
            Refuses(Vfkit, "CredentialFiles", "vfkit does not support credentialFiles", 116, "Pass secrets through a share."),
            Refuses(Vfkit, "VsockCid", "vfkit vsock support not yet implemented in microvm.nix", 118),
            Throws(Vfkit, "Shares", "Proto", "A 9p share", NineP,
                "vfkit does not support 9p share. Use proto = \"virtiofs\" instead.", "lib/runners/vfkit.nix:54", "Use 'Proto = ShareProtocol.Virtiofs'.")
                with { FixValue = "global::MicroVm.Nix.ShareProtocol.Virtiofs", FixTitle = "Use virtiofs" },
            Throws(Vfkit, "Interfaces", "Type", "A Bridge interface", i => i.Enum("Type") == "Bridge",
                "vfkit bridge networking requires vmnet-helper which is not yet implemented. Use type = \"user\" for NAT networking.", "lib/runners/vfkit.nix:65", "Use 'Type = InterfaceType.User'."),
            Throws(Vfkit, "Interfaces", "Type", "A Tap or Macvtap interface", i => i.Enum("Type") is "Tap" or "Macvtap",
                "vfkit does not support ${type} networking on macOS. Use type = \"user\" for NAT networking.", "lib/runners/vfkit.nix:67", "Use 'Type = InterfaceType.User'."),
            Caveat(Vfkit, "Volumes", "ReadOnly", "ReadOnly on a volume", v => v.Bool("ReadOnly") == true,
                "vfkit passes only path= for volumes", "lib/runners/vfkit.nix:50", "Do not rely on the guest being unable to write; make the image read-only on the host."),
        };

        // Options one hypervisor honours and every other ignores or refuses.
        foreach (var hypervisor in All)
        {
            if (UserLines.TryGetValue(hypervisor, out var userLine))
            {
                rules.Add(Throws(hypervisor, null, "User", "Changing user", vm => vm.Effective("User") is StringValue,
                    hypervisor == Vfkit ? "vfkit does not support changing user" : Name(hypervisor) + " will not change user",
                    Runner(hypervisor, userLine), "Remove User; the host runs the VM as the microvm user."));
            }

            if (hypervisor is Firecracker or Crosvm)
            {
                rules.Add(Throws(hypervisor, null, "Socket", "Socket = null", vm => vm.Explicit("Socket") is NullValue,
                    "cannot coerce null to a string", Runner(hypervisor, hypervisor == Firecracker ? 116 : 33), "Leave Socket unset for upstream's default, or name a socket."));
            }

            if (hypervisor != Qemu)
            {
                rules.Add(Caveat(hypervisor, null, "Cpu", "Cpu", vm => vm.Effective("Cpu") is StringValue,
                    "only the qemu runner reads microvm.cpu", "nixos-modules/microvm/options.nix:38", "Remove Cpu."));
            }

            if (hypervisor != CloudHypervisor)
            {
                rules.Add(Caveat(hypervisor, null, "HugepageMem", "HugepageMem", vm => vm.Bool("HugepageMem") == true,
                    "only the cloud-hypervisor runner reads microvm.hugepageMem", "nixos-modules/microvm/options.nix:116", "Remove HugepageMem."));
            }
        }

        return rules;
    }
}
