using System;
using System.IO;
using System.Linq;
using System.Text;

namespace MicroVm.Nix.Build;

/// <summary>
/// One output folder has one owner: the first project whose build writes it names itself in the folder's
/// <c>.microvm-nix</c> file (its project file, relative to the folder, so that the file reads the same on every
/// machine). Another project's build then refuses the folder (MVNB04) instead of taking the owner's modules for
/// stale ones and removing them. A folder whose owner no longer exists (moved, renamed) is taken over.
/// </summary>
public static class FolderOwner
{
    /// <summary>The file in the output folder that names its owner.</summary>
    public const string FileName = ".microvm-nix";

    private const string Key = "project = ";

    /// <summary>
    /// The project that owns <paramref name="outputDirectory"/>, when it is another one than <paramref name="projectFile"/>
    /// and still exists; otherwise <c>null</c> (the folder is this project's, or nobody's).
    /// </summary>
    public static string? OtherOwner(string outputDirectory, string projectFile)
    {
        var owner = Owner(outputDirectory);
        if (owner is null)
        {
            return null;
        }

        var ownerFile = Path.GetFullPath(Path.Combine(outputDirectory, owner));
        return !SamePath(ownerFile, Path.GetFullPath(projectFile)) && File.Exists(ownerFile) ? ownerFile : null;
    }

    /// <summary>Names <paramref name="projectFile"/> as the owner of <paramref name="outputDirectory"/>, unless it already is.</summary>
    public static void Claim(string outputDirectory, string projectFile)
    {
        var relative = Relative(Path.GetFullPath(outputDirectory), Path.GetFullPath(projectFile));
        if (Owner(outputDirectory) == relative)
        {
            return;
        }

        Directory.CreateDirectory(outputDirectory);
        var text = "# MicroVm.Nix: the modules in this folder are generated from the project below; another project's build will not write here.\n"
            + Key + relative + "\n";
        File.WriteAllText(Path.Combine(outputDirectory, FileName), text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
    }

    /// <summary>The owner the folder names (a path relative to the folder), or <c>null</c>.</summary>
    private static string? Owner(string outputDirectory)
    {
        var path = Path.Combine(outputDirectory, FileName);
        if (!File.Exists(path))
        {
            return null;
        }

        return File.ReadAllLines(path).Where(l => l.StartsWith(Key, StringComparison.Ordinal)).Select(l => l.Substring(Key.Length).Trim()).FirstOrDefault(l => l.Length > 0);
    }

    /// <summary><paramref name="path"/> relative to <paramref name="folder"/>, with '/' separators.</summary>
    private static string Relative(string folder, string path)
    {
        var from = folder.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar).Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
        var to = path.Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
        var common = 0;
        while (common < from.Length && common < to.Length && string.Equals(from[common], to[common], StringComparison.Ordinal))
        {
            common++;
        }

        if (common == 0)
        {
            return path.Replace('\\', '/'); // another drive: nothing relative
        }

        return string.Join("/", Enumerable.Repeat("..", from.Length - common).Concat(to.Skip(common)));
    }

    private static bool SamePath(string a, string b) =>
        string.Equals(a, b, Path.DirectorySeparatorChar == '\\' ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
}
