using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using MicroVm.Nix.Generator.Model;

namespace MicroVm.Nix.Generator.Schema;

/// <summary>Which part of a property a context receives.</summary>
internal enum ValuePart
{
    /// <summary>The property's string value (for a <c>DiskImage</c>, the path of a host-path image).</summary>
    Value,

    /// <summary>Each element of a list of strings.</summary>
    Each,

    /// <summary>Each key of a dictionary.</summary>
    Key,

    /// <summary>Each value of a dictionary.</summary>
    EntryValue,
}

/// <summary>
/// One place upstream (microvm.nix 71beea0) or MicroVm.Nix itself puts a config value: a shell script,
/// a hypervisor command line, a config file, a type check. <see cref="Breaks"/> says what in a value
/// breaks it, as a short phrase (<c>contains ','</c>), or <c>null</c> when the value passes intact.
/// A value that breaks a context it reaches is error MVN250 on the value; docs/contexts.md lists
/// every row, and ValueContextTests proves each one with upstream's real code.
/// </summary>
/// <param name="Id">A stable name for the row, used by docs and tests.</param>
/// <param name="Record">The runtime record's metadata name.</param>
/// <param name="Property">The C# property.</param>
/// <param name="Part">Which part of the property.</param>
/// <param name="Context">Where the value goes, for the message: "the volume-creation script on the host, between single quotes (mkfs -L '&lt;label&gt;')".</param>
/// <param name="Source">Upstream's <c>file:line</c>, or MicroVm.Nix's own output.</param>
/// <param name="Breaks">What in a value breaks the context, or <c>null</c>.</param>
/// <param name="Advice">What to write instead.</param>
internal sealed record ValueContext(
    string Id,
    string Record,
    string Property,
    ValuePart Part,
    string Context,
    string Source,
    Func<string, string?> Breaks,
    string Advice)
{
    /// <summary>The hypervisors (C# member names) whose configs reach this context; <c>null</c> for every one.</summary>
    public IReadOnlyList<string>? Hypervisors { get; init; }

    /// <summary>A further condition on the VM and the record holding the value (the record is the VM for VM options).</summary>
    public ValueCondition? When { get; init; }

    /// <summary>A value that breaks this context, for the docs and the tests.</summary>
    public required string Broken { get; init; }

    /// <summary>A value that arrives intact, for the docs and the tests.</summary>
    public required string Intact { get; init; }
}

/// <summary>When a context applies, as the docs say it and as validation tests it.</summary>
/// <param name="Text">The condition in words: "AutoCreate on".</param>
/// <param name="Holds">Whether it holds for the VM and the record that holds the value.</param>
internal sealed record ValueCondition(string Text, Func<BoundRecord, BoundRecord, bool> Holds);

/// <summary>
/// The map of contexts: every string a config can set, every place it reaches, and what breaks it.
/// Values upstream passes through <c>lib.escapeShellArgs</c> or <c>builtins.toJSON</c> arrive intact
/// whatever they hold and have no row; values that are code by design (<c>PreStart</c>,
/// <c>ExtraArgsScript</c>) are documented in docs/contexts.md.
/// </summary>
internal static class ValueContexts
{
    private const string Qemu = "Qemu";
    private const string CloudHypervisor = "CloudHypervisor";
    private const string Firecracker = "Firecracker";
    private const string Crosvm = "Crosvm";
    private const string Kvmtool = "Kvmtool";
    private const string Stratovirt = "Stratovirt";
    private const string Alioth = "Alioth";
    private const string Vfkit = "Vfkit";

    private const string Vm = MicroVmSchema.VirtualMachineType;
    private const string Volume = MicroVmSchema.VolumeType;
    private const string Interface = MicroVmSchema.NetworkInterfaceType;
    private const string Share = MicroVmSchema.ShareType;
    private const string Device = MicroVmSchema.DeviceType;
    private const string ForwardPort = MicroVmSchema.ForwardPortType;
    private const string QemuSettings = MicroVmSchema.QemuSettingsType;
    private const string PcieRootPort = MicroVmSchema.QemuPcieRootPortType;
    private const string CloudHypervisorSettings = MicroVmSchema.CloudHypervisorSettingsType;
    private const string CrosvmSettings = MicroVmSchema.CrosvmSettingsType;
    private const string VirtiofsdSettings = MicroVmSchema.VirtiofsdSettingsType;
    private const string GraphicsSettings = MicroVmSchema.GraphicsSettingsType;

    // ---- What breaks a context, as reusable checks --------------------------------------------

    /// <summary>The characters of a path that no shell word, option list or address splits: letters, digits and <c>. _ + @ / -</c>.</summary>
    private static readonly Func<string, string?> PathCharacters = Only(c => IsAsciiLetterOrDigit(c) || c is '.' or '_' or '+' or '@' or '/' or '-', "letters, digits and . _ + @ / -");

    /// <summary>A path safe unquoted in a shell word, in a QEMU/cloud-hypervisor/crosvm option value and in a socat or URI address.</summary>
    private static readonly Func<string, string?> SafePath = Every(NotEmpty, NotAnOption, PathCharacters);

    /// <summary>An absolute path of <see cref="PathCharacters"/>, as upstream's <c>types.path</c> takes it and unquoted scripts keep it.</summary>
    private static readonly Func<string, string?> AbsoluteSafePath = Every(Absolute, PathCharacters);

    /// <summary>A Unix socket's path as a program binds it: the kernel holds at most 107 bytes of it (sun_path), as written.</summary>
    private static readonly Func<string, string?> SocketPath = Every(
        SafePath,
        MaxBytes(107, "a Unix socket path"),
        v => v.EndsWith("/", StringComparison.Ordinal) || v.Split('/').Last() is "." or ".." ? "names a folder, where a socket cannot be made" : null);

