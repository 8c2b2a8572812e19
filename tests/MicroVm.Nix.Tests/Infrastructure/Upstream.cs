using System;
using System.IO;
using System.Text.Json.Nodes;

namespace MicroVm.Nix.Tests.Infrastructure;

/// <summary>
/// Evaluation against upstream's real option declarations. Upstream code is never part of this
/// repository: set <c>MICROVM_NIX_SRC</c> to a microvm.nix checkout and <c>NIXPKGS_LIB_SRC</c> to a
/// nixpkgs (or nixpkgs.lib) checkout; without them these tests are ignored, saying so.
/// </summary>
internal static class Upstream
{
    public static (string MicroVm, string NixpkgsLib) RequirePaths()
    {
        var microvm = Environment.GetEnvironmentVariable("MICROVM_NIX_SRC");
        var lib = Environment.GetEnvironmentVariable("NIXPKGS_LIB_SRC");
        if (string.IsNullOrEmpty(microvm) || string.IsNullOrEmpty(lib))
        {
            Assert.Ignore("Set MICROVM_NIX_SRC (a microvm.nix checkout) and NIXPKGS_LIB_SRC (a nixpkgs.lib checkout) to type-check generated modules against upstream's options.");
        }

        Assert.That(File.Exists(Path.Combine(microvm!, "nixos-modules", "microvm", "options.nix")), Is.True, "MICROVM_NIX_SRC=" + microvm + " holds no nixos-modules/microvm/options.nix");
        Assert.That(File.Exists(Path.Combine(lib!, "lib", "default.nix")), Is.True, "NIXPKGS_LIB_SRC=" + lib + " holds no lib/default.nix");
        return (microvm!, lib!);
    }

    public static bool Available =>
        !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("MICROVM_NIX_SRC")) && !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NIXPKGS_LIB_SRC"));

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
