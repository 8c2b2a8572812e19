# The files of microvm.nix's guest module that declare options: options.nix declares most, and four
# others declare a few of their own. The one list of them, for extract-options.nix (the ledger) and
# for the tests that evaluate guest modules against upstream's declarations.
# `modules upstream` gives options.nix whole and, of the other files, only their declarations: their
# config builds disks and scripts from packages, and enables NixOS services, which only a full
# NixOS has.
{
  files = [ "options.nix" "boot-disk.nix" "ssh-deploy.nix" "store-disk.nix" "vsock-ssh.nix" ];

  modules = upstream:
    let
      optionsOnly = file: args: { options = (import file args).options or { }; };
    in
    [ (upstream + "/nixos-modules/microvm/options.nix") ]
    ++ map (file: optionsOnly (upstream + "/nixos-modules/microvm/${file}")) [ "boot-disk.nix" "ssh-deploy.nix" "store-disk.nix" "vsock-ssh.nix" ];
}
