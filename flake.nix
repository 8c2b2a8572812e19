{
  description = "MicroVm.Nix: describe microvm.nix MicroVMs as typed C# records; a source generator writes their NixOS modules";

  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";
    microvm = {
      url = "github:microvm-nix/microvm.nix";
      inputs.nixpkgs.follows = "nixpkgs";
    };
  };

  outputs =
    {
      self,
      nixpkgs,
      microvm,
    }:
    let
      systems = [
        "x86_64-linux"
        "aarch64-linux"
      ];
      forAllSystems = f: nixpkgs.lib.genAttrs systems (system: f system nixpkgs.legacyPackages.${system});

      # Generated folders whose modules the checks evaluate.
      generated = {
        example = ./examples/Homelab/nix;
        template-default = ./templates/flake/default/vms/nix;
        template-zvol = ./templates/flake/zvol/vms/nix;
      };

      # Just enough of a host for NixOS to evaluate.
      hostStub = {
        boot.loader.grub.device = "nodev";
        fileSystems."/" = {
          device = "/dev/disk/by-label/nixos";
          fsType = "ext4";
        };
        boot.supportedFilesystems = [ "zfs" ];
        networking.hostId = "8425e349";
        system.stateVersion = "25.05";
      };
    in
    {
      lib = {
        # The guest modules of a folder MicroVm.Nix wrote, by host name:
        # guestModules ./vms/nix => { db = ./vms/nix/db.nix; … } (default.nix is the host module).
        guestModules =
          dir:
          nixpkgs.lib.mapAttrs' (file: _: nixpkgs.lib.nameValuePair (nixpkgs.lib.removeSuffix ".nix" file) (dir + "/${file}")) (
            nixpkgs.lib.filterAttrs (file: type: type == "regular" && nixpkgs.lib.hasSuffix ".nix" file && file != "default.nix") (
              builtins.readDir dir
            )
          );

        # Standalone NixOS configurations of those guests, to build or run one VM on its own:
        # nixosConfigurations = microvm-nix.lib.microvmConfigurations { inherit nixpkgs microvm; dir = ./vms/nix; };
        microvmConfigurations =
          {
            nixpkgs,
            microvm,
            dir,
            system ? "x86_64-linux",
            modules ? [ ],
          }:
          builtins.mapAttrs (
            _: guest:
            nixpkgs.lib.nixosSystem {
              inherit system;
              modules = [
                microvm.nixosModules.microvm
                guest
              ] ++ modules;
            }
          ) (self.lib.guestModules dir);
      };

      templates = {
        default = {
          path = ./templates/flake/default;
          description = "A NixOS host with its MicroVMs in a C# project (MicroVm.Nix)";
          welcomeText = "Describe your VMs in vms/Fleet.cs, run `dotnet build vms`, commit vms/nix, then `nixos-rebuild switch --flake .#host`.";
        };
        zvol = {
          path = ./templates/flake/zvol;
          description = "A ZFS host whose MicroVM uses zvols: a raw, auto-provisioned one and a pre-formatted one";
          welcomeText = "Adjust the pool in vms/Fleet.cs, run `dotnet build vms`, commit vms/nix, then `nixos-rebuild switch --flake .#host`.";
        };
      };

      # `nix develop`: the .NET SDK that builds the generator and the examples, and the Nix tools the tests run.
      devShells = forAllSystems (
        _: pkgs: {
          default = pkgs.mkShell {
            packages = [
              pkgs.dotnet-sdk_10
              pkgs.nix
              pkgs.nixfmt-rfc-style
            ];
            DOTNET_CLI_TELEMETRY_OPTOUT = "1";
          };
        }
      );

      formatter = forAllSystems (_: pkgs: pkgs.nixfmt-rfc-style);

      # Every committed generated folder, evaluated for real: each guest module as a microvm.nix guest
      # and the host module in a NixOS host with microvm.nix's host module, down to the system's
      # derivation (which runs upstream's assertions). These need the inputs, so they run where
      # they can be fetched (`nix flake check`).
      checks = forAllSystems (
        system: pkgs:
        let
          evaluate =
            name: dir:
            let
              guests = self.lib.microvmConfigurations {
                inherit nixpkgs microvm system dir;
              };
              host = nixpkgs.lib.nixosSystem {
                inherit system;
                modules = [
                  microvm.nixosModules.host
                  hostStub
                  dir
                ];
              };
              paths = [ host.config.system.build.toplevel.drvPath ] ++ map (g: g.config.microvm.declaredRunner.drvPath) (builtins.attrValues guests);
            in
            pkgs.runCommand "microvm-nix-${name}" { } ''
              echo ${nixpkgs.lib.escapeShellArg (toString paths)} > $out
            '';
        in
        builtins.mapAttrs evaluate generated
      );
    };
}
