using System;
using System.Collections.Generic;
using System.Linq;
using MicroVm.Nix.Generator.Diagnostics;
using MicroVm.Nix.Generator.Model;
using Microsoft.CodeAnalysis;

namespace MicroVm.Nix.Generator.Validation;

/// <summary>
/// Checks across every VM of the compilation, which upstream, seeing one VM at a time, cannot make:
/// host names (they name the files), disks attached writable to two VMs, MAC addresses, host
/// interface names and vsock CIDs. Every VM involved gets the diagnostic, naming the other.
/// </summary>
internal static class FleetValidator
{
    /// <summary>
    /// Linear in the fleet: claims are grouped by value, and each claim looks only at the first
    /// entries of its group that can conflict with it (the first two of the group, or of its
    /// exclusive members), in the fleet's order, so the other VM named is always the first one.
    /// </summary>
    public static IReadOnlyList<(string Member, DiagnosticInfo Diagnostic)> Validate(IEnumerable<FleetFacts> fleet)
    {
        var vms = fleet.OrderBy(f => f.Member, StringComparer.Ordinal).ToList();
        var found = new List<(string, DiagnosticInfo)>();

        void Check(DiagnosticDescriptor descriptor, Func<FleetFacts, IEnumerable<FleetClaim>> claims, bool sameVmToo, bool exclusiveOnly)
        {
            var all = new List<(FleetFacts Vm, FleetClaim Claim, int Index)>();
            foreach (var vm in vms)
            {
                var index = 0;
                foreach (var claim in claims(vm))
                {
                    all.Add((vm, claim, index++));
                }
            }

            // Per value: the first two claims, and the first two exclusive ones (one of them may be the claim itself).
            var groups = new Dictionary<string, (List<int> First, List<int> Exclusive)>(StringComparer.Ordinal);
            for (var i = 0; i < all.Count; i++)
            {
                if (!groups.TryGetValue(all[i].Claim.Value, out var group))
                {
                    group = ([], []);
                    groups.Add(all[i].Claim.Value, group);
                }

                if (group.First.Count < 2)
                {
                    group.First.Add(i);
                }

                if (all[i].Claim.Exclusive && group.Exclusive.Count < 2)
                {
                    group.Exclusive.Add(i);
                }
            }

            bool Conflicts(int i, int j) => i != j && (!ReferenceEquals(all[i].Vm, all[j].Vm) || (sameVmToo && all[i].Index != all[j].Index));

            for (var i = 0; i < all.Count; i++)
            {
                var (vm, claim, _) = all[i];
                var group = groups[claim.Value];

                // A shared claim (a read-only disk) conflicts only with an exclusive one; an exclusive one with any.
                var candidates = exclusiveOnly && !claim.Exclusive ? group.Exclusive : group.First;
                var other = candidates.Where(j => Conflicts(i, j)).Select(j => all[j].Vm).FirstOrDefault();
                if (other is null && candidates.Count == 2 && !sameVmToo)
                {
                    // Both first entries belong to this VM: look further for another VM.
                    other = all.Where(o => o.Claim.Value == claim.Value && (!exclusiveOnly || claim.Exclusive || o.Claim.Exclusive) && !ReferenceEquals(o.Vm, vm)).Select(o => o.Vm).FirstOrDefault();
                }

                if (other is not null)
                {
                    found.Add((vm.Member, DiagnosticInfo.Create(descriptor, claim.Location, claim.Display, other.Member)));
                }
            }
        }

        Check(DiagnosticDescriptors.DuplicateHostName, vm => vm.HostName.Value.Length > 0 ? [vm.HostName] : [], sameVmToo: false, exclusiveOnly: false);
        Check(DiagnosticDescriptors.SharedWritableImage, vm => vm.Images, sameVmToo: false, exclusiveOnly: true);
        Check(DiagnosticDescriptors.DuplicateMac, vm => vm.Macs, sameVmToo: true, exclusiveOnly: false);
        Check(DiagnosticDescriptors.DuplicateHostInterface, vm => vm.HostInterfaces, sameVmToo: false, exclusiveOnly: false);
        Check(DiagnosticDescriptors.DuplicateVsockCid, vm => vm.VsockCids, sameVmToo: false, exclusiveOnly: false);

        // One zvol created by several VMs: each VM's service creates it if missing, so they must agree on
        // how. Per zvol and way of creating it, the first two VMs that do so.
        var creations = new Dictionary<string, List<(FleetFacts Vm, FleetClaim Claim)>>(StringComparer.Ordinal);
        foreach (var vm in vms)
        {
            foreach (var claim in vm.ZvolCreations)
            {
                if (!creations.TryGetValue(claim.Value, out var ways))
                {
                    ways = [];
                    creations.Add(claim.Value, ways);
                }

                if (ways.Count(w => w.Claim.Detail == claim.Detail) < 2)
                {
                    ways.Add((vm, claim));
                }
            }
        }

        foreach (var vm in vms)
        {
            foreach (var claim in vm.ZvolCreations)
            {
                var other = creations[claim.Value].FirstOrDefault(o => !ReferenceEquals(o.Vm, vm) && o.Claim.Detail != claim.Detail);
                if (other.Vm is not null)
                {
                    found.Add((vm.Member, DiagnosticInfo.Create(DiagnosticDescriptors.ZvolCreatedTwiceDifferently, claim.Location, claim.Display, claim.Detail ?? string.Empty, other.Vm.Member, other.Claim.Detail ?? string.Empty)));
                }
            }
        }

        CheckHosts(vms, found);
        CheckNetworks(vms, found);
        return found;
    }

