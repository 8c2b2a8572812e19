using System.Linq;
using Microsoft.CodeAnalysis;

namespace MicroVm.Nix.Generator.Diagnostics;

/// <summary>
/// Every diagnostic MicroVm.Nix reports, in one catalogue. IDs: <c>MVN0xx</c> reading the C# source,
/// <c>MVN1xx</c> volumes, <c>MVN2xx</c> the VM itself (memory, hypervisor, interfaces, shares),
/// <c>MVN3xx</c> across all VMs of the compilation. Each has a page in docs/diagnostics/&lt;ID&gt;.md.
/// Keep AnalyzerReleases.Unshipped.md and docs/diagnostics/ in step with this file.
/// </summary>
internal static class DiagnosticDescriptors
{
    /// <summary>Diagnostic property naming the record property a code fix sets (this file is shared with MicroVm.Nix.CodeFixes).</summary>
    public const string FixPropertyKey = "MicroVmNix.FixProperty";

    /// <summary>Diagnostic property holding the C# expression a code fix assigns.</summary>
    public const string FixValueKey = "MicroVmNix.FixValue";

    /// <summary>Diagnostic property holding the code fix's title.</summary>
    public const string FixTitleKey = "MicroVmNix.FixTitle";

    /// <summary>Where the diagnostic pages live, relative to the repository root; the help links point there.</summary>
    public const string HelpLinkBase = "docs/diagnostics/";

    private const string Reading = "MicroVm.Nix.Reading";
    private const string Volumes = "MicroVm.Nix.Volumes";
    private const string Vm = "MicroVm.Nix.Vm";
    private const string Hypervisor = "MicroVm.Nix.Hypervisor";
    private const string Network = "MicroVm.Nix.Network";
    private const string Shares = "MicroVm.Nix.Shares";
    private const string Fleet = "MicroVm.Nix.Fleet";
    private const string Hosts = "MicroVm.Nix.Hosts";

    /// <summary>MVN001: "The value of '{0}' cannot be read at compile time: {1}. …".</summary>
    public static readonly DiagnosticDescriptor UnsupportedExpression = Error(
        "MVN001", Reading, "Value cannot be read at compile time",
        "The value of '{0}' cannot be read at compile time: {1}. Use literals, constants, enum members, 'new' with initializers, collection expressions, 'with', const/static readonly members, or static helpers of one expression.");

    /// <summary>MVN002: "[MicroVmModule] member '{0}' {1}".</summary>
    public static readonly DiagnosticDescriptor InvalidModuleMember = Error(
        "MVN002", Reading, "[MicroVmModule] must mark a static VirtualMachine field or property with a value",
        "[MicroVmModule] member '{0}' {1}");

    /// <summary>MVN003: "'{0}' must not be null: upstream option '{1}' has type {2}".</summary>
    public static readonly DiagnosticDescriptor ValueRequired = Error(
        "MVN003", Reading, "Option must not be null",
        "'{0}' must not be null: upstream option '{1}' has type {2}");

    /// <summary>MVN004: "'{0}' contains {1}, which a Nix file cannot hold".</summary>
    public static readonly DiagnosticDescriptor NulInString = Error(
        "MVN004", Reading, "String Nix cannot hold",
        "'{0}' contains {1}, which a Nix file cannot hold: Nix strings have no NUL, and the file is UTF-8");

    /// <summary>MVN005: "'{0}' is {1}, which Nix cannot represent: {2}".</summary>
    public static readonly DiagnosticDescriptor ValueNixCannotHold = Error(
        "MVN005", Reading, "Value Nix cannot represent",
        "'{0}' is {1}, which Nix cannot represent: {2}");

    /// <summary>MVN006: "'{0}' comes from a library MicroVm.Nix cannot read: {1}".</summary>
    public static readonly DiagnosticDescriptor LibraryVersion = Error(
        "MVN006", Reading, "Library described by another MicroVm.Nix version",
        "'{0}' comes from a library MicroVm.Nix cannot read: {1}");

    /// <summary>MVN101: "Block device '{0}' must not have AutoCreate enabled: when the device node is missing at start, …".</summary>
    public static readonly DiagnosticDescriptor BlockDeviceAutoCreate = Error(
        "MVN101", Volumes, "Block device with AutoCreate",
        "Block device '{0}' must not have AutoCreate enabled: when the device node is missing at start (zvol not created yet, pool not imported, disk gone), microvm.nix's start script tries to create and format a file at that /dev path. Under the host's microvm@ service, which runs as the microvm user, the start then fails; run as root (the runner started by hand), it formats a regular file in the RAM-backed /dev and the VM's data silently lands in RAM. While the node exists AutoCreate does nothing, so turning it off loses nothing. Set 'AutoCreate = false'.");

