using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using MicroVm.Nix.Tests.Infrastructure;

namespace MicroVm.Nix.Tests;

/// <summary>
/// Typed hosts: VMs placed on hosts get a folder per host (its host module and its guests' modules) and
/// fleet.nix; the host module's host-wide settings are judged by upstream's host options, the guests by upstream's
/// guest options; the checks across VMs apply per host where the thing claimed is the host's (tap names, CIDs,
/// disks, zvols) and across hosts where it is the network's or the fleet's (MACs, host names).
/// </summary>
public class HostsTests
{
    private const string Hosts = """
        public static readonly Host Alpha = new()
        {
            Name = "alpha",
            TargetHost = "alpha.lan",
            Pools = ["tank"],
            Bridges = ["br0"],
            Vcpus = 8,
            Memory = DataSize.GiB(16),
            StateDir = "/srv/microvms",
            StartupTimeout = 300,
        };

        public static readonly Host Beta = new()
        {
            Name = "beta",
            System = "aarch64-linux",
            Enable = true,
            UseNotifySockets = true,
            Networks = [new() { Network = new() { Name = "br-int", Subnet = "10.7.0.0/24" }, Address = "10.7.0.1" }],
        };

        public static readonly Host Gamma = new() { Name = "gamma", Pools = ["tank"] };
        """;

    private const string Fleet = $$"""
        using MicroVm.Nix;

        public static class Fleet
        {
            {{Hosts}}

            [MicroVmModule]
            public static readonly VirtualMachine Db = new()
            {
                HostName = "db",
                Host = Alpha,
                Vcpu = 4,
                Mem = 4096,
                VsockCid = 3,
                Interfaces = [new() { Type = InterfaceType.Tap, Id = "vm-net", Mac = "02:00:00:00:00:01" }],
                Volumes = [new() { Image = new Zvol("tank", "vms/db"), Serial = "db", MountPoint = null, Size = 1, AutoCreate = false }],
            };

            [MicroVmModule]
            public static readonly VirtualMachine Web = new()
            {
                HostName = "web",
                Host = Alpha,
                Vcpu = 2,
                Autostart = false,
                Interfaces = [new() { Type = InterfaceType.Bridge, Id = "vm-web", Bridge = "br0", Mac = "02:00:00:00:00:02" }],
            };

            // The tap name, the CID and the zvol of Db, on another host: each host has its own.
            [MicroVmModule]
            public static readonly VirtualMachine Ci = new()
            {
                HostName = "ci",
                Host = Beta,
                VsockCid = 3,
                Interfaces = [new() { Type = InterfaceType.Tap, Id = "vm-net", Mac = "02:00:00:00:00:03" }],
            };
        }
        """;

    private static string Two(string vm, string other) => $$"""
        using MicroVm.Nix;

        public static class Fleet
        {
            {{Hosts}}

            [MicroVmModule]
            public static readonly VirtualMachine Vm = new() { HostName = "vm", {{vm}} };

            [MicroVmModule]
            public static readonly VirtualMachine Other = new() { HostName = "other", {{other}} };
        }
        """;

