using System.Collections.Generic;

namespace MicroVm.Nix;

/// <summary>
/// A MicroVM guest: the NixOS module MicroVm.Nix writes sets <c>networking.hostName</c> and the
/// <c>microvm.*</c> options of microvm.nix. Mark a <c>static</c> field or property holding one with
/// <see cref="MicroVmModuleAttribute"/> to get <c>&lt;HostName&gt;.nix</c> at build time.
/// </summary>
/// <remarks>
/// Only the options you set are written; the others keep upstream's defaults, which the defaults of
/// these properties mirror.
/// </remarks>
public sealed record VirtualMachine
{
    /// <summary>
    /// The guest's host name (<c>networking.hostName</c>), also the name of the generated file
    /// (<c>&lt;HostName&gt;.nix</c>). Letters, digits and <c>-</c>, starting with a letter or digit.
    /// </summary>
    public required string HostName { get; init; }

    /// <summary>
    /// The machine that runs this VM (<c>null</c>: the project describes one host and writes one folder).
    /// When any VM of a project has a host, every VM needs one: each host gets its own folder
    /// (<c>nix/&lt;Host.Name&gt;/</c>) with its host module and its guests' modules, and the checks across VMs
    /// (tap interfaces, vsock CIDs, disks) apply per host, MAC addresses and host names across all hosts.
    /// </summary>
    public Host? Host { get; init; }

    /// <summary>
    /// The NixOS release the guest's state was first created with (<c>system.stateVersion</c>), such as
    /// <c>"25.05"</c>: set it when the VM is created and leave it, since it keeps stateful services' data
    /// formats, not the NixOS version the guest runs. <c>null</c> leaves it unset, which NixOS warns
    /// about on every evaluation.
    /// </summary>
    public string? StateVersion { get; init; }

    /// <summary>
    /// The guest's accounts (NixOS <c>users.users</c>), each with its SSH keys, groups and password hash:
    /// the way into the guest. Names are unique.
    /// </summary>
    public IReadOnlyList<GuestUser> Users { get; init; } = [];

    /// <summary>
    /// Run OpenSSH's server in the guest (NixOS <c>services.openssh.enable</c>, default <c>false</c>), listening
    /// on port 22 of the guest's interfaces, so the users' <see cref="GuestUser.AuthorizedKeys"/> can log in.
    /// <see cref="VsockSshEnable"/> turns it on too, for logins from the host over vsock.
    /// </summary>
    public bool SshServer { get; init; }

    /// <summary>Enable upstream's closure-size and start-up optimisations (upstream <c>microvm.optimize.enable</c>, default <c>true</c>).</summary>
    /// <remarks>Upstream's description of <c>microvm.optimize.enable</c> (microvm.nix 71beea0): Enables some
    /// optimizations by default to closure size and startup time: - defaults documentation to off - defaults to using
    /// systemd in initrd - use systemd-networkd - disables systemd-network-wait-online - disables NixOS system
    /// switching if the host store is not mounted This takes a few hundred MB off the closure size, including qemu,
    /// allowing for putting MicroVMs inside Docker containers.</remarks>
    public bool Optimize { get; init; } = true;

    /// <summary>Whether microvm.nix's guest module applies at all (upstream <c>microvm.guest.enable</c>, default <c>true</c>); <c>false</c> keeps its options declared and does nothing with them.</summary>
    /// <remarks>Upstream's description of <c>microvm.guest.enable</c> (microvm.nix 71beea0): Whether to enable the
    /// microvm.nix guest module at all.</remarks>
    public bool GuestEnable { get; init; } = true;

    /// <summary>Give the hypervisor's process a recognizable name right before it starts (upstream <c>microvm.prettyProcnames</c>, default <c>true</c>).</summary>
    /// <remarks>Upstream's description of <c>microvm.prettyProcnames</c> (microvm.nix 71beea0): Set a recognizable
    /// process name right before executing the Hyperisor.</remarks>
    public bool PrettyProcnames { get; init; } = true;

