# Stands in for nixpkgs' nixos/lib/eval-config.nix when eval-host-with-upstream.nix evaluates a host module:
# upstream's microvm.vms.<name>.config evaluates each guest with it, which needs a full nixpkgs. The guest
# modules are judged on their own (eval-with-upstream.nix); here each stays a list of its modules.
{ modules, ... }:
{
  config = { };
  inherit modules;
}
