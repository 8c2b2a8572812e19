using MicroVm.Nix.Generator.Model;

namespace MicroVm.Nix.Generator.Emitting;

/// <summary>One generated guest module, or the reason there is none.</summary>
/// <param name="FileName">The file's name inside the output folder, <c>storage.nix</c>.</param>
/// <param name="Text">The Nix text, or <c>null</c> when the VM has errors and no file may be written.</param>
/// <param name="Fleet">What the VM claims on the host, for the checks across all VMs.</param>
/// <param name="Host">What the host module needs of the VM.</param>
internal sealed record ModuleOutput(string FileName, string? Text, FleetFacts Fleet, HostEntry Host);