    /// <summary>MVN102: "MountPoint '{0}' is not an absolute guest path: …".</summary>
    public static readonly DiagnosticDescriptor MountPointNotAbsolute = Error(
        "MVN102", Volumes, "MountPoint is not an absolute path",
        "MountPoint '{0}' is not an absolute guest path: upstream's type is 'nullOr path'. Write an absolute path such as '/{1}', or null to attach the disk without mounting it.");

    /// <summary>MVN103: "Size {0} is not a positive number of MiB: …".</summary>
    public static readonly DiagnosticDescriptor SizeNotPositive = Error(
        "MVN103", Volumes, "Volume size is not positive",
        "Size {0} is not a positive number of MiB: upstream truncates the image to this size when it creates it, and always requires it");

    /// <summary>MVN104: "Image '{0}' is a relative path: microvm.nix resolves it in the VM's state directory …".</summary>
    public static readonly DiagnosticDescriptor ImageNotAbsolute = Info(
        "MVN104", Volumes, "Relative image path",
        "Image '{0}' is a relative path: microvm.nix resolves it in the VM's state directory on the host ({1} with the default microvm.stateDir), not in this project");

    /// <summary>MVN105: "FsType '{0}' cannot be formatted by microvm.nix: …".</summary>
    public static readonly DiagnosticDescriptor FsTypeNotCreatable = Error(
        "MVN105", Volumes, "Filesystem type microvm.nix cannot create",
        "FsType '{0}' cannot be formatted by microvm.nix (it knows ext2, ext3, ext4, xfs, btrfs and vfat), and {1}: building the VM fails with \"Do not know how to handle {0}\" (lib/volumes.nix). {2}");

    /// <summary>MVN106: "Label '{0}' is only applied when AutoCreate formats the volume: …".</summary>
    public static readonly DiagnosticDescriptor LabelWithoutAutoCreate = Warning(
        "MVN106", Volumes, "Label without AutoCreate",
        "Label '{0}' is only applied when AutoCreate formats the volume: with AutoCreate off, microvm.nix mounts it by /dev/disk/by-label/{0}, which exists only if you labelled the filesystem yourself (upstream warns: \"Volume is not automatically labeled unless autoCreate is true\")");

    /// <summary>MVN107: "Label '{0}' is {1} bytes, but {2} labels hold at most {3}".</summary>
    public static readonly DiagnosticDescriptor LabelTooLong = Error(
        "MVN107", Volumes, "Label too long for its filesystem",
        "Label '{0}' is {1} bytes, but {2} labels hold at most {3}: mkfs.{2} rejects or cuts it, and mounting by /dev/disk/by-label/{0} then fails");

    /// <summary>MVN108: "Serial '{0}' {1}: …".</summary>
    public static readonly DiagnosticDescriptor InvalidSerial = Error(
        "MVN108", Volumes, "Invalid disk serial",
        "Serial '{0}' {1}: the guest finds the disk at /dev/disk/by-id/virtio-<serial>, and virtio-blk serials hold at most 20 bytes of letters, digits and _ - . : + # = @");

    /// <summary>MVN109: "ZFS {0} name '{1}' is invalid: {2}".</summary>
    public static readonly DiagnosticDescriptor InvalidZfsName = Error(
        "MVN109", Volumes, "Invalid ZFS pool or dataset name",
        "ZFS {0} name '{1}' is invalid: {2} (zfsconcepts(7), zpool(8))");

    /// <summary>MVN110: "ImageType {0} is only supported by cloud-hypervisor: …".</summary>
    public static readonly DiagnosticDescriptor ImageTypeNeedsCloudHypervisor = Error(
        "MVN110", Volumes, "ImageType other than raw needs cloud-hypervisor",
        "ImageType {0} is only supported by cloud-hypervisor: {1} does not pass imageType on and treats the image as raw, so the guest would read the {0} container as disk data. Convert the image to raw or use Hypervisor.CloudHypervisor.");

    /// <summary>MVN111: "Image '{0}' is attached twice to this VM: …".</summary>
    public static readonly DiagnosticDescriptor DuplicateVolumeImage = Error(
        "MVN111", Volumes, "Volume image attached twice",
        "Image '{0}' is attached twice to this VM: upstream's assertion fails (\"volume image is used 2 > 1 times\")");

    /// <summary>MVN112: "Raw block device '{0}' has no Serial: …".</summary>
    public static readonly DiagnosticDescriptor RawDeviceWithoutSerial = Warning(
        "MVN112", Volumes, "Raw block device without a stable name",
        "Raw block device '{0}' has no Serial: the guest sees it as {1}, which moves when volumes are added, removed or reordered. Set a Serial to get /dev/disk/by-id/virtio-<serial>.");

