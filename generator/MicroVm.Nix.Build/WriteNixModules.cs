using System;
using System.IO;
using System.Linq;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace MicroVm.Nix.Build;

/// <summary>
/// MSBuild task run after compile: reads the Nix modules the generator carried in the compiled
/// assembly and brings the output folder in line with them (see <see cref="NixFileWriter"/>), or in
/// check mode fails the build listing every out-of-date file.
/// </summary>
public sealed class WriteNixModules : Task
{
    /// <summary>The compiled assembly to read (the project's intermediate assembly).</summary>
    [Required]
    public string Assembly { get; set; } = string.Empty;

    /// <summary>The folder the modules go to, <c>$(MicroVmNixOutputDir)</c>.</summary>
    [Required]
    public string OutputDirectory { get; set; } = string.Empty;

    /// <summary>Check mode (<c>$(MicroVmNixCheck)</c>): write nothing, fail when the folder is out of date.</summary>
    public bool Check { get; set; }

    /// <summary>
    /// Where to keep what the last write left (in the intermediate folder): a build of the same assembly into an
    /// unchanged folder then skips reading and comparing the modules. Optional; check mode never uses it.
    /// </summary>
    public string? StateFile { get; set; }

    /// <summary>
    /// The project whose modules these are (<c>$(MSBuildProjectFullPath)</c>): the folder's owner, named in its
    /// <c>.microvm-nix</c> file; a folder another existing project owns is refused (MVNB04). Optional.
    /// </summary>
    public string? ProjectFile { get; set; }

    /// <summary>The files created, rewritten or removed by this run.</summary>
    [Output]
    public ITaskItem[] ChangedFiles { get; private set; } = [];

    /// <inheritdoc/>
    public override bool Execute()
    {
        if (!File.Exists(Assembly))
        {
            Log.LogError("MicroVm.Nix: the compiled assembly '{0}' does not exist.", Assembly);
            return false;
        }

        try
        {
            if (!string.IsNullOrEmpty(ProjectFile) && FolderOwner.OtherOwner(OutputDirectory, ProjectFile!) is { } owner)
            {
                Log.LogError(subcategory: null, errorCode: "MVNB04", helpKeyword: null, file: Path.Combine(OutputDirectory, FolderOwner.FileName), lineNumber: 0, columnNumber: 0, endLineNumber: 0, endColumnNumber: 0,
                    message: "MicroVm.Nix: '{0}' holds the modules of '{1}', not of '{2}': one folder has one owner, and this build writes and removes nothing there. Give this project its own MicroVmNixOutputDir.",
                    OutputDirectory, owner, Path.GetFullPath(ProjectFile));
                return false;
            }

            var assemblyId = WriteState.AssemblyId(Assembly);
            if (!Check && !string.IsNullOrEmpty(StateFile) && WriteState.Read(StateFile!) is { } last && last.Holds(OutputDirectory, assemblyId))
            {
                Claim(last.Modules);
                Log.LogMessage(MessageImportance.High, "MicroVm.Nix: {0}: 0 created, 0 updated, 0 removed, {1} unchanged.", OutputDirectory, last.Modules);
                return true;
            }

            var carried = ModuleMetadataReader.ReadAll(Assembly);
            if (!carried.GeneratorRan)
            {
                Log.LogWarning("MicroVm.Nix: the generator did not run for '{0}' (is MicroVm.Nix.Generator referenced as an analyzer?); '{1}' is left as it is.", Assembly, OutputDirectory);
                return true;
            }

            if (carried.Blocked.Count > 0)
            {
                // Only reachable when the errors were suppressed: otherwise compilation failed first.
                Log.LogError(subcategory: null, errorCode: "MVNB02", helpKeyword: null, file: null, lineNumber: 0, columnNumber: 0, endLineNumber: 0, endColumnNumber: 0,
                    message: "MicroVm.Nix: {0} VM(s) have errors, so their modules cannot be generated; '{1}' is left as it is, so that none of their modules is removed or dropped from the host module:{2}{3}",
                    carried.Blocked.Count, OutputDirectory, Environment.NewLine, string.Join(Environment.NewLine, carried.Blocked.Select(b => "  " + b.Member + ": " + b.Reason)));
                return false;
            }

            var result = NixFileWriter.Write(OutputDirectory, carried.Files, Check);
            if (Check)
            {
                if (result.OutOfDate)
                {
                    ReportOutOfDate(result, carried.Files);
                    return false;
                }

                Log.LogMessage(MessageImportance.High, "MicroVm.Nix: the {0} module(s) in {1} are up to date.", carried.Files.Count, OutputDirectory);
                return true;
            }

            var created = new System.Collections.Generic.HashSet<string>(result.Created, StringComparer.Ordinal);
            foreach (var path in result.Written)
            {
                Log.LogMessage(MessageImportance.High, "MicroVm.Nix: {0} {1}", created.Contains(path) ? "created" : "updated", path);
            }

            foreach (var path in result.Removed)
            {
                Log.LogMessage(MessageImportance.High, "MicroVm.Nix: removed {0}, which no VM produces any more", path);
            }

            ChangedFiles = [.. result.Written.Concat(result.Removed).Select(p => (ITaskItem)new TaskItem(p))];
            Claim(carried.Files.Count);

            if (!string.IsNullOrEmpty(StateFile))
            {
                WriteState.Capture(OutputDirectory, assemblyId, carried.Files).Save(StateFile!);
            }

            Log.LogMessage(MessageImportance.High, "MicroVm.Nix: {0}: {1} created, {2} updated, {3} removed, {4} unchanged.",
                OutputDirectory, result.Created.Count, result.Written.Count - result.Created.Count, result.Removed.Count, result.Unchanged.Count);
            return !Log.HasLoggedErrors;
        }
        catch (ForeignFileException e)
        {
            Log.LogError(subcategory: null, errorCode: "MVNB01", helpKeyword: null, file: e.Path, lineNumber: 0, columnNumber: 0, endLineNumber: 0, endColumnNumber: 0, message: "MicroVm.Nix: " + e.Message);
            return false;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or BadImageFormatException)
        {
            Log.LogError("MicroVm.Nix: could not write the Nix modules into '{0}': {1}", OutputDirectory, e.Message);
            return false;
        }
    }

