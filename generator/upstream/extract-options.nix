# Every option microvm.nix declares, from upstream's own declarations, as the ledger
# (options.json beside this file) records it. Run by update-ledger and by UpstreamLedgerTests:
#   nix-instantiate --eval --strict --json extract-options.nix --argstr microvm <checkout> --argstr nixpkgsLib <nixpkgs or its lib>
#
# The guest's declarations (nixos-modules/microvm/*.nix) and the host's (nixos-modules/host/options.nix)
# are evaluated with nixpkgs' lib.evalModules. The few NixOS options and pkgs attributes they read are
# stubbed, twice with different values: a default that differs between the two is computed from the
# configuration, and is recorded as such rather than as what the stub made of it.
{ microvm, nixpkgsLib }:
let
  lib = import (/. + nixpkgsLib + "/lib");
  upstream = /. + microvm;
  guestFiles = (import ./guest-declarations.nix).files;

  stubs = import ./stubs.nix;

  evaluate = variant: files: lib.evalModules {
    modules = [ (stubs variant).module ] ++ map (file: upstream + "/nixos-modules/${file}") files;
    specialArgs.pkgs = (stubs variant).pkgs;
  };

  # The type as data, for the checks the generator makes of values it cannot type (ExtraConfig):
  # { kind = "bool" | "int" | "unsignedInt" | "positiveInt" | "str" | "enum" | "nullOr" | "listOf" | …; values, elem, left, right }.
  shape = type:
    let
      kind = if type.name == "lazyAttrsOf" then "attrsOf" else type.name;
      nested = type.nestedTypes or { };
    in
    { inherit kind; }
    // lib.optionalAttrs (kind == "enum") { values = type.functor.payload.values; }
    // lib.optionalAttrs (kind == "nullOr" || kind == "listOf" || kind == "attrsOf") { elem = shape nested.elemType; }
    // lib.optionalAttrs (kind == "either") { left = shape nested.left; right = shape nested.right; };

  # Every option and, below each, the options of its submodules (as optionAttrSetToDocList walks them).
  walk = options: lib.concatMap (o: [ o ] ++ walk (o.type.getSubOptions o.loc)) (lib.collect lib.isOption options);

  relative = file: lib.removePrefix (toString upstream + "/") (toString file);
  text = value: if value ? _type && value ? text then value.text else builtins.toJSON value;

  entries = scope: files:
    let
      docs = variant: builtins.filter (o: !(lib.hasInfix "._module." o.name))
        (lib.optionAttrSetToDocList (evaluate variant files).options.microvm);
      other = builtins.listToAttrs (map (o: { inherit (o) name; value = o; }) (docs "b"));
      shapes = builtins.listToAttrs (map (o: { name = lib.showOption o.loc; value = shape o.type; }) (walk (evaluate "a" files).options.microvm));
      computed = o: o ? default && text o.default != text other.${o.name}.default;
    in
    map
      (o: {
        path = o.name;
        inherit scope;
        type = o.type;
        shape = shapes.${o.name};
        default = if !(o ? default) || computed o then null else text o.default;
        computedDefault = computed o;
        description = if o.description == null then "" else o.description;
        inherit (o) internal visible readOnly;
        declaredIn = map relative o.declarations;
      })
      (docs "a");
in
lib.sort (a: b: a.path < b.path) (
  entries "guest" (map (file: "microvm/" + file) guestFiles)
  ++ entries "host" [ "host/options.nix" ]
)
