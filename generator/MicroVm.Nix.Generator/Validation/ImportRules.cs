using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using MicroVm.Nix.Generator.Diagnostics;
using MicroVm.Nix.Generator.Model;

namespace MicroVm.Nix.Generator.Validation;

/// <summary>
/// Each entry of a VM's <c>Imports</c> names a file (MVN252), as far as the build lets the analyzer see: the
/// <c>.nix</c> files of the project folder and of the output folder, which the package's targets list in the
/// property <c>MicroVmNixFiles</c>. An import that resolves outside both folders (or into bin/ or obj/) is not judged.
/// </summary>
internal sealed class ImportRules
{
    private readonly string _output;
    private readonly string[] _roots;
    private readonly string[] _skipped;
    private readonly HashSet<string> _files;

    private ImportRules(string output, string[] roots, string[] skipped, HashSet<string> files)
    {
        _output = output;
        _roots = roots;
        _skipped = skipped;
        _files = files;
    }

    /// <summary>
    /// The rules for one build, or <c>null</c> when the build says nothing of its folders or files (no package
    /// targets). <paramref name="nixFiles"/> is the targets' list: full paths separated by '|', in which '%',
    /// '|', ';' and '#' are written as %25, %7C, %3B and %23.
    /// </summary>
    public static ImportRules? For(string? outputDirectory, string? projectDirectory, string? nixFiles)
    {
        if (string.IsNullOrWhiteSpace(outputDirectory) || nixFiles is null)
        {
            return null;
        }

        var output = Normalize(outputDirectory!);
        var roots = new List<string> { output };
        var skipped = new List<string>();
        if (!string.IsNullOrWhiteSpace(projectDirectory))
        {
            var project = Normalize(projectDirectory!);
            roots.Add(project);
            skipped.Add(project + "/bin");
            skipped.Add(project + "/obj");
        }

        // Ignoring case: on a file system that ignores it, a name in another case still names the file.
        var files = new HashSet<string>(
            nixFiles.Split(['|'], StringSplitOptions.RemoveEmptyEntries).Select(f => Normalize(Unescape(f.Trim()))),
            StringComparer.OrdinalIgnoreCase);
        return new ImportRules(output, [.. roots], [.. skipped], files);
    }

    /// <summary>MVN252 on each import of <paramref name="vm"/> that resolves inside a scanned folder to no file.</summary>
    public IEnumerable<DiagnosticInfo> Check(BoundRecord vm)
    {
        foreach (var import in (vm.Effective("Imports") as ListValue)?.Items.OfType<StringValue>() ?? [])
        {
            if (!Emitting.NixSyntax.IsRelativePath(import.Value))
            {
                continue;
            }

            // Relative to the generated file: a VM placed on a host is written into the host's folder.
            var folder = vm.Record("Host")?.String("Name") is { Length: > 0 } host ? Path.Combine(_output, host) : _output;
            var resolved = Normalize(Path.Combine(folder, import.Value));
            if (!_roots.Any(r => Inside(resolved, r)) || _skipped.Any(s => Inside(resolved, s)))
            {
                continue;
            }

            // Nix imports a folder as its default.nix.
            if (!_files.Contains(resolved) && !_files.Contains(resolved + "/default.nix"))
            {
                yield return DiagnosticInfo.Create(DiagnosticDescriptors.ImportNamesNoFile, import.Location, import.Value, resolved);
            }
        }
    }

    private static string Unescape(string path) =>
        path.Replace("%7C", "|").Replace("%3B", ";").Replace("%23", "#").Replace("%25", "%");

    private static bool Inside(string path, string root) =>
        path.Equals(root, StringComparison.OrdinalIgnoreCase) || path.StartsWith(root + "/", StringComparison.OrdinalIgnoreCase);

    private static string Normalize(string path) => Path.GetFullPath(path).Replace('\\', '/').TrimEnd('/');
}
