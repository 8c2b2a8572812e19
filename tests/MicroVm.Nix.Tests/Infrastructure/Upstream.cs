using System;
using System.IO;
using System.Text.Json.Nodes;

namespace MicroVm.Nix.Tests.Infrastructure;

/// <summary>
/// Evaluation against upstream's real code. Upstream code is never part of this repository: the tests
/// take microvm.nix from <c>MICROVM_NIX_SRC</c> and nixpkgs' lib from <c>NIXPKGS_LIB_SRC</c>, or, when
/// those are unset, from the snapshots in <c>../shared/upstream/</c> beside the repository if they
/// are there. Without either, these tests are ignored, saying so — unless
/// <c>MICROVM_NIX_REQUIRE_UPSTREAM=1</c> (set by <c>.ci/run</c>), which makes them fail instead.
/// </summary>
internal static class Upstream
{
    private static readonly Lazy<(string? MicroVm, string? NixpkgsLib)> Paths = new(() =>
    {
        var shared = Path.GetFullPath(Path.Combine(RepoPaths.Root, "..", "shared", "upstream"));
        static string? Existing(string path) => Directory.Exists(path) ? path : null;
        var microvm = Environment.GetEnvironmentVariable("MICROVM_NIX_SRC") is { Length: > 0 } m ? m : Existing(Path.Combine(shared, "microvm.nix"));
        var lib = Environment.GetEnvironmentVariable("NIXPKGS_LIB_SRC") is { Length: > 0 } l ? l : Existing(Path.Combine(shared, "nixpkgs.lib"));
        return (microvm, lib);
    });

    public static (string MicroVm, string NixpkgsLib) RequirePaths()
    {
        var (microvm, lib) = Paths.Value;
        if (microvm is null || lib is null)
        {
            const string Missing = "Set MICROVM_NIX_SRC (a microvm.nix checkout) and NIXPKGS_LIB_SRC (a nixpkgs.lib checkout), or put the snapshots in ../shared/upstream, to judge generated modules with upstream's real code.";
            if (Environment.GetEnvironmentVariable("MICROVM_NIX_REQUIRE_UPSTREAM") == "1")
            {
                Assert.Fail(Missing);
            }

            Assert.Ignore(Missing);
        }

        Assert.That(File.Exists(Path.Combine(microvm!, "nixos-modules", "microvm", "options.nix")), Is.True, "MICROVM_NIX_SRC=" + microvm + " holds no nixos-modules/microvm/options.nix");
        Assert.That(File.Exists(Path.Combine(lib!, "lib", "default.nix")), Is.True, "NIXPKGS_LIB_SRC=" + lib + " holds no lib/default.nix");
        return (microvm!, lib!);
    }

    public static bool Available => Paths.Value.MicroVm is not null && Paths.Value.NixpkgsLib is not null;

    /// <summary>
    /// When upstream is available, also evaluates <paramref name="moduleText"/> with upstream's declarations
    /// and requires the result (types checked, defaults filled in) to equal <paramref name="vm"/>.
    /// Without upstream this does nothing; the tests that need upstream alone report themselves ignored.
    /// </summary>
    public static void AssertMeansWhenAvailable(string moduleText, VirtualMachine vm)
    {
        // Imports and extra configuration need NixOS's own option declarations, which only a full
        // nixpkgs has (the flake's checks evaluate those).
        if (!Available || vm.Imports.Count > 0 || vm.ExtraConfig.Count > 0)
        {
            return;
        }

        var file = Path.Combine(Path.GetTempPath(), "microvm-nix-" + Guid.NewGuid().ToString("N") + ".nix");
        File.WriteAllText(file, moduleText);
        try
        {
            var evaluated = Evaluate(file);
            evaluated.Remove("volumeOptions");
            ExpectedNix.AssertModuleMeans(evaluated, vm);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>Evaluates <paramref name="moduleFile"/> with upstream's declarations: types checked, defaults filled in.</summary>
    public static JsonObject Evaluate(string moduleFile)
    {
        var (microvm, lib) = RequirePaths();
        var script = Path.Combine(RepoPaths.Root, "tests", "MicroVm.Nix.Tests", "Nix", "eval-with-upstream.nix");
        return NixEvaluator.EvalFile(script, ("module", Path.GetFullPath(moduleFile)), ("microvm", Path.GetFullPath(microvm)), ("nixpkgsLib", Path.GetFullPath(lib)))!.AsObject();
    }
}