    /// <summary>
    /// Typed networks: every address on a network once across the fleet, the VMs' and the hosts' own (MVN310), and each
    /// network described one way on every host (MVN311). A host's claims are counted once, from its first VM.
    /// </summary>
    private static void CheckNetworks(List<FleetFacts> vms, List<(string, DiagnosticInfo)> found)
    {
        var hosts = vms.Where(vm => vm.Host is not null).GroupBy(vm => vm.Host!.Name, StringComparer.Ordinal).Select(g => g.First()).ToList();

        // Owners: each VM interface (its VM, its index) and each host address (its host).
        var claims = new List<(string Member, string Owner, int Index, FleetClaim Claim)>();
        foreach (var vm in vms)
        {
            claims.AddRange(vm.Addresses.Select((c, i) => (vm.Member, "'" + vm.Member + "'", i, c)));
        }

        foreach (var host in hosts)
        {
            claims.AddRange(host.Host!.Addresses.Select((c, i) => (host.Member, "host '" + host.Host.Name + "'", i, c)));
        }

        var firstTwo = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < claims.Count; i++)
        {
            if (!firstTwo.TryGetValue(claims[i].Claim.Value, out var owners))
            {
                firstTwo.Add(claims[i].Claim.Value, owners = []);
            }

            if (owners.Count < 2)
            {
                owners.Add(i);
            }
        }