    /// <summary>Register the system closure's store paths in the guest's Nix database (upstream <c>microvm.registerClosure</c>, default <c>true</c>); may not suit a persistent writable store overlay.</summary>
    /// <remarks>Upstream's description of <c>microvm.registerClosure</c> (microvm.nix 71beea0): Whether to enable
    /// Register system closure's store paths in Nix db. While enabled by default, this option may be incompatible with
    /// a persistent writable store overlay. .</remarks>
    public bool RegisterClosure { get; init; } = true;

    /// <summary>
    /// Put a symlink to the guest's system (<c>config.system.build.toplevel</c>) at <c>share/microvm/system</c> in the
    /// runner (upstream <c>microvm.systemSymlink</c>): commands such as <c>microvm -l</c> need it, and it keeps the
    /// uncompressed store content referenced when the store is on a disk image. <c>null</c> keeps upstream's
    /// default: on exactly when the store is not on a disk (<see cref="StoreOnDisk"/>).
    /// </summary>
    /// <remarks>Upstream's description of <c>microvm.systemSymlink</c> (microvm.nix 71beea0): Whether to inclcude a
    /// symlink of <c>config.system.build.toplevel</c> to <c>share/microvm/system</c>. This is required for commands
    /// like <c>microvm -l</c> to function but removes reference to the uncompressed store content when using a disk
    /// image for the nix store.</remarks>
    public bool? SystemSymlink { get; init; }

    /// <summary>What CPU to emulate, if any (upstream <c>microvm.cpu</c>, default <c>null</c>); a different architecture is slow. Only supported with qemu.</summary>
    /// <remarks>Upstream's description of <c>microvm.cpu</c> (microvm.nix 71beea0): What CPU to emulate, if any. If
    /// different from the host architecture, it will have a serious performance hit. Only supported with
    /// qemu.</remarks>
    public string? Cpu { get; init; }

    /// <summary>Which hypervisor to use for this MicroVM (upstream <c>microvm.hypervisor</c>, default <see cref="Nix.Hypervisor.Qemu"/>).</summary>
    /// <remarks>Upstream's description of <c>microvm.hypervisor</c> (microvm.nix 71beea0): Which hypervisor to use for
    /// this MicroVM Choose one of: qemu, cloud-hypervisor, firecracker, crosvm, kvmtool, stratovirt, alioth,
    /// vfkit</remarks>
    public Hypervisor Hypervisor { get; init; } = Hypervisor.Qemu;

    /// <summary>Shell commands to run on the host before starting the hypervisor (upstream <c>microvm.preStart</c>, default empty).</summary>
    /// <remarks>Upstream's description of <c>microvm.preStart</c> (microvm.nix 71beea0): Commands to run before
    /// starting the hypervisor</remarks>
    public string PreStart { get; init; } = "";

    /// <summary>A script printing one line of extra hypervisor arguments at run time (upstream <c>microvm.extraArgsScript</c>, default <c>null</c>).</summary>
    /// <remarks>Upstream's description of <c>microvm.extraArgsScript</c> (microvm.nix 71beea0): A script to provide
    /// additional arguments for the hypervisor at runtime. The script must output a single line with arguments for the
    /// hypervisor.</remarks>
    public string? ExtraArgsScript { get; init; }

    /// <summary>
    /// Hypervisor control socket path (upstream <c>microvm.socket</c>). Unset keeps upstream's default,
    /// <c>&lt;hostName&gt;.sock</c>; <c>null</c> means no socket (no clean shutdown; firecracker and crosvm need one).
    /// </summary>
    /// <remarks>Upstream's description of <c>microvm.socket</c> (microvm.nix 71beea0): Hypervisor control socket
    /// path</remarks>
    public string? Socket { get; init; }

    /// <summary>User to switch to when started as root (upstream <c>microvm.user</c>, default <c>null</c>); only qemu can change user.</summary>
    /// <remarks>Upstream's description of <c>microvm.user</c> (microvm.nix 71beea0): User to switch to when started as
    /// root</remarks>
    public string? User { get; init; }

