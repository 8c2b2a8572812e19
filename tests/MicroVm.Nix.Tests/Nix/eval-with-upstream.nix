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
  # The microvm.* options MicroVm.Nix models, with upstream's types checked and defaults filled in.
  microvm = {
    inherit (cfg)
      cpu
      hypervisor
      vcpu
      mem
      hugepageMem
      hotplugMem
      hotpluggedMem
      balloon
      initialBalloonMem
      deflateOnOOM
      forwardPorts
      volumes
      shares
      devices
      storeOnDisk
      credentialFiles
      ;
    vsock.cid = cfg.vsock.cid;
    # macvtap.* has no default and is only read for macvtap interfaces.
    interfaces = map (i: if i.type == "macvtap" then i else builtins.removeAttrs i [ "macvtap" ]) cfg.interfaces;
    # kernelParams has no default of its own: NixOS fills it from boot.kernelParams.
    kernelParams = if evaluated.options.microvm.kernelParams.isDefined then cfg.kernelParams else [ ];
  };
  # Option names upstream declares for a volume, to check the schema against.
  volumeOptions = builtins.attrNames (evaluated.options.microvm.volumes.type.getSubOptions [ ]);
}
