using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using MicroVm.Nix.Tests.Infrastructure;

namespace MicroVm.Nix.Tests;

/// <summary>
/// Typed networks: what the host module and the guest module configure for a bridge network (with DHCP) and a routed
/// one, judged by upstream's host options and NixOS's networkd option declarations, and every mistake in a network's
/// plan reported where it is written.
/// </summary>
public class NetworksTests
{
    private const string Networks = """
        public static readonly Network Lan = new() { Name = "br-lan", Subnet = "10.0.0.0/24", Gateway = "10.0.0.1", Dns = ["10.0.0.1"] };

        public static readonly Network Runners = new() { Name = "runners", Kind = NetworkKind.Routed, Subnet = "10.9.0.0/24", Gateway = "10.9.0.1" };

        public static readonly Host Alpha = new()
        {
            Name = "alpha",
            Networks =
            [
                new() { Network = Lan, Address = "10.0.0.1", Dhcp = true },
                new() { Network = Runners, NatInterface = "eno1" },
            ],
        };
        """;

    private static string Source(string vms) => $$"""
        using MicroVm.Nix;

        public static class Fleet
        {
            {{Networks}}

            {{vms}}
        }
        """;

    /// <summary>The two networks and one VM on the host <paramref name="host"/> (C#).</summary>
    private static string OneVm(string host) => $$"""
        using MicroVm.Nix;

        public static class Fleet
        {
            public static readonly Network Lan = new() { Name = "br-lan", Subnet = "10.0.0.0/24", Gateway = "10.0.0.1" };

            public static readonly Network Runners = new() { Name = "runners", Kind = NetworkKind.Routed, Subnet = "10.9.0.0/24", Gateway = "10.9.0.1" };

            [MicroVmModule]
            public static readonly VirtualMachine Vm = new() { HostName = "vm", Host = {{host}} };
        }
        """;

    private static string Vm(string name, string interfaces) =>
        "[MicroVmModule]\npublic static readonly VirtualMachine " + name + " = new() { HostName = \"" + name.ToLowerInvariant() + "\", Host = Alpha, Interfaces = [" + interfaces + "] };\n";

    private static string Tap(string id, int mac, string network, string? address) =>
        "new() { Type = InterfaceType.Tap, Id = \"" + id + "\", Mac = \"02:00:00:00:00:" + mac.ToString("00", System.Globalization.CultureInfo.InvariantCulture) + "\", Network = " + network
        + (address is null ? string.Empty : ", Address = " + address) + " }";