    /// <summary>Number of virtual CPU cores (upstream <c>microvm.vcpu</c>, a positive integer, default 1).</summary>
    /// <remarks>Upstream's description of <c>microvm.vcpu</c> (microvm.nix 71beea0): Number of virtual CPU
    /// cores</remarks>
    public int Vcpu { get; init; } = 1;

    /// <summary>Amount of RAM in megabytes (upstream <c>microvm.mem</c>, a positive integer, default 512).</summary>
    /// <remarks>Upstream's description of <c>microvm.mem</c> (microvm.nix 71beea0): Amount of RAM in
    /// megabytes</remarks>
    public int Mem { get; init; } = 512;

    /// <summary>Whether to use hugepages as memory backend (upstream <c>microvm.hugepageMem</c>, default <c>false</c>); only respected by cloud-hypervisor.</summary>
    /// <remarks>Upstream's description of <c>microvm.hugepageMem</c> (microvm.nix 71beea0): Whether to use hugepages as
    /// memory backend. (Currently only respected if using cloud-hypervisor)</remarks>
    public bool HugepageMem { get; init; }

    /// <summary>Maximum memory in megabytes that virtio-mem can add at run time (upstream <c>microvm.hotplugMem</c>, default 0).</summary>
    /// <remarks>Upstream's description of <c>microvm.hotplugMem</c> (microvm.nix 71beea0): Amount of hotplug memory in
    /// megabytes. This describes the maximum amount of memory that can be dynamically added to the VM with
    /// virtio-mem.</remarks>
    public int HotplugMem { get; init; }

    /// <summary>Hotplug memory in megabytes the VM starts with (upstream <c>microvm.hotpluggedMem</c>); <c>null</c> keeps upstream's default, <see cref="HotplugMem"/>.</summary>
    /// <remarks>Upstream's description of <c>microvm.hotpluggedMem</c> (microvm.nix 71beea0): Amount of hotplugged
    /// memory in megabytes. This basically describes the amount of hotplug memory the VM starts with.</remarks>
    public int? HotpluggedMem { get; init; }

    /// <summary>Whether to enable a memory balloon the host can inflate to reclaim memory (upstream <c>microvm.balloon</c>, default <c>false</c>).</summary>
    /// <remarks>Upstream's description of <c>microvm.balloon</c> (microvm.nix 71beea0): Whether to enable ballooning.
    /// By "inflating" or increasing the balloon the host can reduce the VMs memory amount and reclaim it for itself.
    /// When "deflating" or decreasing the balloon the host can give the memory back to the VM. virtio-mem is
    /// recommended over ballooning if supported by the hypervisor.</remarks>
    public bool Balloon { get; init; }

    /// <summary>Amount of initial balloon memory in megabytes (upstream <c>microvm.initialBalloonMem</c>, default 0).</summary>
    /// <remarks>Upstream's description of <c>microvm.initialBalloonMem</c> (microvm.nix 71beea0): Amount of initial
    /// balloon memory in megabytes.</remarks>
    public int InitialBalloonMem { get; init; }

    /// <summary>Whether to deflate the balloon automatically on out-of-memory (upstream <c>microvm.deflateOnOOM</c>, default <c>true</c>).</summary>
    /// <remarks>Upstream's description of <c>microvm.deflateOnOOM</c> (microvm.nix 71beea0): Whether to enable
    /// automatic balloon deflation on out-of-memory.</remarks>
    public bool DeflateOnOom { get; init; } = true;

    /// <summary>Ports forwarded through QEMU user networking (upstream <c>microvm.forwardPorts</c>, default empty); qemu with a user interface only.</summary>
    /// <remarks>Upstream's description of <c>microvm.forwardPorts</c> (microvm.nix 71beea0): When using the SLiRP user
    /// networking (default), this option allows to forward ports to/from the host/guest. If the NixOS firewall on the
    /// virtual machine is enabled, you also have to open the guest ports to enable the traffic between host and guest.
    /// Currently QEMU supports only IPv4 forwarding.</remarks>
    public IReadOnlyList<ForwardPort> ForwardPorts { get; init; } = [];