    /// <summary>MVN113: "This volume is number {0}, but the guest has only {1} drive letters …".</summary>
    public static readonly DiagnosticDescriptor TooManyVolumes = Error(
        "MVN113", Volumes, "More volumes than drive letters",
        "This volume is number {0}, but the guest has only {1} drive letters (/dev/vda to /dev/vdz{2}): upstream silently drops every volume past the last letter");

    /// <summary>MVN114: "Block device path '{0}' has '{1}', which a udev rule cannot match …".</summary>
    public static readonly DiagnosticDescriptor UnmatchableDevicePath = Error(
        "MVN114", Volumes, "Block device path a udev rule cannot match",
        "Block device path '{0}' has '{1}', which a udev rule cannot match literally: the host module grants the microvm user access to each attached device by a udev rule. Use a path of letters, digits and . _ + : @ = , # - /, such as one under /dev/disk/by-id/.");

    /// <summary>MVN115: "Zvol '{0}' cannot be created as written: {1}".</summary>
    public static readonly DiagnosticDescriptor InvalidZvolProvisioning = Error(
        "MVN115", Volumes, "Zvol cannot be created as written",
        "Zvol '{0}' cannot be created as written: {1}");

    /// <summary>MVN201: "HostName '{0}' is not a valid host name: …".</summary>
    public static readonly DiagnosticDescriptor InvalidHostName = Error(
        "MVN201", Vm, "Invalid host name",
        "HostName '{0}' is not a valid host name: use 1 to 63 letters, digits and '-', not starting or ending with '-' (it also names the generated file)");

    /// <summary>MVN242: "HostName '{0}' is reserved: …".</summary>
    public static readonly DiagnosticDescriptor ReservedHostName = Error(
        "MVN242", Vm, "Reserved host name",
        "HostName '{0}' is reserved: its module would be written to default.nix, which is the host module of the output folder. Choose another name.");

    /// <summary>MVN202: "{0} is {1}, but upstream option '{2}' accepts {3}".</summary>
    public static readonly DiagnosticDescriptor ValueOutOfRange = Error(
        "MVN202", Vm, "Value outside upstream's range",
        "{0} is {1}, but upstream option '{2}' accepts {3}");

    /// <summary>MVN203: "Mem {0} MiB is uncomfortably narrow: …".</summary>
    public static readonly DiagnosticDescriptor MemoryTooSmall = Warning(
        "MVN203", Vm, "Very little memory",
        "Mem {0} MiB is uncomfortably narrow: upstream warns below 32 MiB, and NixOS rarely boots in less than 256 MiB");

    /// <summary>MVN204: "QEMU hangs on some setups when memory is exactly 2048 MiB …".</summary>
    public static readonly DiagnosticDescriptor QemuExactly2048 = Warning(
        "MVN204", Hypervisor, "QEMU with exactly 2048 MiB",
        "QEMU hangs on some setups when memory is exactly 2048 MiB (upstream warns, microvm.nix issue #171). Use 2047 or 2049.");

    /// <summary>MVN205: "{0} is not supported by {1}: …".</summary>
    public static readonly DiagnosticDescriptor UnsupportedByHypervisor = Error(
        "MVN205", Hypervisor, "Not supported by the hypervisor",
        "{0} is not supported by {1}: building the VM stops with \"{2}\" ({3}). {4}");

    /// <summary>MVN206: "{0} {1} with {2}: {3} ({4}). {5}".</summary>
    public static readonly DiagnosticDescriptor HypervisorCaveat = Warning(
        "MVN206", Hypervisor, "Ignored or unreliable with the hypervisor",
        "{0} {1} with {2}: {3} ({4}). {5}");

    /// <summary>MVN207: "{0} does not work with {1}: {2} ({3}), so the VM fails every time it starts. {4}".</summary>
    public static readonly DiagnosticDescriptor FailsAtStart = Error(
        "MVN207", Hypervisor, "Fails when the VM starts with the hypervisor",
        "{0} does not work with {1}: {2} ({3}), so the VM fails every time it starts. {4}");

    /// <summary>MVN210: "Interface id '{0}' is used twice in this VM: …".</summary>
    public static readonly DiagnosticDescriptor DuplicateInterfaceId = Error(
        "MVN210", Network, "Interface id used twice",
        "Interface id '{0}' is used twice in this VM: upstream's assertion fails (\"interface id is used 2 > 1 times\")");

    /// <summary>MVN211: "Interface '{0}' is of type Bridge but has no Bridge …".</summary>
    public static readonly DiagnosticDescriptor BridgeInterfaceWithoutBridge = Error(
        "MVN211", Network, "Bridge interface without a bridge",
        "Interface '{0}' is of type Bridge but has no Bridge to attach to: upstream's assertion fails. Set 'Bridge = \"br0\"' (the host bridge's name).");

