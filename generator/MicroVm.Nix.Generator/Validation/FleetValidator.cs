using System;
using System.Collections.Immutable;
using System.Linq;
using MicroVm.Nix.Generator.Diagnostics;
using MicroVm.Nix.Generator.Model;

namespace MicroVm.Nix.Generator.Validation;

/// <summary>Checks across every VM of the compilation, which upstream, seeing one VM at a time, cannot make.</summary>
internal static class FleetValidator
{
    public static void Report(ImmutableArray<VmSpec> vms, Action<DiagnosticInfo> report)
    {
        var ordered = vms.OrderBy(v => v.Member, StringComparer.Ordinal).ToImmutableArray();
        foreach (var group in ordered.Where(v => v.HostName.Length > 0).GroupBy(v => v.HostName, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
        {
            foreach (var vm in group)
            {
                var other = group.First(o => !ReferenceEquals(o, vm));
                report(DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateHostName, vm.Vm.LocationOf("HostName"), vm.HostName, other.Member));
            }
        }
    }
}