    /// <summary>Disk images attached as virtio-blk devices, in guest order (upstream <c>microvm.volumes</c>, default empty).</summary>
    /// <remarks>Upstream's description of <c>microvm.volumes</c> (microvm.nix 71beea0): Disk images</remarks>
    public IReadOnlyList<Volume> Volumes { get; init; } = [];

    /// <summary>Network interfaces (upstream <c>microvm.interfaces</c>, default empty).</summary>
    /// <remarks>Upstream's description of <c>microvm.interfaces</c> (microvm.nix 71beea0): Network interfaces</remarks>
    public IReadOnlyList<NetworkInterface> Interfaces { get; init; } = [];

    /// <summary>Shared directory trees (upstream <c>microvm.shares</c>, default empty).</summary>
    /// <remarks>Upstream's description of <c>microvm.shares</c> (microvm.nix 71beea0): Shared directory trees</remarks>
    public IReadOnlyList<Share> Shares { get; init; } = [];

    /// <summary>PCI and USB devices passed from the host (upstream <c>microvm.devices</c>, default empty).</summary>
    /// <remarks>Upstream's description of <c>microvm.devices</c> (microvm.nix 71beea0): PCI/USB devices that are passed
    /// from the host to the MicroVM</remarks>
    public IReadOnlyList<Device> Devices { get; init; } = [];

    /// <summary>The VM's AF_VSOCK address (upstream <c>microvm.vsock.cid</c>, default <c>null</c>: no vsock). 0, 1 and 2 are reserved; unique on the host.</summary>
    /// <remarks>Upstream's description of <c>microvm.vsock.cid</c> (microvm.nix 71beea0): Virtual Machine address;
    /// setting it enables AF_VSOCK The following are reserved: - 0: Hypervisor - 1: Loopback - 2: Host</remarks>
    public int? VsockCid { get; init; }

    /// <summary>
    /// Let the guest's SSH server listen on AF_VSOCK, so the host can log in without any network (upstream
    /// <c>microvm.vsock.ssh.enable</c>, default <c>false</c>); needs <see cref="VsockCid"/>. From the host: <c>ssh vsock/&lt;CID&gt;</c>
    /// (qemu, crosvm, kvmtool), <c>ssh vsock-mux/&lt;path to notify.vsock&gt;</c> (cloud-hypervisor), or <c>microvm -s &lt;name&gt;</c>.
    /// It enables <c>services.openssh</c>; who may log in is still up to the guest's users and keys.
    /// </summary>
    /// <remarks>Upstream's description of <c>microvm.vsock.ssh.enable</c> (microvm.nix 71beea0): Whether to enable SSH
    /// server listening on VSOCK for host-to-guest connections. When enabled, the guest's SSH server will listen on the
    /// VSOCK interface, allowing the host to connect without network configuration. Requires <c>microvm.vsock.cid</c>
    /// to be set. From the host, connect using: - For qemu/crosvm/kvmtool: <c>ssh vsock/&lt;CID&gt;</c> - For
    /// cloud-hypervisor: <c>ssh vsock-mux/&lt;path-to-notify.vsock&gt;</c> - Or use: <c>microvm -s &lt;vmname&gt;</c>
    /// .</remarks>
    public bool VsockSshEnable { get; init; }

    /// <summary>Register the VM with systemd-machined on the host, for machinectl (upstream <c>microvm.registerWithMachined</c>, default <c>false</c>).</summary>
    /// <remarks>Upstream's description of <c>microvm.registerWithMachined</c> (microvm.nix 71beea0): Register this
    /// MicroVM with systemd-machined on the host, enabling management via machinectl. When enabled, a registration
    /// script is generated in the runner package. The host module will call this script after the hypervisor starts.
    /// The VM is registered with class "vm" using the UUID from <c>machineId</c> (or a deterministic UUID derived from
    /// hostname). Supported machinectl commands: - <c>list</c>, <c>status</c>, <c>show</c> - VM visibility -
    /// <c>terminate</c>, <c>kill</c> - stop VM (will auto-restart if Restart=always) Note: <c>machinectl reboot</c>
    /// stops the VM but won't auto-restart it because systemd treats it as an intentional stop. Use <c>systemctl
    /// restart microvm@&lt;name&gt;</c> for restarts.</remarks>
    public bool RegisterWithMachined { get; init; }

