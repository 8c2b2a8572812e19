using System.IO;
using System.Text.Json.Nodes;

namespace MicroVm.Nix.Tests.Infrastructure;

/// <summary>Writes a run's modules into a folder and evaluates the host module (default.nix) there.</summary>
internal static class HostModule
{
    /// <summary>
    /// Writes every module of <paramref name="run"/> into <paramref name="directory"/>, checks that the
    /// host module parses, and evaluates it with Nix/eval-host.nix (zfs package stubbed as "/zfs").
    /// </summary>
    public static JsonObject Evaluate(GeneratorRun run, string directory)
    {
        foreach (var module in run.Modules)
        {
            File.WriteAllText(Path.Combine(directory, module.FileName), module.Text);
        }

        var host = Path.Combine(directory, "default.nix");
        NixEvaluator.Parse(host);
        var script = Path.Combine(RepoPaths.Root, "tests", "MicroVm.Nix.Tests", "Nix", "eval-host.nix");
        return NixEvaluator.EvalFile(script, ("module", host))!.AsObject();
    }
}