    /// <summary>A value a program would read as an option (<c>touch '-x'</c>, <c>rm -f -x</c>, <c>mkdir -p -x</c>).</summary>
    private static Func<string, string?> NotAnOption => v => v.StartsWith("-", StringComparison.Ordinal) ? "starts with '-', which the program reads as an option" : null;

    /// <summary>Blanks at either end, which cloud-hypervisor's option parser trims (Unicode White_Space, as Rust's trim).</summary>
    private static Func<string, string?> NoEdgeBlanks => v => v.Length > 0 && (char.IsWhiteSpace(v[0]) || char.IsWhiteSpace(v[v.Length - 1])) ? "has blanks at an end, which the parser trims" : null;

    /// <summary>upstream's and NixOS's nonEmptyStr: not only spaces, tabs and line breaks.</summary>
    private static Func<string, string?> NotBlank => v => v.Length > 0 && v.All(c => c is ' ' or '\t' or '\n') ? "is only blanks, which NixOS's nonEmptyStr refuses" : null;

    /// <summary>One word a shell script reads unquoted: no blank, quote, <c>$</c>, glob, brace, redirection or separator.</summary>
    private static readonly Func<string, string?> ShellWord = Every(NotEmpty, Only(c => IsAsciiLetterOrDigit(c) || c is '_' or '.' or '/' or ':' or '=' or '+' or '@' or '%' or ',' or '-', "letters, digits and _ . / : = + @ % , -"));

    /// <summary>A word of a build script's command line: a shell word, or the build's <c>$NIX_BUILD_CORES</c>, which upstream's own default passes.</summary>
    private static readonly Func<string, string?> BuildFlag = v => v is "$NIX_BUILD_CORES" or "${NIX_BUILD_CORES}" ? null : ShellWord(v);

