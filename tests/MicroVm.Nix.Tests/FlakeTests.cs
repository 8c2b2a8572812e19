using System.IO;
using System.Linq;
using MicroVm.Nix.Tests.Infrastructure;

namespace MicroVm.Nix.Tests;

/// <summary>flake.nix parses and its outputs evaluate, offline, with a stub nixpkgs.</summary>
public class FlakeTests
{
    [Test]
    public void Flake_outputs_evaluate_with_stub_inputs()
    {
        var flake = Path.Combine(RepoPaths.Root, "flake.nix");
        NixEvaluator.Parse(flake);
        var evaluated = NixEvaluator.EvalExpression($$"""
            let
              flake = import {{flake}};
              pkgs = {
                mkShell = args: { shell = true; packages = map (p: p.name) args.packages; };
                dotnet-sdk_10 = { name = "dotnet-sdk"; };
                nix = { name = "nix"; };
                nixfmt-rfc-style = { name = "nixfmt"; };
              };
              nixpkgs = {
                lib.genAttrs = names: f: builtins.listToAttrs (map (n: { name = n; value = f n; }) names);
                legacyPackages = { x86_64-linux = pkgs; aarch64-linux = pkgs; };
              };
              outputs = flake.outputs { self = outputs; inherit nixpkgs; };
            in
            {
              shell = outputs.devShells.x86_64-linux.default;
              formatter = outputs.formatter.aarch64-linux.name;
            }
            """)!;
        Assert.That(evaluated["shell"]!["packages"]!.AsArray().Select(p => (string?)p), Is.EqualTo(new[] { "dotnet-sdk", "nix", "nixfmt" }));
        Assert.That((string?)evaluated["formatter"], Is.EqualTo("nixfmt"));
    }
}
