using System;
using System.Collections.Generic;
using System.IO;

namespace MicroVm.Nix.Tests.Infrastructure;

/// <summary>The <c>microvm-nix</c> tool built beside the tests, run as users run it (<c>dotnet microvm-nix.dll …</c>).</summary>
internal static class CliTool
{
    /// <summary>The tool's assembly, of the configuration the tests were built in.</summary>
    public static string Path
    {
        get
        {
            var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(System.IO.Path.DirectorySeparatorChar)).Parent!.Name;
            return System.IO.Path.Combine(RepoPaths.Root, "generator", "MicroVm.Nix.Cli", "bin", configuration, "net10.0", "microvm-nix.dll");
        }
    }

    /// <summary>Runs the tool with <paramref name="args"/> in <paramref name="workingDirectory"/>.</summary>
    public static (int ExitCode, string Stdout, string Stderr) Run(string workingDirectory, params IEnumerable<string> args) =>
        ProcessRunner.Run("dotnet", [Path, .. args], workingDirectory);
}
