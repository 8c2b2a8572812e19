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
