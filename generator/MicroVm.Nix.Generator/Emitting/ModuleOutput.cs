using MicroVm.Nix.Generator.Model;

namespace MicroVm.Nix.Generator.Emitting;

/// <summary>One VM's guest module, or why there is none.</summary>
/// <param name="Member">The C# member, <c>Fleet.Storage</c>.</param>
/// <param name="FileName">The file's name inside the output folder, <c>storage.nix</c>; <c>null</c> when the VM could not be read.</param>
/// <param name="Text">The Nix text, or <c>null</c> when the VM has errors and no file may be written.</param>
/// <param name="Error">The VM's first error, when it has one.</param>
/// <param name="Fleet">What the VM claims on the host, for the checks across all VMs; <c>null</c> when it could not be read.</param>
/// <param name="Host">What the host module needs of the VM; <c>null</c> when it could not be read.</param>
internal sealed record ModuleOutput(string Member, string? FileName, string? Text, string? Error, FleetFacts? Fleet, HostEntry? Host)
{
    /// <summary>Unique in the compilation (<see cref="Model.VmParseResult.Key"/>): names the VM's generated C# file.</summary>
    public string Key { get; init; } = string.Empty;

    /// <summary>What the index of all modules needs of this one: everything but its text.</summary>
    public ModuleIndexEntry ToIndexEntry() => new(Member, FileName, Text is not null, Error, Fleet, Host);
}

/// <summary>
/// One VM as the index of all modules sees it (the host module, the device map, the blocked list):
/// everything but the module's text, so that a change of one module's text leaves the index as it is.
/// </summary>
internal sealed record ModuleIndexEntry(string Member, string? FileName, bool HasText, string? Error, FleetFacts? Fleet, HostEntry? Host);
