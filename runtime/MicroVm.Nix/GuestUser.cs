using System.Collections.Generic;

namespace MicroVm.Nix;

/// <summary>
/// An account in the guest (NixOS <c>users.users.&lt;Name&gt;</c>). Any name but <c>root</c> is a normal
/// login user (<c>isNormalUser = true</c>: a home in <c>/home/&lt;Name&gt;</c>, the group <c>users</c>, the
/// default shell); <c>root</c> is NixOS's own root account, to which keys, groups and a password are added.
/// </summary>
/// <example><c>Users = [new() { Name = "admin", Groups = ["wheel"], AuthorizedKeys = ["ssh-ed25519 AAAAC3Nza… admin@laptop"] }]</c>, with <see cref="VirtualMachine.SshServer"/> on.</example>
public sealed record GuestUser
{
    /// <summary>
    /// The account's name (the attribute name under <c>users.users</c>): letters, digits, <c>_</c>, <c>.</c>
    /// and <c>-</c>, not starting with <c>-</c>, at most 31 characters, as NixOS's assertions require.
    /// </summary>
    public required string Name { get; init; }

    /// <summary>Groups the user is also a member of (NixOS <c>extraGroups</c>), such as <c>"wheel"</c> for sudo.</summary>
    public IReadOnlyList<string> Groups { get; init; } = [];

    /// <summary>
    /// A password hash for console and password logins (NixOS <c>hashedPassword</c>), as <c>mkpasswd</c> prints it
    /// (<c>$y$…</c>, <c>$6$…</c>); never the password itself. <c>null</c> (the default) allows no password login.
    /// The hash is readable by anyone in the Nix store.
    /// </summary>
    public string? HashedPassword { get; init; }

    /// <summary>
    /// OpenSSH public keys that may log in as this user (NixOS <c>openssh.authorizedKeys.keys</c>), each one line
    /// as in a <c>.pub</c> file: <c>ssh-ed25519 AAAA… comment</c>. Needs an SSH server in the guest:
    /// <see cref="VirtualMachine.SshServer"/> or <see cref="VirtualMachine.VsockSshEnable"/>.
    /// </summary>
    public IReadOnlyList<string> AuthorizedKeys { get; init; } = [];
}
