using System.Collections.Generic;
using System.Linq;
using MicroVm.Nix.Generator.Diagnostics;
using MicroVm.Nix.Generator.Model;

namespace MicroVm.Nix.Generator.Validation;

/// <summary>
/// Typed networks, as one VM sees them: each network its host takes part in (subnet, gateway, DNS, the host's
/// address, uplink, DHCP and NAT), and each of its interfaces on a network (a tap, on one of its host's networks,
/// with an address inside the subnet that nothing else of the network's plan takes). Addresses across VMs are the
/// fleet's check (MVN310). A network shared by several VMs is checked with each; the analyzer reports each problem once.
/// </summary>
internal static class TypedNetworkRules
{
    /// <summary>The VM's interfaces on typed networks (its host's networks are checked with the host: <see cref="ValidateHost"/>).</summary>
    public static void Validate(VmSpec spec, List<DiagnosticInfo> diagnostics)
    {
        var host = spec.Vm.Record("Host");
        var hostNetworks = host?.Records("Networks") ?? EquatableArray<BoundRecord>.Empty;
        foreach (var nic in spec.Vm.Records("Interfaces"))
        {
            CheckInterface(nic, host, hostNetworks, diagnostics);
        }
    }

    /// <summary>The networks a host takes part in: each one's description and the host's side, and how they sit together on it.</summary>
    public static void ValidateHost(BoundRecord host, List<DiagnosticInfo> diagnostics)
    {
        var hostNetworks = host.Records("Networks");
        foreach (var hostNetwork in hostNetworks)
        {
            CheckHostNetwork(hostNetwork, diagnostics);
        }

        var names = new HashSet<string>(System.StringComparer.Ordinal);
        var nat = new List<StringValue>();
        var uplinks = new Dictionary<string, string>(System.StringComparer.Ordinal);
        var subnets = new List<(string Name, (uint Network, int Prefix) Subnet)>();
        var hostName = host.String("Name");
        foreach (var hostNetwork in hostNetworks)
        {
            var network = hostNetwork.Record("Network")!;
            var name = network.String("Name") ?? string.Empty;
            if (!names.Add(name))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidNetwork, hostNetwork.Value.Location, "Name", name, name,
                    "host '" + hostName + "' takes part in it twice; list each network once in its Networks"));
                continue;
            }

            if (hostNetwork.Explicit("Uplink") is StringValue uplink && network.Enum("Kind") == "Bridge")
            {
                if (uplinks.TryGetValue(uplink.Value, out var other))
                {
                    Invalid(diagnostics, "Uplink", uplink, hostNetwork, name, "it is the uplink of network '" + other + "' on host '" + hostName + "' too, and an interface is a port of one bridge");
                }
                else
                {
                    uplinks.Add(uplink.Value, name);
                }
            }

            if (SubnetOf(network) is { } subnet)
            {
                foreach (var (otherName, otherSubnet) in subnets)
                {
                    // Two subnets overlap when they agree on the shorter prefix.
                    var prefix = System.Math.Min(subnet.Prefix, otherSubnet.Prefix);
                    if ((subnet.Network & Ipv4.Mask(prefix)) == (otherSubnet.Network & Ipv4.Mask(prefix)))
                    {
                        Invalid(diagnostics, "Subnet", network.Explicit("Subnet"), network, name,
                            "it overlaps network '" + otherName + "' (" + Ipv4.Format(otherSubnet.Network) + "/" + otherSubnet.Prefix.ToString(System.Globalization.CultureInfo.InvariantCulture)
                            + ") on host '" + hostName + "', which then could not tell where to route an address of both");
                        break;
                    }
                }

                subnets.Add((name, subnet));
            }

            if ((host.Effective("Bridges") as ListValue)?.Items.OfType<StringValue>().Any(b => b.Value == name) == true && network.Enum("Kind") == "Bridge")
            {
                Invalid(diagnostics, "Name", network.Explicit("Name"), network, name, "host '" + host.String("Name") + "' lists it in Bridges too, as a bridge its own configuration creates, and the host module would create it again");
            }

            if (hostNetwork.Explicit("NatInterface") is StringValue natInterface)
            {
                nat.Add(natInterface);
            }
        }

        // networking.nat has one external interface, and a bridge's port carries no traffic of its own.
        foreach (var other in nat.Where(n => n.Value != nat[0].Value))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidHostValue, other.Location, "NatInterface", other.Value,
                "NixOS's networking.nat masquerades out of one interface, and another network of this host uses '" + nat[0].Value + "'"));
        }

        foreach (var port in nat.Where(n => uplinks.ContainsKey(n.Value)))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidHostValue, port.Location, "NatInterface", port.Value,
                "it is a port of bridge '" + uplinks[port.Value] + "' on this host, so traffic leaves through the bridge and masquerading out of the port never applies: use NatInterface = \"" + uplinks[port.Value] + "\""));
        }
    }

    private static void Invalid(List<DiagnosticInfo> diagnostics, string property, EvalValue? value, BoundRecord record, string network, string reason) =>
        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidNetwork, value?.Location ?? record.LocationOf(property), property,
            (value as StringValue)?.Value ?? value?.Describe() ?? string.Empty, network, reason));

    /// <summary>The subnet of a network, when it is valid.</summary>
    internal static (uint Network, int Prefix)? SubnetOf(BoundRecord network) => Ipv4.Subnet(network.String("Subnet") ?? string.Empty, out _);

    /// <summary>
    /// A DHCP server's pool on a subnet: its upper half (networkd's PoolOffset and PoolSize), so the lower half holds
    /// the static addresses, which networkd's server does not know of.
    /// </summary>
    internal static (uint Offset, uint Size) DhcpPool((uint Network, int Prefix) subnet)
    {
        var total = subnet.Prefix == 0 ? uint.MaxValue : 1u << (32 - subnet.Prefix);
        return (total / 2, (total / 2) - 1);
    }

    /// <summary>The DHCP pool of a subnet as text, <c>10.0.0.128 to 10.0.0.254</c>.</summary>
    internal static string PoolText((uint Network, int Prefix) subnet)
    {
        var pool = DhcpPool(subnet);
        return Ipv4.Format(subnet.Network + pool.Offset) + " to " + Ipv4.Format(subnet.Network + pool.Offset + pool.Size - 1);
    }

    private static void CheckNetwork(BoundRecord network, List<DiagnosticInfo> diagnostics)
    {
        var name = network.String("Name") ?? string.Empty;
        if (HostRules.InterfaceNameProblem(name) is { } nameProblem)
        {
            Invalid(diagnostics, "Name", network.Explicit("Name"), network, name, nameProblem + " (it names the bridge, or the routed network's units)");
        }

        var subnetText = network.String("Subnet") ?? string.Empty;
        var subnet = Ipv4.Subnet(subnetText, out var subnetProblem);
        if (subnet is null)
        {
            Invalid(diagnostics, "Subnet", network.Explicit("Subnet"), network, name, subnetProblem!);
        }
        else if (subnet.Value.Prefix > 30 && network.Enum("Kind") == "Bridge")
        {
            Invalid(diagnostics, "Subnet", network.Explicit("Subnet"), network, name, "a bridge network's subnet needs room for its machines: a prefix length of at most 30");
        }

        if (network.Explicit("Gateway") is StringValue gateway)
        {
            if (Ipv4.Address(gateway.Value, out var problem) is not { } address)
            {
                Invalid(diagnostics, "Gateway", gateway, network, name, problem!);
            }
            else if (subnet is { } s && Ipv4.HostProblem(s, address) is { } hostProblem)
            {
                Invalid(diagnostics, "Gateway", gateway, network, name, hostProblem);
            }
        }
        else if (network.Enum("Kind") == "Routed")
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidNetwork, network.Explicit("Gateway")?.Location ?? network.LocationOf("Kind"), "Gateway", "(none)", name,
                "a routed network needs a Gateway: the address each host takes on every VM's tap interface"));
        }

        foreach (var dns in (network.Effective("Dns") as ListValue)?.Items.OfType<StringValue>() ?? [])
        {
            if (Ipv4.Address(dns.Value, out var problem) is null)
            {
                Invalid(diagnostics, "Dns", dns, network, name, problem!);
            }
        }
    }

    private static void CheckHostNetwork(BoundRecord hostNetwork, List<DiagnosticInfo> diagnostics)
    {
        var network = hostNetwork.Record("Network")!;
        CheckNetwork(network, diagnostics);
        var name = network.String("Name") ?? string.Empty;
        var routed = network.Enum("Kind") == "Routed";
        var subnet = SubnetOf(network);

        if (hostNetwork.Explicit("Address") is StringValue address)
        {
            if (routed)
            {
                Invalid(diagnostics, "Address", address, hostNetwork, name, "on a routed network the host answers on every VM's tap as the network's Gateway; leave the host's Address null");
            }
            else if (Ipv4.Address(address.Value, out var problem) is not { } value)
            {
                Invalid(diagnostics, "Address", address, hostNetwork, name, problem!);
            }
            else if (subnet is { } s && Ipv4.HostProblem(s, value) is { } staticProblem)
            {
                Invalid(diagnostics, "Address", address, hostNetwork, name, staticProblem);
            }
        }

        if (hostNetwork.Explicit("Uplink") is StringValue uplink)
        {
            var problem = routed ? "a routed network has no bridge to put a port on" : HostRules.InterfaceNameProblem(uplink.Value);
            if (problem is null && uplink.Value == name)
            {
                problem = "it is the bridge itself";
            }

            if (problem is not null)
            {
                Invalid(diagnostics, "Uplink", uplink, hostNetwork, name, problem);
            }
        }

        if (hostNetwork.Explicit("Dhcp") is BoolValue { Value: true } dhcpValue)
        {
            var problem = routed
                ? "a routed network has no DHCP: its VMs have static addresses"
                : hostNetwork.Explicit("Address") is not StringValue hostAddress
                    ? "the host serves DHCP from its own address on the bridge: set the host's Address on this network"
                    : network.String("Gateway") is { } gateway && gateway != hostAddress.Value
                        ? "a host's DHCP server announces its own address (" + hostAddress.Value + ") as the router, and the network's Gateway is " + gateway
                            + ": make the Gateway this host's Address, or let the LAN's router serve DHCP"
                        : null;
            if (problem is not null)
            {
                Invalid(diagnostics, "Dhcp", dhcpValue, hostNetwork, name, problem);
            }
        }

        if (hostNetwork.Explicit("NatInterface") is StringValue nat)
        {
            var natProblem = HostRules.InterfaceNameProblem(nat.Value);
            if (natProblem is null && !routed && (hostNetwork.String("Address") is not { } own || network.String("Gateway") != own))
            {
                natProblem = "the VMs of a bridge network send their traffic out through its Gateway, so the host masquerades it only when it is the Gateway: set the host's Address and make it the network's Gateway";
            }

            if (natProblem is not null)
            {
                Invalid(diagnostics, "NatInterface", nat, hostNetwork, name, natProblem);
            }
        }
    }

    private static void CheckInterface(BoundRecord nic, BoundRecord? host, EquatableArray<BoundRecord> hostNetworks, List<DiagnosticInfo> diagnostics)
    {
        var id = nic.String("Id") ?? string.Empty;
        var network = nic.Record("Network");
        if (network is null)
        {
            if (nic.Explicit("Address") is StringValue orphan)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidNetworkInterface, orphan.Location, id, "(none)", "an Address needs a Network to be on: set the interface's Network"));
            }

            return;
        }

        var name = network.String("Name") ?? string.Empty;
        void Report(LocationInfo? location, string problem) => diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidNetworkInterface, location, id, name, problem));

        if (nic.Enum("Type") != "Tap")
        {
            Report(nic.LocationOf("Type"), "only a tap interface can be on a typed network, which the host module attaches to its bridge or routes by the tap's name; make it InterfaceType.Tap");
        }
        else if (HostRules.InterfaceNameProblem(id) is { } idProblem)
        {
            Report(nic.LocationOf("Id"), "its Id names the tap in the host's systemd-networkd units, where " + idProblem.Substring(0, 1).ToLowerInvariant() + idProblem.Substring(1));
        }

        var onHost = hostNetworks.FirstOrDefault(h => h.Record("Network")?.String("Name") == name);
        if (host is null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NetworkNotOnHost, nic.Value.Location, id, name,
                "needs a host: this VM has no Host, and a typed network is configured on its VMs' host. Place the VM on a host that lists the network in its Networks."));
        }
        else if (onHost is null)
        {
            var listed = string.Join(", ", hostNetworks.Select(h => h.Record("Network")?.String("Name")));
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NetworkNotOnHost, nic.Value.Location, id, name,
                "host '" + host.String("Name") + "' does not take part in (its Networks: " + (listed.Length > 0 ? listed : "none") + "). Add it to the host's Networks, or place the VM on a host that has it."));
        }
        else if (!onHost.Record("Network")!.Value.Equals(network.Value) // one member for both, the usual case, is one value
            && Placement.Describe(network) is var here && Placement.Describe(onHost.Record("Network")!) is var there && !here.Equals(there))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NetworkNotOnHost, nic.Value.Location, id, name,
                "host '" + host.String("Name") + "' describes differently (" + Placement.FirstDifference(here, there) + "). Use one static readonly Network member for both."));
        }

        var subnet = SubnetOf(network);
        if (nic.Explicit("Address") is StringValue address)
        {
            if (Ipv4.Address(address.Value, out var problem) is not { } value)
            {
                Report(address.Location, "Address '" + address.Value + "' is not an IPv4 address: " + problem);
            }
            else if (subnet is { } s && Ipv4.HostProblem(s, value) is { } staticProblem)
            {
                Report(address.Location, "Address '" + address.Value + "' cannot be used: " + staticProblem);
            }
            else if (network.String("Gateway") == address.Value)
            {
                Report(address.Location, "Address '" + address.Value + "' is the network's Gateway");
            }
        }
        else if (network.Enum("Kind") == "Routed")
        {
            Report(nic.Value.Location, "a routed network has no DHCP: give the interface an Address");
        }
        else if (onHost is not null && onHost.Bool("Dhcp") != true && onHost.Explicit("Uplink") is not StringValue)
        {
            // Without an uplink the host's bridge is a segment of its own: only the host can serve DHCP there.
            Report(nic.Value.Location, "no DHCP server can reach it: host '" + host!.String("Name") + "' serves none on the network, and its bridge has no Uplink to one; give the interface an Address, or serve DHCP from this host");
        }
    }
}