    [Test]
    public void A_bridge_with_dhcp_and_a_routed_network_are_configured_on_both_sides()
    {
        var run = DiagnosticAssert.Exactly(Source(
            Vm("Web", Tap("vm-web", 1, "Lan", "\"10.0.0.5\"")) + Vm("Dyn", Tap("vm-dyn", 2, "Lan", null)) + Vm("Ci", Tap("vm-ci", 3, "Runners", "\"10.9.0.7\""))));
        var dir = Directory.CreateTempSubdirectory("microvm-nix-networks-");
        try
        {
            HostModule.WriteAll(run, dir.FullName);
            var host = HostModule.EvaluateWithUpstream(Path.Combine(dir.FullName, "alpha", "default.nix"));
            var networkd = host["systemd"]!["network"]!;
            Assert.That((bool?)networkd["enable"], Is.True);
            Assert.That((string?)networkd["netdevs"]!["20-br-lan"]!["netdevConfig"]!["Name"], Is.EqualTo("br-lan"));

            var bridge = networkd["networks"]!["20-br-lan"]!;
            Assert.That(bridge["address"]!.AsArray().Select(a => (string?)a), Is.EqualTo(new[] { "10.0.0.1/24" }));
            Assert.That((bool?)bridge["networkConfig"]!["DHCPServer"], Is.True);
            Assert.That(((int?)bridge["dhcpServerConfig"]!["PoolOffset"], (int?)bridge["dhcpServerConfig"]!["PoolSize"]), Is.EqualTo((128, 127)), "the upper half of the /24");
            Assert.That((string?)bridge["linkConfig"]!["RequiredForOnline"], Is.EqualTo("no"), "a bridge without an uplink does not hold up boot");
            Assert.That(host["networking"]!["firewall"]!["interfaces"]!["br-lan"]!["allowedUDPPorts"]!.AsArray().Select(p => (int?)p), Is.EqualTo(new[] { 67 }),
                "the DHCP server's port is open on the bridge, and only there");
            Assert.That(host["networking"]!["firewall"]!["interfaces"]!.AsObject().Select(i => i.Key), Is.EqualTo(new[] { "br-lan" }));
            Assert.That(networkd["networks"]!["21-br-lan-ports"]!["matchConfig"]!["Name"]!.AsArray().Select(n => (string?)n), Is.EqualTo(new[] { "vm-dyn", "vm-web" }),
                "the taps of the host's VMs on the bridge, and no other");

            var routed = networkd["networks"]!["30-vm-ci"]!;
            Assert.That((string?)routed["matchConfig"]!["Name"], Is.EqualTo("vm-ci"));
            Assert.That(routed["address"]!.AsArray().Select(a => (string?)a), Is.EqualTo(new[] { "10.9.0.1/32" }));
            Assert.That((string?)routed["routes"]![0]!["Destination"], Is.EqualTo("10.9.0.7/32"));
            Assert.That(networkd["networks"]!.AsObject().Select(n => n.Key), Is.EquivalentTo(new[] { "20-br-lan", "21-br-lan-ports", "30-vm-ci" }));
            Assert.That(((bool?)host["networking"]!["nat"]!["enable"], (string?)host["networking"]!["nat"]!["externalInterface"]), Is.EqualTo((true, "eno1")));
            Assert.That(host["networking"]!["nat"]!["internalIPs"]!.AsArray().Select(a => (string?)a), Is.EqualTo(new[] { "10.9.0.0/24" }));

            // The guests' sides, against upstream's guest options and what the records say.
            foreach (var member in new[] { "Web", "Dyn", "Ci" })
            {
                var vm = (VirtualMachine)run.Value("Fleet", member)!;
                Upstream.AssertMeans(Path.Combine(dir.FullName, "alpha", vm.HostName + ".nix"), vm);
            }

            var dynamic = Upstream.Evaluate(Path.Combine(dir.FullName, "alpha", "dyn.nix"));
            Assert.That((string?)dynamic["systemd"]!["network"]!["networks"]!["10-vm-dyn"]!["networkConfig"]!["DHCP"], Is.EqualTo("ipv4"), "no address: DHCP");
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Test]
    public void Addresses_are_unique_per_network_across_vms_and_hosts()
    {
        DiagnosticAssert.Exactly(Source(Vm("Web", Tap("vm-web", 1, "Lan", "{|MVN310:\"10.0.0.5\"|}")) + Vm("Db", Tap("vm-db", 2, "Lan", "{|MVN310:\"10.0.0.5\"|}"))));

        // The gateway of a routed network, which every host takes on the VM's tap.
        var run = DiagnosticAssert.Exactly(Source(Vm("Web", Tap("vm-web", 1, "Runners", "{|MVN264:\"10.9.0.1\"|}"))));
        Assert.That(run.Diagnostics.Single().GetMessage(System.Globalization.CultureInfo.InvariantCulture), Does.Contain("is the network's Gateway"));
        var hostAddress = Source(Vm("Web", Tap("vm-web", 1, "Lan", "{|MVN310:\"10.0.0.2\"|}"))).Replace("Address = \"10.0.0.1\", Dhcp = true", "Address = {|MVN310:\"10.0.0.2\"|}", System.StringComparison.Ordinal);
        var messages = DiagnosticAssert.Exactly(hostAddress).Diagnostics.Select(d => d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.That(messages, Has.Some.Contains("is also used by host 'alpha'"));
        Assert.That(messages, Has.Some.Contains("is also used by 'Fleet.Web'"));

        // One address on two networks is two addresses.
        DiagnosticAssert.Exactly(Source(Vm("Web", Tap("vm-web", 1, "Lan", "\"10.0.0.5\"")) + Vm("Ci", Tap("vm-ci", 3, "Runners", "\"10.9.0.5\""))
            + Vm("Db", Tap("vm-db", 2, "Runners", "\"10.9.0.6\""))));
    }

    [Test]
    public void One_network_described_two_ways_on_two_hosts_is_an_error_on_the_odd_one()
    {
        var source = Source(Vm("Web", Tap("vm-web", 1, "Lan", "\"10.0.0.5\""))
            + "public static readonly Host Beta = new() { Name = \"beta\", Networks = [new() { Network = {|MVN311:Lan with { Dns = [\"9.9.9.9\"] }|} }] };\n"
            + "public static readonly Host Gamma = new() { Name = \"gamma\", Networks = [new() { Network = Lan }] };\n"
            + "[MicroVmModule]\npublic static readonly VirtualMachine B = new() { HostName = \"b\", Host = Beta };\n"
            + "[MicroVmModule]\npublic static readonly VirtualMachine G = new() { HostName = \"g\", Host = Gamma };\n");
        var run = DiagnosticAssert.Exactly(source);
        Assert.That(run.Diagnostics.Single().GetMessage(System.Globalization.CultureInfo.InvariantCulture),
            Does.Contain("Network 'br-lan' is described differently here than for host 'gamma' (Dns = [\"9.9.9.9\"] here, Dns = [\"10.0.0.1\"] there)"),
            "the description two of the three hosts carry is the network's");
    }

    [TestCase("new() { Type = {|MVN264:InterfaceType.User|}, Id = \"net0\", Mac = \"02:00:00:00:00:01\", Network = Lan, Address = \"10.0.0.5\" }", "only a tap interface")]
    [TestCase("new() { Type = InterfaceType.Tap, Id = \"vm-a\", Mac = \"02:00:00:00:00:01\", Address = {|MVN264:\"10.0.0.5\"|} }", "an Address needs a Network")]
    [TestCase("{|MVN264:new() { Type = InterfaceType.Tap, Id = \"vm-a\", Mac = \"02:00:00:00:00:01\", Network = Runners }|}", "a routed network has no DHCP")]
    [TestCase("new() { Type = InterfaceType.Tap, Id = \"vm-a\", Mac = \"02:00:00:00:00:01\", Network = Lan, Address = {|MVN312:\"10.0.0.200\"|} }", "in the DHCP pool host 'alpha' serves (10.0.0.128 to 10.0.0.254")]
    [TestCase("new() { Type = InterfaceType.Tap, Id = \"vm-a\", Mac = \"02:00:00:00:00:01\", Network = Lan, Address = {|MVN264:\"10.0.0.255\"|} }", "broadcast address")]
    [TestCase("new() { Type = InterfaceType.Tap, Id = \"vm-a\", Mac = \"02:00:00:00:00:01\", Network = Lan, Address = {|MVN264:\"10.0.0.05\"|} }", "leading zero")]
    [TestCase("new() { Type = InterfaceType.Tap, Id = {|MVN264:\"vm*\"|}, Mac = \"02:00:00:00:00:01\", Network = Lan, Address = \"10.0.0.5\" }", "its Id names the tap")]
    public void An_interface_that_cannot_be_on_its_network_is_reported_at_the_value(string nic, string reason)
    {
        var run = DiagnosticAssert.Exactly(Source(Vm("Web", nic)));
        Assert.That(run.Diagnostics.Single().GetMessage(System.Globalization.CultureInfo.InvariantCulture), Does.Contain(reason));
    }

    [TestCase("Lan with { Gateway = {|MVN265:\"10.1.0.1\"|} }", "", "outside the network's subnet")]
    [TestCase("Runners with { Gateway = {|MVN265:null|} }", "", "a routed network needs a Gateway")]
    [TestCase("Lan", "Dhcp = {|MVN265:true|}", "set the host's Address")]
    [TestCase("Runners", "Uplink = {|MVN265:\"eno1\"|}", "no bridge")]
    [TestCase("Runners", "Address = {|MVN265:\"10.9.0.2\"|}", "leave the host's Address null")]
    [TestCase("Lan with { Name = {|MVN265:\"bridge-to-the-lan\"|} }", "", "1 to 15 characters")]
    [TestCase("Lan with { Subnet = {|MVN265:\"10.0.0.0/31\"|} }", "", "at most 30")]
    [TestCase("Lan with { Dns = [{|MVN265:\"dns.example\"|}] }", "", "four numbers")]
    [TestCase("Lan", "Address = \"10.0.0.2\", Dhcp = {|MVN265:true|}", "announces its own address (10.0.0.2) as the router, and the network's Gateway is 10.0.0.1")]
    public void A_network_that_cannot_be_configured_is_reported_at_the_value(string network, string side, string reason)
    {
        var run = DiagnosticAssert.Exactly(OneVm("new() { Name = \"alpha\", Networks = [new() { Network = " + network + ", " + side + " }] }"));
        Assert.That(run.Diagnostics.Single().GetMessage(System.Globalization.CultureInfo.InvariantCulture), Does.Contain(reason));
    }

    [Test]
    public void A_host_masquerades_out_of_one_interface()
    {
        DiagnosticAssert.Exactly("""
            using MicroVm.Nix;

            public static class Fleet
            {
                public static readonly Network Runners = new() { Name = "runners", Kind = NetworkKind.Routed, Subnet = "10.9.0.0/24", Gateway = "10.9.0.1" };

                public static readonly Network Dmz = new() { Name = "dmz", Kind = NetworkKind.Routed, Subnet = "10.5.0.0/24", Gateway = "10.5.0.1" };

                [MicroVmModule]
                public static readonly VirtualMachine Vm = new()
                {
                    HostName = "vm",
                    Host = new()
                    {
                        Name = "alpha",
                        Networks = [new() { Network = Runners, NatInterface = "eno1" }, new() { Network = Dmz, NatInterface = {|MVN260:"eno2"|} }],
                    },
                };
            }
            """);
    }

    [Test]
    public void One_host_masquerades_out_of_its_bridge_not_out_of_a_port_of_it()
    {
        DiagnosticAssert.Exactly("""
            using MicroVm.Nix;

            public static class Fleet
            {
                public static readonly Network Lan = new() { Name = "br-lan", Subnet = "10.0.0.0/24", Gateway = "10.0.0.1" };

                public static readonly Network Runners = new() { Name = "runners", Kind = NetworkKind.Routed, Subnet = "10.9.0.0/24", Gateway = "10.9.0.1" };

                [MicroVmModule]
                public static readonly VirtualMachine Vm = new()
                {
                    HostName = "vm",
                    Host = new()
                    {
                        Name = "alpha",
                        Networks = [new() { Network = Lan, Address = "10.0.0.2", Uplink = "eno1" }, new() { Network = Runners, NatInterface = {|MVN260:"eno1"|} }],
                    },
                };
            }
            """);
    }

    [TestCase("Lan with { Name = \"br-two\", Subnet = {|MVN265:\"10.0.0.128/25\"|}, Gateway = null }", "", "it overlaps network 'br-lan' (10.0.0.0/24) on host 'alpha'")]
    [TestCase("Lan with { Name = \"br-two\", Subnet = \"10.1.0.0/24\", Gateway = null }", "Uplink = {|MVN265:\"eno1\"|}", "it is the uplink of network 'br-lan' on host 'alpha' too")]
    [TestCase("Runners with { Subnet = {|MVN265:\"10.0.0.0/16\"|}, Gateway = \"10.0.200.1\" }", "", "it overlaps network 'br-lan'")]
    public void Networks_of_one_host_keep_apart(string second, string side, string reason)
    {
        var source = OneVm("new() { Name = \"alpha\", Networks = [new() { Network = Lan, Uplink = \"eno1\" }, new() { Network = " + second + ", " + side + " }] }");
        var run = DiagnosticAssert.Exactly(source);
        Assert.That(run.Diagnostics.Single().GetMessage(System.Globalization.CultureInfo.InvariantCulture), Does.Contain(reason));
    }

    [Test]
    public void Dhcp_is_one_server_per_network_and_its_pool_is_kept_free_on_every_host()
    {
        const string Two = """
            using MicroVm.Nix;

            public static class Fleet
            {
                public static readonly Network Lan = new() { Name = "br-lan", Subnet = "10.0.0.0/24", Gateway = "10.0.0.1" };

                public static readonly Host Alpha = new() { Name = "alpha", Networks = [new() { Network = Lan, Address = "10.0.0.1", Dhcp = true }] };

                public static readonly Host Beta = new() { Name = "beta", Networks = [new() { Network = Lan, Address = BETA }] };

                [MicroVmModule]
                public static readonly VirtualMachine A = new() { HostName = "a", Host = Alpha, Interfaces = [new() { Type = InterfaceType.Tap, Id = "vm-a", Mac = "02:00:00:00:00:01", Network = Lan }] };

                [MicroVmModule]
                public static readonly VirtualMachine B = new() { HostName = "b", Host = Beta, Interfaces = [new() { Type = InterfaceType.Tap, Id = "vm-b", Mac = "02:00:00:00:00:02", Network = Lan, Address = VM }] };
            }
            """;

        // A static address in alpha's pool, on beta: a VM's and the host's own.
        DiagnosticAssert.Exactly(Two.Replace("BETA", "\"10.0.0.2\"", System.StringComparison.Ordinal).Replace("VM", "{|MVN312:\"10.0.0.130\"|}", System.StringComparison.Ordinal));
        DiagnosticAssert.Exactly(Two.Replace("BETA", "{|MVN312:\"10.0.0.250\"|}", System.StringComparison.Ordinal).Replace("VM", "\"10.0.0.30\"", System.StringComparison.Ordinal));
        DiagnosticAssert.Exactly(Two.Replace("BETA", "\"10.0.0.2\"", System.StringComparison.Ordinal).Replace("VM", "\"10.0.0.30\"", System.StringComparison.Ordinal));

        // Two servers (on a network without a router): each is told of the other.
        var twice = Two.Replace(", Gateway = \"10.0.0.1\" };", " };", System.StringComparison.Ordinal)
            .Replace("Address = \"10.0.0.1\", Dhcp = true", "Address = \"10.0.0.1\", Dhcp = {|MVN313:true|}", System.StringComparison.Ordinal)
            .Replace("Address = BETA }", "Address = \"10.0.0.2\", Dhcp = {|MVN313:true|} }", System.StringComparison.Ordinal)
            .Replace("VM", "\"10.0.0.30\"", System.StringComparison.Ordinal);
        var run = DiagnosticAssert.Exactly(twice);
        Assert.That(run.Diagnostics.Select(d => d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)), Has.Some.Contains("served DHCP by host 'beta' too").And.Some.Contains("served DHCP by host 'alpha' too"));
    }

    [Test]
    public void A_host_with_its_port_on_a_bridge_routes_and_resolves_through_it()
    {
        var run = DiagnosticAssert.Exactly(Source(Vm("Web", Tap("vm-web", 1, "Lan", "\"10.0.0.5\""))).Replace(
            "new() { Network = Lan, Address = \"10.0.0.1\", Dhcp = true },", "new() { Network = Lan, Address = \"10.0.0.2\", Uplink = \"eno1\" },", System.StringComparison.Ordinal)
            .Replace("new() { Network = Runners, NatInterface = \"eno1\" },", "new() { Network = Runners, NatInterface = \"br-lan\" },", System.StringComparison.Ordinal));
        var dir = Directory.CreateTempSubdirectory("microvm-nix-uplink-");
        try
        {
            HostModule.WriteAll(run, dir.FullName);
            var host = HostModule.EvaluateWithUpstream(Path.Combine(dir.FullName, "alpha", "default.nix"));
            var bridge = host["systemd"]!["network"]!["networks"]!["20-br-lan"]!;
            Assert.That(bridge["gateway"]!.AsArray().Select(g => (string?)g), Is.EqualTo(new[] { "10.0.0.1" }));
            Assert.That(bridge["dns"]!.AsArray().Select(g => (string?)g), Is.EqualTo(new[] { "10.0.0.1" }));
            Assert.That(bridge["linkConfig"]!.AsObject(), Is.Empty, "with a port to the outside, the bridge is the host's link and may hold up boot as any would");
            Assert.That((bool?)host["networking"]!["useNetworkd"], Is.True);
            Assert.That((string?)host["networking"]!["nat"]!["externalInterface"], Is.EqualTo("br-lan"));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Test]
    public void A_plan_whose_traffic_or_leases_cannot_arrive_is_an_error()
    {
        // NAT on a bridge network the host is not the gateway of: the VMs' traffic never passes through it.
        DiagnosticAssert.Exactly(Source(Vm("Web", Tap("vm-web", 1, "Lan", "\"10.0.0.5\""))).Replace("new() { Network = Runners, NatInterface = \"eno1\" },", "new() { Network = Runners },", System.StringComparison.Ordinal)
            .Replace("new() { Network = Lan, Address = \"10.0.0.1\", Dhcp = true },", "new() { Network = Lan, Address = \"10.0.0.2\", NatInterface = {|MVN265:\"eno1\"|} },", System.StringComparison.Ordinal));

        // A DHCP interface on a host that serves none, with no uplink to a server.
        var unserved = Source(Vm("Web", Tap("vm-web", 1, "Lan", null)).Replace("new() { Type", "{|MVN264:new() { Type", System.StringComparison.Ordinal).Replace(" }] };", " }|}] };", System.StringComparison.Ordinal))
            .Replace("Address = \"10.0.0.1\", Dhcp = true", "Address = \"10.0.0.1\"", System.StringComparison.Ordinal);
        var run = DiagnosticAssert.Exactly(unserved);
        Assert.That(run.Diagnostics.Single().GetMessage(System.Globalization.CultureInfo.InvariantCulture), Does.Contain("no DHCP server can reach it"));
        DiagnosticAssert.Exactly(Source(Vm("Web", Tap("vm-web", 1, "Lan", null))).Replace("Address = \"10.0.0.1\", Dhcp = true", "Address = \"10.0.0.1\", Uplink = \"eno2\"", System.StringComparison.Ordinal));

        // A typed network's bridge listed among the host's own bridges too.
        DiagnosticAssert.Exactly(Source("[MicroVmModule]\npublic static readonly VirtualMachine Vm = new() { HostName = \"vm\", Host = Alpha };\n")
            .Replace("Name = \"alpha\",", "Name = \"alpha\",\n        Bridges = [\"br-lan\"],", System.StringComparison.Ordinal)
            .Replace("public static readonly Network Lan = new() { Name = \"br-lan\"", "public static readonly Network Lan = new() { Name = {|MVN265:\"br-lan\"|}", System.StringComparison.Ordinal));
    }
}