        for (var i = 0; i < claims.Count; i++)
        {
            var other = firstTwo[claims[i].Claim.Value].Where(j => j != i).Select(j => claims[j]).FirstOrDefault();
            if (other.Owner is not null)
            {
                found.Add((claims[i].Member, DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateAddress, claims[i].Claim.Location, claims[i].Claim.Display, claims[i].Claim.Detail ?? string.Empty, other.Owner)));
            }
        }

        // DHCP: one server per network, and no static address (a VM's or a host's) in its pool, whichever host it is on.
        var servers = hosts.SelectMany(h => h.Host!.Dhcp.Select(c => (Host: h, Claim: c))).GroupBy(d => d.Claim.Value, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        foreach (var network in servers.Keys.OrderBy(k => k, StringComparer.Ordinal))
        {
            var served = servers[network];
            foreach (var server in served)
            {
                var other = served.FirstOrDefault(s => !ReferenceEquals(s.Host, server.Host));
                if (other.Host is not null)
                {
                    found.Add((server.Host.Member, DiagnosticInfo.Create(DiagnosticDescriptors.DhcpServedTwice, server.Claim.Location, network, other.Claim.Display)));
                }
            }
        }

        foreach (var (member, _, _, claim) in claims)
        {
            if (claim.Detail is { } network && servers.TryGetValue(network, out var served)
                && Ipv4.Subnet(served[0].Claim.Detail ?? string.Empty, out _) is { } subnet
                && Ipv4.Address(claim.Display, out _) is { } address
                && Ipv4.Contains(subnet, address)
                && TypedNetworkRules.DhcpPool(subnet) is var pool
                && address - subnet.Network >= pool.Offset && address - subnet.Network < pool.Offset + pool.Size)
            {
                found.Add((member, DiagnosticInfo.Create(DiagnosticDescriptors.AddressInDhcpPool, claim.Location, claim.Display, network, served[0].Claim.Display, TypedNetworkRules.PoolText(subnet))));
            }
        }

        // One description per network name across hosts: the one most hosts carry (the first host's among equals).
        foreach (var network in hosts.SelectMany(h => h.Host!.Networks.Select(n => (Host: h, Claim: n))).GroupBy(n => n.Claim.Value, StringComparer.Ordinal))
        {
            var usual = network.GroupBy(n => n.Claim.Detail, StringComparer.Ordinal).OrderByDescending(g => g.Count()).First().First();
            foreach (var (host, claim) in network.Where(n => n.Claim.Detail != usual.Claim.Detail))
            {
                found.Add((host.Member, DiagnosticInfo.Create(DiagnosticDescriptors.NetworkDescribedTwice, claim.Location, claim.Display,
                    "host '" + usual.Host.Host!.Name + "'", Placement.FirstDifference(claim.Detail!.Split('\n'), usual.Claim.Detail!.Split('\n')))));
            }
        }
    }

    /// <summary>
    /// Placement: in a project with hosts every VM has one (MVN307); one host name is one description (MVN308); and
    /// what a host's VMs take against what it has (MVN309, a warning once per host, at its capacity).
    /// </summary>
    private static void CheckHosts(List<FleetFacts> vms, List<(string, DiagnosticInfo)> found)
    {
        var placed = vms.FirstOrDefault(vm => vm.Host is not null);
        if (placed is null)
        {
            return;
        }

        foreach (var vm in vms.Where(vm => vm.Host is null))
        {
            found.Add((vm.Member, DiagnosticInfo.Create(DiagnosticDescriptors.VmWithoutHost, vm.HostName.Location, vm.Member, placed.Member, placed.Host!.Name)));
        }

        // Host names that differ only in case name one folder on a file system that ignores case: one host, described two ways.
        foreach (var host in vms.Where(vm => vm.Host is not null).GroupBy(vm => vm.Host!.Name, StringComparer.OrdinalIgnoreCase))
        {
            // The description most of its VMs carry (the first VM's among equals) is the host's; each other one is reported.
            var first = host.GroupBy(vm => vm.Host!.Description).OrderByDescending(g => g.Count()).First().First();
            var described = first.Host!.Description;
            foreach (var vm in host)
            {
                if (!vm.Host!.Description.Equals(described))
                {
                    found.Add((vm.Member, DiagnosticInfo.Create(DiagnosticDescriptors.HostDescribedTwice, vm.Host.Location, vm.Host.Name, first.Member,
                        Placement.FirstDifference(vm.Host.Description, described))));
                }
            }

            // Only the VMs that carry the first description: a host described two ways is an error already.
            var same = host.Where(vm => vm.Host!.Description.Equals(described)).ToList();
            // Each VM's share, the largest first; a long list is cut after eight.
            string Takes(Func<FleetFacts, long> amount, string unit)
            {
                var shares = same.Where(vm => !string.IsNullOrEmpty(vm.HostName.Value)).OrderByDescending(amount).ThenBy(vm => vm.Member, StringComparer.Ordinal).ToList();
                var shown = string.Join(", ", shares.Take(8).Select(vm => vm.Member + " " + Number(amount(vm)) + unit));
                return shares.Count > 8 ? shown + " and " + Number(shares.Count - 8) + " more" : shown;
            }

            var vcpus = same.Sum(vm => vm.Host!.VmVcpus);
            if (first.Host.Vcpus is { } hostVcpus and > 0 && vcpus > hostVcpus)
            {
                found.Add((first.Member, DiagnosticInfo.Create(DiagnosticDescriptors.HostOvercommitted, first.Host.VcpusLocation, first.Host.Name,
                    Number(hostVcpus) + " vCPUs", Number(vcpus), Takes(vm => vm.Host!.VmVcpus, string.Empty))));
            }

            var memory = same.Sum(vm => vm.Host!.VmMemoryMiB);
            if (first.Host.MemoryBytes is { } hostBytes and > 0 && memory * 1024 * 1024 > hostBytes)
            {
                found.Add((first.Member, DiagnosticInfo.Create(DiagnosticDescriptors.HostOvercommitted, first.Host.MemoryLocation, first.Host.Name,
                    Number(hostBytes / (1024 * 1024)) + " MiB of memory", Number(memory) + " MiB", Takes(vm => vm.Host!.VmMemoryMiB, " MiB"))));
            }
        }
    }

    private static string Number(long value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