    /// <summary>Names this project as the folder's owner, once it has written modules there.</summary>
    private void Claim(int modules)
    {
        if (!string.IsNullOrEmpty(ProjectFile) && modules > 0)
        {
            FolderOwner.Claim(OutputDirectory, ProjectFile!);
        }
    }

    /// <summary>
    /// Check mode: error MVNB03 on each module that is missing, differs (at its first differing line, with a short
    /// diff) or is no longer generated, then one line saying what to run.
    /// </summary>
    private void ReportOutOfDate(WriteResult result, System.Collections.Generic.IReadOnlyList<GeneratedFile> files)
    {
        var expected = files.ToDictionary(f => Path.GetFullPath(Path.Combine(OutputDirectory, f.FileName)), f => f.Text, StringComparer.Ordinal);
        var created = new System.Collections.Generic.HashSet<string>(result.Created, StringComparer.Ordinal);
        foreach (var path in result.Written)
        {
            if (created.Contains(path))
            {
                Error(path, 0, "is missing: the build generates it", null);
                continue;
            }

            var (line, diff) = ShortDiff.Of(File.ReadAllText(path), expected.TryGetValue(path, out var text) ? text : string.Empty);
            Error(path, line, "differs from what the build generates", diff.Count == 0
                ? "Only the line endings or the encoding differ: the build writes UTF-8 without a byte order mark, with LF line endings."
                : "What differs (- the file, + the build):" + Environment.NewLine + string.Join(Environment.NewLine, diff.Select(d => "  " + d)));
        }

        foreach (var path in result.Removed)
        {
            Error(path, 0, "is no longer generated: no VM produces it, so the build would remove it", null);
        }

        Log.LogMessage(MessageImportance.High, "MicroVm.Nix: the Nix modules in {0} are out of date; run 'dotnet build' without MicroVmNixCheck and commit the result.", OutputDirectory);
    }

    private void Error(string file, int line, string what, string? detail) =>
        Log.LogError(subcategory: null, errorCode: "MVNB03", helpKeyword: null, file: file, lineNumber: line, columnNumber: 0, endLineNumber: 0, endColumnNumber: 0,
            message: "MicroVm.Nix: the module " + NixFileWriter.InFolder(OutputDirectory, file) + " is out of date: it " + what + ". Run 'dotnet build' without MicroVmNixCheck and commit the result."
                + (detail is null ? string.Empty : Environment.NewLine + detail));
}
