using System.IO;

namespace MicroVm.Nix.Tests.Infrastructure;

/// <summary>
/// A C# project in a temporary folder that uses the in-repo generator, runtime and build task the way examples/
/// does (their Directory.Build.props and .targets imported): a user's project, built with <c>dotnet build</c>.
/// </summary>
internal static class TempProject
{
    /// <summary>Creates the folder with <c>Lab.csproj</c> and the imports; returns the folder.</summary>
    /// <param name="prefix">The temporary folder's name prefix.</param>
    public static string Create(string prefix)
    {
        var project = Directory.CreateTempSubdirectory(prefix).FullName;
        var examples = RepoPaths.Example(string.Empty);
        File.WriteAllText(Path.Combine(project, "Directory.Build.props"), $"<Project><Import Project=\"{Path.Combine(examples, "Directory.Build.props")}\" /></Project>");
        File.WriteAllText(Path.Combine(project, "Directory.Build.targets"), $"<Project><Import Project=\"{Path.Combine(examples, "Directory.Build.targets")}\" /></Project>");
        File.WriteAllText(Path.Combine(project, "Lab.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
              </PropertyGroup>
            </Project>
            """);
        return project;
    }
}