    /// <summary>UUID of the VM for machined and SMBIOS (upstream <c>microvm.machineId</c>); unset keeps upstream's default, derived from the host name.</summary>
    /// <remarks>Upstream's description of <c>microvm.machineId</c> (microvm.nix 71beea0): UUID for this MicroVM, used
    /// for: - Registration with systemd-machined - SMBIOS system UUID (QEMU only) - Guest /etc/machine-id
    /// initialization when explicitly set If null, a deterministic UUIDv5 is generated at runtime from the hostname for
    /// machined registration and SMBIOS UUID. Format: 8-4-4-4-12 hex digits (standard UUID format).</remarks>
    public string? MachineId { get; init; }

    /// <summary>Extra kernel parameters (upstream <c>microvm.kernelParams</c>; NixOS fills it from <c>boot.kernelParams</c>).</summary>
    /// <remarks>Upstream's description of <c>microvm.kernelParams</c> (microvm.nix 71beea0): Includes boot.kernelParams
    /// but doesn't end up in toplevel, thereby allowing references to toplevel</remarks>
    public IReadOnlyList<string> KernelParams { get; init; } = [];

    /// <summary>Whether to boot with the store on a disk image (upstream <c>microvm.storeOnDisk</c>); <c>null</c> keeps upstream's default: true unless the host's /nix/store is a share.</summary>
    /// <remarks>Upstream's description of <c>microvm.storeOnDisk</c> (microvm.nix 71beea0): Whether to boot with the
    /// storeDisk, that is, unless the host's /nix/store is a microvm.share.</remarks>
    public bool? StoreOnDisk { get; init; }

    /// <summary>Path of a writable /nix/store overlay, such as <c>/nix/.rw-store</c> (upstream <c>microvm.writableStoreOverlay</c>, default <c>null</c>).</summary>
    /// <remarks>Upstream's description of <c>microvm.writableStoreOverlay</c> (microvm.nix 71beea0): Path to the
    /// writable /nix/store overlay. If set to a filesystem path, the initrd will mount /nix/store as an overlay
    /// filesystem consisting of the read-only part as a host share or from the built storeDisk, and this configuration
    /// option as the writable overlay part. This allows you to build nix derivations *inside* the VM. Make sure that
    /// the path points to a writable filesystem (tmpfs, volume, or share).</remarks>
    public string? WritableStoreOverlay { get; init; }

    /// <summary>Filesystem of the store disk (upstream <c>microvm.storeDiskType</c>); <c>null</c> keeps upstream's default.</summary>
    /// <remarks>Upstream's description of <c>microvm.storeDiskType</c> (microvm.nix 71beea0): Boot disk file system
    /// type: squashfs is smaller, erofs is supposed to be faster. Defaults to erofs, unless the NixOS hardened profile
    /// is detected.</remarks>
    public StoreDiskType? StoreDiskType { get; init; }

    /// <summary>
    /// The guest's kernel package (upstream <c>microvm.kernel</c>), such as <c>new NixPackage("linuxPackages_6_12.kernel")</c>;
    /// <c>null</c> keeps upstream's default, the kernel of NixOS's <c>boot.kernelPackages</c>.
    /// </summary>
    /// <remarks>Upstream's description of <c>microvm.kernel</c> (microvm.nix 71beea0): Kernel package to use for
    /// MicroVM runners. Better set <c>boot.kernelPackages</c> instead.</remarks>
    public NixPackage? Kernel { get; init; }

