using System.Collections.Generic;
using System.Linq;
using MicroVm.Nix.Generator.Diagnostics;
using MicroVm.Nix.Generator.Model;

namespace MicroVm.Nix.Generator.Validation;

/// <summary>
/// One mount point, one mount. upstream's nixos-modules/microvm/mounts.nix turns volumes and shares
/// into <c>fileSystems</c>, folding each list with <c>//</c> (a later volume or share at the same
/// mount point silently replaces the earlier one), merging volumes, shares and its own store mounts
/// with <c>mkMerge</c> (two of those at one mount point are conflicting definitions NixOS refuses).
/// </summary>
internal static class MountRules
{
    private sealed record Mount(string Path, string Kind, string What, LocationInfo? Location);

    public static void Validate(BoundRecord vm, List<DiagnosticInfo> diagnostics)
    {
        var mounts = new List<Mount>();
        mounts.AddRange(UpstreamMounts(vm).Select(m => new Mount(m.Path, "upstream", m.What, null)));

        var volumes = vm.Records("Volumes");
        for (var i = 0; i < volumes.Count; i++)
        {
            if (volumes[i].Effective("MountPoint") is StringValue mountPoint)
            {
                mounts.Add(new Mount(Normalize(mountPoint.Value), "volume", "volume " + VmValidator.Number(i) + " (" + (VmValidator.ImagePath(volumes[i]) ?? "?") + ")", mountPoint.Location));
            }
        }

        foreach (var share in vm.Records("Shares"))
        {
            if (share.Effective("MountPoint") is StringValue mountPoint)
            {
                mounts.Add(new Mount(Normalize(mountPoint.Value), "share", "share '" + share.String("Tag") + "'", mountPoint.Location));
            }
        }

        foreach (var group in mounts.GroupBy(m => m.Path, System.StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            var first = group.First();
            foreach (var mount in group.Skip(1))
            {
                var consequence = mount.Kind == first.Kind
                    ? "microvm.nix folds the " + mount.Kind + "s into fileSystems with //, so only the last is mounted and the other is attached but never mounted"
                    : "NixOS refuses the guest: the option fileSystems.\"" + group.Key + "\".device has conflicting definition values";
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MountPointUsedTwice, mount.Location ?? first.Location, group.Key, first.What, consequence));
            }
        }
    }

    /// <summary>The mounts upstream's mounts.nix makes itself, besides the mkDefault root tmpfs (which a volume may replace).</summary>
    private static IEnumerable<(string Path, string What)> UpstreamMounts(BoundRecord vm)
    {
        var storeOnDisk = VmValidator.StoreOnDisk(vm);
        var overlay = vm.Effective("WritableStoreOverlay") is StringValue;
        var hostStore = vm.Records("Shares").FirstOrDefault(s => s.String("Source") == "/nix/store");
        if (overlay || storeOnDisk || (hostStore is not null && Normalize(hostStore.String("MountPoint") ?? string.Empty) != "/nix/store"))
        {
            yield return ("/nix/store", overlay ? "upstream's /nix/store overlay (WritableStoreOverlay)" : storeOnDisk ? "upstream's /nix/store from the store disk" : "upstream's bind mount of the host store share at /nix/store");
        }

        if (storeOnDisk && overlay)
        {
            yield return ("/nix/.ro-store", "upstream's read-only store disk under the overlay");
        }
    }

    /// <summary>A mount point as the kernel sees it: doubled slashes and '.' components dropped, no trailing slash.</summary>
    internal static string Normalize(string path)
    {
        var parts = path.Split('/').Where(p => p.Length > 0 && p != ".").ToList();
        return (path.StartsWith("/", System.StringComparison.Ordinal) ? "/" : string.Empty) + string.Join("/", parts);
    }
}
