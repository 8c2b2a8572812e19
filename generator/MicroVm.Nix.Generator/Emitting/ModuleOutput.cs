using MicroVm.Nix.Generator.Model;

namespace MicroVm.Nix.Generator.Emitting;

/// <summary>One VM's guest module, or why there is none.</summary>
/// <param name="Member">The C# member, <c>Fleet.Storage</c>.</param>
/// <param name="FileName">The file's name inside the output folder, <c>storage.nix</c>; <c>null</c> when the VM could not be read.</param>
/// <param name="Text">The Nix text, or <c>null</c> when the VM has errors and no file may be written.</param>
/// <param name="Error">The VM's first error, when it has one.</param>
/// <param name="Fleet">What the VM claims on the host, for the checks across all VMs; <c>null</c> when it could not be read.</param>
/// <param name="Host">What the host module needs of the VM; <c>null</c> when it could not be read.</param>
internal sealed record ModuleOutput(string Member, string? FileName, string? Text, string? Error, FleetFacts? Fleet, HostEntry? Host);
