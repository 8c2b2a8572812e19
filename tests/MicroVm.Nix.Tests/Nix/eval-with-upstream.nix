# Evaluates a generated guest module against microvm.nix's real option declarations
# (nixos-modules/microvm/options.nix and the other declaring files, generator/upstream/guest-declarations.nix) with nixpkgs' lib.evalModules: upstream's types check every
# value and fill in every default. The few NixOS options and pkgs attributes the declarations touch
# are stubbed. Used by UpstreamOptionsTests; the paths come from the environment, never from this
# repository.
# Arguments are absolute paths given with --argstr; extraOptions is a JSON list of attribute paths
# (lists of names) that ExtraConfig sets outside microvm.*, declared here as options of any type,
# since only a full NixOS declares them.
# packages is the JSON of the packages the module names (NixEvaluator.PackageStandIns): each becomes a
# stand-in derivation named after its set and path ("pkgs:qemu_kvm"), in pkgs or in microvm.vmHostPackages,
# so upstream's package type checks it and the output shows which the module read. A module that sets
# microvm.vmHostPackages to nixpkgs for another system loads stand-in-nixpkgs.nix as pkgs.path.
{ module, microvm, nixpkgsLib, extraOptions ? "[]", packages ? "{}" }:
let
  lib = import (/. + nixpkgsLib + "/lib");
  extra = {
    options = lib.foldl' lib.recursiveUpdate { } (map (path: lib.setAttrByPath path (lib.mkOption { type = lib.types.anything; })) (builtins.fromJSON extraOptions));
  };
  stubs = { lib, ... }: {
    options.networking.hostName = lib.mkOption { type = lib.types.str; };
    options.boot.kernelPackages = lib.mkOption { type = lib.types.raw; default = { kernel.version = "6.12"; }; };
    options.system = lib.mkOption { type = lib.types.raw; default = {}; };
    options.assertions = lib.mkOption { type = lib.types.listOf lib.types.raw; default = []; };
    options.warnings = lib.mkOption { type = lib.types.listOf lib.types.str; default = []; };
    # The NixOS options VirtualMachine.Users and SshServer set, declared with NixOS's own types
    # (nixos/modules/config/users-groups.nix, services/networking/ssh/sshd.nix), whose checks
    # (passwd entries, single-line keys) are nixpkgs lib's: only a full NixOS declares them.
    options.users.users = lib.mkOption {
      default = { };
      type = lib.types.attrsOf (lib.types.submodule ({ name, ... }: {
        options = {
          name = lib.mkOption { type = lib.types.passwdEntry lib.types.str; default = name; };
          isNormalUser = lib.mkOption { type = lib.types.bool; default = false; };
          extraGroups = lib.mkOption { type = lib.types.listOf lib.types.str; default = [ ]; };
          hashedPassword = lib.mkOption { type = lib.types.nullOr (lib.types.passwdEntry lib.types.str); default = null; };
          openssh.authorizedKeys.keys = lib.mkOption { type = lib.types.listOf lib.types.singleLineStr; default = [ ]; };
        };
      }));
    };
    options.services.openssh.enable = lib.mkOption { type = lib.types.bool; default = false; };
  };
  standIns = builtins.fromJSON packages;
  derivations = v: if builtins.isString v then { type = "derivation"; name = v; outPath = "/nix/store/00000000000000000000000000000000-stand-in"; } else builtins.mapAttrs (_: derivations) v;
  pkgs = {
    stdenv.hostPlatform = { system = "x86_64-linux"; isDarwin = false; isLinux = true; };
    path = ./stand-in-nixpkgs.nix;
  } // derivations (standIns.pkgs or { });
  # Where the module sets microvm.vmHostPackages itself (import pkgs.path { … }), stand-in-nixpkgs.nix holds the
  # stand-ins; upstream's types.pkgs takes one definition only.
  hostPackages = lib.optionalAttrs (standIns ? vmHostPackages && !(standIns ? nixpkgs)) {
    microvm.vmHostPackages = derivations standIns.vmHostPackages // { _type = "pkgs"; inherit (pkgs) stdenv; };
  };
  evaluated = lib.evalModules {
    modules = [
      stubs
      ./networkd-options.nix
      extra
      hostPackages
      (/. + module)
    ] ++ (import ../../../generator/upstream/guest-declarations.nix).modules (/. + microvm);
    specialArgs = { inherit pkgs; };
  };
  cfg = evaluated.config.microvm;
  opts = evaluated.options.microvm;
  # An option's value, or null where it has no value (upstream leaves it to other modules).
  get = path: if (lib.getAttrFromPath path opts).isDefined then lib.getAttrFromPath path cfg else null;
  getAll = prefix: names: lib.genAttrs names (n: get (prefix ++ [ n ]));
  # A package option the module set (not upstream's default, which only a full nixpkgs has): its stand-in's name.
  package = path: if (lib.getAttrFromPath path opts).highestPrio < 1500 then (lib.getAttrFromPath path cfg).name else null;
  packageOf = prefix: { package = package (prefix ++ [ "package" ]); };
