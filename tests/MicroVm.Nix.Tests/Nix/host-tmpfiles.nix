# The host's systemd-tmpfiles rules for shared directories, from microvm.nix's REAL host module:
# nixos-modules/host/default.nix is called with a stub config that declares one VM whose evaluated
# guest config holds the given microvm.shares, and only its systemd.tmpfiles.settings."10-microvm"
# is read (everything else the module defines stays unevaluated). The settings are then rendered
# into tmpfiles.d lines as NixOS does it (nixos/modules/system/boot/systemd/tmpfiles.nix: the
# settings submodule's defaults, settingsEntryToRule and pathsToRules).
#
# Arguments (all --argstr): microvm, nixpkgsLib: the upstream checkouts; sharesJson: a JSON file
# holding a list, one entry per guest, of that guest's evaluated microvm.shares.
# Output: a list, one entry per guest, of the text of its "10-microvm" tmpfiles.d file.
{
  microvm,
  nixpkgsLib,
  sharesJson,
}:
let
  lib = import (/. + nixpkgsLib + "/lib");
  hostModule = import (/. + microvm + "/nixos-modules/host/default.nix");

  settingsFor =
    shares:
    let
      module = hostModule {
        inherit lib;
        # Only the microvm command (never evaluated here) uses pkgs.
        pkgs.callPackage = _: _: throw "the host module's packages are not evaluated by this judge";
        config.microvm = {
          stateDir = "/var/lib/microvms";
          host.enable = true;
          vms.vm = {
            flake = null;
            evaluatedConfig = null;
            config.config.microvm.shares = shares;
          };
        };
      };
    in
    # config = lib.mkIf config.microvm.host.enable { ... }
    assert module.config._type == "if" && module.config.condition;
    module.config.content.systemd.tmpfiles.settings."10-microvm";

  # nixos/modules/system/boot/systemd/tmpfiles.nix: the settings submodule (type defaults to the
  # attribute name; mode, user, group and age to "-"; argument to ""), escapeArgument and
  # settingsEntryToRule.
  withDefaults =
    type: entry:
    {
      inherit type;
      mode = "-";
      user = "-";
      group = "-";
      age = "-";
      argument = "";
    }
    // entry;
  escapeArgument = lib.strings.escapeC [
    "\t"
    "\n"
    "\r"
    " "
    "\\"
  ];
  settingsEntryToRule = path: entry: ''
    '${entry.type}' '${path}' '${entry.mode}' '${entry.user}' '${entry.group}' '${entry.age}' ${escapeArgument entry.argument}
  '';
  pathsToRules = lib.mapAttrsToList (
    path: types: lib.concatStrings (lib.mapAttrsToList (type: entry: settingsEntryToRule path (withDefaults type entry)) types)
  );
in
map (shares: lib.concatStrings (pathsToRules (settingsFor shares))) (builtins.fromJSON (builtins.readFile (/. + sharesJson)))