    /// <summary>MVN212: "Interface '{0}' is of type {1}, so it must not set Bridge: …".</summary>
    public static readonly DiagnosticDescriptor BridgeOnNonBridgeInterface = Error(
        "MVN212", Network, "Bridge set on an interface that is not a bridge interface",
        "Interface '{0}' is of type {1}, so it must not set Bridge: upstream's assertion fails. Use 'Type = InterfaceType.Bridge' or remove Bridge.");

    /// <summary>MVN213: "Interface id '{0}' is {1} bytes long, but Linux interface names hold at most 15".</summary>
    public static readonly DiagnosticDescriptor InterfaceIdTooLong = Error(
        "MVN213", Network, "Interface id too long",
        "Interface id '{0}' is {1} bytes long, but Linux interface names hold at most 15: upstream's assertion fails");

    /// <summary>MVN214: "Macvtap interface '{0}' needs {1}: …".</summary>
    public static readonly DiagnosticDescriptor MacvtapIncomplete = Error(
        "MVN214", Network, "Macvtap interface without link or mode",
        "Macvtap interface '{0}' needs {1}: upstream has no default and fails with \"was accessed but has no value defined\"");

    /// <summary>MVN215: "MAC address '{0}' is invalid: …".</summary>
    public static readonly DiagnosticDescriptor InvalidMac = Error(
        "MVN215", Network, "Invalid MAC address",
        "MAC address '{0}' is invalid: {1}. Write six hex byte pairs separated by ':', such as '02:00:00:00:00:01' (02 marks a locally administered address).");

    /// <summary>MVN220: "Share tag '{0}' is used twice in this VM: …".</summary>
    public static readonly DiagnosticDescriptor DuplicateShareTag = Error(
        "MVN220", Shares, "Share tag used twice",
        "Share tag '{0}' is used twice in this VM: upstream's assertion fails (\"share tag is used 2 > 1 times\")");

    /// <summary>MVN221: "Virtiofs socket '{0}' is used by two shares: …".</summary>
    public static readonly DiagnosticDescriptor DuplicateVirtiofsSocket = Error(
        "MVN221", Shares, "Virtiofs socket used twice",
        "Virtiofs socket '{0}' is used by two shares: upstream's assertion fails; each virtiofsd needs its own socket");

    /// <summary>MVN222: "Virtiofs share '{0}' has Socket = null: …".</summary>
    public static readonly DiagnosticDescriptor VirtiofsWithoutSocket = Error(
        "MVN222", Shares, "Virtiofs share without a socket",
        "Virtiofs share '{0}' has Socket = null: upstream's assertion fails (\"missing a socket path\"). Leave Socket unset for upstream's default or name a socket.");

    /// <summary>MVN223: "Virtiofs share '{0}' has PosixAcl on, but its virtiofsd arguments … contain {1}: …".</summary>
    public static readonly DiagnosticDescriptor PosixAclWithTranslation = Error(
        "MVN223", Shares, "posixAcl with --translate-uid/gid",
        "Virtiofs share '{0}' has PosixAcl on, but its virtiofsd arguments (the share's or Virtiofsd's ExtraArgs) contain {1}, which virtiofsd refuses together with --posix-acl: upstream's assertion fails. Set 'PosixAcl = false'.");

    /// <summary>MVN224: "Share MountPoint '{0}' is not an absolute guest path".</summary>
    public static readonly DiagnosticDescriptor ShareMountPointNotAbsolute = Error(
        "MVN224", Shares, "Share MountPoint is not an absolute path",
        "Share MountPoint '{0}' is not an absolute guest path: upstream's type is 'path'. Write an absolute path such as '/{1}'.");

    /// <summary>MVN225: "Share Source must not be empty …".</summary>
    public static readonly DiagnosticDescriptor ShareSourceEmpty = Error(
        "MVN225", Shares, "Share source is empty",
        "Share '{0}' has an empty Source: upstream's type is 'nonEmptyStr'. Give the host directory to share.");

    /// <summary>MVN230: "ForwardPorts work only with qemu and an interface of type User: …".</summary>
    public static readonly DiagnosticDescriptor ForwardPortsNeedQemuUser = Error(
        "MVN230", Network, "ForwardPorts without qemu user networking",
        "ForwardPorts work only with qemu and an interface of type User: {0}, so upstream's assertion fails");

    /// <summary>MVN231: "VsockCid {0} is not a guest address: …".</summary>
    public static readonly DiagnosticDescriptor ReservedVsockCid = Error(
        "MVN231", Vm, "Reserved vsock CID",
        "VsockCid {0} is not a guest address: 0 is the hypervisor, 1 loopback, 2 the host, and negative values are invalid. Use 3 or more.");

