using System.Collections.Generic;

namespace MicroVm.Nix;

/// <summary>A host directory tree shared into the guest (one entry of upstream's <c>microvm.shares</c>).</summary>
public sealed record Share
{
    /// <summary>Unique tag of the share (upstream <c>tag</c>, no default).</summary>
    /// <remarks>Upstream's description of <c>microvm.shares.*.tag</c> (microvm.nix 71beea0): Unique virtiofs daemon
    /// tag</remarks>
    public required string Tag { get; init; }

    /// <summary>
    /// Socket for communication with the virtiofs daemon (upstream <c>socket</c>). Leave unset for
    /// upstream's default, <c>&lt;hostName&gt;-virtiofs-&lt;tag&gt;.sock</c> for virtiofs shares; a
    /// virtiofs share must not set it to <c>null</c>.
    /// </summary>
    /// <remarks>Upstream's description of <c>microvm.shares.*.socket</c> (microvm.nix 71beea0): Socket for
    /// communication with virtiofs daemon</remarks>
    public string? Socket { get; init; }

    /// <summary>Path to the shared directory tree on the host (upstream <c>source</c>, no default, not empty).</summary>
    /// <remarks>Upstream's description of <c>microvm.shares.*.source</c> (microvm.nix 71beea0): Path to shared
    /// directory tree</remarks>
    public required string Source { get; init; }

    /// <summary>What security model to use for the shared directory (upstream <c>securityModel</c>, default <c>"none"</c>).</summary>
    /// <remarks>Upstream's description of <c>microvm.shares.*.securityModel</c> (microvm.nix 71beea0): What security
    /// model to use for the shared directory</remarks>
    public SecurityModel SecurityModel { get; init; } = SecurityModel.None;

    /// <summary>Where to mount the share inside the guest (upstream <c>mountPoint</c>, no default): an absolute path.</summary>
    /// <remarks>Upstream's description of <c>microvm.shares.*.mountPoint</c> (microvm.nix 71beea0): Where to mount the
    /// share inside the container</remarks>
    public required string MountPoint { get; init; }

    /// <summary>Protocol for this share (upstream <c>proto</c>, default <c>"9p"</c>).</summary>
    /// <remarks>Upstream's description of <c>microvm.shares.*.proto</c> (microvm.nix 71beea0): Protocol for this
    /// share</remarks>
    public ShareProtocol Proto { get; init; } = ShareProtocol.NineP;

    /// <summary>Turn off write access (upstream <c>readOnly</c>, default <c>false</c>).</summary>
    /// <remarks>Upstream's description of <c>microvm.shares.*.readOnly</c> (microvm.nix 71beea0): Turn off write
    /// access</remarks>
    public bool ReadOnly { get; init; }

    /// <summary>Virtiofs caching policy, ignored for 9p (upstream <c>cache</c>, default <c>"auto"</c>).</summary>
    /// <remarks>Upstream's description of <c>microvm.shares.*.cache</c> (microvm.nix 71beea0): Virtiofs caching policy
    /// for the file system, ignored when 9p is used</remarks>
    public ShareCache Cache { get; init; } = ShareCache.Auto;

    /// <summary>Pass <c>--posix-acl --xattr</c> to virtiofsd (upstream <c>posixAcl</c>, default <c>true</c>); turn it off to use <c>--translate-uid/gid</c>.</summary>
    /// <remarks>Upstream's description of <c>microvm.shares.*.posixAcl</c> (microvm.nix 71beea0): Pass <c>--posix-acl
    /// --xattr</c> to virtiofsd. Disable when using <c>--translate-uid</c>/<c>--translate-gid</c> (asserted to be
    /// mutually exclusive with <c>--posix-acl</c>, see asserts.nix).</remarks>
    public bool PosixAcl { get; init; } = true;

    /// <summary>Extra arguments passed to virtiofsd for this share (upstream <c>extraArgs</c>, default empty).</summary>
    /// <remarks>Upstream's description of <c>microvm.shares.*.extraArgs</c> (microvm.nix 71beea0): Extra arguments
    /// passed to virtiofsd for this share.</remarks>
    public IReadOnlyList<string> ExtraArgs { get; init; } = [];
}
