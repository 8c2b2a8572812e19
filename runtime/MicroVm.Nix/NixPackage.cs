namespace MicroVm.Nix;

/// <summary>
/// A package by its attribute path in a package set, as upstream's own defaults name them: hypervisors and virtiofsd,
/// which run on the host, from the host's set, <c>config.microvm.vmHostPackages</c>
/// (the guest's nixpkgs unless <see cref="VirtualMachine.Cpu"/> emulates another CPU); the kernel and
/// crosvm's GPU device (<see cref="GraphicsSettings.CrosvmPackage"/>) from the guest's <c>pkgs</c>. <c>Qemu = new() { Package = new NixPackage("qemu_kvm") }</c> is written as
/// <c>config.microvm.vmHostPackages.qemu_kvm</c>, <c>Kernel = new NixPackage("linuxPackages_6_12.kernel")</c> as
/// <c>pkgs.linuxPackages_6_12.kernel</c>. A name that is not a plain Nix identifier goes in double quotes, as in Nix:
/// <c>"python3Packages.\"zope.interface\""</c>.
/// </summary>
/// <param name="AttributePath">The attribute path under <c>pkgs</c>, names separated by dots.</param>
public sealed record NixPackage(string AttributePath);

/// <summary>
/// A whole package set for the programs the host runs (upstream <c>microvm.vmHostPackages</c>): the guest's nixpkgs
/// instantiated for another system, written <c>import pkgs.path { system = "…"; }</c>, as a flake's
/// <c>nixpkgs.legacyPackages.&lt;system&gt;</c> is. Use it when the host is not the guest's system — a Mac running
/// a Linux guest with vfkit: <c>VmHostPackages = new NixPackageSet("aarch64-darwin")</c>. The hypervisor and
/// virtiofsd then come from that set, as do the <see cref="NixPackage"/>s of the settings records'
/// <c>Package</c>. The set is nixpkgs with its default configuration: the guest's <c>nixpkgs.config</c> and
/// overlays do not carry over.
/// </summary>
/// <param name="System">A system nixpkgs knows (<c>lib.systems.doubles.all</c>), such as <c>aarch64-darwin</c> or <c>x86_64-linux</c>.</param>
public sealed record NixPackageSet(string System);