    [Test]
    public void Each_host_gets_a_folder_with_its_host_module_and_guests_and_fleet_nix_names_them()
    {
        var run = DiagnosticAssert.Exactly(Fleet);
        Assert.That(run.Modules.Select(m => m.FileName).Order(), Is.EqualTo(new[]
        {
            "alpha/db.nix", "alpha/default.nix", "alpha/web.nix", "beta/ci.nix", "beta/default.nix", "fleet.nix",
        }));

        var dir = Directory.CreateTempSubdirectory("microvm-nix-hosts-");
        try
        {
            HostModule.WriteAll(run, dir.FullName);

            // fleet.nix, as lib.fleet reads it.
            var fleet = NixEvaluator.EvalExpression("builtins.mapAttrs (_: h: h // { module = toString h.module; }) (import " + Path.Combine(dir.FullName, "fleet.nix") + ")")!.AsObject();
            Assert.That(fleet.Select(h => h.Key), Is.EqualTo(new[] { "alpha", "beta" }));
            Assert.That((string?)fleet["alpha"]!["system"], Is.EqualTo("x86_64-linux"));
            Assert.That((string?)fleet["alpha"]!["targetHost"], Is.EqualTo("alpha.lan"));
            Assert.That((string?)fleet["alpha"]!["module"], Is.EqualTo(Path.Combine(dir.FullName, "alpha")));
            Assert.That(fleet["alpha"]!["vms"]!.AsArray().Select(v => (string?)v), Is.EqualTo(new[] { "db", "web" }));
            Assert.That((string?)fleet["beta"]!["system"], Is.EqualTo("aarch64-linux"));
            Assert.That((string?)fleet["beta"]!["targetHost"], Is.EqualTo("beta"), "no TargetHost: the host's name");

            // Each host module, judged by upstream's host options: its settings, its VMs and nothing of the other host.
            var alpha = HostModule.EvaluateWithUpstream(Path.Combine(dir.FullName, "alpha", "default.nix"));
            Assert.That((string?)alpha["stateDir"], Is.EqualTo("/srv/microvms"));
            Assert.That((int?)alpha["host"]!["startupTimeout"], Is.EqualTo(300));
            Assert.That(alpha["vms"]!.AsObject().Select(v => v.Key), Is.EqualTo(new[] { "db", "web" }));
            Assert.That((string?)alpha["vms"]!["db"]!["config"], Is.EqualTo(Path.Combine(dir.FullName, "alpha", "db.nix")));
            Assert.That((bool?)alpha["vms"]!["web"]!["autostart"], Is.False);
            Assert.That((string?)alpha["udevRules"], Does.Contain("RESULT==\"tank/vms/db\""));

            var beta = HostModule.EvaluateWithUpstream(Path.Combine(dir.FullName, "beta", "default.nix"));
            Assert.That((string?)beta["stateDir"], Is.EqualTo("/var/lib/microvms"), "upstream's default where the host sets none");
            Assert.That((int?)beta["host"]!["startupTimeout"], Is.EqualTo(150));
            Assert.That(((bool?)beta["host"]!["enable"], (bool?)beta["host"]!["useNotifySockets"]), Is.EqualTo((true, true)));
            Assert.That(beta["vms"]!.AsObject().Select(v => v.Key), Is.EqualTo(new[] { "ci" }));
            Assert.That(File.ReadAllText(Path.Combine(dir.FullName, "beta", "default.nix")), Does.Not.Contain("microvm.stateDir"), "only what the host sets is written");
            var internalNetworks = beta["systemd"]!["network"]!["networks"]!.AsObject();
            Assert.That(internalNetworks.Select(n => n.Key), Is.EqualTo(new[] { "20-br-int" }), "a bridge no VM is on yet: created, with no ports");
            Assert.That(alpha["systemd"]!["network"]!["networks"]!.AsObject(), Is.Empty, "no networks on alpha: none configured");
            Assert.That((bool?)alpha["systemd"]!["network"]!["enable"], Is.False);

            // The guests, judged by upstream's guest options: a host changes nothing in them.
            foreach (var (file, member) in new[] { ("alpha/db.nix", "Db"), ("alpha/web.nix", "Web"), ("beta/ci.nix", "Ci") })
            {
                Upstream.AssertMeans(Path.Combine(dir.FullName, file), (VirtualMachine)run.Value("Fleet", member)!);
            }
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Test]
    public void Every_host_option_is_in_the_evaluated_fleet()
    {
        var missing = Generator.Schema.MicroVmSchema.Host.Options.Where(o => !Hosts.Contains(o.Property + " =", System.StringComparison.Ordinal)).Select(o => o.Property);
        Assert.That(missing, Is.Empty, "host options no case sets");
    }

    [Test]
    public void A_guest_module_is_the_same_with_or_without_a_host()
    {
        var placed = GeneratorHarness.Run(Fleet).Module("alpha/db.nix").Text;

        // The same VMs without hosts (and without Ci, whose tap name and CID repeat Db's, fine on another host only).
        var ci = Fleet.IndexOf("    // The tap name", System.StringComparison.Ordinal);
        var withoutHosts = (Fleet[..ci] + "}\n").Replace("Host = Alpha,", string.Empty, System.StringComparison.Ordinal);
        var alone = DiagnosticAssert.Exactly(withoutHosts);
        Assert.That(alone.Modules.Select(m => m.FileName).Order(), Is.EqualTo(new[] { "db.nix", "default.nix", "web.nix" }), "without hosts: one folder, as before");
        Assert.That(placed, Is.EqualTo(alone.Module("db.nix").Text));
    }

    [Test]
    public void What_a_host_owns_may_repeat_on_another_host_and_not_on_the_same()
    {
        const string Disk = """Volumes = [new() { Image = new Zvol("tank", "vms/shared"), Serial = "s", MountPoint = null, Size = 1, AutoCreate = false }],""";

        // Another host has its own tap names, CIDs and zvols.
        DiagnosticAssert.Exactly(Two(
            """Host = Alpha, VsockCid = 3, Interfaces = [new() { Type = InterfaceType.Tap, Id = "vm-net", Mac = "02:00:00:00:00:01" }], """ + Disk,
            """Host = Gamma, VsockCid = 3, Interfaces = [new() { Type = InterfaceType.Tap, Id = "vm-net", Mac = "02:00:00:00:00:02" }], """ + Disk));

        // The same host: MVN302, MVN304 and MVN305 as in a project without hosts.
        const string Shared = """Volumes = [new() { Image = {|MVN302:new Zvol("tank", "vms/shared")|}, Serial = "s", MountPoint = null, Size = 1, AutoCreate = false }],""";
        DiagnosticAssert.Exactly(Two(
            """Host = Alpha, VsockCid = {|MVN305:3|}, Interfaces = [new() { Type = InterfaceType.Tap, Id = {|MVN304:"vm-net"|}, Mac = "02:00:00:00:00:01" }], """ + Shared,
            """Host = Alpha, VsockCid = {|MVN305:3|}, Interfaces = [new() { Type = InterfaceType.Tap, Id = {|MVN304:"vm-net"|}, Mac = "02:00:00:00:00:02" }], """ + Shared));

        // A MAC is the network's, and a host name the fleet's: across hosts too.
        DiagnosticAssert.Exactly(Two(
            """Host = Alpha, Interfaces = [new() { Type = InterfaceType.Tap, Id = "a", Mac = {|MVN303:"02:00:00:00:00:01"|} }],""",
            """Host = Beta, Interfaces = [new() { Type = InterfaceType.Tap, Id = "b", Mac = {|MVN303:"02:00:00:00:00:01"|} }],"""));
        DiagnosticAssert.Exactly(Two("Host = Alpha,", "Host = Beta,")
            .Replace("HostName = \"vm\"", "HostName = {|MVN301:\"vm\"|}", System.StringComparison.Ordinal)
            .Replace("HostName = \"other\"", "HostName = {|MVN301:\"vm\"|}", System.StringComparison.Ordinal));
    }

    [Test]
    public void In_a_project_with_hosts_a_vm_without_one_is_an_error_on_its_host_name_and_nothing_is_written()
    {
        var run = DiagnosticAssert.Exactly(Two("Host = Alpha,", string.Empty).Replace("HostName = \"other\"", "HostName = {|MVN307:\"other\"|}", System.StringComparison.Ordinal));
        var diagnostic = run.Diagnostics.Single();
        Assert.That(diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), Does.Contain("VM 'Fleet.Other' has no Host, but 'Fleet.Vm' is placed on host 'alpha'"));
        Assert.That(run.Carried().Blocked.Select(b => b.Member), Is.EqualTo(new[] { "Fleet.Other" }), "the build step refuses to write while a VM is blocked");
    }

