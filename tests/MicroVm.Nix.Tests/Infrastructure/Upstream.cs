using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
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
        // Imports need NixOS's own modules, which only a full nixpkgs has (the flake's checks
        // evaluate those); ExtraConfig that sets microvm.* itself is compared by its own tests.
        if (!Available || vm.Imports.Count > 0 || vm.ExtraConfig.Keys.Any(k => AttrPath(k)[0] == "microvm"))
        {
            return;
        }

        var file = Path.Combine(Path.GetTempPath(), "microvm-nix-" + Guid.NewGuid().ToString("N") + ".nix");
        File.WriteAllText(file, moduleText);
        try
        {
            AssertMeans(file, vm);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>
    /// Evaluates <paramref name="moduleFile"/> with upstream's declarations and requires every
    /// <c>microvm.*</c> option (types checked, defaults filled in) to be what <paramref name="vm"/> says.
    /// ExtraConfig's options outside <c>microvm.*</c> are declared as options of any type (only a
    /// full NixOS declares them); what they mean is checked by plain evaluation elsewhere.
    /// </summary>
    public static void AssertMeans(string moduleFile, VirtualMachine vm)
    {
        var evaluated = Evaluate(moduleFile, vm.ExtraConfig.Keys.Select(AttrPath).Where(p => p[0] != "microvm"));
        evaluated.Remove("volumeOptions");
        ExpectedNix.AssertModuleMeans(evaluated, vm with { ExtraConfig = new System.Collections.Generic.Dictionary<string, object>() });
    }

    /// <summary>Evaluates <paramref name="moduleFile"/> with upstream's declarations: types checked, defaults filled in.</summary>
    public static JsonObject Evaluate(string moduleFile, IEnumerable<IReadOnlyList<string>>? extraOptions = null)
    {
        var (microvm, lib) = RequirePaths();
        var script = Path.Combine(RepoPaths.Root, "tests", "MicroVm.Nix.Tests", "Nix", "eval-with-upstream.nix");
        var declared = new JsonArray([.. (extraOptions ?? []).Select(p => (JsonNode?)new JsonArray([.. p.Select(n => (JsonNode?)JsonValue.Create(n))]))]);
        return NixEvaluator.EvalWithStandIns(
            script,
            File.ReadAllText(moduleFile),
            ("module", Path.GetFullPath(moduleFile)),
            ("microvm", Path.GetFullPath(microvm)),
            ("nixpkgsLib", Path.GetFullPath(lib)),
            ("extraOptions", declared.ToJsonString()))!.AsObject();
    }

    /// <summary>The names of an ExtraConfig key, an attribute path: <c>boot.kernel.sysctl."vm.swappiness"</c>.</summary>
    private static IReadOnlyList<string> AttrPath(string key)
    {
        var names = new List<string>();
        var name = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < key.Length; i++)
        {
            switch (key[i])
            {
                case '\\' when quoted && i + 1 < key.Length:
                    name.Append(key[++i]);
                    break;
                case '"':
                    quoted = !quoted;
                    break;
                case '.' when !quoted:
                    names.Add(name.ToString());
                    name.Clear();
                    break;
                default:
                    name.Append(key[i]);
                    break;
            }
        }

        names.Add(name.ToString());
        return names;
    }
}
