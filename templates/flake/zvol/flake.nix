{
  description = "A ZFS host whose MicroVMs use zvols, described in C# (MicroVm.Nix)";

  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";
    microvm = {
      url = "github:microvm-nix/microvm.nix";
      inputs.nixpkgs.follows = "nixpkgs";
    };
  };

  outputs =
    { nixpkgs, microvm, ... }:
    {
      nixosConfigurations.host = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [
          microvm.nixosModules.host
          ./configuration.nix
          # The host module MicroVm.Nix writes: every VM of vms/Fleet.cs under microvm.vms.
          ./vms/nix
        ];
      };
    };
}
