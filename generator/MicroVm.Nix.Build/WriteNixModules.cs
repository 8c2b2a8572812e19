using System;
using System.IO;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace MicroVm.Nix.Build;

/// <summary>
/// MSBuild task run after compile: reads the Nix modules the generator carried in the compiled
/// assembly and writes them into the output folder, rewriting only files whose content changed.
/// </summary>
public sealed class WriteNixModules : Task
{
    /// <summary>The compiled assembly to read (the project's intermediate assembly).</summary>
    [Required]
    public string Assembly { get; set; } = string.Empty;

    /// <summary>The folder the modules go to, <c>$(MicroVmNixOutputDir)</c>.</summary>
    [Required]
    public string OutputDirectory { get; set; } = string.Empty;

    /// <summary>The files created or rewritten by this run.</summary>
    [Output]
    public ITaskItem[] WrittenFiles { get; private set; } = [];

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
            var files = ModuleMetadataReader.Read(Assembly);
            var result = NixFileWriter.Write(OutputDirectory, files);
            foreach (var path in result.Written)
            {
                Log.LogMessage(MessageImportance.High, "MicroVm.Nix: wrote {0}", path);
            }

            WrittenFiles = Array.ConvertAll(result.Written is string[] array ? array : [.. result.Written], p => (ITaskItem)new TaskItem(p));
            Log.LogMessage(MessageImportance.Normal, "MicroVm.Nix: {0} module(s) in {1}, {2} unchanged.", files.Count, OutputDirectory, result.Unchanged.Count);
            return !Log.HasLoggedErrors;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or BadImageFormatException)
        {
            Log.LogError("MicroVm.Nix: could not write the Nix modules into '{0}': {1}", OutputDirectory, e.Message);
            return false;
        }
    }
}
