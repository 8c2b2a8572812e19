using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using MicroVm.Nix.Generator.Diagnostics;
using MicroVm.Nix.Generator.Model;

namespace MicroVm.Nix.Generator.Validation;

/// <summary>
/// The guest's accounts, checked as NixOS checks them (nixos/modules/config/users-groups.nix: its
/// assertions and warnings, the passwd-entry and single-line string types) and as OpenSSH reads an
/// authorized key, so that a key or hash that would lock a user out is an error here, not on the host.
/// </summary>
internal static class UserRules
{
    /// <summary>NixOS's assertion on user names, mirroring shadow's is_valid_name.</summary>
    private static readonly Regex ValidName = new(@"^[a-zA-Z0-9_.][a-zA-Z0-9_.-]*\z", RegexOptions.CultureInvariant);

    /// <summary>NixOS's warning on password hashes: a subset of the Modular Crypt Format.</summary>
    private static readonly Regex CryptHash = new(
        @"^\$(y|gy|7|2b|2y|2a|6|5|1|md5|sha1)(\$[a-z0-9-]+(=[a-zA-Z0-9/+.-]+)?(,[a-z0-9-]+=[a-zA-Z0-9/+.-]+)*)?\$[a-zA-Z0-9./]+\$[a-zA-Z0-9./]+(\$[a-zA-Z0-9./]+)?\z",
        RegexOptions.CultureInvariant);

    /// <summary>The key types OpenSSH's sshd accepts in authorized_keys.</summary>
    private static readonly string[] KeyTypes =
    [
        "ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521",
        "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com", "ssh-dss",
        "ssh-ed25519-cert-v01@openssh.com", "ssh-rsa-cert-v01@openssh.com", "ecdsa-sha2-nistp256-cert-v01@openssh.com",
        "ecdsa-sha2-nistp384-cert-v01@openssh.com", "ecdsa-sha2-nistp521-cert-v01@openssh.com",
        "sk-ssh-ed25519-cert-v01@openssh.com", "sk-ecdsa-sha2-nistp256-cert-v01@openssh.com",
    ];

    public static void Validate(BoundRecord vm, List<DiagnosticInfo> diagnostics)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        StringValue? firstKey = null;
        foreach (var user in vm.Records("Users"))
        {
            var name = user.String("Name") ?? string.Empty;
            if (!names.Add(name))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateUser, user.LocationOf("Name"), name));
            }

            if (NameProblem(name) is { } nameProblem)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidAccountName, user.LocationOf("Name"), "User name", name, nameProblem));
            }

            foreach (var group in Strings(user, "Groups"))
            {
                if (NameProblem(group.Value) is { } groupProblem)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidAccountName, group.Location, "Group name", group.Value, groupProblem));
                }
            }

            if (user.Explicit("HashedPassword") is StringValue hash)
            {
                if (hash.Value.IndexOfAny([':', '\n']) >= 0)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.PasswordHashBreaksShadow, hash.Location, name, hash.Value.IndexOf(':') >= 0 ? "':'" : "a line break"));
                }
                else if (hash.Value is not ("" or "!" or "!!" or "*") && !CryptHash.IsMatch(hash.Value))
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.PasswordHashNotCrypt, hash.Location, name));
                }
            }

            foreach (var key in Strings(user, "AuthorizedKeys"))
            {
                firstKey ??= key;
                if (KeyProblem(key.Value) is { } keyProblem)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidAuthorizedKey, key.Location, name, keyProblem));
                }
            }
        }

        if (firstKey is not null && vm.Bool("SshServer") != true && vm.Bool("VsockSshEnable") != true)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.KeysWithoutSshServer, firstKey.Location)
                .WithFix("SshServer", "true", "Turn the guest's SSH server on (SshServer = true)"));
        }
    }

    private static IEnumerable<StringValue> Strings(BoundRecord record, string property) =>
        (record.Effective(property) as ListValue)?.Items.OfType<StringValue>() ?? [];

    /// <summary>Why NixOS refuses <paramref name="name"/> as a user or group name, or <c>null</c>.</summary>
    internal static string? NameProblem(string name) =>
        name.Length == 0 ? "it is empty"
        : !ValidName.IsMatch(name) ? "only letters, digits, '_', '.' and '-' may appear, and not '-' first (NixOS's assertion, after shadow's is_valid_name)"
        : name.Length >= 32 ? "it has " + VmValidator.Number(name.Length) + " characters; NixOS aborts on names of 32 or more"
        : null;

    /// <summary>
    /// Why sshd would not read <paramref name="line"/> as one authorized key, or <c>null</c>: one line of
    /// optional options, a key type, the key in base64 (whose first field names the same type), and an
    /// optional comment.
    /// </summary>
    internal static string? KeyProblem(string line)
    {
        if (line.IndexOfAny(['\n', '\r']) >= 0)
        {
            return "it spans more than one line; NixOS takes one key per entry (a single-line string) and writes each on a line of its own";
        }

        var fields = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        var typeAt = Array.FindIndex(fields, f => KeyTypes.Contains(f, StringComparer.Ordinal));
        if (typeAt < 0)
        {
            return fields.Length == 0
                ? "it is empty"
                : "it names no key type sshd knows (" + string.Join(", ", KeyTypes.Take(5)) + ", …); give the whole line of the .pub file, such as 'ssh-ed25519 AAAAC3Nza… you@laptop'";
        }

        if (typeAt > 1)
        {
            return "more than one field comes before the key type '" + fields[typeAt] + "'; only one field of options (such as from=\"10.0.0.0/8\",no-pty) may";
        }

        if (typeAt + 1 >= fields.Length)
        {
            return "the key itself (base64, after '" + fields[typeAt] + "') is missing";
        }

        byte[] blob;
        try
        {
            blob = Convert.FromBase64String(fields[typeAt + 1]);
        }
        catch (FormatException)
        {
            return "the key after '" + fields[typeAt] + "' is not base64; copy it whole from the .pub file";
        }

        var strings = SshStrings(blob);
        var inner = strings.Count > 0 ? Encoding.ASCII.GetString(strings[0]) : null;
        if (inner is not null && inner != fields[typeAt])
        {
            return "the key is a '" + inner + "' key but the line says '" + fields[typeAt] + "'; copy the line whole from the .pub file";
        }

        // A certificate holds integers between its strings; a plain key is only strings: its type, then its parts.
        var whole = inner is not null && (inner.Contains("-cert-") || (strings.Count >= 2 && (inner != "ssh-ed25519" || strings[1].Length == 32)));
        return whole ? null : "the key after '" + fields[typeAt] + "' is not a whole OpenSSH public key (it is cut short or not a key); copy it whole from the .pub file";
    }

    /// <summary>The SSH wire-format strings (a 32-bit big-endian length, then the bytes) that make up <paramref name="blob"/> exactly, or none.</summary>
    private static List<byte[]> SshStrings(byte[] blob)
    {
        var strings = new List<byte[]>();
        var at = 0;
        while (at < blob.Length)
        {
            var length = blob.Length - at >= 4 ? ((long)blob[at] << 24) | ((long)blob[at + 1] << 16) | ((long)blob[at + 2] << 8) | blob[at + 3] : long.MaxValue;
            if (length > blob.Length - at - 4)
            {
                // Not strings to the end: a certificate's integers (keep its type), or a broken key.
                return strings.Count > 0 && Encoding.ASCII.GetString(strings[0]).Contains("-cert-") ? strings : [];
            }

            strings.Add(blob.AsSpan(at + 4, (int)length).ToArray());
            at += 4 + (int)length;
        }

        return strings;
    }
}