    [Test]
    public void One_host_name_with_two_descriptions_is_an_error_naming_what_differs()
    {
        var run = DiagnosticAssert.Exactly(Two("Host = {|MVN308:Alpha with { Vcpus = 16 }|},", "Host = Alpha,"));
        Assert.That(run.Diagnostics.Single().GetMessage(System.Globalization.CultureInfo.InvariantCulture),
            Does.Contain("Host 'alpha' is described differently here than for 'Fleet.Other' (Vcpus = 16 here, Vcpus = 8 there)"));

        // Where most VMs of a host agree, the odd one is reported.
        var three = Two("Host = Alpha,", "Host = {|MVN308:Alpha with { StateDir = \"/srv/vms\" }|},").Replace(
            "[MicroVmModule]\n    public static readonly VirtualMachine Other",
            "[MicroVmModule]\n    public static readonly VirtualMachine Third = new() { HostName = \"third\", Host = Alpha };\n\n    [MicroVmModule]\n    public static readonly VirtualMachine Other",
            System.StringComparison.Ordinal);
        Assert.That(three, Does.Contain("Third"));
        DiagnosticAssert.Exactly(three);
    }

    [Test]
    public void Host_names_that_differ_only_in_case_are_one_host_described_two_ways()
    {
        // They would write nix/Alpha and nix/alpha: one folder where case is ignored.
        DiagnosticAssert.Exactly(Two("Host = {|MVN308:Alpha with { Name = \"ALPHA\" }|},", "Host = Alpha,"));
    }

