# The NixOS options MicroVm.Nix's typed networks set, declared as NixOS declares them
# (nixos/modules/system/boot/networkd.nix: systemd.network.{enable,netdevs,networks} with their sections and
# list options; nixos/modules/services/networking/nat.nix: networking.nat), for the judges that evaluate generated
# modules without a full nixpkgs (eval-with-upstream.nix, eval-host-with-upstream.nix). An option name that NixOS
# does not have fails the evaluation; a section's keys are systemd's, checked by the flake's checks on a full NixOS.
{ lib, ... }:
let
  inherit (lib) mkOption types;
  # nixos/lib/systemd-unit-options.nix: unitOption.
  unitOption = types.oneOf [ types.bool types.int types.str (types.listOf (types.oneOf [ types.bool types.int types.str ])) ];
  section = mkOption { type = types.attrsOf unitOption; default = { }; };
  strings = mkOption { type = types.listOf types.str; default = [ ]; };
in
{
  options.systemd.network = {
    enable = mkOption { type = types.bool; default = false; };
    netdevs = mkOption {
      default = { };
      type = types.attrsOf (types.submodule { options.netdevConfig = section; });
    };
    networks = mkOption {
      default = { };
      type = types.attrsOf (types.submodule {
        options = {
          matchConfig = section;
          networkConfig = section;
          linkConfig = section;
          dhcpServerConfig = section;
          address = strings;
          gateway = strings;
          dns = strings;
          routes = mkOption { type = types.listOf (types.attrsOf unitOption); default = [ ]; };
        };
      });
    };
  };
  options.networking.useNetworkd = mkOption { type = types.bool; default = false; };
  # nixos/modules/services/networking/firewall.nix: the per-interface ports.
  options.networking.firewall.interfaces = mkOption {
    default = { };
    type = types.attrsOf (types.submodule { options.allowedUDPPorts = mkOption { type = types.listOf types.port; default = [ ]; }; });
  };
  options.networking.nat = {
    enable = mkOption { type = types.bool; default = false; };
    internalIPs = strings;
    externalInterface = mkOption { type = types.nullOr types.str; default = null; };
  };
}
