using MicroVm.Nix.Generator.Diagnostics;
using MicroVm.Nix.Generator.Model;

namespace MicroVm.Nix.Generator.Emitting;

/// <summary>One generated Nix file, or the reason there is none.</summary>
/// <param name="FileName">The file's name inside the output folder, <c>storage.nix</c>.</param>
/// <param name="HostName">The VM's host name, which must be unique across the compilation.</param>
/// <param name="Member">The C# member it came from.</param>
/// <param name="Text">The Nix text, or <c>null</c> when the VM has errors and no file may be written.</param>
/// <param name="Location">Where to report fleet-wide problems with this VM.</param>
internal sealed record ModuleOutput(string FileName, string HostName, string Member, string? Text, LocationInfo? Location);
