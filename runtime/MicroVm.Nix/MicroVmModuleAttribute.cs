using System;

namespace MicroVm.Nix;

/// <summary>
/// Marks a <c>static</c> field or property whose value is a <see cref="VirtualMachine"/>: at build time
/// MicroVm.Nix writes a NixOS guest module for it (<c>&lt;HostName&gt;.nix</c>) into the project's
/// Nix output folder (<c>$(MicroVmNixOutputDir)</c>, by default <c>nix/</c>). On a <see cref="Host"/> (or a
/// list of them) it declares the host: it gets its folder and its <c>fleet.nix</c> entry whether or not VMs are
/// placed on it, so that a host whose last VM moves away is still deployed, without that VM.
/// </summary>
/// <remarks>
/// The value is read from source code, never run: write it with literals, constants, enum members,
/// <c>new</c> expressions with initializers, collection expressions, <c>with</c> expressions and
/// references to other <c>const</c> or <c>static readonly</c> members of the same project.
/// Anything else (a method call, a value read at run time) is reported as a diagnostic on that expression.
/// </remarks>
/// <example>
/// <code>
/// public static class Fleet
/// {
///     [MicroVmModule]
///     public static readonly VirtualMachine Storage = new() { HostName = "storage", Mem = 4096 };
/// }
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class MicroVmModuleAttribute : Attribute
{
}
