using System;
using System.Collections.Generic;
using System.Linq;
using MicroVm.Nix.Generator.Model;
using Scriban;
using Scriban.Runtime;

namespace MicroVm.Nix.Generator.Emitting;

/// <summary>
/// Renders <c>fleet.nix</c> from <c>templates/fleet.nix.scriban</c> for a project whose VMs are placed on hosts: each
/// host's system, deployment address, folder (its host module) and VMs, which the flake's <c>lib.fleet</c> reads.
/// </summary>
internal static class FleetEmitter
{
    /// <summary>The file's name in the output folder.</summary>
    public const string FileName = "fleet.nix";

    private static readonly Lazy<Template> FleetTemplate = new(() => Templates.Load("fleet.nix.scriban"));

    /// <summary>Renders the hosts, each with the VMs placed on it, ordered by name.</summary>
    public static string Render(IReadOnlyList<(Placement Host, IReadOnlyList<string> Vms)> hosts) =>
        Templates.Render(FleetTemplate.Value, new ScriptObject
        {
            ["hosts"] = new ScriptArray(hosts.OrderBy(h => h.Host.Name, StringComparer.Ordinal).Select(h => new ScriptObject
            {
                ["name"] = NixSyntax.AttrName(h.Host.Name),
                ["system"] = NixSyntax.String(h.Host.System),
                ["target_host"] = NixSyntax.String(h.Host.TargetHost),
                ["module"] = NixSyntax.Path("./" + h.Host.Name),
                ["vms"] = new ScriptArray(h.Vms.OrderBy(v => v, StringComparer.Ordinal).Select(NixSyntax.String)),
            })),
        });
}
