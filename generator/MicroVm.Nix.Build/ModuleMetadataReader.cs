using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace MicroVm.Nix.Build;

/// <summary>One file the generator produced: its name inside the output folder and its text.</summary>
/// <param name="FileName">A bare file name such as <c>storage.nix</c>.</param>
/// <param name="Text">The file's content.</param>
public sealed record GeneratedFile(string FileName, string Text);

/// <summary>What a compiled assembly carries: whether the generator ran for it, and the files it produced.</summary>
/// <param name="GeneratorRan">The generator's marker is present (it runs even when there is no VM).</param>
/// <param name="Files">The generated files.</param>
/// <param name="Blocked">VMs with errors, whose modules could not be generated, with their first error.</param>
public sealed record CarriedModules(bool GeneratorRan, IReadOnlyList<GeneratedFile> Files, IReadOnlyList<(string Member, string Reason)> Blocked);

/// <summary>
/// Reads the <c>[assembly: AssemblyMetadata("MicroVm.Nix.Module:&lt;file&gt;", "&lt;text&gt;")]</c>
/// attributes the generator emitted, from the compiled assembly, without loading it.
/// </summary>
public static class ModuleMetadataReader
{
    /// <summary>The key prefix the generator uses (MicroVmModuleGenerator.ModuleMetadataPrefix).</summary>
    public const string Prefix = "MicroVm.Nix.Module:";

    /// <summary>The key prefix of VMs that could not be generated (MicroVmModuleGenerator.BlockedMetadataPrefix).</summary>
    public const string BlockedPrefix = "MicroVm.Nix.Blocked:";

    /// <summary>The key prefix of modules carried but not to be written (MicroVmModuleGenerator.WithheldMetadataPrefix).</summary>
    public const string WithheldPrefix = "MicroVm.Nix.Withheld:";

    /// <summary>The key of the generator's marker (MicroVmModuleGenerator.MarkerKey).</summary>
    public const string Marker = "MicroVm.Nix.Generator";

    /// <summary>Every generated file carried by the assembly at <paramref name="assemblyPath"/>, in the order emitted.</summary>
    /// <param name="assemblyPath">The compiled assembly (the intermediate assembly of the project).</param>
    public static IReadOnlyList<GeneratedFile> Read(string assemblyPath) => ReadAll(assemblyPath).Files;

    /// <summary>The generator's marker and every generated file carried by the assembly at <paramref name="assemblyPath"/>.</summary>
    /// <param name="assemblyPath">The compiled assembly.</param>
    public static CarriedModules ReadAll(string assemblyPath)
    {
        using var stream = File.OpenRead(assemblyPath);
        return ReadAll(stream);
    }

    /// <summary>Every generated file carried by the assembly image in <paramref name="assembly"/>.</summary>
    /// <param name="assembly">A readable, seekable stream holding a compiled assembly.</param>
    public static IReadOnlyList<GeneratedFile> Read(Stream assembly) => ReadAll(assembly).Files;

    /// <summary>The generator's marker and every generated file carried by the assembly image in <paramref name="assembly"/>.</summary>
    /// <param name="assembly">A readable, seekable stream holding a compiled assembly.</param>
    public static CarriedModules ReadAll(Stream assembly)
    {
        var ran = false;
        var blocked = new List<(string, string)>();
        using var pe = new PEReader(assembly, PEStreamOptions.LeaveOpen);
        var reader = pe.GetMetadataReader();
        var files = new List<GeneratedFile>();
        var withheld = new HashSet<string>(StringComparer.Ordinal);
        foreach (var handle in reader.GetAssemblyDefinition().GetCustomAttributes())
        {
            var attribute = reader.GetCustomAttribute(handle);
            if (!IsAssemblyMetadataAttribute(reader, attribute))
            {
                continue;
            }

            var blob = reader.GetBlobReader(attribute.Value);
            if (blob.ReadUInt16() != 1)
            {
                continue;
            }

            var key = blob.ReadSerializedString();
            var value = blob.ReadSerializedString();
            if (key is not null && value is not null && key.StartsWith(Prefix, StringComparison.Ordinal))
            {
                files.Add(new GeneratedFile(key.Substring(Prefix.Length), value));
            }
            else if (key is not null && value is not null && key.StartsWith(BlockedPrefix, StringComparison.Ordinal))
            {
                blocked.Add((key.Substring(BlockedPrefix.Length), value));
            }
            else if (key is not null && key.StartsWith(WithheldPrefix, StringComparison.Ordinal))
            {
                withheld.Add(key.Substring(WithheldPrefix.Length));
            }
            else if (key == Marker)
            {
                ran = true;
            }
        }

        // One file per name, in name order: modules travel in files of their own, in no set order.
        var written = files.Where(f => !withheld.Contains(f.FileName)).OrderBy(f => f.FileName, StringComparer.Ordinal).ToList();
        return new CarriedModules(ran, written, blocked);
    }

    private static bool IsAssemblyMetadataAttribute(MetadataReader reader, CustomAttribute attribute)
    {
        EntityHandle type;
        switch (attribute.Constructor.Kind)
        {
            case HandleKind.MemberReference:
                type = reader.GetMemberReference((MemberReferenceHandle)attribute.Constructor).Parent;
                break;
            case HandleKind.MethodDefinition:
                type = reader.GetMethodDefinition((MethodDefinitionHandle)attribute.Constructor).GetDeclaringType();
                break;
            default:
                return false;
        }

        return type.Kind switch
        {
            HandleKind.TypeReference => Is(reader, reader.GetTypeReference((TypeReferenceHandle)type).Namespace, reader.GetTypeReference((TypeReferenceHandle)type).Name),
            HandleKind.TypeDefinition => Is(reader, reader.GetTypeDefinition((TypeDefinitionHandle)type).Namespace, reader.GetTypeDefinition((TypeDefinitionHandle)type).Name),
            _ => false,
        };
    }

    private static bool Is(MetadataReader reader, StringHandle ns, StringHandle name) =>
        reader.StringComparer.Equals(ns, "System.Reflection") && reader.StringComparer.Equals(name, "AssemblyMetadataAttribute");
}
