{
  description = "MicroVm.Nix: describe microvm.nix MicroVMs as typed C# records; a source generator writes their NixOS modules";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";

  outputs =
    { self, nixpkgs }:
    let
      systems = [
        "x86_64-linux"
        "aarch64-linux"
      ];
      forAllSystems = f: nixpkgs.lib.genAttrs systems (system: f nixpkgs.legacyPackages.${system});
    in
    {
      # `nix develop`: the .NET SDK that builds the generator and the examples, and the Nix tools the tests run.
      devShells = forAllSystems (pkgs: {
        default = pkgs.mkShell {
          packages = [
            pkgs.dotnet-sdk_10
            pkgs.nix
            pkgs.nixfmt-rfc-style
          ];
          DOTNET_CLI_TELEMETRY_OPTOUT = "1";
        };
      });

      formatter = forAllSystems (pkgs: pkgs.nixfmt-rfc-style);
    };
}
