# The files of microvm.nix's guest module that declare options: options.nix declares most, and four
# others declare a few of their own. The one list of them, for extract-options.nix (the ledger) and
# for the tests that evaluate guest modules against upstream's declarations.
# `modules upstream` gives options.nix whole and, of the other files, only their declarations: their
# config builds disks and scripts from packages, and enables NixOS services, which only a full
# NixOS has.
let
  files = [ "options.nix" "boot-disk.nix" "ssh-deploy.nix" "store-disk.nix" "vsock-ssh.nix" ];
in
{
  inherit files;

  modules = upstream:
    let
      path = file: upstream + "/nixos-modules/microvm/${file}";
      optionsOnly = file: args: { options = (import (path file) args).options or { }; };
    in
    map (file: if file == "options.nix" then path file else optionsOnly file) files;
}
