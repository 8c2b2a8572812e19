# Evaluates a generated guest module against microvm.nix's real option declarations
# (nixos-modules/microvm/options.nix) with nixpkgs' lib.evalModules: upstream's types check every
# value and fill in every default. The few NixOS options the declarations touch are stubbed.
# Used by UpstreamOptionsTests; the paths come from the environment, never from this repository.
# Arguments are absolute paths given with --argstr.
{ module, microvm, nixpkgsLib }:
let
  lib = import (/. + nixpkgsLib + "/lib");
  stubs = { lib, ... }: {
    options.networking.hostName = lib.mkOption { type = lib.types.str; };
    options.boot.kernelPackages = lib.mkOption { type = lib.types.raw; default = { kernel.version = "6.12"; }; };
    options.system = lib.mkOption { type = lib.types.raw; default = {}; };
    options.assertions = lib.mkOption { type = lib.types.listOf lib.types.raw; default = []; };
    options.warnings = lib.mkOption { type = lib.types.listOf lib.types.str; default = []; };
  };
  evaluated = lib.evalModules {
    modules = [
      stubs
      (/. + microvm + "/nixos-modules/microvm/options.nix")
      (/. + module)
    ];
    specialArgs = { pkgs = {}; };
  };
  cfg = evaluated.config.microvm;
in
{
  networking.hostName = evaluated.config.networking.hostName;
  microvm = {
    inherit (cfg) hypervisor vcpu mem volumes;
  };
  # Option names upstream declares for a volume, to check the schema against.
  volumeOptions = builtins.attrNames (evaluated.options.microvm.volumes.type.getSubOptions [ ]);
}
