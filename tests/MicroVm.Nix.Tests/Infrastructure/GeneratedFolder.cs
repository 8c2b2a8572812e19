using System;
using System.IO;
using System.Linq;

namespace MicroVm.Nix.Tests.Infrastructure;

/// <summary>A committed folder of generated modules against a fresh build of its project into another folder.</summary>
internal static class GeneratedFolder
{
    /// <summary>
    /// The same files (hosts' folders included), byte for byte, but for the owner file (<c>.microvm-nix</c>), which names the project relative to
    /// its folder and so differs in a folder elsewhere: the committed one must name <paramref name="projectFile"/> beside it.
    /// </summary>
    public static void AssertSame(string fresh, string committed, string projectFile, string otherwise)
    {
        // Every file, in hosts' folders too, by its path in the folder.
        static string[] Modules(string folder) =>
            [.. Directory.GetFiles(folder, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(folder, f).Replace('\\', '/')).Where(f => f != ".microvm-nix").Order(StringComparer.Ordinal)];

        Assert.That(Modules(fresh), Is.EqualTo(Modules(committed)), "the same files: " + otherwise);
        Assert.That(Modules(fresh), Is.Not.Empty);
        foreach (var file in Modules(fresh))
        {
            Assert.That(File.ReadAllBytes(Path.Combine(fresh, file)), Is.EqualTo(File.ReadAllBytes(Path.Combine(committed, file))), file + ": " + otherwise);
        }

        Assert.That(File.ReadAllText(Path.Combine(committed, ".microvm-nix")), Does.Contain("\nproject = ../" + projectFile + "\n"), "the committed folder names its project: " + otherwise);
    }
}