    /// <summary>MVN232: "StoreOnDisk = false needs a share with Source = \"/nix/store\": …".</summary>
    public static readonly DiagnosticDescriptor StoreNowhere = Error(
        "MVN232", Vm, "No Nix store for the guest",
        "StoreOnDisk = false needs a share with Source = \"/nix/store\": without one the guest has no store and evaluation fails with \"list index 0 is out of bounds\" (nixos-modules/microvm/mounts.nix)");

    /// <summary>MVN245: "StateVersion '{0}' is not a NixOS release: …".</summary>
    public static readonly DiagnosticDescriptor NotANixosRelease = Error(
        "MVN245", Vm, "State version is not a NixOS release",
        "StateVersion '{0}' is not a NixOS release: NixOS compares system.stateVersion with release numbers (lib.versionOlder) to keep stateful services' data formats, so another string silently picks the wrong ones. Write the release the guest was first installed with, as YY.MM, such as \"25.05\".");

    /// <summary>MVN235: "User '{0}' is declared twice: …".</summary>
    public static readonly DiagnosticDescriptor DuplicateUser = Error(
        "MVN235", Vm, "User declared twice",
        "User '{0}' is declared twice: Users become NixOS's users.users.<name>, one account per name. Merge the two entries into one.");

    /// <summary>MVN236: "AuthorizedKeys given, but the guest runs no SSH server: …".</summary>
    public static readonly DiagnosticDescriptor KeysWithoutSshServer = Warning(
        "MVN236", Vm, "Authorized keys without an SSH server",
        "AuthorizedKeys given, but the guest runs no SSH server, so nobody can log in with them: set SshServer = true (port 22 on the guest's interfaces) or VsockSshEnable = true (from the host over vsock).");

    /// <summary>MVN237: "Package '{0}' is not an attribute path: …".</summary>
    public static readonly DiagnosticDescriptor InvalidPackagePath = Error(
        "MVN237", Vm, "Package is not an attribute path",
        "Package '{0}' is not an attribute path: it {1}. Name the package by its attribute path in nixpkgs, names separated by dots, a name that is not a Nix identifier in double quotes, such as \"qemu_kvm\" or \"linuxPackages_6_12.kernel\".");

    /// <summary>MVN251: "Package set system '{0}' is not a system nixpkgs knows: …".</summary>
    public static readonly DiagnosticDescriptor UnknownPackageSetSystem = Error(
        "MVN251", Vm, "Package set for a system nixpkgs does not know",
        "Package set system '{0}' is not a system nixpkgs knows{1}. Name one of nixpkgs' systems (lib.systems.doubles.all), such as \"aarch64-darwin\" or \"x86_64-linux\".");

    /// <summary>MVN252: "Import '{0}' names no file: …".</summary>
    public static readonly DiagnosticDescriptor ImportNamesNoFile = Error(
        "MVN252", Vm, "Import names no file",
        "Import '{0}' names no file: it is taken relative to the generated module's folder, which makes it '{1}', and there is no such .nix file (or folder with a default.nix). Nix would stop the host's evaluation there. Create the module, or correct the path relative to the output folder.");

    /// <summary>MVN238: "BinScripts '{0}' is a script upstream writes itself: …".</summary>
    public static readonly DiagnosticDescriptor BinScriptUpstreamWrites = Error(
        "MVN238", Vm, "Bin script upstream writes itself",
        "BinScripts '{0}' is a script upstream writes itself: {1}. Give your script another name.");

    /// <summary>MVN246: "{0} '{1}' is not valid: …".</summary>
    public static readonly DiagnosticDescriptor InvalidAccountName = Error(
        "MVN246", Vm, "User or group name NixOS refuses",
        "{0} '{1}' is not valid: {2}");

    /// <summary>MVN247: "An authorized key of user '{0}' is not an OpenSSH public key: …".</summary>
    public static readonly DiagnosticDescriptor InvalidAuthorizedKey = Error(
        "MVN247", Vm, "Authorized key is not an OpenSSH public key",
        "An authorized key of user '{0}' is not an OpenSSH public key line: {1}. sshd skips a line it cannot read, so the user could not log in with it.");

    /// <summary>MVN248: "The password hash of user '{0}' contains {1}: …".</summary>
    public static readonly DiagnosticDescriptor PasswordHashBreaksShadow = Error(
        "MVN248", Vm, "Password hash breaks /etc/shadow",
        "The password hash of user '{0}' contains {1}: /etc/shadow is one line per user with ':' between fields, so NixOS refuses it (its assertion in users-groups.nix). Give the hash exactly as mkpasswd prints it.");

