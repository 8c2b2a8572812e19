using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;

namespace MicroVm.Nix.Tests.Infrastructure;

/// <summary>
/// The real Nix evaluator (<c>nix-instantiate</c>, Debian package nix-bin), run as a process. Tests
/// that need it fail, never skip, when it is missing: <c>.ci/run</c> installs it.
/// </summary>
internal static class NixEvaluator
{
    private static readonly Lazy<string> Executable = new(() =>
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, "nix-instantiate"))
            .FirstOrDefault(File.Exists);
        return path ?? throw new InvalidOperationException(
            "nix-instantiate is not on PATH. Install Nix (Debian/Ubuntu: 'apt-get install nix-bin'; .ci/run does this) to run the tests that evaluate generated modules.");
    });

    /// <summary>Parses a file with <c>nix-instantiate --parse</c>; throws with Nix's message when it is not valid Nix.</summary>
    public static void Parse(string file) => Run(["--parse", file]);

    /// <summary>Evaluates a file strictly to JSON.</summary>
    /// <param name="file">The Nix file.</param>
    /// <param name="stringArguments">Arguments of the function the file holds, passed with <c>--argstr</c>.</param>
    public static JsonNode? EvalFile(string file, params (string Name, string Value)[] stringArguments) =>
        JsonNode.Parse(Run(["--eval", "--strict", "--json", file, .. stringArguments.SelectMany(a => new[] { "--argstr", a.Name, a.Value })]));

    /// <summary>
    /// <see cref="EvalFile(string, (string Name, string Value)[])"/> for a module that names packages: the stand-ins
    /// (<see cref="PackageStandIns"/>) go to the script as its <c>packages</c> argument and to Nix/stand-in-nixpkgs.nix,
    /// which a module's <c>import pkgs.path { system = …; }</c> loads, in the environment (MICROVM_NIX_STAND_INS).
    /// </summary>
    public static JsonNode? EvalWithStandIns(string file, string moduleText, params (string Name, string Value)[] stringArguments)
    {
        var standIns = PackageStandIns(moduleText).ToJsonString();
        return JsonNode.Parse(Run(
            ["--eval", "--strict", "--json", file, .. stringArguments.Append((Name: "packages", Value: standIns)).SelectMany(a => new[] { "--argstr", a.Name, a.Value })],
            new Dictionary<string, string> { ["MICROVM_NIX_STAND_INS"] = standIns }));
    }

    /// <summary>Evaluates an expression strictly to JSON.</summary>
    public static JsonNode? EvalExpression(string expression) => JsonNode.Parse(Run(["--eval", "--strict", "--json", "-E", expression]));

    /// <summary>
    /// Writes <paramref name="text"/> to a temporary file, checks that it parses, and evaluates it:
    /// the two checks every generated module goes through.
    /// </summary>
    public static JsonNode? ParseAndEval(string text, string fileName = "module.nix")
    {
        var dir = Directory.CreateTempSubdirectory("microvm-nix-");
        try
        {
            var file = Path.Combine(dir.FullName, fileName);
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllText(file, text);
            Parse(file);
            return EvalModule(file);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    /// <summary>
    /// Evaluates a module file; module paths in its <c>imports</c> come back as strings relative to
    /// the module's folder (<c>./common.nix</c>), the way the C# record holds them.
    /// </summary>
    public static JsonNode? EvalModule(string file)
    {
        var script = Path.Combine(RepoPaths.Root, "tests", "MicroVm.Nix.Tests", "Nix", "eval-module.nix");
        var result = EvalWithStandIns(script, File.ReadAllText(file), ("module", Path.GetFullPath(file)));
        if (result is JsonObject module && module["imports"] is JsonArray imports)
        {
            var dir = Path.GetDirectoryName(Path.GetFullPath(file))!;
            for (var i = 0; i < imports.Count; i++)
            {
                if (imports[i] is JsonObject { Count: 1 } item && item["path"] is JsonValue path)
                {
                    imports[i] = RelativeModulePath(dir, (string)path!);
                }
            }
        }

        return result;
    }

    /// <summary>
    /// Stand-ins for the packages a module names (<c>pkgs.qemu_kvm</c>, <c>config.microvm.vmHostPackages.crosvm</c>):
    /// each becomes the string <c>"&lt;set&gt;:&lt;attribute path&gt;"</c> in a set of its own, as
    /// <see cref="PackageMarker"/> writes the C# value, so the evaluated module shows what it reads.
    /// </summary>
    public static System.Text.Json.Nodes.JsonObject PackageStandIns(string moduleText)
    {
        var sets = new System.Text.Json.Nodes.JsonObject();
        foreach (System.Text.RegularExpressions.Match match in PackageReference.Matches(moduleText))
        {
            var set = match.Groups[1].Value == "pkgs" ? "pkgs" : "vmHostPackages";
            var names = Generator.Emitting.NixSyntax.ParseAttrPath(match.Groups[2].Value, out _) ?? throw new AssertionException("Not an attribute path: " + match.Value);
            var node = (sets[set] ??= new System.Text.Json.Nodes.JsonObject()).AsObject();
            foreach (var name in names.Take(names.Count - 1))
            {
                node = (node[name] ??= new System.Text.Json.Nodes.JsonObject()).AsObject();
            }

            node[names[^1]] = set + ":" + Generator.Emitting.NixSyntax.AttrPath(names);
        }

        // A package set for another system (VirtualMachine.VmHostPackages): the module sets microvm.vmHostPackages itself.
        if (moduleText.Contains("import pkgs.path {", StringComparison.Ordinal))
        {
            sets["nixpkgs"] = true;
        }

        return sets;
    }

    /// <summary>How a package reads once evaluated with <see cref="PackageStandIns"/>: <c>pkgs:linuxPackages.kernel</c>.</summary>
    public static string PackageMarker(string packageSet, string attributePath) =>
        (packageSet == Generator.Schema.MicroVmSchema.HostPackages ? "vmHostPackages" : "pkgs") + ":"
        + Generator.Emitting.NixSyntax.AttrPath(Generator.Emitting.NixSyntax.ParseAttrPath(attributePath, out _)!);

    private static readonly System.Text.RegularExpressions.Regex PackageReference = new(
        @"(?<![A-Za-z0-9_'.-])(config\.microvm\.vmHostPackages|pkgs)\.(?!path\b)((?:[A-Za-z_][A-Za-z0-9_'-]*|""(?:[^""\\]|\\.)*"")(?:\.(?:[A-Za-z_][A-Za-z0-9_'-]*|""(?:[^""\\]|\\.)*""))*)");

    /// <summary>A path as a relative Nix path from <paramref name="dir"/>: <c>./x.nix</c> or <c>../x.nix</c>.</summary>
    public static string RelativeModulePath(string dir, string absolute)
    {
        var relative = Path.GetRelativePath(dir, absolute).Replace('\\', '/');
        return relative.StartsWith("../", StringComparison.Ordinal) ? relative : "./" + relative;
    }

    private static string Run(IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var (exitCode, stdout, stderr) = ProcessRunner.Run(Executable.Value, arguments, environment: environment);
        if (exitCode != 0)
        {
            throw new AssertionException("nix-instantiate " + string.Join(" ", arguments) + " failed (" + exitCode + "): " + stderr);
        }

        return stdout;
    }
}