in
{
  networking = { inherit (evaluated.config.networking) hostName; } // lib.optionalAttrs evaluated.config.networking.useNetworkd { useNetworkd = true; };
  users.users = lib.mapAttrs (_: user: {
    inherit (user) name isNormalUser extraGroups hashedPassword;
    openssh.authorizedKeys.keys = user.openssh.authorizedKeys.keys;
  }) evaluated.config.users.users;
  services.openssh.enable = evaluated.config.services.openssh.enable;
  # The guest's side of typed networks (networkd-options.nix declares these options).
  systemd.network = { inherit (evaluated.config.systemd.network) enable networks; };
  system = lib.optionalAttrs (evaluated.config.system ? stateVersion) { inherit (evaluated.config.system) stateVersion; };
  # The microvm.* options MicroVm.Nix models, with upstream's types checked and defaults filled in.
  microvm = getAll [ ] [
    "prettyProcnames"
    "registerClosure"
    "systemSymlink"
    "cpu"
    "hypervisor"
    "preStart"
    "extraArgsScript"
    "socket"
    "user"
    "vcpu"
    "mem"
    "hugepageMem"
    "hotplugMem"
    "hotpluggedMem"
    "balloon"
    "initialBalloonMem"
    "deflateOnOOM"
    "forwardPorts"
    "volumes"
    "shares"
    "devices"
    "registerWithMachined"
    "machineId"
    "kernelParams"
    "storeOnDisk"
    "writableStoreOverlay"
    "storeDiskType"
    "storeDiskErofsFlags"
    "storeDiskSquashfsFlags"
    "credentialFiles"
    "binScripts"
  ]
  // {
    optimize.enable = get [ "optimize" "enable" ];
    guest.enable = get [ "guest" "enable" ];
    # kernelParams has no default of its own: NixOS fills it from boot.kernelParams.
    kernelParams = if opts.kernelParams.isDefined then cfg.kernelParams else [ ];
    vsock = { cid = get [ "vsock" "cid" ]; ssh.enable = get [ "vsock" "ssh" "enable" ]; };
    # macvtap.* has no default and is only read for macvtap interfaces.
    interfaces = map (i: if i.type == "macvtap" then i else builtins.removeAttrs i [ "macvtap" ]) cfg.interfaces;
    kernel = package [ "kernel" ];
    # Upstream's default is the guest's own initrd, which only a full NixOS builds.
    initrdPath = if opts.initrdPath.highestPrio < 1500 then cfg.initrdPath else null;
    # A package set the module set: the system its stand-in was imported for.
    vmHostPackages = if standIns ? nixpkgs then cfg.vmHostPackages.standIn else null;
    qemu = getAll [ "qemu" ] [ "machine" "machineOpts" "extraArgs" "serialConsole" "pcieRootPorts" ] // packageOf [ "qemu" ];
    cloud-hypervisor = getAll [ "cloud-hypervisor" ] [ "platformOEMStrings" "extraArgs" ] // packageOf [ "cloud-hypervisor" ];
    firecracker = getAll [ "firecracker" ] [ "driveIoEngine" "extraArgs" "cpu" "extraConfig" ] // packageOf [ "firecracker" ];
    crosvm = getAll [ "crosvm" ] [ "extraArgs" "pivotRoot" ] // packageOf [ "crosvm" ];
    kvmtool = packageOf [ "kvmtool" ];
    stratovirt = packageOf [ "stratovirt" ];
    alioth = packageOf [ "alioth" ];
    graphics = getAll [ "graphics" ] [ "enable" "backend" "vulkan" "hostmem" "socket" ] // { crosvmPackage = package [ "graphics" "crosvmPackage" ]; };
    vfkit = getAll [ "vfkit" ] [ "extraArgs" "logLevel" ] // { rosetta = getAll [ "vfkit" "rosetta" ] [ "enable" "install" "ignoreIfMissing" ]; } // packageOf [ "vfkit" ];
    virtiofsd = getAll [ "virtiofsd" ] [ "inodeFileHandles" "threadPoolSize" "group" "extraArgs" ] // packageOf [ "virtiofsd" ];
  };
  # Option names upstream declares for a volume, to check the schema against.
  volumeOptions = builtins.attrNames (evaluated.options.microvm.volumes.type.getSubOptions [ ]);
}
