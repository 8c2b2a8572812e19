# Evaluates a generated host module (a folder's default.nix) against microvm.nix's real host option
# declarations (nixos-modules/host/options.nix) with nixpkgs' lib.evalModules: upstream's types check the
# host-wide settings (stateDir, host.*) and every microvm.vms entry, and fill in the defaults. The NixOS
# options the module sets besides (services.udev.extraRules, systemd.services, boot.zfs.package) are
# declared with NixOS's types. Each VM's config is upstream's "Toplevel NixOS config", which evaluates the
# guest with a full nixpkgs; stub-nixos stands in for it (the guests are judged by eval-with-upstream.nix).
# Arguments are absolute paths given with --argstr. Used by HostsTests.
{ module, microvm, nixpkgsLib }:
let
  lib = import (/. + nixpkgsLib + "/lib");
  stubs = { lib, ... }: {
    options.services.udev.extraRules = lib.mkOption { type = lib.types.lines; default = ""; };
    options.systemd.services = lib.mkOption { type = lib.types.attrsOf lib.types.anything; default = { }; };
    options.boot.zfs.package = lib.mkOption { type = lib.types.str; default = "/zfs"; };
  };
  evaluated = lib.evalModules {
    specialArgs.pkgs = {
      path = ./stub-nixos;
      stdenv.hostPlatform.system = "x86_64-linux";
    };
    modules = [
      (/. + microvm + "/nixos-modules/host/options.nix")
      stubs
      ./networkd-options.nix
      (/. + module)
    ];
  };
  c = evaluated.config;
in
{
  inherit (c.microvm) stateDir;
  host = { inherit (c.microvm.host) enable startupTimeout useNotifySockets; };
  vms = builtins.mapAttrs (_: vm: {
    inherit (vm) autostart restartIfChanged;
    # Upstream's modules for the guest end with the module the host module names.
    config = toString (lib.last vm.config.modules);
  }) c.microvm.vms;
  udevRules = c.services.udev.extraRules;
  systemd.network = { inherit (c.systemd.network) enable netdevs networks; };
  networking = { inherit (c.networking) nat useNetworkd; firewall.interfaces = c.networking.firewall.interfaces; };
  services = builtins.attrNames c.systemd.services;
}