    [Test]
    public void A_host_promised_more_than_it_has_warns_once_with_the_figures_at_its_capacity()
    {
        var run = DiagnosticAssert.Exactly(Two("Host = Alpha, Vcpu = 6, Mem = 12288, HotplugMem = 4096, Qemu = new() { Machine = \"q35\" },", "Host = Alpha, Vcpu = 4, Mem = 2000,")
            .Replace("Vcpus = 8,", "Vcpus = {|MVN309:8|},", System.StringComparison.Ordinal)
            .Replace("Memory = DataSize.GiB(16),", "Memory = {|MVN309:DataSize.GiB(16)|},", System.StringComparison.Ordinal));
        var messages = run.Diagnostics.Select(d => d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.That(messages, Has.Some.Contains("Host 'alpha' has 8 vCPUs, but its VMs take 10: Fleet.Vm 6, Fleet.Other 4."));
        Assert.That(messages, Has.Some.Contains("Host 'alpha' has 16384 MiB of memory, but its VMs take 18384 MiB: Fleet.Vm 16384 MiB, Fleet.Other 2000 MiB."));
        Assert.That(run.Modules.Select(m => m.FileName), Has.Member("alpha/default.nix"), "a warning writes the modules");

        DiagnosticAssert.Exactly(Two("Host = Alpha, Vcpu = 4, Mem = 8192,", "Host = Alpha, Vcpu = 4, Mem = 8192,"));
    }

    [Test]
    public void What_a_vm_needs_of_its_host_is_checked_where_the_vm_names_it()
    {
        DiagnosticAssert.Exactly(Two(
            """Host = Alpha, Volumes = [new() { Image = new Zvol({|MVN261:"fast"|}, "vms/vm"), Serial = "s", MountPoint = null, Size = 1, AutoCreate = false }],""",
            """Host = Alpha, Interfaces = [new() { Type = InterfaceType.Bridge, Id = "vm-o", Bridge = {|MVN262:"br1"|}, Mac = "02:00:00:00:00:02" }],"""));
        var run = DiagnosticAssert.Exactly(Two(
            """Host = Beta, Volumes = [new() { Image = new Zvol({|MVN261:"tank"|}, "vms/vm"), Serial = "s", MountPoint = null, Size = 1, AutoCreate = false }],""",
            "Host = Beta,"));
        Assert.That(run.Diagnostics.Single().GetMessage(System.Globalization.CultureInfo.InvariantCulture), Does.Contain("which host 'beta' does not have (its Pools: none)"));
    }

    [Test]
    public void A_declared_host_keeps_its_folder_and_its_place_in_fleet_nix_without_vms()
    {
        var run = DiagnosticAssert.Exactly(Fleet.Replace("public static readonly Host Gamma", "[MicroVmModule]\n    public static readonly Host Gamma", System.StringComparison.Ordinal));
        Assert.That(run.Modules.Select(m => m.FileName), Has.Member("gamma/default.nix"));
        var dir = Directory.CreateTempSubdirectory("microvm-nix-declared-");
        try
        {
            HostModule.WriteAll(run, dir.FullName);
            var gamma = HostModule.EvaluateWithUpstream(Path.Combine(dir.FullName, "gamma", "default.nix"));
            Assert.That(gamma["vms"]!.AsObject(), Is.Empty, "no VM on it: an empty microvm.vms, which a deployment applies");
            var fleet = NixEvaluator.EvalExpression("builtins.mapAttrs (_: h: h.vms) (import " + Path.Combine(dir.FullName, "fleet.nix") + ")")!.AsObject();
            Assert.That(fleet.Select(h => h.Key), Is.EqualTo(new[] { "alpha", "beta", "gamma" }));
            Assert.That(fleet["gamma"]!.AsArray(), Is.Empty);
        }
        finally
        {
            dir.Delete(recursive: true);
        }

        // A list of hosts declares each; the VMs' hosts are the same, so nothing more is written.
        var listed = GeneratorHarness.Run(Fleet.Replace("public static readonly Host Gamma", "[MicroVmModule]\n    public static readonly Host[] All = [Alpha, Beta];\n\n    public static readonly Host Gamma", System.StringComparison.Ordinal));
        Assert.That(listed.Modules.Select(m => m.FileName).Order(), Is.EqualTo(GeneratorHarness.Run(Fleet).Modules.Select(m => m.FileName).Order()));
        Assert.That(listed.Diagnostics, Is.Empty);
    }

    [Test]
    public void A_declared_host_is_checked_and_held_to_the_description_its_vms_carry()
    {
        var broken = DiagnosticAssert.Exactly("""
            using MicroVm.Nix;

            public static class Fleet
            {
                [MicroVmModule]
                public static readonly Host Alpha = new() { Name = {|MVN260:"alpha_1"|} };
            }
            """);
        Assert.That(broken.Carried().Blocked.Select(b => b.Member), Is.EqualTo(new[] { "Fleet.Alpha" }), "a host with an error blocks the write");

        var twoWays = DiagnosticAssert.Exactly("""
            using MicroVm.Nix;

            public static class Fleet
            {
                [MicroVmModule]
                public static readonly Host Alpha = new() { Name = "alpha", Vcpus = 8 };

                [MicroVmModule]
                public static readonly VirtualMachine Vm = new() { HostName = "vm", Host = {|MVN308:Alpha with { Vcpus = 16 }|} };

                [MicroVmModule]
                public static readonly VirtualMachine Other = new() { HostName = "other", Host = Alpha };
            }
            """);
        Assert.That(twoWays.Diagnostics.Single().GetMessage(System.Globalization.CultureInfo.InvariantCulture), Does.Contain("(Vcpus = 16 here, Vcpus = 8 there)"));
    }

    [TestCase("Name = {|MVN260:\"alpha_1\"|}", "Name = \"alpha-1\"")]
    [TestCase("Name = \"a\", System = {|MVN260:\"aarch64-darwin\"|}", "Name = \"a\", System = \"aarch64-linux\"")]
    [TestCase("Name = \"a\", System = {|MVN260:\"x86_64-linx\"|}", "Name = \"a\", System = \"x86_64-linux\"")]
    [TestCase("Name = \"a\", TargetHost = {|MVN260:\"root@a.lan\"|}", "Name = \"a\", TargetHost = \"a.lan\"")]
    [TestCase("Name = \"a\", TargetHost = {|MVN260:\"-oProxyCommand=x\"|}", "Name = \"a\", TargetHost = \"[fe80::1]\"")]
    [TestCase("Name = \"a\", StateDir = {|MVN260:\"/srv/micro vms\"|}", "Name = \"a\", StateDir = \"/srv/microvms\"")]
    [TestCase("Name = \"a\", StateDir = {|MVN260:\"srv\"|}", "Name = \"a\", StateDir = \"/srv\"")]
    [TestCase("Name = \"a\", Bridges = [{|MVN260:\"bridge-to-the-lan\"|}]", "Name = \"a\", Bridges = [\"br-lan\"]")]
    [TestCase("Name = \"a\", Pools = [{|MVN109:\"1tank\"|}]", "Name = \"a\", Pools = [\"tank1\"]")]
    [TestCase("Name = \"a\", Vcpus = {|MVN260:0|}", "Name = \"a\", Vcpus = 2")]
    [TestCase("Name = \"a\", Memory = {|MVN260:DataSize.GiB(0)|}", "Name = \"a\", Memory = DataSize.GiB(2)")]
    [TestCase("Name = \"a\", TargetHost = {|MVN260:\"a.lan:2222\"|}", "Name = \"a\", TargetHost = \"fe80::1\"")]
    [TestCase("Name = \"a\", TargetHost = {|MVN260:\"[fe80::1\"|}", "Name = \"a\", TargetHost = \"192.168.1.5\"")]
    [TestCase("Name = \"a\", StartupTimeout = {|MVN202:0|}", "Name = \"a\", StartupTimeout = 1")]
    public void A_host_description_is_checked_once_where_it_is_written(string host, string nearMiss)
    {
        static string Source(string host) => $$"""
            using MicroVm.Nix;

            public static class Fleet
            {
                public static readonly Host Shared = new() { {{host}} };

                [MicroVmModule]
                public static readonly VirtualMachine Vm = new() { HostName = "vm", Host = Shared };

                [MicroVmModule]
                public static readonly VirtualMachine Other = new() { HostName = "other", Host = Shared };
            }
            """;

        var run = DiagnosticAssert.Exactly(Source(host));
        Assert.That(run.Carried().Blocked.Select(b => b.Member), Is.EquivalentTo(new[] { "Fleet.Vm", "Fleet.Other" }), "no VM of a host with an error is written");
        DiagnosticAssert.Exactly(Source(nearMiss));
    }

    /// <summary>
    /// Every string a host or network adds, hostile or not: refused with an error on its own literal, or, accepted, it
    /// reaches fleet.nix and the host module intact (Nix parses and evaluates them, and the value is there exactly).
    /// </summary>
    [Test]
    public void A_hostile_host_or_network_string_is_refused_at_its_literal_or_arrives_intact()
    {
        string[] values = ["'", "\"", "$(id)", "${x}", "`id`", " ", "a b", "\n", "a;b", "a|b", "*", "-rf", "é", "a/b", "..", "\\", "", "x\ty", "alpha2", "br-x"];
        string[] fields = ["Host.Name", "Host.TargetHost", "Host.StateDir", "Host.Bridges", "Network.Name", "Network.Subnet", "HostNetwork.Uplink", "HostNetwork.NatInterface"];
        var accepted = 0;
        foreach (var field in fields)
        {
            foreach (var value in values)
            {
                var literal = Microsoft.CodeAnalysis.CSharp.SymbolDisplay.FormatLiteral(value, quote: true);
                string Set(string name) => field == name ? "{|" + literal + "|}" : null!;
                var host = "Name = " + (Set("Host.Name") ?? "\"alpha\"") + (field == "Host.TargetHost" ? ", TargetHost = " + Set(field) : string.Empty)
                    + (field == "Host.StateDir" ? ", StateDir = " + Set(field) : string.Empty) + (field == "Host.Bridges" ? ", Bridges = [" + Set(field) + "]" : string.Empty);
                var network = "new Network { Name = " + (Set("Network.Name") ?? "\"br-lan\"") + ", Kind = NetworkKind.Routed, Subnet = " + (Set("Network.Subnet") ?? "\"10.9.0.0/24\"") + ", Gateway = \"10.9.0.1\" }";
                var side = field == "HostNetwork.Uplink" ? ", Uplink = " + Set(field) : field == "HostNetwork.NatInterface" ? ", NatInterface = " + Set(field) : string.Empty;
                var markup = "using MicroVm.Nix;\npublic static class Fleet\n{\n    [MicroVmModule]\n    public static readonly Host Alpha = new() { " + host
                    + ", Networks = [new() { Network = " + network + side + " }] };\n}\n";
                var (source, marked) = Markup.Parse(markup.Replace("{|", "{|X:", System.StringComparison.Ordinal));
                var span = marked.Single().Span;
                var run = GeneratorHarness.Run(source);
                var errors = run.Diagnostics.Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error).ToList();
                var where = field + " = " + literal;
                if (errors.Count > 0)
                {
                    Assert.That(errors.Any(d => d.Location.SourceSpan == span), Is.True, where + ": refused, but not on its literal: " + string.Join("; ", errors));
                    Assert.That(run.Carried().Blocked, Is.Not.Empty, where + ": refused, so nothing is written");
                    continue;
                }

                accepted++;
                var dir = Directory.CreateTempSubdirectory("microvm-nix-hostile-");
                try
                {
                    HostModule.WriteAll(run, dir.FullName);
                    var name = field == "Host.Name" ? value : "alpha";
                    var fleet = NixEvaluator.EvalExpression("builtins.mapAttrs (_: h: removeAttrs h [ \"module\" ]) (import " + Path.Combine(dir.FullName, "fleet.nix") + ")")!.AsObject();
                    Assert.That(fleet.Select(h => h.Key), Is.EqualTo(new[] { name }), where);
                    Assert.That((string?)fleet[name]!["targetHost"], Is.EqualTo(field == "Host.TargetHost" ? value : name), where);
                    var module = HostModule.EvaluateWithUpstream(Path.Combine(dir.FullName, name, "default.nix"));
                    if (field == "Host.StateDir")
                    {
                        Assert.That((string?)module["stateDir"], Is.EqualTo(value), where);
                    }

                    if (field == "HostNetwork.NatInterface")
                    {
                        Assert.That((string?)module["networking"]!["nat"]!["externalInterface"], Is.EqualTo(value), where);
                    }
                }
                finally
                {
                    dir.Delete(recursive: true);
                }
            }
        }

        Assert.That(accepted, Is.GreaterThan(0), "some plain values are accepted and judged");
    }
}
