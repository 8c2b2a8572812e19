using System.Linq;

namespace MicroVm.Nix.Tests.Infrastructure;

/// <summary>The dotnet CLI as the tests run it: no node reuse and no shared compiler server, so nothing outlives a test.</summary>
internal static class Dotnet
{
    /// <summary>Runs <c>dotnet &lt;verb&gt; &lt;project&gt;</c> with MSBuild <paramref name="properties"/> (<c>Name=Value</c>).</summary>
    /// <returns>The exit code and everything the command printed.</returns>
    public static (int ExitCode, string Output) Run(string verb, string project, params string[] properties)
    {
        var (exitCode, stdout, stderr) = ProcessRunner.Run("dotnet",
            [verb, project, "-nodeReuse:false", "-p:UseSharedCompilation=false", .. properties.Select(p => "-p:" + p)], RepoPaths.Root);
        return (exitCode, stdout + stderr);
    }
}
