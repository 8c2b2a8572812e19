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
    public static IReadOnlyList<(string Member, DiagnosticInfo Diagnostic)> Validate(IEnumerable<FleetFacts> fleet)
    {
        var vms = fleet.OrderBy(f => f.Member, StringComparer.Ordinal).ToList();
        var found = new List<(string, DiagnosticInfo)>();

        void Check(DiagnosticDescriptor descriptor, Func<FleetFacts, IEnumerable<FleetClaim>> claims, bool sameVmToo, Func<FleetClaim, FleetClaim, bool> conflict)
        {
            var all = vms.SelectMany(vm => claims(vm).Select((claim, index) => (vm, claim, index))).ToList();
            foreach (var (vm, claim, index) in all)
            {
                var other = all.FirstOrDefault(o =>
                    o.claim.Value == claim.Value
                    && (!ReferenceEquals(o.vm, vm) || (sameVmToo && o.index != index))
                    && conflict(claim, o.claim));
                if (other.vm is not null)
                {
                    found.Add((vm.Member, DiagnosticInfo.Create(descriptor, claim.Location, claim.Display, other.vm.Member)));
                }
            }
        }

        Check(DiagnosticDescriptors.DuplicateHostName, vm => vm.HostName.Value.Length > 0 ? [vm.HostName] : [], sameVmToo: false, (_, _) => true);
        Check(DiagnosticDescriptors.SharedWritableImage, vm => vm.Images, sameVmToo: false, (a, b) => a.Exclusive || b.Exclusive);
        Check(DiagnosticDescriptors.DuplicateMac, vm => vm.Macs, sameVmToo: true, (_, _) => true);
        Check(DiagnosticDescriptors.DuplicateHostInterface, vm => vm.HostInterfaces, sameVmToo: false, (_, _) => true);
        Check(DiagnosticDescriptors.DuplicateVsockCid, vm => vm.VsockCids, sameVmToo: false, (_, _) => true);

        // One zvol created by several VMs: each VM's service creates it if missing, so they must agree on how.
        foreach (var (vm, claim) in vms.SelectMany(vm => vm.ZvolCreations.Select(claim => (vm, claim))))
        {
            var other = vms.Where(o => !ReferenceEquals(o, vm))
                .SelectMany(o => o.ZvolCreations.Where(c => c.Value == claim.Value && c.Detail != claim.Detail).Select(c => (o, c)))
                .FirstOrDefault();
            if (other.o is not null)
            {
                found.Add((vm.Member, DiagnosticInfo.Create(DiagnosticDescriptors.ZvolCreatedTwiceDifferently, claim.Location, claim.Display, claim.Detail ?? string.Empty, other.o.Member, other.c.Detail ?? string.Empty)));
            }
        }
        return found;
    }
}
