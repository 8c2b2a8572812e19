using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using MicroVm.Nix.Generator.Diagnostics;
using MicroVm.Nix.Generator.Model;

namespace MicroVm.Nix.Generator.Validation;

/// <summary>Interface checks: upstream's assertions (asserts.nix) and the options macvtap needs.</summary>
internal static class NetworkRules
{
    private static readonly string[] MacvtapOptions = ["MacvtapLink", "MacvtapMode"];

    public static void Validate(VmSpec spec, List<DiagnosticInfo> diagnostics)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var nic in spec.Vm.Records("Interfaces"))
        {
            var id = nic.String("Id") ?? string.Empty;
            var type = nic.Enum("Type");
            if (!ids.Add(id))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateInterfaceId, nic.LocationOf("Id"), id));
            }

            // Upstream's assertion counts bytes (builtins.stringLength), as the kernel does.
            if (System.Text.Encoding.UTF8.GetByteCount(id) is var bytes and > 15)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InterfaceIdTooLong, nic.LocationOf("Id"), id, VmValidator.Number(bytes)));
            }

            var hasBridge = nic.Effective("Bridge") is StringValue;
            if (type == "Bridge" && !hasBridge)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.BridgeInterfaceWithoutBridge, nic.LocationOf("Type"), id));
            }
            else if (type != "Bridge" && hasBridge)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.BridgeOnNonBridgeInterface, nic.LocationOf("Bridge"), id, type ?? "?"));
            }

            if (type == "Macvtap")
            {
                var missing = MacvtapOptions.Where(p => nic.Explicit(p) is null).ToList();
                if (missing.Count > 0)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MacvtapIncomplete, nic.LocationOf("Type"), id, string.Join(" and ", missing)));
                }
            }

            if (nic.Effective("Mac") is StringValue mac && MacProblem(mac.Value) is { } problem)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidMac, mac.Location, mac.Value, problem));
            }
        }
    }

    internal static string? MacProblem(string mac)
    {
        var parts = mac.Split(':');
        if (parts.Length != 6 || parts.Any(p => p.Length != 2 || !p.All(Uri.IsHexDigit)))
        {
            return "it is not six hex byte pairs";
        }

        return (int.Parse(parts[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture) & 1) == 1
            ? "the first byte is odd, which makes it a multicast address no interface can have"
            : null;
    }

    /// <summary>A MAC address in one spelling, to compare across VMs.</summary>
    internal static string NormalizeMac(string mac) => mac.ToLowerInvariant();
}
