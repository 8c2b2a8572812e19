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
        WriteAll(run, directory);
        var host = Path.Combine(directory, "default.nix");
        NixEvaluator.Parse(host);
        var script = Path.Combine(RepoPaths.Root, "tests", "MicroVm.Nix.Tests", "Nix", "eval-host.nix");
        return NixEvaluator.EvalFile(script, ("module", host))!.AsObject();
    }

    /// <summary>Writes every module of <paramref name="run"/> into <paramref name="directory"/>, hosts' folders included.</summary>
    public static void WriteAll(GeneratorRun run, string directory)
    {
        foreach (var module in run.Modules)
        {
            var file = Path.Combine(directory, module.FileName);
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllText(file, module.Text);
        }
    }

    /// <summary>
    /// Evaluates the host module <paramref name="file"/> against upstream's host option declarations
    /// (Nix/eval-host-with-upstream.nix): its host-wide settings and its VMs, types checked and defaults filled in.
    /// </summary>
    public static JsonObject EvaluateWithUpstream(string file)
    {
        var (microvm, lib) = Upstream.RequirePaths();
        NixEvaluator.Parse(file);
        var script = Path.Combine(RepoPaths.Root, "tests", "MicroVm.Nix.Tests", "Nix", "eval-host-with-upstream.nix");
        return NixEvaluator.EvalFile(script, ("module", Path.GetFullPath(file)), ("microvm", Path.GetFullPath(microvm)), ("nixpkgsLib", Path.GetFullPath(lib)))!.AsObject();
    }
}