    /// <summary>A QEMU identifier (util/id.c id_wellformed): a letter, then letters, digits, <c>- . _</c>.</summary>
    private static readonly Func<string, string?> QemuId = Every(NotEmpty, FirstIs(c => IsAsciiLetter(c), "a letter"), Only(c => IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_', "letters, digits and - . _"));

    /// <summary>A Linux interface name (net/core/dev.c dev_valid_name) that shell scripts and option parsers take as one word.</summary>
    private static readonly Func<string, string?> InterfaceName = Every(
        NotEmpty,
        MaxBytes(15, "a Linux interface name"),
        FirstIs(c => IsAsciiLetterOrDigit(c) || c == '_', "a letter, digit or _"),
        Only(c => IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-', "letters, digits and _ . -"));

    /// <summary>What udev keeps literally in a /dev/disk/by-label name (libblkid blkid_encode_string): the rest becomes \xNN.</summary>
    private static readonly Func<string, string?> UdevLabel = Every(NotEmpty, Only(c => IsAsciiLetterOrDigit(c) || c is '#' or '+' or '-' or '.' or ':' or '=' or '@' or '_' || c >= 128, "letters, digits, non-ASCII letters and # + - . : = @ _"));

    /// <summary>A path NixOS writes into fstab, which escapes only space and tab (nixos/modules/tasks/filesystems.nix).</summary>
    private static readonly Func<string, string?> FstabPath = Every(
        Forbid("\\", "fstab reads a backslash as the start of an octal escape"),
        NoControl,
        v => v.Length > 1 && v.EndsWith("/", StringComparison.Ordinal) ? "ends with '/', which NixOS's mount point type (nonEmptyWithoutTrailingSlash) refuses" : null);

    /// <summary>A virtio-fs or 9p tag: it names a Nix store path (writeShellScript "virtiofsd-&lt;tag&gt;") and is pasted unquoted and into option lists.</summary>
    private static readonly Func<string, string?> Tag = Every(NotEmpty, FirstIs(c => IsAsciiLetterOrDigit(c) || c == '_', "a letter, digit or _"), Only(c => IsAsciiLetterOrDigit(c) || c is '_' or '.' or '+' or '-', "letters, digits and _ . + -"));

    private static Func<string, string?> NotEmpty => v => v.Length == 0 ? "is empty" : null;

    private static Func<string, string?> NoControl => v => v.FirstOrDefault(char.IsControl) is var c && c != '\0' ? "contains " + Show(c) : (v.IndexOf('\0') >= 0 ? "contains U+0000" : null);

    private static Func<string, string?> Absolute => v => v.StartsWith("/", StringComparison.Ordinal) ? null : "is not an absolute path";

    private static Func<string, string?> Forbid(string chars, string? why = null) =>
        v => v.IndexOfAny(chars.ToCharArray()) is var i and >= 0 ? "contains " + Show(v[i]) + (why is null ? string.Empty : " (" + why + ")") : null;

    private static Func<string, string?> Only(Func<char, bool> allowed, string what) =>
        v => v.FirstOrDefault(c => !allowed(c)) is var c && v.Any(x => !allowed(x)) ? "contains " + Show(c) + ", and only " + what + " pass" : null;

    private static Func<string, string?> FirstIs(Func<char, bool> allowed, string what) =>
        v => v.Length > 0 && !allowed(v[0]) ? "starts with " + Show(v[0]) + " instead of " + what : null;

    private static Func<string, string?> MaxBytes(int limit, string what) =>
        v => Encoding.UTF8.GetByteCount(v) is var n && n > limit ? "is " + n.ToString(CultureInfo.InvariantCulture) + " bytes long, and " + what + " holds at most " + limit.ToString(CultureInfo.InvariantCulture) : null;

    /// <summary>A whole-value pattern: anchor it with <c>\\z</c>, since <c>$</c> also matches before a final line break.</summary>
    private static Func<string, string?> Matches(string pattern, string what) =>
        v => Regex.IsMatch(v, pattern, RegexOptions.CultureInvariant) ? null : "is not " + what;

    private static Func<string, string?> Every(params Func<string, string?>[] checks) =>
        v => checks.Select(check => check(v)).FirstOrDefault(problem => problem is not null);

    /// <summary>A character as a message shows it: printable ones quoted, others by code point and name.</summary>
    internal static string Show(char c) => c switch
    {
        ' ' => "a space",
        '\n' => "a line break",
        '\t' => "a tab",
        '\r' => "a carriage return",
        '\'' => "a single quote",
        _ when char.IsControl(c) || char.IsWhiteSpace(c) => "U+" + ((int)c).ToString("X4", CultureInfo.InvariantCulture),
        _ => "'" + c + "'",
    };

    private static bool IsAsciiLetter(char c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z');

    private static bool IsAsciiLetterOrDigit(char c) => IsAsciiLetter(c) || c is >= '0' and <= '9';

    // ---- Conditions ------------------------------------------------------------------------------

    private static readonly ValueCondition AutoCreate = new("AutoCreate on", (vm, volume) => volume.Bool("AutoCreate") == true);

    private static readonly ValueCondition Mounted = new("MountPoint set", (vm, volume) => volume.Effective("MountPoint") is StringValue);

    private static readonly ValueCondition Relative = new("a relative path", (vm, volume) =>
        Validation.VmValidator.ImagePath(volume) is { } path && !path.StartsWith("/", StringComparison.Ordinal));

    private static readonly ValueCondition NineP = new("a 9p share", (vm, share) => share.Enum("Proto") == "NineP");

    private static readonly ValueCondition Virtiofs = new("a virtiofs share", (vm, share) => share.Enum("Proto") == "Virtiofs");

    /// <summary>virtiofsd runs for virtiofs shares on every hypervisor but vfkit (nixos-modules/microvm/virtiofsd/default.nix:8).</summary>
    private static readonly ValueCondition RunsVirtiofsd = new("a virtiofs share, not on vfkit", (vm, share) => share.Enum("Proto") == "Virtiofs" && vm.Enum("Hypervisor") != Vfkit);

    private static readonly ValueCondition HostInterface = new("a tap or macvtap interface", (vm, nic) => nic.Enum("Type") is "Tap" or "Macvtap");

    private static readonly ValueCondition Pci = new("a PCI device", (vm, device) => device.Enum("Bus") == "Pci");

    private static readonly ValueCondition Usb = new("a USB device", (vm, device) => device.Enum("Bus") == "Usb");

    private static readonly ValueCondition GraphicsOn = new("graphics on", (vm, graphics) => graphics.Bool("Enable") == true);

    /// <summary>qemu's virtio-gpu with Vulkan: the gtk and headless backends (lib/runners/qemu.nix:240).</summary>
    private static readonly ValueCondition VulkanDisplay = new("graphics on, with Vulkan, backend not cocoa", (vm, graphics) =>
        GraphicsOn.Holds(vm, graphics) && graphics.Effective("Vulkan") is EnumValue && graphics.Enum("Backend") != "Cocoa");

    private static readonly ValueCondition NotHostStore = new("Source is not /nix/store", (vm, share) => share.String("Source") != "/nix/store");

    // ---- The rows --------------------------------------------------------------------------------

    /// <summary>Every context, in the order the docs list them.</summary>
    public static readonly IReadOnlyList<ValueContext> All = Build();

    private static List<ValueContext> Build() =>
    [
        // Volumes
        new("volume-image-file", Volume, "Image", ValuePart.Value,
            "the image file every hypervisor opens and the volume-creation script creates: '.', '..' and a path ending in '/' name a directory", "lib/volumes.nix:60",
            v => v is "." or ".." || v.EndsWith("/", StringComparison.Ordinal) || v.EndsWith("/.", StringComparison.Ordinal) || v.EndsWith("/..", StringComparison.Ordinal) ? "names a directory" : null,
            "Name the image file.")
        { Broken = ".", Intact = "data.img" },
        new("volume-image-create-script", Volume, "Image", ValuePart.Value,
            "the volume-creation script on the host, between single quotes (if [ ! -e '<image>' ]; then touch '<image>' … mkfs '<image>')", "lib/volumes.nix:60",
            Every(Forbid("'"), NotAnOption), "Use a path without single quotes that does not start with '-', or set 'AutoCreate = false' and create the image yourself.")
        { When = AutoCreate, Broken = "/var/lib/microvms/vm/it's.img", Intact = "/var/lib/microvms/vm/data.img" },
        new("volume-image-qemu", Volume, "Image", ValuePart.Value,
            "qemu's -drive option list (file=<image>,if=none,…), which a comma splits", "lib/runners/qemu.nix:277",
            Every(NotEmpty, Forbid(",")), "Use a path without commas (a symlink to the image works).")
        { Hypervisors = [Qemu], Broken = "/var/lib/microvms/vm/a,b.img", Intact = "/var/lib/microvms/vm/a-b.img" },
        new("volume-image-qemu-protocol", Volume, "Image", ValuePart.Value,
            "qemu's -drive file=, which reads a relative path with ':' before any '/' as a protocol (block.c path_has_protocol)", "lib/runners/qemu.nix:277",
            v => v.IndexOfAny([':', '/']) is var i and >= 0 && v[i] == ':' ? "has ':' before any '/'" : null, "Start the path with './' or make it absolute.")
        { Hypervisors = [Qemu], When = Relative, Broken = "nbd:disk.img", Intact = "./nbd:disk.img" },
        new("volume-image-cloud-hypervisor", Volume, "Image", ValuePart.Value,
            "cloud-hypervisor's --disk option list (path=<image>,direct=…), which commas, quotes and brackets split", "lib/runners/cloud-hypervisor.nix:241",
            Every(NotEmpty, Forbid(",\"[]"), NoEdgeBlanks), "Use a path without , \" [ ] and without blanks at its ends.")
        { Hypervisors = [CloudHypervisor], Broken = "/var/lib/microvms/vm/disk[1.img", Intact = "/var/lib/microvms/vm/disk1.img" },
        new("volume-image-crosvm", Volume, "Image", ValuePart.Value,
            "crosvm's --block option list (<image>,o_direct=…), where , \" ' [ ] end an unquoted value (serde_keyvalue)", "lib/runners/crosvm.nix:95",
            Every(NotEmpty, Forbid(",\"'[]")), "Use a path without , \" ' [ ].")
        { Hypervisors = [Crosvm], Broken = "/var/lib/microvms/vm/it's.img", Intact = "/var/lib/microvms/vm/its.img" },
        new("volume-image-crosvm-option", Volume, "Image", ValuePart.Value,
            "crosvm's --block, which reads a leading bare word or 'word=' as an option name, not as the path", "lib/runners/crosvm.nix:95",
            v => Regex.IsMatch(v, "^[A-Za-z0-9_][A-Za-z0-9_-]*(=|\\z)", RegexOptions.CultureInvariant) ? "looks like an option name" : null, "Write it as './" + "<name>' or as an absolute path.")
        { Hypervisors = [Crosvm], When = Relative, Broken = "root", Intact = "./root" },
        new("volume-image-kvmtool", Volume, "Image", ValuePart.Value,
            "kvmtool's -d <image>,direct,ro, cut at the first comma (disk/core.c)", "lib/runners/kvmtool.nix:58",
            Every(NotEmpty, Forbid(","), v => v.StartsWith("scsi:", StringComparison.Ordinal) ? "starts with 'scsi:', which kvmtool reads as a SCSI target" : null), "Use a path without commas.")
        { Hypervisors = [Kvmtool], Broken = "/var/lib/microvms/vm/a,b.img", Intact = "/var/lib/microvms/vm/a-b.img" },
        new("volume-image-stratovirt", Volume, "Image", ValuePart.Value,
            "stratovirt's -drive option list (file=<image>,…), which it splits at every ',' and '=' (str_slip_to_clap)", "lib/runners/stratovirt.nix:115",
            Every(NotEmpty, Forbid(",="), NotAnOption), "Use a path without , or = that does not start with '-'.")
        { Hypervisors = [Stratovirt], Broken = "/var/lib/microvms/vm/size=1.img", Intact = "/var/lib/microvms/vm/size-1.img" },
        new("volume-image-vfkit", Volume, "Image", ValuePart.Value,
            "vfkit's --device virtio-blk,path=<image>, split at every comma (pkg/config/virtio.go)", "lib/runners/vfkit.nix:51",
            Every(NotEmpty, Forbid(",")), "Use a path without commas.")
        { Hypervisors = [Vfkit], Broken = "/Users/me/vm/a,b.img", Intact = "/Users/me/vm/a-b.img" },
        new("volume-label-create-script", Volume, "Label", ValuePart.Value,
            "the volume-creation script on the host, between single quotes (mkfs.<fsType> -L '<label>')", "lib/volumes.nix:56",
            Every(NotEmpty, Forbid("'")), "Use a label without single quotes.")
        { When = AutoCreate, Broken = "x';rm -rf ~;'", Intact = "data" },
        new("volume-label-by-label", Volume, "Label", ValuePart.Value,
            "the guest's fileSystems device /dev/disk/by-label/<label>, while udev writes every other character of a label as \\xNN in that name (libblkid blkid_encode_string), so the mount never finds its disk", "nixos-modules/microvm/mounts.nix:111",
            UdevLabel, "Use letters, digits and # + - . : = @ _ in labels.")
        { When = Mounted, Broken = "my data", Intact = "my-data" },
        new("volume-mount-point-fstab", Volume, "MountPoint", ValuePart.Value,
            "the guest's fileSystems.\"<mountPoint>\" and its fstab line", "nixos-modules/microvm/mounts.nix:106",
            FstabPath, "Write the mount point without a trailing '/', backslash or control characters.")
        { Broken = "/mnt/data/", Intact = "/mnt/data" },
        new("volume-fs-type-fstab", Volume, "FsType", ValuePart.Value,
            "the guest's fileSystems.<mountPoint>.fsType and its fstab line (and mkfs.<fsType> when created)", "nixos-modules/microvm/mounts.nix:107",
            Every(NotEmpty, Only(c => IsAsciiLetterOrDigit(c) || c is '.' or '_' or '+' or '-', "letters, digits and . _ + -")), "Name a filesystem type, such as ext4 or fuse.sshfs.")
        { Broken = "ext4 ro", Intact = "ext4" },

        // Interfaces
        new("interface-id-qemu", Interface, "Id", ValuePart.Value,
            "qemu's -netdev id=<id> (and ifname=<id> for a tap), which must be a QEMU identifier (util/id.c)", "lib/runners/qemu.nix:312",
            QemuId, "Start the id with a letter and use letters, digits and - . _.")
        { Hypervisors = [Qemu], Broken = "0net", Intact = "net0" },
        new("interface-id-host", Interface, "Id", ValuePart.Value,
            "the host interface name: tap-up and macvtap-up (/sys/class/net/<id> unquoted, ip link … '<id>'), the runner's fd setup and machined registration", "nixos-modules/microvm/interfaces.nix:26",
            InterfaceName, "Use letters, digits and _ . -, starting with a letter, digit or _.")
        { When = HostInterface, Broken = "vm tap", Intact = "vm-tap" },
        new("interface-id-kvmtool", Interface, "Id", ValuePart.Value,
            "kvmtool's -n mode=…,tapif=<id>,guest_mac=…, split at every ',' and '=' (virtio/net.c)", "lib/runners/kvmtool.nix:78",
            Every(NotEmpty, Forbid(",="), v => v.StartsWith("/", StringComparison.Ordinal) ? "starts with '/', which kvmtool reads as a macvtap device path" : null), "Use an id without , or =.")
        { Hypervisors = [Kvmtool], Broken = "tap=0", Intact = "tap0" },
        new("interface-bridge-qemu", Interface, "Bridge", ValuePart.Value,
            "qemu's -netdev bridge,br=<bridge>, which a comma splits, and the host's bridge name", "lib/runners/qemu.nix:318",
            InterfaceName, "Name the host bridge: letters, digits and _ . -.")
        { Broken = "br0,helper=/bin/sh", Intact = "br0" },
        new("interface-macvtap-link", Interface, "MacvtapLink", ValuePart.Value,
            "macvtap-up (ip link add link '<link>' …) and the runner's macvtap-interfaces file (echo \"…\")", "nixos-modules/microvm/interfaces.nix:48",
            InterfaceName, "Name the host interface: letters, digits and _ . -.")
        { Broken = "eth0'", Intact = "eth0" },

        // Shares
        new("share-tag", Share, "Tag", ValuePart.Value,
            "the guest's fstab device (fileSystems.<mountPoint>.device = <tag>) and every hypervisor's option list (qemu mount_tag=<tag>, crosvm <source>:<tag>, …)", "nixos-modules/microvm/mounts.nix:122",
            Every(NotEmpty, NotBlank, Forbid(",:\\"), NoControl), "Use a tag without , : \\ or control characters.")
        { Broken = "data,1", Intact = "data-1" },
        new("share-tag-virtiofs", Share, "Tag", ValuePart.Value,
            "virtiofsd's store path and supervisord section (writeShellScript \"virtiofsd-<tag>\"), and the runner's share/microvm/virtiofs/<tag> (unquoted)", "nixos-modules/microvm/virtiofsd/default.nix:41",
            Tag, "Use letters, digits and _ . + -, starting with a letter, digit or _.")
        { When = Virtiofs, Broken = "my share", Intact = "my-share" },
        new("share-tag-virtiofs-length", Share, "Tag", ValuePart.Value,
            "the virtio-fs device's tag field, 36 bytes (qemu, cloud-hypervisor, crosvm refuse longer tags; alioth panics)", "lib/runners/qemu.nix:294",
            MaxBytes(36, "a virtio-fs tag"), "Use a shorter tag.")
        { When = Virtiofs, Broken = new string('t', 37), Intact = new string('t', 36) },
        new("share-tag-9p-qemu-length", Share, "Tag", ValuePart.Value,
            "qemu's virtio-9p mount_tag, at most 31 bytes (hw/9pfs/9p.c MAX_TAG_LEN)", "lib/runners/qemu.nix:298",
            MaxBytes(31, "qemu's 9p mount tag"), "Use a shorter tag.")
        { Hypervisors = [Qemu], When = NineP, Broken = new string('t', 32), Intact = new string('t', 31) },
        new("share-tag-9p-kvmtool-length", Share, "Tag", ValuePart.Value,
            "kvmtool's --9p <source>,<tag>, a tag of at most 32 bytes (virtio/9p.c MAX_TAG_LEN)", "lib/runners/kvmtool.nix:71",
            MaxBytes(32, "kvmtool's 9p tag"), "Use a shorter tag.")
        { Hypervisors = [Kvmtool], When = NineP, Broken = new string('t', 33), Intact = new string('t', 32) },
        new("share-source-host-tmpfiles", Share, "Source", ValuePart.Value,
            "the host's systemd-tmpfiles rule that creates the shared directory (d '<source>' …), which takes an absolute path and reads ' \\ % and line breaks", "nixos-modules/host/default.nix:59",
            Every(Absolute, Forbid("'\\%"), NoControl), "Use an absolute path without ' \\ %.")
        { When = NotHostStore, Broken = "/srv/%h", Intact = "/srv/home" },
        new("share-source-runner", Share, "Source", ValuePart.Value,
            "the runner's share/microvm/virtiofs/<tag>/source, written with echo \"<source>\"", "lib/runner.nix:263",
            Forbid("$`\"\\"), "Use a path without $ ` \" \\.")
        { When = Virtiofs, Broken = "/srv/$(id)", Intact = "/srv/id" },
        new("share-source-qemu-9p", Share, "Source", ValuePart.Value,
            "qemu's -fsdev local,path=<source>,…, which a comma splits", "lib/runners/qemu.nix:297",
            Forbid(","), "Use a path without commas.")
        { Hypervisors = [Qemu], When = NineP, Broken = "/srv/a,b", Intact = "/srv/a-b" },
        new("share-source-crosvm-9p", Share, "Source", ValuePart.Value,
            "crosvm's --shared-dir <source>:<tag>:type=p9, split at every ':'", "lib/runners/crosvm.nix:112",
            Forbid(":,"), "Use a path without : or ,.")
        { Hypervisors = [Crosvm], When = NineP, Broken = "/srv/a:b", Intact = "/srv/a-b" },
        new("share-source-kvmtool-9p", Share, "Source", ValuePart.Value,
            "kvmtool's --9p <source>,<tag>, cut at the first comma", "lib/runners/kvmtool.nix:71",
            Forbid(","), "Use a path without commas.")
        { Hypervisors = [Kvmtool], When = NineP, Broken = "/srv/a,b", Intact = "/srv/a-b" },
        new("share-source-vfkit", Share, "Source", ValuePart.Value,
            "vfkit's --device virtio-fs,sharedDir=<source>,…, split at every comma", "lib/runners/vfkit.nix:55",
            Forbid(","), "Use a path without commas.")
        { Hypervisors = [Vfkit], Broken = "/Users/me/a,b", Intact = "/Users/me/a-b" },
        new("share-mount-point-fstab", Share, "MountPoint", ValuePart.Value,
            "the guest's fileSystems.\"<mountPoint>\" and its fstab line", "nixos-modules/microvm/mounts.nix:121",
            FstabPath, "Write the mount point without a trailing '/', backslash or control characters.")
        { Broken = "/mnt/share/", Intact = "/mnt/share" },
        new("share-socket", Share, "Socket", ValuePart.Value,
            "the virtiofsd socket in the runner (echo \"<socket>\") and in every hypervisor's option list (qemu -chardev socket,path=<socket>, cloud-hypervisor --fs …,socket=<socket>, crosvm --vhost-user type=fs,socket=<socket>, …)", "lib/runner.nix:262",
            SafePath, "Use a path of letters, digits and . _ + @ / -.")
        { When = Virtiofs, Broken = "fs,1.sock", Intact = "fs-1.sock" },
        new("share-extra-args-virtiofsd", Share, "ExtraArgs", ValuePart.Each,
            "virtiofsd's start script, which pastes each argument unquoted (concatStringsSep \" \")", "nixos-modules/microvm/virtiofsd/default.nix:65",
            ShellWord, "Pass one word per element, of letters, digits and _ . / : = + @ % , -.")
        { When = RunsVirtiofsd, Broken = "--log-level debug", Intact = "--log-level=debug" },

        // Devices
        new("device-path-pci", Device, "Path", ValuePart.Value,
            "a PCI address in pci-setup (cd /sys/bus/pci/devices/<path>, unquoted) and in the runners' vfio arguments", "nixos-modules/microvm/pci-devices.nix:18",
            Matches("^[0-9a-f]{4}:[0-9a-f]{2}:[01][0-9a-f]\\.[0-7]\\z", "a PCI address as sysfs names it, such as 0000:01:00.0: domain, bus, device 00-1f and function 0-7, in lower-case hex (the name under /sys/bus/pci/devices)"), "Write the full address, domain included: 0000:01:00.0.")
        { When = Pci, Broken = "01:00.0", Intact = "0000:01:00.0" },
        new("device-path-usb", Device, "Path", ValuePart.Value,
            "qemu's -device usb-host,<path>, which the runner pastes unquoted into its start script", "lib/runners/qemu.nix:213",
            ShellWord, "Write QEMU's usb-host options, such as vendorid=0x1234,productid=0x5678.")
        { When = Usb, Broken = "vendorid=0x1234 productid=0x5678", Intact = "vendorid=0x1234,productid=0x5678" },
        new("device-qemu-id", Device, "QemuId", ValuePart.Value,
            "qemu's vfio-pci …,id=<id>, pasted unquoted into the start script; a QEMU identifier", "lib/runners/qemu.nix:206",
            QemuId, "Start the id with a letter and use letters, digits and - . _.")
        { Broken = "gpu 0", Intact = "gpu0" },
        new("device-qemu-bus", Device, "QemuBus", ValuePart.Value,
            "qemu's vfio-pci …,bus=<bus>, pasted unquoted into the start script; a QEMU identifier", "lib/runners/qemu.nix:207",
            QemuId, "Name the bus by its QEMU id, such as pcie.0 or a root port's id.")
        { Broken = "pcie.0;reboot", Intact = "pcie.0" },
        new("device-qemu-extra-args", Device, "QemuDeviceExtraArgs", ValuePart.Value,
            "qemu's vfio-pci …,<deviceExtraArgs>, pasted unquoted into the start script", "lib/runners/qemu.nix:209",
            ShellWord, "Write QEMU device options without spaces, quotes or shell characters: x-igd-opregion=on,romfile=/path.")
        { Broken = "x-vga=on $(id)", Intact = "x-vga=on" },

        // Forwarded ports
        new("forward-port-host-address", ForwardPort, "HostAddress", ValuePart.Value,
            "qemu's hostfwd=<proto>:<host address>:<port>-… and guestfwd's nc command, which take an IPv4 address or nothing", "lib/runners/qemu.nix:137",
            Ipv4OrEmpty, "Write an IPv4 address such as 127.0.0.1, or leave it empty for every address.")
        { Broken = "::1", Intact = "127.0.0.1" },
        new("forward-port-guest-address", ForwardPort, "GuestAddress", ValuePart.Value,
            "qemu's hostfwd=…-<guest address>:<port> and guestfwd=<proto>:<guest address>:<port>-…, which take an IPv4 address or nothing", "lib/runners/qemu.nix:138",
            Ipv4OrEmpty, "Write an IPv4 address such as 10.0.2.15, or leave it empty.")
        { Broken = "10.0.2.15:80", Intact = "10.0.2.15" },

        // The VM
        new("vm-socket", Vm, "Socket", ValuePart.Value,
            "the control socket in the runner's start and stop scripts (unquoted: [ -S <socket> ], rm -f <socket>, socat UNIX:<socket>,shut-none) and in qemu's -qmp unix:<socket>,server,nowait", "lib/runners/qemu.nix:267",
            SafePath, "Use a path of letters, digits and . _ + @ / -.")
        { Broken = "vm,1.sock", Intact = "vm-1.sock" },
        new("vm-user-qemu", Vm, "User", ValuePart.Value,
            "qemu's -run-with user=<user>, a user name (or uid:gid) in an option list", "lib/runners/qemu.nix:266",
            Matches("^([A-Za-z_][A-Za-z0-9_.-]*\\$?|[0-9]+:[0-9]+)\\z", "a user name or uid:gid"), "Name a user, such as microvm, or give uid:gid.")
        { Hypervisors = [Qemu], Broken = "vm,user", Intact = "vmuser" },
        new("vm-machine-id", Vm, "MachineId", ValuePart.Value,
            "qemu's -smbios type=1,uuid=<id>, machined registration (UUID=\"<id>\") and the guest's /etc/machine-id, which all take a UUID", "lib/runner.nix:69",
            Matches("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\\z", "a UUID (8-4-4-4-12 hex digits)"), "Write a UUID such as a67472e5-570e-5c8a-b18c-ae3c77701050.")
        { Broken = "vm-1", Intact = "a67472e5-570e-5c8a-b18c-ae3c77701050" },
        new("vm-kernel-params", Vm, "KernelParams", ValuePart.Each,
            "the kernel command line, joined with spaces (lib/cmdline.c next_arg splits at blanks outside double quotes)", "lib/runners/qemu.nix:229",
            KernelParam, "Write one parameter per element; a value with blanks goes in double quotes: foo=\"a b\".")
        { Broken = "quiet loglevel=3", Intact = "loglevel=3" },
        new("vm-kernel-params-vfkit", Vm, "KernelParams", ValuePart.Each,
            "vfkit's --bootloader …,cmdline=\"<params>\", which keeps no double quote inside", "lib/runners/vfkit.nix:33",
            Forbid("\"," ), "Write parameters without double quotes or commas.")
        { Hypervisors = [Vfkit], Broken = "foo=\"a b\"", Intact = "foo=a" },
        new("vm-writable-store-overlay", Vm, "WritableStoreOverlay", ValuePart.Value,
            "the guest's /nix/store overlay (upperdir=<path>/store,workdir=<path>/work in a comma-separated option list, and an unquoted mkdir)", "nixos-modules/microvm/mounts.nix:88",
            AbsoluteSafePath, "Use an absolute path such as /nix/.rw-store.")
        { Broken = "/nix/.rw,store", Intact = "/nix/.rw-store" },
        new("vm-initrd-path-vfkit", Vm, "InitrdPath", ValuePart.Value,
            "vfkit's --bootloader linux,kernel=…,initrd=<path>,cmdline=…, which a comma splits", "lib/runners/vfkit.nix:33",
            Forbid(","), "Give the initrd's path without commas.")
        { Hypervisors = [Vfkit], Broken = "/var/lib/microvms/vm/initrd,1", Intact = "/var/lib/microvms/vm/initrd" },
        new("vm-initrd-path", Vm, "InitrdPath", ValuePart.Value,
            "upstream's type for initrdPath, path (an absolute path), and the boot disk's build script (stat -c %s <path>, guestfs copy-in <path> /, unquoted)", "nixos-modules/microvm/options.nix:97",
            AbsoluteSafePath, "Give the initrd's absolute path on the host, such as /var/lib/microvms/vm/initrd, in letters, digits and . _ + @ / -.")
        { Broken = "boot/initrd", Intact = "/var/lib/microvms/vm/initrd" },
        new("vm-credential-name", Vm, "CredentialFiles", ValuePart.Key,
            "qemu's -fw_cfg name=opt/io.systemd.credentials/<name>,file=…: a comma splits it, and fw_cfg names hold 55 bytes, 27 of them the prefix", "lib/runners/qemu.nix:156",
            Every(NotEmpty, Forbid(",/"), MaxBytes(28, "a credential name in fw_cfg")), "Use a short name without , or /.")
        { Broken = "db,password", Intact = "db-password" },
        new("vm-credential-file", Vm, "CredentialFiles", ValuePart.EntryValue,
            "upstream's type for credentialFiles values, path (an absolute path), and qemu's -fw_cfg …,file=<path>, which a comma splits", "nixos-modules/microvm/options.nix:1071",
            Every(Absolute, Forbid(",")), "Give the absolute path of the credential file on the host, without commas.")
        { Broken = "secrets/db", Intact = "/run/secrets/db" },

        // Settings records
        new("qemu-machine", QemuSettings, "Machine", ValuePart.Value,
            "qemu's -M <machine>,<machineOpts>, whose first value is the machine type", "lib/runners/qemu.nix:105",
            Every(NotEmpty, Only(c => IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-', "letters, digits and . _ -")), "Name a machine type, such as microvm or q35.")
        { Broken = "q35,accel=tcg", Intact = "q35" },
        new("qemu-machine-opts-name", QemuSettings, "MachineOpts", ValuePart.Key,
            "qemu's -M <machine>,<name>=<value>,…", "lib/runners/qemu.nix:107",
            Every(NotEmpty, Only(c => IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-', "letters, digits and . _ -")), "Name a machine property, such as accel.")
        { Broken = "acpi=on,pit", Intact = "acpi" },
        new("qemu-machine-opts-value", QemuSettings, "MachineOpts", ValuePart.EntryValue,
            "qemu's -M <machine>,<name>=<value>,…, which a comma splits", "lib/runners/qemu.nix:107",
            Forbid(","), "Give one value per property.")
        { Broken = "on,pit=off", Intact = "on" },
        new("qemu-pcie-root-port-id", PcieRootPort, "Id", ValuePart.Value,
            "qemu's -device pcie-root-port,id=<id>,…, a QEMU identifier", "lib/runners/qemu.nix:193",
            QemuId, "Start the id with a letter and use letters, digits and - . _.")
        { Broken = "1port", Intact = "port1" },
        new("qemu-pcie-root-port-bus", PcieRootPort, "Bus", ValuePart.Value,
            "qemu's -device pcie-root-port,…,bus=<bus>, a QEMU identifier", "lib/runners/qemu.nix:194",
            QemuId, "Name the bus by its QEMU id, such as pcie.0.")
        { Broken = "pcie.0,multifunction=on", Intact = "pcie.0" },
        new("qemu-pcie-root-port-slot", PcieRootPort, "Slot", ValuePart.Value,
            "qemu's -device pcie-root-port,…,slot=<slot>, which a comma splits", "lib/runners/qemu.nix:196",
            Every(NotEmpty, Forbid(",")), "Give the slot number only.")
        { Broken = "1,addr=2", Intact = "1" },
        new("qemu-pcie-root-port-addr", PcieRootPort, "Addr", ValuePart.Value,
            "qemu's -device pcie-root-port,…,addr=<addr>, which a comma splits", "lib/runners/qemu.nix:197",
            Every(NotEmpty, Forbid(",")), "Give the address only, such as 1c.0.")
        { Broken = "1c.0,bus=x", Intact = "1c.0" },
        new("graphics-socket-cloud-hypervisor", GraphicsSettings, "Socket", ValuePart.Value,
            "cloud-hypervisor's start script (rm -f, crosvm device gpu --socket, [ -S ], unquoted) and --gpu socket=<socket>", "lib/runners/cloud-hypervisor.nix:190",
            SocketPath, "Use a path of letters, digits and . _ + @ / -.")
        { Hypervisors = [CloudHypervisor], When = GraphicsOn, Broken = "gpu 1.sock", Intact = "gpu-1.sock" },
        new("graphics-socket-crosvm", GraphicsSettings, "Socket", ValuePart.Value,
            "crosvm's start script (rm -f, crosvm device gpu --socket, [ -S ], unquoted) and --vhost-user gpu,socket=<socket>", "lib/runners/crosvm.nix:39",
            SocketPath, "Use a path of letters, digits and . _ + @ / -.")
        { Hypervisors = [Crosvm], When = GraphicsOn, Broken = "gpu,1.sock", Intact = "gpu-1.sock" },
        new("bin-script-name", Vm, "BinScripts", ValuePart.Key,
            "the runner's build script (ln -s … $out/bin/<name>, unquoted) and the script's store name (microvm-<host>-<name>)", "lib/runner.nix:226",
            Every(
                NotEmpty,
                FirstIs(c => IsAsciiLetterOrDigit(c) || c == '_', "a letter, digit or _"),
                Only(c => IsAsciiLetterOrDigit(c) || c is '_' or '.' or '+' or '-', "letters, digits and _ . + -"),
                MaxBytes(139, "a script name (Nix's store names hold 211 bytes, microvm-<host name>-<name> with a host name of up to 63)")),
            "Name the script with letters, digits and _ . + -, at most 139 of them.")
        { Broken = "hello world", Intact = "hello-world" },
        new("store-disk-erofs-flags", Vm, "StoreDiskErofsFlags", ValuePart.Each,
            "the store disk's build script, which pastes the flags unquoted after mkfs.erofs (concatStringsSep \" \")", "nixos-modules/microvm/store-disk.nix:25",
            BuildFlag, "Pass one word per element, of letters, digits and _ . / : = + @ % , -.")
        { Broken = "-zlz4hc -Efragments", Intact = "-Ededupe" },
        new("store-disk-squashfs-flags", Vm, "StoreDiskSquashfsFlags", ValuePart.Each,
            "the store disk's build script, which pastes the flags unquoted after gensquashfs (concatStringsSep \" \")", "nixos-modules/microvm/store-disk.nix:26",
            BuildFlag, "Pass one word per element, of letters, digits and _ . / : = + @ % , -; \"$NIX_BUILD_CORES\" stands for the build's cores.")
        { Broken = "-c zstd", Intact = "zstd" },
        new("graphics-hostmem-qemu", GraphicsSettings, "Hostmem", ValuePart.Value,
            "qemu's -device virtio-vga-gl,blob=true,hostmem=<hostmem>,<vulkan>=on, which a comma splits and QEMU reads as a size", "lib/runners/qemu.nix:242",
            Matches(@"^[0-9]+[MG]\z", "a size with the unit M or G (such as 256M or 8G), as upstream's option asks"), "Give a size in M or G, such as 256M or 8G.")
        { Hypervisors = [Qemu], When = VulkanDisplay, Broken = "256M,blob=false", Intact = "8G" },
        new("cloud-hypervisor-oem-string", CloudHypervisorSettings, "PlatformOemStrings", ValuePart.Each,
            "cloud-hypervisor's --platform oem_strings=[<a>,<b>], where commas, quotes and brackets split the list", "lib/runners/cloud-hypervisor.nix:135",
            Every(Forbid(",\"[]"), NoEdgeBlanks), "Give one string per element, without , \" [ ] and without blanks at its ends.")
        { Hypervisors = [CloudHypervisor], Broken = "a,b", Intact = "a-b" },
        new("crosvm-pivot-root", CrosvmSettings, "PivotRoot", ValuePart.Value,
            "crosvm's start script (mkdir -p <pivotRoot>, unquoted)", "lib/runners/crosvm.nix:36",
            SafePath, "Use a path of letters, digits and . _ + @ / -.")
        { Hypervisors = [Crosvm], Broken = "/var/empty/crosvm root", Intact = "/var/empty/crosvm-root" },
        new("virtiofsd-extra-args", VirtiofsdSettings, "ExtraArgs", ValuePart.Each,
            "virtiofsd's start script, which pastes each argument unquoted (concatStringsSep \" \")", "nixos-modules/microvm/virtiofsd/default.nix:64",
            ShellWord, "Pass one word per element, of letters, digits and _ . / : = + @ % , -.")
        { Broken = "--cache always", Intact = "--cache=always" },
        new("virtiofsd-group", VirtiofsdSettings, "Group", ValuePart.Value,
            "virtiofsd's start script (--socket-group=<group>, unquoted)", "nixos-modules/microvm/virtiofsd/default.nix:50",
            Matches("^[A-Za-z_][A-Za-z0-9_.-]*\\z", "a group name"), "Name a group, such as kvm.")
        { Broken = "kvm users", Intact = "kvm" },
    ];

    /// <summary>An IPv4 address as inet_aton reads it in dotted-quad form, or empty.</summary>
    private static string? Ipv4OrEmpty(string value) =>
        value.Length == 0 || Regex.IsMatch(value, "^((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\z", RegexOptions.CultureInvariant)
            ? null
            : "is not an IPv4 address";

    /// <summary>One kernel parameter: no blank outside double quotes, and quotes in pairs (the kernel has no escape for '"').</summary>
    private static string? KernelParam(string value)
    {
        if (value.Length == 0)
        {
            return "is empty";
        }

        var quoted = false;
        foreach (var c in value)
        {
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (char.IsControl(c) || (!quoted && char.IsWhiteSpace(c)))
            {
                return "contains " + Show(c) + (quoted ? string.Empty : " outside double quotes");
            }
        }

        return quoted ? "has a double quote that is never closed" : null;
    }
}
