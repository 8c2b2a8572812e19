{
  description = "A NixOS host whose MicroVMs are described in C# (MicroVm.Nix)";

  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";
    microvm = {
      url = "github:microvm-nix/microvm.nix";
      inputs.nixpkgs.follows = "nixpkgs";
    };
  };

  outputs =
    { self, nixpkgs, microvm, ... }:
    let
      system = "x86_64-linux";
      pkgs = nixpkgs.legacyPackages.${system};
    in
    {
      nixosConfigurations.host = nixpkgs.lib.nixosSystem {
        inherit system;
        modules = [
          microvm.nixosModules.host
          ./configuration.nix
          # The host module MicroVm.Nix writes: every VM of vms/Fleet.cs under microvm.vms.
          ./vms/nix
        ];
      };

      # `nix run .#<VM>`: one of the host's VMs, run in this terminal (its runner, as `microvm -r <VM>`
      # on the host runs it), to try a change before `nixos-rebuild switch`. Stop it with Ctrl-A X (qemu).
      packages.${system} = builtins.mapAttrs (
        _: vm: vm.config.config.microvm.declaredRunner
      ) self.nixosConfigurations.host.config.microvm.vms;

      # `nix develop`: the .NET SDK for `dotnet build vms`, and nixfmt for hand-written Nix.
      devShells.${system}.default = pkgs.mkShell {
        packages = [
          pkgs.dotnet-sdk_10
          pkgs.nixfmt-rfc-style
        ];
        DOTNET_CLI_TELEMETRY_OPTOUT = "1";
      };
    };
}
