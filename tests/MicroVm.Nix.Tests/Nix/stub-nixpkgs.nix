# A stand-in for the flake inputs nixpkgs, microvm and deploy-rs, for evaluating flake outputs offline:
# the few lib functions the flakes use (written with builtins), a nixosSystem that returns its
# arguments, and packages that are names. Used by FlakeTests.
let
  lib = rec {
    genAttrs = names: f: builtins.listToAttrs (map (n: { name = n; value = f n; }) names);
    nameValuePair = name: value: { inherit name value; };
    mapAttrs' = f: set: builtins.listToAttrs (map (n: f n set.${n}) (builtins.attrNames set));
    filterAttrs = pred: set: builtins.listToAttrs (builtins.concatMap (n: if pred n set.${n} then [ { name = n; value = set.${n}; } ] else [ ]) (builtins.attrNames set));
    hasSuffix = suffix: s: let ls = builtins.stringLength s; lx = builtins.stringLength suffix; in ls >= lx && builtins.substring (ls - lx) lx s == suffix;
    removeSuffix = suffix: s: if hasSuffix suffix s then builtins.substring 0 (builtins.stringLength s - builtins.stringLength suffix) s else s;
    escapeShellArg = s: "'" + s + "'";
    mkDefault = content: { _type = "override"; priority = 1000; inherit content; };
    # The host's microvm.vms come from the modules that are attribute sets (the generated host module):
    # each VM's evaluated config is a stand-in whose runner names the VM and its guest module.
    nixosSystem = args:
      let
        # A module that is a function gets empty arguments: only its microvm.vms names are read, lazily.
        imported = map (m: let v = if builtins.isPath m then import m else m; in if builtins.isFunction v then v { config = { }; lib = { }; pkgs = { }; } else v) args.modules;
        vms = builtins.foldl' (acc: m: acc // (if builtins.isAttrs m then m.microvm.vms or { } else { })) { } imported;
      in
      args // {
        config.system.build.toplevel.drvPath = "/nix/store/host.drv";
        config.microvm.declaredRunner.drvPath = "/nix/store/runner.drv";
        config.microvm.vms = builtins.mapAttrs (name: vm: {
          config.config.microvm.declaredRunner = { runner = name; module = toString vm.config; };
        }) vms;
      };
  };
  pkgs = {
    mkShell = args: { shell = true; packages = map (p: p.name) args.packages; };
    dotnet-sdk_10 = { name = "dotnet-sdk"; };
    nix = { name = "nix"; };
    nixfmt-rfc-style = { name = "nixfmt"; };
    colmena = { name = "colmena"; };
    runCommand = name: env: script: { inherit name script; };
  };
in
{
  nixpkgs = {
    inherit lib;
    legacyPackages = { x86_64-linux = pkgs; aarch64-linux = pkgs; };
  };
  microvm = {
    nixosModules = { host = "microvm-host-module"; microvm = "microvm-guest-module"; };
  };
  # deploy-rs: a system's activation of a NixOS configuration names the configuration; its checks name the nodes.
  deploy-rs = {
    lib = lib.genAttrs [ "x86_64-linux" "aarch64-linux" ] (system: {
      activate.nixos = configuration: { activates = configuration; inherit system; };
      deployChecks = deploy: { nodes = builtins.attrNames deploy.nodes; inherit system; };
    });
    packages = lib.genAttrs [ "x86_64-linux" "aarch64-linux" ] (_: { default = { name = "deploy-rs"; }; });
  };
}
