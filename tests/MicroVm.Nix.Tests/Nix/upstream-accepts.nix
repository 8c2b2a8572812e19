# Which values upstream's own option declarations accept: for each value, a guest configuration that
# sets every option in `paths` to it, evaluated with nixpkgs' lib.evalModules over microvm.nix's guest
# modules; each option's value is forced, and a type error (a throw) means "refused". Used by
# UpstreamLedgerTests to judge the generator's check of ExtraConfig values (UpstreamShape.Accepts).
# Arguments (--argstr): microvm, nixpkgsLib (absolute paths); cases, JSON { paths = [[names]]; values = [...] }.
{ microvm, nixpkgsLib, cases }:
let
  lib = import (/. + nixpkgsLib + "/lib");
  input = builtins.fromJSON cases;
  # The other guest files declare a few options and build their values (bootDisk, storeDisk, deploy
  # scripts) from packages the stubs lack: only their declarations are taken.
  optionsOnly = file: args: { options = (import file args).options or { }; };
  guestModules = [ (/. + microvm + "/nixos-modules/microvm/options.nix") ]
    ++ map (file: optionsOnly (/. + microvm + "/nixos-modules/microvm/${file}")) [ "boot-disk.nix" "ssh-deploy.nix" "store-disk.nix" "vsock-ssh.nix" ];
  stubs = import ../../../generator/upstream/stubs.nix "a";
  judge = value:
    let
      evaluated = lib.evalModules {
        modules = [ stubs.module ] ++ guestModules
          ++ map (path: lib.setAttrByPath path value) input.paths;
        specialArgs = { inherit (stubs) pkgs; };
      };
    in
    map (path: (builtins.tryEval (builtins.deepSeq (lib.getAttrFromPath path evaluated.config) true)).success) input.paths;
in
map judge input.values