    /// <summary>MVN249: "The password hash of user '{0}' is not a crypt(3) hash: …".</summary>
    public static readonly DiagnosticDescriptor PasswordHashNotCrypt = Warning(
        "MVN249", Vm, "Password hash is not a crypt(3) hash",
        "The password hash of user '{0}' is not a crypt(3) hash ($y$…, $6$…), so no password matches it and the user is locked out of password logins (NixOS warns the same). Give the output of mkpasswd, never the password itself.");

    /// <summary>MVN234: "VsockSshEnable needs VsockCid: …".</summary>
    public static readonly DiagnosticDescriptor VsockSshWithoutCid = Error(
        "MVN234", Vm, "Vsock SSH without a CID",
        "VsockSshEnable needs VsockCid: without a CID the guest has no vsock to listen on, and upstream's assertion \"microvm.vsock.ssh.enable requires microvm.vsock.cid to be set\" fails the build (nixos-modules/microvm/vsock-ssh.nix:23). Set VsockCid to 3 or more, unique on the host.");

    /// <summary>MVN233: "PlatformOemStrings entry '{0}' contains 'oem_strings': …".</summary>
    public static readonly DiagnosticDescriptor OemStringsInOemStrings = Error(
        "MVN233", Hypervisor, "platformOEMStrings entry contains oem_strings",
        "PlatformOemStrings entry '{0}' contains 'oem_strings': give only the values, microvm.nix adds 'oem_strings=[…]' itself, and upstream's assertion fails");

    /// <summary>MVN240: "Import '{0}' is not a relative Nix path …".</summary>
    public static readonly DiagnosticDescriptor InvalidImportPath = Error(
        "MVN240", Vm, "Import is not a relative Nix path",
        "Import '{0}' is not a relative Nix path: write it relative to the generated file, starting with './' or '../', with only letters, digits and . _ + - /, such as './common.nix'");

    /// <summary>MVN241: "ExtraConfig key '{0}' {1}".</summary>
    public static readonly DiagnosticDescriptor InvalidExtraConfigKey = Error(
        "MVN241", Vm, "Invalid ExtraConfig option path",
        "ExtraConfig key '{0}' {1}");

    /// <summary>MVN244: "ExtraConfig '{0}' is {1}, which upstream's type for it refuses: {2}".</summary>
    public static readonly DiagnosticDescriptor ExtraConfigValueNotOfUpstreamType = Error(
        "MVN244", Vm, "ExtraConfig value is not of upstream's type",
        "ExtraConfig '{0}' is {1}, which upstream's type for it refuses: {2}");

    /// <summary>MVN301: "Host name '{0}' is also used by '{1}': …".</summary>
    public static readonly DiagnosticDescriptor DuplicateHostName = Error(
        "MVN301", Fleet, "Two VMs with the same host name",
        "Host name '{0}' is also used by '{1}': both would be written to '{0}.nix'. Give each VM its own HostName.");

    /// <summary>MVN302: "Image '{0}' is also attached to '{1}' …".</summary>
    public static readonly DiagnosticDescriptor SharedWritableImage = Error(
        "MVN302", Fleet, "One disk attached to two VMs, writable",
        "Image '{0}' is also attached to '{1}', and at least one of them can write it: two kernels writing one block device or filesystem corrupt it. Attach it to one VM, or ReadOnly to all.");

    /// <summary>MVN303: "MAC address '{0}' is also used by '{1}' …".</summary>
    public static readonly DiagnosticDescriptor DuplicateMac = Error(
        "MVN303", Fleet, "MAC address used twice",
        "MAC address '{0}' is also used by '{1}': two interfaces with one MAC on a network break each other's traffic");

    /// <summary>MVN304: "Host interface '{0}' is also created by '{1}' …".</summary>
    public static readonly DiagnosticDescriptor DuplicateHostInterface = Error(
        "MVN304", Fleet, "Host interface name used by two VMs",
        "Host interface '{0}' is also created by '{1}': tap and macvtap interfaces of all VMs share the host's interface names, and each VM's start deletes and recreates the interface, cutting the other VM off the network");

    /// <summary>MVN305: "VsockCid {0} is also used by '{1}' …".</summary>
    public static readonly DiagnosticDescriptor DuplicateVsockCid = Error(
        "MVN305", Fleet, "Vsock CID used by two VMs",
        "VsockCid {0} is also used by '{1}': a CID is the VM's address on the host; with vhost-vsock (qemu, crosvm, alioth) the second VM fails to start, and elsewhere the host cannot tell the two apart");

    /// <summary>MVN243: "Mount point '{0}' is also used by {1}: {2}".</summary>
    public static readonly DiagnosticDescriptor MountPointUsedTwice = Error(
        "MVN243", Vm, "Two mounts at one mount point",
        "Mount point '{0}' is also used by {1}: {2}. Give each volume and share its own mount point.");

