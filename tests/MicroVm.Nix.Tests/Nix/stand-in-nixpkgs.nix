# What `import pkgs.path { system = …; }` loads in the tests (VirtualMachine.VmHostPackages): a stand-in for
# nixpkgs instantiated for `system`, marked "nixpkgs:<system>" (standIn), of upstream's type (types.pkgs wants
# _type = "pkgs"), with a stdenv that names its platform and the stand-in packages the module reads from
# config.microvm.vmHostPackages (NixEvaluator.PackageStandIns, given in the environment as
# MICROVM_NIX_STAND_INS, since an imported file has no other way in). Used by eval-module.nix and
# eval-with-upstream.nix.
{ system, ... }:
let
  environment = builtins.getEnv "MICROVM_NIX_STAND_INS";
  standIns = if environment == "" then { } else builtins.fromJSON environment;
  derivations = v: if builtins.isString v then { type = "derivation"; name = v; outPath = "/nix/store/00000000000000000000000000000000-stand-in"; } else builtins.mapAttrs (_: derivations) v;
in
derivations (standIns.vmHostPackages or { })
// {
  _type = "pkgs";
  standIn = "nixpkgs:" + system;
  stdenv.hostPlatform = {
    inherit system;
    isLinux = builtins.match ".*-linux" system != null;
    isDarwin = builtins.match ".*-darwin" system != null;
  };
}
