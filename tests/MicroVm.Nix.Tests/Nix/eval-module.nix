# Imports a generated guest module for evaluation to JSON. Module paths in `imports` become
# { path = "/absolute/path"; } (toString does not copy them into the store, as JSON output would);
# inline modules stay as they are. A module that takes arguments (it names packages) gets stand-in
# package sets, `packages` (JSON: { pkgs = {…}; vmHostPackages = {…}; }), whose packages are strings
# naming them ("pkgs:qemu_kvm"), so the JSON shows which set and path the module reads; pkgs.path is
# stand-in-nixpkgs.nix, for a module that imports nixpkgs for another system.
# Used by NixEvaluator.ParseAndEval.
{ module, packages ? "{}" }:
let
  sets = builtins.fromJSON packages;
  raw = import (/. + module);
  m =
    if builtins.isFunction raw then
      raw { pkgs = sets.pkgs or { } // { path = ./stand-in-nixpkgs.nix; }; config.microvm.vmHostPackages = sets.vmHostPackages or { }; }
    else
      raw;
in
if builtins.isAttrs m && m ? imports then
  m // { imports = map (i: if builtins.isPath i then { path = toString i; } else i) m.imports; }
else
  m