    /// <summary>MVN250: "{0} {1} {2}, which breaks {3} ({4}). {5}".</summary>
    public static readonly DiagnosticDescriptor ValueBreaksContext = Error(
        "MVN250", Vm, "Value breaks where upstream puts it",
        "{0} {1} {2}, which breaks {3} ({4}). {5}");

    /// <summary>MVN306: "Zvol '{0}' is created here with {1}, and by '{2}' with {3} …".</summary>
    public static readonly DiagnosticDescriptor ZvolCreatedTwiceDifferently = Error(
        "MVN306", Fleet, "One zvol created with different settings",
        "Zvol '{0}' is created here with {1}, and by '{2}' with {3}: whichever VM starts first creates it, and the other's check then finds a zvol unlike its record and stops that VM from starting. Give both the same Create, or set Create on one of them only.");

    /// <summary>MVN260: "Host {0} '{1}' is invalid: {2}".</summary>
    public static readonly DiagnosticDescriptor InvalidHostValue = Error(
        "MVN260", Hosts, "Invalid host description",
        "Host {0} '{1}' is invalid: {2}");

    /// <summary>MVN261: "Zvol '{0}' is in pool '{1}', which host '{2}' does not have …".</summary>
    public static readonly DiagnosticDescriptor PoolNotOnHost = Error(
        "MVN261", Hosts, "Zvol in a pool its host does not have",
        "Zvol '{0}' is in pool '{1}', which host '{2}' does not have (its Pools: {3}): the VM would not start there. Add the pool to the host's Pools, or place the VM on a host that has it.");

    /// <summary>MVN262: "Interface '{0}' attaches to bridge '{1}', which host '{2}' does not create …".</summary>
    public static readonly DiagnosticDescriptor BridgeNotOnHost = Error(
        "MVN262", Hosts, "Bridge its host does not have",
        "Interface '{0}' attaches to bridge '{1}', which host '{2}' does not have (its Bridges: {3}): the VM's start fails to attach it. Add the bridge to the host's Bridges (and create it in the host's configuration), or use one it has.");

    /// <summary>MVN263: "Interface '{0}' is on network '{1}', which {2}".</summary>
    public static readonly DiagnosticDescriptor NetworkNotOnHost = Error(
        "MVN263", Hosts, "Network its host does not take part in",
        "Interface '{0}' is on network '{1}', which {2}");

    /// <summary>MVN264: "Interface '{0}' on network '{1}': {2}".</summary>
    public static readonly DiagnosticDescriptor InvalidNetworkInterface = Error(
        "MVN264", Network, "Interface that cannot be on its network",
        "Interface '{0}' on network '{1}': {2}");

    /// <summary>MVN265: "{0} '{1}' of network '{2}' is invalid: {3}".</summary>
    public static readonly DiagnosticDescriptor InvalidNetwork = Error(
        "MVN265", Hosts, "Invalid network description",
        "{0} '{1}' of network '{2}' is invalid: {3}");

    /// <summary>MVN307: "'{0}' has no Host, but other VMs of this project have one …".</summary>
    public static readonly DiagnosticDescriptor VmWithoutHost = Error(
        "MVN307", Fleet, "VM without a host in a project with hosts",
        "VM '{0}' has no Host, but '{1}' is placed on host '{2}': in a project with hosts every VM needs one, since each host gets its own folder. Set Host on this VM.");

    /// <summary>MVN308: "Host '{0}' is described differently here than for '{1}' …".</summary>
    public static readonly DiagnosticDescriptor HostDescribedTwice = Error(
        "MVN308", Fleet, "One host described two ways",
        "Host '{0}' is described differently here than for '{1}' ({2}): one host has one module, so every VM on it must carry the same Host. Place both on one static readonly Host member.");

    /// <summary>MVN309: "Host '{0}' has {1}, but its VMs take {2} …".</summary>
    public static readonly DiagnosticDescriptor HostOvercommitted = Warning(
        "MVN309", Fleet, "More promised to a host's VMs than it has",
        "Host '{0}' has {1}, but its VMs take {2}: {3}. They may not all start, or run slowly, when they run at once.");

    /// <summary>MVN310: "Address '{0}' on network '{1}' is also used by {2} …".</summary>
    public static readonly DiagnosticDescriptor DuplicateAddress = Error(
        "MVN310", Fleet, "IP address used twice on one network",
        "Address '{0}' on network '{1}' is also used by {2}: two machines with one address on a network take each other's traffic. Give each its own address.");

    /// <summary>MVN311: "Network '{0}' is described differently here than for {1} …".</summary>
    public static readonly DiagnosticDescriptor NetworkDescribedTwice = Error(
        "MVN311", Fleet, "One network described two ways",
        "Network '{0}' is described differently here than for {1} ({2}): one network has one subnet and one gateway on every host. Describe it once, as one static readonly Network member.");

