{
  description = "Two NixOS hosts whose MicroVMs are described in C# (MicroVm.Nix), deployed with colmena, deploy-rs or nixos-rebuild";

  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";
    microvm = {
      url = "github:microvm-nix/microvm.nix";
      inputs.nixpkgs.follows = "nixpkgs";
    };
    # MicroVm.Nix itself, for lib.fleet: set this to the flake reference you ran `nix flake init -t` with.
    microvm-nix = {
      url = "path:/path/to/MicroVm.Nix";
      inputs.nixpkgs.follows = "nixpkgs";
      inputs.microvm.follows = "microvm";
    };
    deploy-rs = {
      url = "github:serokell/deploy-rs";
      inputs.nixpkgs.follows = "nixpkgs";
    };
  };

  outputs =
    {
      self,
      nixpkgs,
      microvm,
      microvm-nix,
      deploy-rs,
      ...
    }:
    let
      # vms/nix, written by `dotnet build vms`: fleet.nix and one folder per host. Each host gets microvm.nix's
      # host module, its folder, hosts/common.nix and hosts/<name>.nix.
      fleet = microvm-nix.lib.fleet {
        inherit nixpkgs microvm deploy-rs;
        dir = ./vms/nix;
        modules = [ ./hosts/common.nix ];
        hosts = {
          alpha = [ ./hosts/alpha.nix ];
          beta = [ ./hosts/beta.nix ];
        };
      };
      system = "x86_64-linux";
      pkgs = nixpkgs.legacyPackages.${system};
    in
    {
      # nixos-rebuild switch --flake .#alpha --target-host root@alpha.lan
      nixosConfigurations = fleet.nixosConfigurations;

      # colmena apply (colmena 0.4; colmena 0.5 reads colmenaHive = colmena.lib.makeHive self.colmena)
      colmena = fleet.colmena;

      # deploy (deploy-rs), and deploy-rs' checks of the nodes under `nix flake check`
      deploy = fleet.deploy;
      checks = builtins.mapAttrs (_: deployLib: deployLib.deployChecks self.deploy) deploy-rs.lib;

      # `nix develop`: the .NET SDK for `dotnet build vms`, colmena and deploy-rs, and nixfmt for hand-written Nix.
      devShells.${system}.default = pkgs.mkShell {
        packages = [
          pkgs.dotnet-sdk_10
          pkgs.colmena
          deploy-rs.packages.${system}.default
          pkgs.nixfmt-rfc-style
        ];
        DOTNET_CLI_TELEMETRY_OPTOUT = "1";
      };
    };
}
