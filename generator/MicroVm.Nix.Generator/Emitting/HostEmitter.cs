using System;
using System.Collections.Generic;
using System.Linq;
using MicroVm.Nix.Generator.Model;
using MicroVm.Nix.Generator.Validation;
using Scriban;
using Scriban.Runtime;

namespace MicroVm.Nix.Generator.Emitting;

/// <summary>
/// Renders the host module (<c>default.nix</c>, so importing the output folder imports it) from
/// <c>templates/host.nix.scriban</c>: <c>microvm.vms.&lt;name&gt;</c> for every VM with its guest module
/// as <c>config</c>, a udev rule per attached block device that gives the <c>microvm</c> user
/// that device alone instead of the <c>disk</c> group, and for VMs with <c>Zvol.Create</c> a oneshot
/// service, required by the VM's service, that creates their missing zvols.
/// </summary>
internal static class HostEmitter
{
    /// <summary>The host module's file name.</summary>
    public const string FileName = "default.nix";

    private static readonly Lazy<Template> HostTemplate = new(() => Templates.Load("host.nix.scriban"));

    /// <summary>Renders the host module of <paramref name="vms"/>: the project's, or one host's (<paramref name="host"/>).</summary>
    public static string Render(IReadOnlyList<HostEntry> vms, Placement? host = null)
    {
        // One rule per device, however many VMs attach it (read-only, or MVN302 stops the build):
        // udev applies every matching rule, and two rules for one device would only repeat each other.
        var rules = vms
            .SelectMany(vm => vm.BlockDevices.Select(device => (vm.Name, Device: device)))
            .GroupBy(d => d.Device.Path, System.StringComparer.Ordinal)
            .SelectMany(g => UdevRule(g.Select(d => d.Name).Distinct().ToList(), g.First().Device with { ReadOnly = g.All(d => d.Device.ReadOnly) }))
            .ToList();
        var model = new ScriptObject
        {
            ["host"] = host is null ? null : NixSyntax.CommentText(host.Name),
            ["host_options"] = new ScriptArray((host?.Options ?? EquatableArray<FieldValue>.Empty).Select(o => new ScriptObject
            {
                ["name"] = NixSyntax.AttrPath(o.Name),
                ["value"] = ModuleEmitter.Plain(o.Value, 2),
            })),
            ["network_units"] = new ScriptArray(host is null ? [] : NetworkUnits(host, vms).Select(u => new ScriptObject { ["name"] = u.Name, ["value"] = u.Value })),
            ["nat"] = host is null ? null : Nat(host),
            ["vms"] = new ScriptArray(vms.Select(vm => new ScriptObject
            {
                ["name"] = NixSyntax.AttrName(vm.Name),
                ["config"] = NixSyntax.Path("./" + vm.FileName),
                ["options"] = new ScriptArray(vm.HostOptions.Select(o => new ScriptObject
                {
                    ["name"] = NixSyntax.AttrName(o.Name),
                    ["value"] = ModuleEmitter.Plain(o.Value, 6),
                })),
            })),
            ["needs_config"] = vms.Any(vm => vm.BlockDevices.Any(d => d.Zvol is not null)),
            ["udev_rules"] = new ScriptArray(rules),
            ["zvol_services"] = new ScriptArray(vms.Where(vm => vm.Zvols.Count > 0).Select(vm => new ScriptObject
            {
                ["name"] = NixSyntax.AttrName("microvm-zvols-" + vm.Name),
                ["vm"] = vm.Name,
                ["unit"] = NixSyntax.String("microvm@" + vm.Name + ".service"),
                ["script"] = new ScriptArray(ZvolScript.Lines(vm.Name, vm.Zvols)),
            })),
        };
        return Templates.Render(HostTemplate.Value, model);
    }

