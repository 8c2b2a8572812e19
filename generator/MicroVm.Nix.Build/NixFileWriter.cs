using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace MicroVm.Nix.Build;

/// <summary>What <see cref="NixFileWriter.Write"/> did.</summary>
/// <param name="Written">Files created or rewritten because their content changed.</param>
/// <param name="Unchanged">Files whose content was already right, left untouched.</param>
public sealed record WriteResult(IReadOnlyList<string> Written, IReadOnlyList<string> Unchanged);

/// <summary>
/// Writes generated files into the output folder: only when their content changed (timestamps of
/// unchanged files stay, so nothing downstream rebuilds), through a temporary file and a rename so
/// a reader never sees half a file, and never outside the folder.
/// </summary>
public static class NixFileWriter
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Writes <paramref name="files"/> into <paramref name="outputDirectory"/>.</summary>
    /// <param name="outputDirectory">The folder, created when missing.</param>
    /// <param name="files">The files; each name must be a bare file name.</param>
    /// <exception cref="ArgumentException">A file name is empty, has a path separator or is <c>.</c>/<c>..</c>.</exception>
    public static WriteResult Write(string outputDirectory, IReadOnlyList<GeneratedFile> files)
    {
        var root = Path.GetFullPath(outputDirectory);
        var written = new List<string>();
        var unchanged = new List<string>();
        foreach (var file in files)
        {
            var target = TargetPath(root, file.FileName);
            var bytes = Utf8NoBom.GetBytes(file.Text);
            if (File.Exists(target) && Same(target, bytes))
            {
                unchanged.Add(target);
                continue;
            }

            Directory.CreateDirectory(root);
            var temporary = Path.Combine(root, "." + file.FileName + "." + Guid.NewGuid().ToString("N") + ".tmp");
            try
            {
                File.WriteAllBytes(temporary, bytes);
                if (File.Exists(target))
                {
                    File.Replace(temporary, target, destinationBackupFileName: null);
                }
                else
                {
                    File.Move(temporary, target);
                }
            }
            finally
            {
                if (File.Exists(temporary))
                {
                    File.Delete(temporary);
                }
            }

            written.Add(target);
        }

        return new WriteResult(written, unchanged);
    }

    /// <summary>The full path of <paramref name="fileName"/> inside <paramref name="root"/>; refuses any name that would leave it.</summary>
    internal static string TargetPath(string root, string fileName)
    {
        if (fileName.Length == 0 || fileName is "." or ".." || fileName.IndexOfAny(['/', '\\', '\0']) >= 0 || Path.IsPathRooted(fileName))
        {
            throw new ArgumentException("Refusing to write '" + fileName + "': generated file names must be bare names inside the output folder.", nameof(fileName));
        }

        return Path.Combine(root, fileName);
    }

    private static bool Same(string path, byte[] bytes)
    {
        var info = new FileInfo(path);
        if (info.Length != bytes.Length)
        {
            return false;
        }

        var existing = File.ReadAllBytes(path);
        for (var i = 0; i < existing.Length; i++)
        {
            if (existing[i] != bytes[i])
            {
                return false;
            }
        }

        return true;
    }
}