    /// <summary>
    /// The initrd the hypervisor boots, as an absolute path on the host (upstream <c>microvm.initrdPath</c>);
    /// <c>null</c> keeps upstream's default, the initrd NixOS builds for the guest. Letters, digits and
    /// <c>. _ + @ / -</c> only (MVN250): vfkit's boot loader option splits it at commas.
    /// </summary>
    /// <remarks>Upstream's description of <c>microvm.initrdPath</c> (microvm.nix 71beea0): Path to the initrd file in
    /// the initrd package</remarks>
    public string? InitrdPath { get; init; }

    /// <summary>
    /// Flags for <c>mkfs.erofs</c> when the store disk is erofs (upstream <c>microvm.storeDiskErofsFlags</c>), one word
    /// per element, such as <c>"-zlz4hc"</c> or <c>"-Ededupe"</c> (smaller images, single-threaded builds). <c>null</c>
    /// keeps upstream's default: <c>-zlz4hc</c>, plus <c>-Eztailpacking</c> and <c>-Efragments</c> on newer kernels.
    /// </summary>
    /// <remarks>Upstream's description of <c>microvm.storeDiskErofsFlags</c> (microvm.nix 71beea0): Flags to pass to
    /// mkfs.erofs <c>"-Ededupe"</c> is omitted by default because it forces single-threaded, slower builds. Add it back
    /// if you prefer smaller images over fast, multi-threaded builds.</remarks>
    public IReadOnlyList<string>? StoreDiskErofsFlags { get; init; }

    /// <summary>
    /// Flags for <c>gensquashfs</c> when the store disk is squashfs (upstream <c>microvm.storeDiskSquashfsFlags</c>),
    /// one word per element; <c>"$NIX_BUILD_CORES"</c> stands for the build's cores. <c>null</c> keeps upstream's
    /// default, <c>-c zstd -j $NIX_BUILD_CORES</c>.
    /// </summary>
    /// <remarks>Upstream's description of <c>microvm.storeDiskSquashfsFlags</c> (microvm.nix 71beea0): Flags to pass to
    /// gensquashfs</remarks>
    public IReadOnlyList<string>? StoreDiskSquashfsFlags { get; init; }

    /// <summary>
    /// The package set the host's programs (the hypervisor, virtiofsd) come from (upstream <c>microvm.vmHostPackages</c>),
    /// such as <c>new NixPackageSet("aarch64-darwin")</c> for a Mac that runs the guest with vfkit; <c>null</c> keeps
    /// upstream's default, the guest's own <c>pkgs</c> (its <c>buildPackages</c> when <see cref="Cpu"/> emulates another CPU).
    /// </summary>
    /// <remarks>Upstream's description of <c>microvm.vmHostPackages</c> (microvm.nix 71beea0): If set, overrides the
    /// default host package.</remarks>
    public NixPackageSet? VmHostPackages { get; init; }

    /// <summary>QEMU settings (upstream <c>microvm.qemu.*</c>); <c>null</c> keeps upstream's defaults.</summary>
    public QemuSettings? Qemu { get; init; }

    /// <summary>cloud-hypervisor settings (upstream <c>microvm.cloud-hypervisor.*</c>); <c>null</c> keeps upstream's defaults.</summary>
    public CloudHypervisorSettings? CloudHypervisor { get; init; }

    /// <summary>Firecracker settings (upstream <c>microvm.firecracker.*</c>); <c>null</c> keeps upstream's defaults.</summary>
    public FirecrackerSettings? Firecracker { get; init; }

    /// <summary>crosvm settings (upstream <c>microvm.crosvm.*</c>); <c>null</c> keeps upstream's defaults.</summary>
    public CrosvmSettings? Crosvm { get; init; }

    /// <summary>vfkit settings (upstream <c>microvm.vfkit.*</c>); <c>null</c> keeps upstream's defaults.</summary>
    public VfkitSettings? Vfkit { get; init; }

    /// <summary>kvmtool settings (upstream <c>microvm.kvmtool.*</c>); <c>null</c> keeps upstream's defaults.</summary>
    public KvmtoolSettings? Kvmtool { get; init; }

