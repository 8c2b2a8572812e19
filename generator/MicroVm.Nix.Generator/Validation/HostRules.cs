using System;
using System.Collections.Generic;
using System.Linq;
using MicroVm.Nix.Generator.Diagnostics;
using MicroVm.Nix.Generator.Model;
using MicroVm.Nix.Generator.Schema;

namespace MicroVm.Nix.Generator.Validation;

/// <summary>
/// A VM's <c>Host</c>: the description itself (its name names a folder and a NixOS configuration, its system is
/// evaluated, its address reaches SSH, its state directory reaches upstream's scripts), and what the VM needs of
/// it: the pool of every zvol and the bridge of every bridge interface. A host shared by several VMs is checked
/// with each; the analyzer reports each problem once, at the host's expression.
/// </summary>
internal static class HostRules
{
    /// <summary>The checks of a VM's host: the description, and what the VM needs of it.</summary>
    public static void Validate(VmSpec spec, List<DiagnosticInfo> diagnostics)
    {
        if (spec.Vm.Record("Host") is not { } host)
        {
            return;
        }

        ValidateHost(host, diagnostics);
        CheckWhatTheVmNeeds(spec.Vm, host, diagnostics);
    }

    /// <summary>The checks of a host's description alone (a host declared with <c>[MicroVmModule]</c>, or a VM's).</summary>
    public static void ValidateHost(BoundRecord host, List<DiagnosticInfo> diagnostics)
    {
        void Invalid(string property, EvalValue? value, string text, string reason) =>
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidHostValue, value?.Location ?? host.LocationOf(property), property, text, reason));

        var name = host.String("Name") ?? string.Empty;
        if (!VmValidator.IsValidHostName(name))
        {
            Invalid("Name", host.Explicit("Name"), name, "use 1 to 63 letters, digits and '-', not starting or ending with '-': it names the host's folder and its nixosConfigurations attribute");
        }

        var system = host.String("System") ?? string.Empty;
        if (!UpstreamLedger.Systems.Contains(system))
        {
            Invalid("System", host.Explicit("System"), system, "it is not a system nixpkgs knows (lib.systems.doubles.all), such as \"x86_64-linux\" or \"aarch64-linux\"");
        }
        else if (!system.EndsWith("-linux", StringComparison.Ordinal))
        {
            Invalid("System", host.Explicit("System"), system, "a host runs NixOS and microvm.nix's host module, which are Linux only: name a Linux system, such as \"x86_64-linux\" or \"aarch64-linux\"");
        }

        if (host.Explicit("TargetHost") is StringValue target && TargetHostProblem(target.Value) is { } targetProblem)
        {
            Invalid("TargetHost", target, target.Value, targetProblem);
        }

        if (host.Explicit("StateDir") is StringValue stateDir && StateDirProblem(stateDir.Value) is { } stateDirProblem)
        {
            Invalid("StateDir", stateDir, stateDir.Value, stateDirProblem);
        }

        if (host.Explicit("Vcpus") is IntValue { Value: < 1 } vcpus)
        {
            Invalid("Vcpus", vcpus, VmValidator.Number(vcpus.Value), "a host has at least one CPU thread for its VMs; leave Vcpus null to check nothing");
        }

        if (host.Explicit("Memory") is ObjectValue memory && VolumeRules.Bytes(memory) is { } bytes && bytes < 1024 * 1024)
        {
            Invalid("Memory", memory, VmValidator.Number(bytes) + " B", "a host has at least 1 MiB of memory for its VMs; leave Memory null to check nothing");
        }

        var pools = Strings(host, "Pools");
        foreach (var pool in pools)
        {
            if (VolumeRules.PoolProblem(pool.Value) is { } problem)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidZfsName, pool.Location, "pool", pool.Value, problem));
            }
        }

        var bridges = Strings(host, "Bridges");
        foreach (var bridge in bridges)
        {
            if (InterfaceNameProblem(bridge.Value) is { } problem)
            {
                Invalid("Bridges", bridge, bridge.Value, problem);
            }
        }

        TypedNetworkRules.ValidateHost(host, diagnostics);
    }

    private static void CheckWhatTheVmNeeds(BoundRecord vm, BoundRecord host, List<DiagnosticInfo> diagnostics)
    {
        static string Listed(IEnumerable<StringValue> values) =>
            values.Any() ? string.Join(", ", values.Select(v => v.Value)) : "none";

        var name = host.String("Name") ?? string.Empty;
        var pools = Strings(host, "Pools");
        var bridges = Strings(host, "Bridges");
        foreach (var volume in vm.Records("Volumes"))
        {
            if (volume.Effective("Image") is ObjectValue { Type: MicroVmSchema.ZvolType } zvol
                && zvol.Get("Pool")?.Value is StringValue pool
                && !pools.Any(p => p.Value == pool.Value))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.PoolNotOnHost, pool.Location ?? volume.LocationOf("Image"),
                    VmValidator.ZvolName(zvol) ?? pool.Value, pool.Value, name, Listed(pools)));
            }
        }

        foreach (var nic in vm.Records("Interfaces"))
        {
            if (nic.Enum("Type") == "Bridge" && nic.Effective("Bridge") is StringValue bridge && !bridges.Any(b => b.Value == bridge.Value))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.BridgeNotOnHost, bridge.Location ?? nic.LocationOf("Bridge"),
                    nic.String("Id") ?? string.Empty, bridge.Value, name, Listed(bridges)));
            }
        }
    }

    private static List<StringValue> Strings(BoundRecord record, string property) =>
        (record.Effective(property) as ListValue)?.Items.OfType<StringValue>().ToList() ?? [];

    /// <summary>
    /// A host name or address as SSH and the deployment tools take it: a DNS name, an IPv4 address or an IPv6 address
    /// (optionally in brackets). Nothing that starts with '-' (ssh would read an option) and no user or port, which the
    /// tools take elsewhere.
    /// </summary>
    internal static string? TargetHostProblem(string target)
    {
        if (target.Length == 0)
        {
            return "it is empty; leave TargetHost null to connect to the host's Name";
        }

        if (target[0] == '-')
        {
            return "it starts with '-', which ssh reads as an option";
        }

        if (target.IndexOf('@') >= 0)
        {
            return "it names a user; deployment tools take the user on their own (colmena's deployment.targetUser, deploy-rs's sshUser), so write the host alone";
        }

        var bad = target.FirstOrDefault(c => !(c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '.' or '-' or ':' or '[' or ']'));
        if (bad != '\0')
        {
            return "'" + bad + "' is not part of a host name or address; use letters, digits, '.', '-' and, for IPv6, ':' and brackets";
        }

        // An IPv6 address has two colons or more; one colon is a port, which the tools take on their own.
        var colons = target.Count(c => c == ':');
        if (colons == 1 || (target.StartsWith("[", StringComparison.Ordinal) && !target.EndsWith("]", StringComparison.Ordinal)))
        {
            return "it names a port; deployment tools take the port on their own (colmena's deployment.targetPort, deploy-rs's sshOpts), so write the host alone";
        }

        return colons == 0 && (target.IndexOf('[') >= 0 || target.IndexOf(']') >= 0) ? "brackets hold an IPv6 address" : null;
    }

    /// <summary>
    /// upstream writes the state directory unquoted into its services' shell scripts and unit settings, so it is kept to
    /// characters that are plain in all of them.
    /// </summary>
    internal static string? StateDirProblem(string path)
    {
        if (!path.StartsWith("/", StringComparison.Ordinal))
        {
            return "upstream's type is an absolute path; write one, such as \"/var/lib/microvms\"";
        }

        var bad = path.FirstOrDefault(c => !(c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '/' or '.' or '_' or '-' or '+'));
        if (bad != '\0')
        {
            return "'" + bad + "' would need quoting in the shell scripts and systemd units upstream writes it into unquoted; use letters, digits and / . _ - +";
        }

        return path.Split('/').Any(part => part is "." or "..") ? "it has a '.' or '..' component; write the directory's own path" : null;
    }

    /// <summary>A Linux interface name as networkd and iproute2 take it, kept to characters that are plain everywhere.</summary>
    internal static string? InterfaceNameProblem(string name)
    {
        if (name.Length is 0 or > 15)
        {
            return "a Linux interface name has 1 to 15 characters";
        }

        if (name is "." or "..")
        {
            return "'.' and '..' are not interface names";
        }

        var bad = name.FirstOrDefault(c => !(c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '-' or '_' or '.'));
        return bad != '\0' ? "'" + bad + "' is not allowed; use letters, digits, '-', '_' and '.'" : null;
    }
}