    /// <summary>
    /// The host's side of its typed networks, as systemd-networkd units (attribute path and Nix value): for a bridge
    /// network the bridge, its address and DHCP server, and its ports (the uplink and the taps of this host's VMs on
    /// it); for a routed network one unit per tap with the host's address and a host route to the VM (upstream's
    /// simple-network and routed-network docs). Every name and address in them was validated (MVN260, MVN264, MVN265).
    /// </summary>
    internal static IEnumerable<(string Name, string Value)> NetworkUnits(Placement host, IReadOnlyList<HostEntry> vms)
    {
        static string Str(string value) => NixSyntax.String(value);
        static string Strs(IEnumerable<string> values, int indent) => NixSyntax.List(values.Select(Str).ToList(), indent);
        string Unit(string kind, string name) => "systemd.network." + kind + "." + NixSyntax.AttrName(name);

        var taps = vms.SelectMany(vm => vm.Taps).ToList();
        foreach (var network in host.Networks)
        {
            var own = taps.Where(t => t.Network == network.Name).ToList();
            if (network.Routed)
            {
                foreach (var tap in own)
                {
                    var fields = new List<(string, string)>
                    {
                        ("matchConfig.Name", Str(tap.Id)),
                        ("address", Strs([network.Gateway + "/32"], 4)),
                    };
                    if (tap.Address is { } address)
                    {
                        fields.Add(("routes", NixSyntax.List([NixSyntax.Attrs([("Destination", Str(address + "/32"))], 6)], 4)));
                    }

                    fields.Add(("networkConfig.IPv4Forwarding", "true"));
                    fields.Add(("linkConfig.RequiredForOnline", Str("no")));
                    yield return (Unit("networks", "30-" + tap.Id), NixSyntax.Attrs(fields, 2, quoteNames: false));
                }

                continue;
            }

            yield return (Unit("netdevs", "20-" + network.Name) + ".netdevConfig", NixSyntax.Attrs([("Kind", Str("bridge")), ("Name", Str(network.Name))], 2, quoteNames: false));
            var bridge = new List<(string, string)> { ("matchConfig.Name", Str(network.Name)) };
            if (network.Address is { } hostAddress)
            {
                bridge.Add(("address", Strs([hostAddress + "/" + network.Prefix.ToString(System.Globalization.CultureInfo.InvariantCulture)], 4)));

                // The host's port is on the bridge: its own route out and its DNS go through the bridge (upstream's simple network).
                if (network.Uplink is not null && network.Gateway is { } gateway && gateway != hostAddress)
                {
                    bridge.Add(("gateway", Strs([gateway], 4)));
                    if (network.Dns.Count > 0)
                    {
                        bridge.Add(("dns", Strs(network.Dns, 4)));
                    }
                }
            }

            if (network.Dhcp)
            {
                bridge.Add(("networkConfig.DHCPServer", "true"));
                var server = new List<(string, string)>
                {
                    ("PoolOffset", NixSyntax.Int(network.PoolOffset)),
                    ("PoolSize", NixSyntax.Int(network.PoolSize)),
                    // The server announces its own address as the router: the Gateway is this host's Address (MVN265), or none.
                    ("EmitRouter", network.Gateway is null ? "false" : "true"),
                };
                if (network.Dns.Count > 0)
                {
                    server.Add(("DNS", Strs(network.Dns, 6)));
                }

                bridge.Add(("dhcpServerConfig", NixSyntax.Attrs(server, 4, quoteNames: false)));
            }

            // A bridge without a port to the outside has no carrier until a VM starts: it must not hold up boot.
            if (network.Uplink is null)
            {
                bridge.Add(("networkConfig.ConfigureWithoutCarrier", "true"));
                bridge.Add(("linkConfig.RequiredForOnline", Str("no")));
            }

            yield return (Unit("networks", "20-" + network.Name), NixSyntax.Attrs(bridge, 2, quoteNames: false));
            if (network.Dhcp)
            {
                // networkd's DHCP server listens on a plain UDP socket, which NixOS's firewall closes by default.
                yield return ("networking.firewall.interfaces." + NixSyntax.AttrName(network.Name) + ".allowedUDPPorts", "[ 67 ]");
            }

            var ports = (network.Uplink is { } uplink ? [uplink] : new List<string>()).Concat(own.Select(t => t.Id)).ToList();
            if (ports.Count > 0)
            {
                yield return (Unit("networks", "21-" + network.Name + "-ports"), NixSyntax.Attrs(
                    [("matchConfig.Name", Strs(ports, 4)), ("networkConfig.Bridge", Str(network.Name))], 2, quoteNames: false));
            }
        }
    }

    /// <summary>NixOS's <c>networking.nat</c> for the host's networks that masquerade (one external interface: MVN260), or <c>null</c>.</summary>
    private static string? Nat(Placement host)
    {
        var nat = host.Networks.Where(n => n.NatInterface is not null).ToList();
        return nat.Count == 0
            ? null
            : NixSyntax.Attrs(
                [
                    ("enable", "true"),
                    ("internalIPs", NixSyntax.List(nat.Select(n => NixSyntax.String(n.Subnet)).Distinct().ToList(), 4)),
                    ("externalInterface", NixSyntax.String(nat[0].NatInterface!)),
                ],
                2);
    }

    /// <summary>
    /// The udev rule lines for one device (a comment and the rule). Zvols are matched through
    /// OpenZFS's zvol_id, which prints a zd device's dataset; a kernel name (<c>/dev/sdb</c>) by
    /// KERNEL; any other path by the device's symlinks (DEVLINKS). Every name in them was validated
    /// (MVN109, MVN114), so none holds a quote, a glob or a Nix interpolation.
    /// </summary>
    internal static IEnumerable<string> UdevRule(IReadOnlyList<string> vmNames, HostBlockDevice device)
    {
        var access = "OWNER=\"microvm\", GROUP=\"kvm\", MODE=\"" + (device.ReadOnly ? "0440" : "0660") + "\"";
        yield return "# " + NixSyntax.CommentText(string.Join(", ", vmNames) + ": " + device.Path + (device.ReadOnly ? " (read-only)" : string.Empty));
        var name = device.Path.Substring("/dev/".Length);
        if (device.Zvol is { } zvol)
        {
            yield return "KERNEL==\"zd*\", SUBSYSTEM==\"block\", ACTION==\"add|change\", PROGRAM==\"${config.boot.zfs.package}/lib/udev/zvol_id $devnode\", RESULT==\""
                + VmValidator.ZvolDeviceName(zvol) + "\", " + access;
        }
        else if (name.IndexOf('/') < 0)
        {
            yield return "KERNEL==\"" + name + "\", SUBSYSTEM==\"block\", ACTION==\"add|change\", " + access;
        }
        else
        {
            var path = device.Path;
            yield return "SUBSYSTEM==\"block\", ACTION==\"add|change\", ENV{DEVLINKS}==\"" + path + "|" + path + " *|* " + path + "|* " + path + " *\", " + access;
        }
    }
}
