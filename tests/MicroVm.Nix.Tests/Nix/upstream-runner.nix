# The upstream judge: evaluates generated guest modules through microvm.nix's REAL guest module
# (nixos-modules/microvm/default.nix with everything it imports: options, asserts, system, mounts,
# interfaces, pci-devices, virtiofsd, store-disk, ...) and its real runner (lib/runner.nix with
# lib/runners/<hypervisor>.nix, lib/volumes.nix, lib/macvtap.nix), with stub packages, and returns
# per module what upstream makes of it: assertions, warnings, fileSystems, kernel parameters and the
# runner's build script with every script it writes.
#
# No full nixpkgs and no Nix store are needed: every package is a stub whose outPath is a real
# directory under `stubRoot` (UpstreamRunner.cs creates it, with bin/ stubs that record their argv),
# and the file writers (writeShellScript, writeText, writers.writeJSON, writers.writePython3) return
# a "blob" instead of a store path: `/microvm-judge@<payload>@`, where the payload is
# builtins.toJSON { kind, name, text } percent-encoded down to the characters
# [A-Za-z0-9._/-] and `%` (so lib.escapeShellArg, toJSON and toINI leave it untouched). Blobs nest
# (the virtiofsd supervisord config is a blob inside the virtiofsd-run script, which is a blob inside
# the runner's build script); UpstreamRunner.cs decodes them and, to execute a script, writes each
# one to a file and puts that file's path where the blob was.
#
# Arguments (all --argstr): microvm, nixpkgsLib: the upstream checkouts; stubRoot: the stub
# directory; modulesJson: a JSON file holding the list of absolute module paths; only: "" for every
# module, or the index of one; raise: "" or the name of one field (hostName, runner, ...) to
# evaluate only that field, without builtins.tryEval, so that Nix prints its error (use with `only`).
#
# Output: a list, one entry per module, in order; each field is { ok = true; value = ...; } or
# { ok = false; } when evaluating it threw (tryEval catches throw and assert only; an infinite
# recursion or abort fails the whole batch, and UpstreamRunner.cs then evaluates one module at a time).
# Before forcing module i this prints the trace "microvm-judge-module <i>", so the warnings upstream
# emits with lib.warn/warnIf (traces on stderr) can be attributed to their module.
{
  microvm,
  nixpkgsLib,
  stubRoot,
  modulesJson,
  raise ? "",
  only ? "",
}:
let
  lib = import (/. + nixpkgsLib + "/lib");
  inherit (lib) mkOption types;

  upstreamGuestModule = /. + microvm + "/nixos-modules/microvm";

  # ---------------------------------------------------------------------------------------------
  # Blobs: what the file writers return instead of a store path.

  # Every ASCII character but [A-Za-z0-9._/-] is written %XX (upper-case hex). Bytes >= 0x80 stay as
  # they are: escapeShellArg may quote a blob holding them, but does not change it.
  hexDigits = lib.stringToCharacters "0123456789ABCDEF";
  hex2 = n: builtins.elemAt hexDigits (n / 16) + builtins.elemAt hexDigits (lib.mod n 16);
  charOf = n: builtins.fromJSON ("\"\\u00" + hex2 n + "\"");
  isPlain = c: builtins.match "[A-Za-z0-9._/-]" c != null;
  encodedCodes = builtins.filter (n: !isPlain (charOf n)) (lib.range 1 127);
  encode = builtins.replaceStrings (map charOf encodedCodes) (map (n: "%" + hex2 n) encodedCodes);

  blob = kind: name: text: "/microvm-judge@" + encode (builtins.toJSON { inherit kind name text; }) + "@";

  # A store path name as Nix accepts it (libstore's checkName): 1 to 211 characters of
  # [A-Za-z0-9+._?=-], not starting with a dot. A real build of a name outside this fails.
  checkName = name:
    if builtins.match "[A-Za-z0-9+_?=-][A-Za-z0-9+._?=-]{0,210}" name != null then name
    else throw "store path name '${name}' is not valid in Nix: it must be 1 to 211 characters of A-Z a-z 0-9 + - . _ ? = and not start with '.'";

  # A written file: a derivation-like set (isDerivation, toString and "${...}" give the blob).
  writtenFile = kind: name: text: {
    type = "derivation";
    inherit text;
    name = checkName name;
    outPath = blob kind (checkName name) (toString text);
    meta = { };
    passthru = { };
  };

  # ---------------------------------------------------------------------------------------------
  # Stub packages, one set per platform: x86_64-linux (guest and host), aarch64-linux (vfkit's
  # guest), aarch64-darwin (vfkit's host).

  platforms = {
    x86_64-linux = {
      system = "x86_64-linux";
      isLinux = true;
      isDarwin = false;
      isAarch64 = false;
      isx86_64 = true;
      linux-kernel.target = "bzImage";
    };
    aarch64-linux = {
      system = "aarch64-linux";
      isLinux = true;
      isDarwin = false;
      isAarch64 = true;
      isx86_64 = false;
      linux-kernel.target = "Image";
    };
    aarch64-darwin = {
      system = "aarch64-darwin";
      isLinux = false;
      isDarwin = true;
      isAarch64 = true;
      isx86_64 = false;
      linux-kernel.target = "Image";
    };
  };

  # Versions are stand-ins for current nixpkgs; the runners compare two of them:
  # firecracker >= 1.13.0 adds --enable-pci, cloud-hypervisor 30.0 to 36.0 used another --disk syntax.
  versions = {
    cloud-hypervisor = "48.0";
    cloud-hypervisor-graphics = "48.0";
    firecracker = "1.13.1";
  };

  # nixpkgs builds qemu with seccompSupport on Linux, which puts --enable-seccomp in configureFlags;
  # the qemu runner reads that to decide on "-sandbox on".
  configureFlagsOf = platform: name:
    lib.optionals (builtins.elem name [ "qemu" "qemu_kvm" ] && platform.isLinux) [ "--enable-seccomp" ];

  mkPackages = platform:
    let
      dir = stubRoot + "/" + platform.system;
      pkg = name: attrs:
        let
          self = {
            type = "derivation";
            inherit name;
            pname = name;
            version = versions.${name} or "1.0";
            outPath = dir + "/" + name;
            drvPath = dir + "/" + name + ".drv";
            out = self;
            outputName = "out";
            outputs = [ "out" ];
            configureFlags = configureFlagsOf platform name;
            buildInputs = [ ];
            meta.mainProgram = name;
            override = _: self;
            overrideAttrs = f: pkg name (attrs // f self);
          } // attrs;
        in
        self;

      names = [
        "qemu" "qemu_kvm" "cloud-hypervisor" "cloud-hypervisor-graphics" "firecracker" "crosvm"
        "kvmtool" "stratovirt" "alioth" "vfkit" "virtiofsd" "coreutils" "coreutils-full" "e2fsprogs"
        "xfsprogs" "btrfs-progs" "dosfstools" "iproute2" "kmod" "socat" "curl" "jq" "netcat"
        "util-linux" "expect" "python3" "systemd" "gnused" "gawk" "libusb1" "nix" "erofs-utils"
        "squashfs-tools-ng" "time" "bubblewrap" "parted" "libguestfs" "libguestfs-appliance"
        "wayland-proxy-virtwl" "waypipe"
      ];

      # A derivation built by runCommand and friends: its build script is kept, its outPath is a
      # path under <platform>/drv (UpstreamRunner.cs puts a placeholder machine-uuid file there,
      # which runner.nix reads when microvm.machineId is null).
      built = name: env: script:
        let
          passthru = env.passthru or { };
          self = {
            type = "derivation";
            name = checkName name;
            outPath = dir + "/drv/" + checkName name;
            buildCommand = script;
            inherit passthru;
            meta = env.meta or { };
            out = self;
          } // passthru;
        in
        self;

      pkgs = lib.genAttrs names (n: pkg n { }) // {
        _type = "pkgs";
        inherit lib;
        system = platform.system;
        stdenv = {
          hostPlatform = platform;
          buildPlatform = platform;
          targetPlatform = platform;
          isLinux = platform.isLinux;
          isDarwin = platform.isDarwin;
        };
        buildPackages = pkgs;
        OVMF = pkg "OVMF" { fd = pkg "OVMF-fd" { }; };
        python3Packages.supervisor = pkg "supervisor" { };

        runCommand = built;
        runCommandLocal = built;
        runCommandNoCC = built;
        closureInfo = { rootPaths }: built "closure-info" { } "";
        writeClosure = paths: built "store-paths" { } "";
        writeReferencesToFile = path: built "store-paths" { } "";

        writeShellScript = name: text: writtenFile "shellScript" name text;
        writeShellScriptBin = name: text: writtenFile "shellScriptBin" name text;
        writeScript = name: text: writtenFile "script" name text;
        writeText = name: text: writtenFile "text" name text;
        writers = {
          writeJSON = name: value: writtenFile "json" name (builtins.toJSON value);
          writePython3 = name: args: content:
            writtenFile "python3" name (if builtins.isAttrs content then content.text else content);
        };
        # replaceVars reads the file and substitutes @name@; a file is a Nix path inside upstream's
        # checkout, read in place (nothing is copied to a store).
        replaceVars = src: replacements:
          let
            names = builtins.attrNames replacements;
          in
          writtenFile "text" (baseNameOf src) (
            builtins.replaceStrings (map (n: "@" + n + "@") names) (map (n: toString replacements.${n}) names) (builtins.readFile src)
          );
      };
    in
    pkgs;

  pkgsFor = lib.mapAttrs (_: mkPackages) platforms;

  # ---------------------------------------------------------------------------------------------
  # The NixOS options upstream reads, declared with NixOS's types and defaults; everything else
  # NixOS would declare is absorbed (accepted, never checked, never read) by freeform types.

  absorbed = lib.mkOptionType {
    name = "absorbed";
    description = "a NixOS option the judge does not model";
    merge = loc: defs: map (d: d.value) defs;
  };
  freeform = types.lazyAttrsOf absorbed;

  # An option namespace such as `boot`: the declared options, anything else absorbed.
  ns = options: mkOption {
    type = types.submodule {
      freeformType = freeform;
      inherit options;
    };
    default = { };
  };

  # nixos/modules/tasks/filesystems.nix: non-empty = not only whitespace.
  isNonEmpty = s: builtins.match "[ \t\n]*" s == null;
  nonEmptyStr = types.addCheck types.str isNonEmpty // { description = "non-empty string"; };
  nonEmptyWithoutTrailingSlash = types.addCheck types.str (s: isNonEmpty s && builtins.match ".+/" s == null) // {
    description = "non-empty string without trailing slash";
  };
  # nixos/lib/utils.nix
  pathsNeededForBoot = [ "/" "/nix" "/nix/store" "/var" "/var/log" "/var/lib" "/var/lib/nixos" "/etc" "/usr" ];
  fsNeededForBoot = fs: fs.neededForBoot || builtins.elem fs.mountPoint pathsNeededForBoot;
  escapeFstab = builtins.replaceStrings [ " " "\t" ] [ "\\040" "\\011" ];

  # One fileSystems entry as NixOS declares it: nixos/modules/tasks/filesystems.nix (mountPoint,
  # device, fsType, options, depends, label, noCheck, autoFormat, autoResize and their config),
  # nixos/modules/system/boot/stage-1.nix (neededForBoot) and
  # nixos/modules/tasks/filesystems/overlayfs.nix (overlay.*). Written for this judge after those
  # files; two different definitions of one field fail as in NixOS (mergeEqualOption).
  fileSystemModule = nixos: { name, config, ... }: {
    options = {
      enable = mkOption { type = types.bool; default = true; };
      mountPoint = mkOption { type = nonEmptyWithoutTrailingSlash; default = name; };
      device = mkOption { type = types.nullOr nonEmptyStr; default = null; };
      fsType = mkOption { type = nonEmptyStr; default = "auto"; };
      options = mkOption { type = types.nonEmptyListOf nonEmptyStr; default = [ "defaults" ]; };
      depends = mkOption { type = types.listOf nonEmptyWithoutTrailingSlash; default = [ ]; };
      label = mkOption { type = types.nullOr nonEmptyStr; default = null; };
      autoFormat = mkOption { type = types.bool; default = false; };
      autoResize = mkOption { type = types.bool; default = false; };
      noCheck = mkOption { type = types.bool; default = false; };
      neededForBoot = mkOption { type = types.bool; default = false; };
      overlay = {
        lowerdir = mkOption { type = types.nullOr (types.nonEmptyListOf (types.either types.str types.pathInStore)); default = null; };
        upperdir = mkOption { type = types.nullOr types.str; default = null; };
        workdir = mkOption { type = types.nullOr types.str; default = null; };
        useStage1BaseDirectories = mkOption { type = types.bool; default = true; };
      };
    };
    config = lib.mkMerge [
      {
        device = lib.mkIf (builtins.elem config.fsType [ "proc" "sysfs" "tmpfs" "ramfs" "devtmpfs" "devpts" ]) (lib.mkDefault config.fsType);
      }
      {
        device = lib.mkIf (config.label != null) (lib.mkDefault "/dev/disk/by-label/${escapeFstab config.label}");
        options =
          let
            inInitrd = fsNeededForBoot config;
          in
          lib.mkMerge [
            (lib.mkIf config.autoResize [ "x-systemd.growfs" ])
            (lib.mkIf config.autoFormat [ "x-systemd.makefs" ])
            (lib.mkIf inInitrd [ "x-initrd.mount" ])
            (lib.mkIf (builtins.length config.depends > 0 && (inInitrd -> nixos.boot.initrd.systemd.enable))
              (map (x: "x-systemd.requires-mounts-for=${lib.optionalString inInitrd "/sysroot"}${x}") config.depends))
          ];
      }
      (lib.mkIf (config.overlay.lowerdir != null) {
        fsType = "overlay";
        device = lib.mkDefault "overlay";
        depends = map (x: "${x}") (
          config.overlay.lowerdir ++ lib.optionals (config.overlay.upperdir != null) [ config.overlay.upperdir config.overlay.workdir ]
        );
        options =
          let
            prefix = if nixos.boot.initrd.systemd.enable && config.overlay.useStage1BaseDirectories && fsNeededForBoot config then "/sysroot" else "";
          in
          [ "lowerdir=${lib.concatStringsSep ":" (map (s: prefix + s) config.overlay.lowerdir)}" ]
          ++ lib.optionals (config.overlay.upperdir != null) [
            "upperdir=${prefix + config.overlay.upperdir}"
            "workdir=${prefix + config.overlay.workdir}"
          ];
      })
    ];
  };

  judgeModule = { config, ... }:
    let
      # vfkit runs on macOS: its host packages are aarch64-darwin and its guest aarch64-linux (the
      # runner throws unless the host is Darwin and both are aarch64). Every other hypervisor gets
      # an x86_64-linux guest on an x86_64-linux host.
      isVfkit = config.microvm.hypervisor == "vfkit";
      guest = if isVfkit then pkgsFor.aarch64-linux else pkgsFor.x86_64-linux;
      guestDir = stubRoot + "/" + guest.system;
      stubDerivation = name: attrs: {
        type = "derivation";
        inherit name;
        outPath = guestDir + "/" + name;
        meta = { };
      } // attrs;
      kernel =
        let
          self = stubDerivation "linux" {
            version = "6.12.1";
            dev = stubDerivation "linux-dev" { };
            out = self;
          };
        in
        self;
    in
    {
      options = {
        # nixos/modules/misc/assertions.nix
        assertions = mkOption { type = types.listOf types.unspecified; default = [ ]; };
        warnings = mkOption { type = types.listOf types.str; default = [ ]; };

        fileSystems = mkOption {
          type = types.attrsOf (types.submodule (fileSystemModule config));
          default = { };
          apply = lib.filterAttrs (_: fs: fs.enable);
        };

        networking = ns {
          # nixos/modules/tasks/network-interfaces.nix
          hostName = mkOption {
            type = types.strMatching "^$|^[[:alnum:]]([[:alnum:]_-]{0,61}[[:alnum:]])?$";
            default = "nixos";
          };
        };

        boot = ns {
          # nixos/modules/system/boot/kernel.nix
          kernelParams = mkOption {
            type = types.listOf (types.strMatching ''([^"[:space:]]|"[^"]*")+'' // {
              name = "kernelParam";
              description = "string, with spaces inside double quotes";
            });
            default = [ ];
          };
          kernelPackages = mkOption { type = types.raw; default = { inherit kernel; }; };
          initrd = ns {
            systemd = ns {
              enable = mkOption { type = types.bool; default = false; };
            };
          };
        };

        nix = ns {
          enable = mkOption { type = types.bool; default = true; };
          package = mkOption { type = types.raw; default = guest.nix; };
          optimise = ns {
            automatic = mkOption { type = types.bool; default = false; };
          };
          settings = ns {
            auto-optimise-store = mkOption { type = types.bool; default = false; };
          };
        };

        security = ns {
          virtualisation = ns {
            flushL1DataCache = mkOption {
              type = types.nullOr (types.enum [ "never" "cond" "always" ]);
              default = null;
            };
          };
        };

        services = ns {
          openssh = ns {
            enable = mkOption { type = types.bool; default = false; };
          };
        };

        system = ns {
          build = ns {
            toplevel = mkOption { type = types.raw; default = stubDerivation "toplevel" { }; };
            initialRamdisk = mkOption { type = types.raw; default = stubDerivation "initrd" { }; };
          };
          boot = ns {
            loader = ns {
              kernelFile = mkOption { type = types.str; default = guest.stdenv.hostPlatform.linux-kernel.target; };
              initrdFile = mkOption { type = types.str; default = "initrd"; };
            };
          };
          nixos = ns {
            label = mkOption { type = types.str; default = "judge"; };
          };
        };
      };

      config = {
        # Absorbs the top-level NixOS namespaces upstream only writes: environment, documentation,
        # nixpkgs, virtualisation, systemd, ...
        _module.freeformType = freeform;
        _module.args.pkgs = guest;
        microvm.vmHostPackages = lib.mkIf isVfkit pkgsFor.aarch64-darwin;

        # The assertions NixOS makes about fileSystems entries (filesystems.nix: label and device
        # agree, autoResize only where it works; overlayfs.nix: upperdir and workdir together, a
        # read-only overlay has two lowerdirs, a stage-1 overlay needs the systemd initrd).
        assertions =
          let
            fileSystems = builtins.attrValues config.fileSystems;
            overlays = builtins.filter (fs: fs.overlay.lowerdir != null) fileSystems;
          in
          map (fs: {
            assertion = fs.label != null -> fs.device == "/dev/disk/by-label/${escapeFstab fs.label}";
            message = "The filesystem with mount point ${fs.mountPoint} has its label and device set to inconsistent values.";
          }) fileSystems
          ++ map (fs: {
            assertion = !(fs.autoResize && !builtins.elem fs.fsType [ "ext3" "ext4" "btrfs" "xfs" ]);
            message = "Mountpoint '${fs.mountPoint}': 'autoResize = true' is not supported for 'fsType = \"${fs.fsType}\"'.";
          }) fileSystems
          ++ lib.concatMap (fs: [
            {
              assertion = (fs.overlay.upperdir == null) == (fs.overlay.workdir == null);
              message = "You cannot define a `lowerdir` without a `workdir` and vice versa for mount point: ${fs.mountPoint}";
            }
            {
              assertion = fs.overlay.upperdir == null -> builtins.length fs.overlay.lowerdir >= 2;
              message = "A read-only overlay (without an `upperdir`) requires at least 2 `lowerdir`s: ${fs.mountPoint}";
            }
            {
              assertion = !fs.overlay.useStage1BaseDirectories -> config.boot.initrd.systemd.enable;
              message = "Stage 1 overlay file system ${fs.mountPoint} has 'useStage1BaseDirectories' set to false, which is not supported with scripted initrd.";
            }
            {
              assertion = fsNeededForBoot fs -> (fs.overlay.upperdir == null -> config.boot.initrd.systemd.enable);
              message = "Stage 1 overlay file system ${fs.mountPoint} has no upperdir, which is not supported with scripted initrd.";
            }
          ]) overlays;
      };
    };

  # ---------------------------------------------------------------------------------------------
  # Evaluation.

  field =
    if raise != "" then
      v: { ok = true; value = v; }
    else
      v:
      let
        r = builtins.tryEval (builtins.deepSeq v v);
      in
      if r.success then { ok = true; inherit (r) value; } else { ok = false; };

  judge = index: file:
    let
      evaluated = lib.evalModules {
        modules = [
          judgeModule
          upstreamGuestModule
          (/. + file)
        ];
      };
      cfg = evaluated.config;
      mv = cfg.microvm;
      runner = mv.declaredRunner;
      # macvtap.* has no default and is only read for macvtap interfaces.
      interfaceData = i: if i.type == "macvtap" then i else builtins.removeAttrs i [ "macvtap" ];
      result = {
        inherit file;
        hostName = field cfg.networking.hostName;
        hypervisor = field mv.hypervisor;
        failedAssertions = field (map (a: a.message) (builtins.filter (a: !a.assertion) cfg.assertions));
        warnings = field cfg.warnings;
        fileSystems = field (
          builtins.mapAttrs (_: fs: {
            inherit (fs) mountPoint device fsType options depends label neededForBoot noCheck;
            overlay = { inherit (fs.overlay) lowerdir upperdir workdir; };
          }) cfg.fileSystems
        );
        kernelParams = field mv.kernelParams;
        # The snippets modules put into microvm.binScripts (tap-up, macvtap-up, pci-setup,
        # virtiofsd-run, ...); the runner adds microvm-run, microvm-shutdown, ... to them.
        moduleBinScripts = field mv.binScripts;
        runner = field {
          inherit (runner) name buildCommand;
          passthru = {
            inherit (runner.passthru) canShutdown supportsNotifySocket tapMultiQueue hypervisor registerWithMachined machineId;
          };
        };
        microvm = field {
          inherit (mv) volumes shares devices socket storeOnDisk preStart user vcpu mem;
          interfaces = map interfaceData mv.interfaces;
          vsockCid = mv.vsock.cid;
          graphicsSocket = mv.graphics.socket;
        };
        # Only defined when the store is on a disk (microvm.storeOnDisk).
        storeDiskType = field mv.storeDiskType;
        storeDisk = field (toString mv.storeDisk);
        # The script that builds the store disk (store-disk.nix: bwrap … mkfs.erofs/gensquashfs <flags>).
        storeDiskBuild = field mv.storeDisk.buildCommand;
      };
    in
    builtins.trace "microvm-judge-module ${toString index}" (
      if raise != "" then { ${raise} = result.${raise}; } else builtins.deepSeq result result
    );

  files = builtins.fromJSON (builtins.readFile (/. + modulesJson));
  indexed = lib.imap0 judge files;
in
if only == "" then indexed else [ (builtins.elemAt indexed (lib.toInt only)) ]
