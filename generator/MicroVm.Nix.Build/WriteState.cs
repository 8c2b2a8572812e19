using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text;

namespace MicroVm.Nix.Build;

/// <summary>
/// What the last write left in the output folder, kept beside the build's intermediate files, so that a build
/// that compiled nothing new (the same assembly, by its module version id) need neither read the modules out of
/// the assembly nor compare every file: it checks that the folder holds the same <c>.nix</c> files, and that each
/// module written has the size and time it was left with. Anything else (an edited, removed or added file,
/// another folder, another assembly) takes the full write, which compares contents.
/// </summary>
internal sealed class WriteState
{
    private const string Format = "MicroVm.Nix write state 1";

    private readonly string _folder;
    private readonly Guid _assembly;
    private readonly string[] _present;
    private readonly (string Name, long Length, long Ticks)[] _modules;

    private WriteState(string folder, Guid assembly, string[] present, (string Name, long Length, long Ticks)[] modules)
    {
        _folder = folder;
        _assembly = assembly;
        _present = present;
        _modules = modules;
    }

    /// <summary>How many modules the last write left (all unchanged when <see cref="Holds"/>).</summary>
    public int Modules => _modules.Length;

    /// <summary>The module version id of the assembly at <paramref name="assemblyPath"/>.</summary>
    public static Guid AssemblyId(string assemblyPath)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        var reader = pe.GetMetadataReader();
        return reader.GetGuid(reader.GetModuleDefinition().Mvid);
    }

    /// <summary>The state after a write of <paramref name="files"/> into <paramref name="folder"/> from the assembly <paramref name="assembly"/>.</summary>
    public static WriteState Capture(string folder, Guid assembly, IEnumerable<GeneratedFile> files)
    {
        var root = Path.GetFullPath(folder);
        var modules = files.Select(f =>
        {
            var info = new FileInfo(NixFileWriter.TargetPath(root, f.FileName));
            return (f.FileName, info.Length, info.LastWriteTimeUtc.Ticks);
        }).ToArray();
        return new WriteState(root, assembly, Present(root), modules);
    }

    /// <summary>Whether the folder is still as this state describes it, for the assembly <paramref name="assembly"/>.</summary>
    public bool Holds(string folder, Guid assembly)
    {
        var root = Path.GetFullPath(folder);
        if (root != _folder || assembly != _assembly || !Present(root).SequenceEqual(_present, StringComparer.Ordinal))
        {
            return false;
        }

        foreach (var (name, length, ticks) in _modules)
        {
            var info = new FileInfo(NixFileWriter.TargetPath(root, name));
            if (!info.Exists || info.Length != length || info.LastWriteTimeUtc.Ticks != ticks)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Reads the state file, or <c>null</c> when there is none or it is not one this version wrote.</summary>
    public static WriteState? Read(string path)
    {
        try
        {
            if (!File.Exists(path))
            {
                return null;
            }

            var lines = File.ReadAllLines(path, Encoding.UTF8);
            if (lines.Length < 4 || lines[0] != Format || !Guid.TryParse(lines[2], out var assembly)
                || !int.TryParse(lines[3], NumberStyles.None, CultureInfo.InvariantCulture, out var present) || lines.Length < 4 + present)
            {
                return null;
            }

            var modules = new List<(string, long, long)>();
            foreach (var line in lines.Skip(4 + present))
            {
                var fields = line.Split('\t');
                if (fields.Length != 3
                    || !long.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var length)
                    || !long.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks))
                {
                    return null;
                }

                modules.Add((fields[0], length, ticks));
            }

            return new WriteState(lines[1], assembly, lines.Skip(4).Take(present).ToArray(), [.. modules]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Writes the state file (the folder's name and the files' names hold no line breaks or tabs, or the state is not kept).</summary>
    public void Save(string path)
    {
        if (_folder.IndexOfAny(['\n', '\r']) >= 0 || _present.Any(p => p.IndexOfAny(['\n', '\r', '\t']) >= 0))
        {
            Forget(path);
            return;
        }

        var text = new StringBuilder()
            .Append(Format).Append('\n')
            .Append(_folder).Append('\n')
            .Append(_assembly.ToString("D")).Append('\n')
            .Append(_present.Length.ToString(CultureInfo.InvariantCulture)).Append('\n');
        foreach (var name in _present)
        {
            text.Append(name).Append('\n');
        }

        foreach (var (name, length, ticks) in _modules)
        {
            text.Append(name).Append('\t').Append(length.ToString(CultureInfo.InvariantCulture)).Append('\t').Append(ticks.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, text.ToString(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
    }

    /// <summary>Removes the state file: the next build takes the full write.</summary>
    public static void Forget(string path)
    {
        if (File.Exists(path))
        {
            File.Delete(path);
        }
    }

    private static string[] Present(string root) =>
        NixFileWriter.NixFiles(root).Select(f => NixFileWriter.InFolder(root, f)).OrderBy(n => n, StringComparer.Ordinal).ToArray();
}
