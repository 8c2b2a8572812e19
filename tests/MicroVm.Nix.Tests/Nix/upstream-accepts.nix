# Which values upstream's own option declarations accept: for each value, a guest configuration that
# sets every option in `paths` to it, evaluated with nixpkgs' lib.evalModules over microvm.nix's guest
# modules; each option's value is forced, and a type error (a throw) means "refused". Used by
# UpstreamLedgerTests to judge the generator's check of ExtraConfig values (UpstreamShape.Accepts).
# Arguments (--argstr): microvm, nixpkgsLib (absolute paths); cases, JSON { paths = [[names]]; values = [...] }.
{ microvm, nixpkgsLib, cases }:
let
  lib = import (/. + nixpkgsLib + "/lib");
  input = builtins.fromJSON cases;
  guestModules = (import ../../../generator/upstream/guest-declarations.nix).modules (/. + microvm);
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