    /// <summary>stratovirt settings (upstream <c>microvm.stratovirt.*</c>); <c>null</c> keeps upstream's defaults.</summary>
    public StratovirtSettings? Stratovirt { get; init; }

    /// <summary>alioth settings (upstream <c>microvm.alioth.*</c>); <c>null</c> keeps upstream's defaults.</summary>
    public AliothSettings? Alioth { get; init; }

    /// <summary>A graphical display (upstream <c>microvm.graphics.*</c>); <c>null</c> keeps upstream's defaults, no display.</summary>
    public GraphicsSettings? Graphics { get; init; }

    /// <summary>virtiofsd settings (upstream <c>microvm.virtiofsd.*</c>); <c>null</c> keeps upstream's defaults.</summary>
    public VirtiofsdSettings? Virtiofsd { get; init; }

    /// <summary>Credential files loaded into the VM with systemd's io.systemd.credential, name to host path (upstream <c>microvm.credentialFiles</c>, default empty).</summary>
    /// <remarks>Upstream's description of <c>microvm.credentialFiles</c> (microvm.nix 71beea0): Key-value pairs of
    /// credential files that will be loaded into the vm using systemd's io.systemd.credential feature.</remarks>
    public IReadOnlyDictionary<string, string> CredentialFiles { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Scripts put into the runner's <c>bin/</c> (upstream <c>microvm.binScripts</c>, default empty), by name: each value is
    /// shell code, written as it is (like <see cref="PreStart"/>), and runs on the host when called. Names upstream writes
    /// itself (<c>microvm-run</c>, <c>tap-up</c>, …) are refused (MVN238).
    /// </summary>
    /// <remarks>Upstream's description of <c>microvm.binScripts</c> (microvm.nix 71beea0): Script snippets that end up
    /// in the runner package's bin/ directory</remarks>
    public IReadOnlyDictionary<string, string> BinScripts { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Start the VM when the host boots (host option <c>microvm.vms.&lt;name&gt;.autostart</c>, default <c>true</c>);
    /// written into the host module.
    /// </summary>
    /// <remarks>Upstream's description of <c>microvm.vms.&lt;name&gt;.autostart</c> (microvm.nix 71beea0): Add this
    /// MicroVM to config.microvm.autostart?</remarks>
    public bool Autostart { get; init; } = true;

    /// <summary>
    /// Restart the VM when a host rebuild changes it (host option <c>microvm.vms.&lt;name&gt;.restartIfChanged</c>,
    /// default <c>true</c> for VMs declared with a config, as these are); written into the host module.
    /// </summary>
    /// <remarks>Upstream's description of <c>microvm.vms.&lt;name&gt;.restartIfChanged</c> (microvm.nix 71beea0):
    /// Restart this MicroVM's services if the systemd units are changed, i.e. if it has been updated by rebuilding the
    /// host. Defaults to true for fully-declarative MicroVMs.</remarks>
    public bool RestartIfChanged { get; init; } = true;

    /// <summary>
    /// NixOS modules imported into the guest (<c>imports</c>), as paths relative to the generated file,
    /// such as <c>"./common.nix"</c> or <c>"../hardening.nix"</c>: the place for hand-written Nix.
    /// </summary>
    public IReadOnlyList<string> Imports { get; init; } = [];

    /// <summary>
    /// Any other NixOS options of the guest, by option path, with plain values: <c>bool</c>, integers,
    /// strings, <c>null</c>, arrays or lists of these, and nested <c>Dictionary&lt;string, object&gt;</c>.
    /// Every string is written as an escaped Nix string, never as code. Written as a module of its own
    /// in <c>imports</c>, so it merges with the rest like any NixOS module.
    /// </summary>
    /// <example><c>ExtraConfig = new Dictionary&lt;string, object&gt; { ["services.nginx.enable"] = true }</c></example>
    public IReadOnlyDictionary<string, object> ExtraConfig { get; init; } = new Dictionary<string, object>();
}