    /// <summary>MVN312: "Address '{0}' on network '{1}' is in the DHCP pool host '{2}' serves …".</summary>
    public static readonly DiagnosticDescriptor AddressInDhcpPool = Error(
        "MVN312", Fleet, "Static address in a DHCP pool",
        "Address '{0}' on network '{1}' is in the DHCP pool host '{2}' serves ({3}, the subnet's upper half), whose server does not know static addresses and would lease it to another machine. Use an address of the lower half.");

    /// <summary>MVN313: "Network '{0}' is served DHCP by host '{1}' too …".</summary>
    public static readonly DiagnosticDescriptor DhcpServedTwice = Error(
        "MVN313", Fleet, "Two DHCP servers on one network",
        "Network '{0}' is served DHCP by host '{1}' too: two servers hand out the same pool, and two machines get one address. Serve DHCP from one host of the network.");

    public static readonly DiagnosticDescriptor[] All =
    [
        UnsupportedExpression, InvalidModuleMember, ValueRequired, NulInString, ValueNixCannotHold, LibraryVersion,
        BlockDeviceAutoCreate, MountPointNotAbsolute, SizeNotPositive, ImageNotAbsolute, FsTypeNotCreatable, LabelWithoutAutoCreate,
        LabelTooLong, InvalidSerial, InvalidZfsName, ImageTypeNeedsCloudHypervisor, DuplicateVolumeImage, RawDeviceWithoutSerial, TooManyVolumes,
        UnmatchableDevicePath, InvalidZvolProvisioning, InvalidHostName, ReservedHostName, ValueOutOfRange, MemoryTooSmall, QemuExactly2048, UnsupportedByHypervisor, HypervisorCaveat, FailsAtStart,
        DuplicateInterfaceId, BridgeInterfaceWithoutBridge, BridgeOnNonBridgeInterface, InterfaceIdTooLong, MacvtapIncomplete, InvalidMac,
        DuplicateShareTag, DuplicateVirtiofsSocket, VirtiofsWithoutSocket, PosixAclWithTranslation, ShareMountPointNotAbsolute, ShareSourceEmpty,
        ForwardPortsNeedQemuUser, ReservedVsockCid, StoreNowhere, OemStringsInOemStrings, VsockSshWithoutCid, DuplicateUser, KeysWithoutSshServer, InvalidPackagePath, BinScriptUpstreamWrites, NotANixosRelease, InvalidAccountName, InvalidAuthorizedKey, PasswordHashBreaksShadow, PasswordHashNotCrypt, InvalidImportPath, InvalidExtraConfigKey, ExtraConfigValueNotOfUpstreamType, MountPointUsedTwice, ValueBreaksContext, UnknownPackageSetSystem, ImportNamesNoFile,
        InvalidHostValue, PoolNotOnHost, BridgeNotOnHost, NetworkNotOnHost, InvalidNetworkInterface, InvalidNetwork,
        DuplicateHostName, SharedWritableImage, DuplicateMac, DuplicateHostInterface, DuplicateVsockCid, ZvolCreatedTwiceDifferently,
        VmWithoutHost, HostDescribedTwice, HostOvercommitted, DuplicateAddress, NetworkDescribedTwice, AddressInDhcpPool, DhcpServedTwice,
    ];

    private static DiagnosticDescriptor Error(string id, string category, string title, string message) =>
        Create(id, category, title, message, DiagnosticSeverity.Error);

    private static DiagnosticDescriptor Warning(string id, string category, string title, string message) =>
        Create(id, category, title, message, DiagnosticSeverity.Warning);

    private static DiagnosticDescriptor Info(string id, string category, string title, string message) =>
        Create(id, category, title, message, DiagnosticSeverity.Info);

    /// <summary>
    /// A descriptor whose message ends with one more placeholder than it uses: the origin of a value from a
    /// library (" (from Presets.Small in MyPresets)"), empty otherwise (<see cref="DiagnosticInfo.Create"/>).
    /// </summary>
    private static DiagnosticDescriptor Create(string id, string category, string title, string message, DiagnosticSeverity severity)
    {
        var placeholders = System.Text.RegularExpressions.Regex.Matches(message, @"\{(\d+)\}").Cast<System.Text.RegularExpressions.Match>()
            .Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) + 1).DefaultIfEmpty(0).Max();
        return new(id, title, message + "{" + placeholders.ToString(System.Globalization.CultureInfo.InvariantCulture) + "}", category, severity, isEnabledByDefault: true,
            description: DiagnosticDocs.Description(id), helpLinkUri: HelpLinkBase + id + ".md", customTags: category == Fleet ? [WellKnownDiagnosticTags.CompilationEnd] : []);
    }
}
