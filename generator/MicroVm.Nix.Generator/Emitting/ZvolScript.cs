using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using MicroVm.Nix.Generator.Model;

namespace MicroVm.Nix.Generator.Emitting;

/// <summary>
/// The shell script of a VM's zvol provisioning service. For each zvol: create it with its
/// properties when <c>zfs get type</c> says it does not exist (as disko does); then, created or not,
/// fail with a message when it is not a volume, or its volsize or volblocksize differ from the record
/// (ZFS fixes volblocksize at creation; the script never resizes or destroys). A create that loses a
/// race with another VM's service (both create one zvol with the same settings, MVN306 refuses
/// different ones) fails harmlessly and the checks pass. Every name in it was validated (MVN109): no
/// quote, glob or <c>${</c> (a space in a pool name is legal and stays quoted).
/// </summary>
internal static class ZvolScript
{
    public static IReadOnlyList<string> Lines(string vmName, IReadOnlyList<ZvolPlan> zvols)
    {
        var lines = new List<string>();
        foreach (var zvol in zvols)
        {
            var name = "'" + zvol.Name + "'";
            var create = new List<string> { "zfs create" };
            if (zvol.Sparse)
            {
                create.Add("-s");
            }

            create.Add("-V " + Number(zvol.VolSize));
            if (zvol.VolBlockSize is { } block)
            {
                create.Add("-b " + Number(block));
            }

            create.AddRange(zvol.Properties.Select(p => "-o " + p.Name + "=" + ((StringValue)p.Value).Value));
            create.Add(name);

            lines.Add("# " + zvol.Name + ": " + Describe(zvol));
            lines.Add("if ! zfs get -H -o value type " + name + " >/dev/null 2>&1; then");
            lines.Add("  # Another VM's service may create it at the same moment: then this create fails and the checks below pass.");
            lines.Add("  if " + string.Join(" ", create) + "; then");
            lines.Add("    echo \"MicroVm.Nix: created zvol " + zvol.Name + " for " + vmName + "\"");
            lines.Add("  fi");
            lines.Add("fi");
            lines.Add("type=$(zfs get -H -o value type " + name + ")");
            lines.Add("if [ \"$type\" != volume ]; then");
            lines.Add("  echo \"MicroVm.Nix: " + zvol.Name + " exists but is a $type, not a volume; " + vmName + " needs a zvol there.\" >&2");
            lines.Add("  exit 1");
            AddCheck(lines, zvol, vmName, "volsize", zvol.VolSize,
                "MicroVm.Nix never resizes a zvol: grow it yourself (zfs set volsize=" + Number(zvol.VolSize) + " " + zvol.Name + ") or change VolSize in the record.");
            if (zvol.VolBlockSize is { } expectedBlock)
            {
                AddCheck(lines, zvol, vmName, "volblocksize", expectedBlock,
                    "ZFS fixes volblocksize when a zvol is created: recreate the zvol (its data is lost) or change VolBlockSize in the record.");
            }

            lines.Add("fi");
        }

        return lines;
    }

    /// <summary>Closes the previous <c>if</c> with a check of one property: a differing value stops the VM with a message.</summary>
    private static void AddCheck(List<string> lines, ZvolPlan zvol, string vmName, string property, long expected, string advice)
    {
        lines.Add("fi");
        lines.Add("actual=$(zfs get -Hp -o value " + property + " '" + zvol.Name + "')");
        lines.Add("if [ \"$actual\" != " + Number(expected) + " ]; then");
        lines.Add("  echo \"MicroVm.Nix: zvol " + zvol.Name + " of " + vmName + " has " + property + " $actual bytes, but the C# record says " + Number(expected) + ". " + advice + "\" >&2");
        lines.Add("  exit 1");
    }

    /// <summary>The settings a zvol is created with, for the script's comment and for comparing two VMs that create one zvol.</summary>
    internal static string Describe(ZvolPlan zvol) =>
        string.Join(", ", new[] { "volsize " + Number(zvol.VolSize) + " B", zvol.VolBlockSize is { } b ? "volblocksize " + Number(b) + " B" : null, zvol.Sparse ? "sparse" : null }
            .Concat(zvol.Properties.Select(p => p.Name + "=" + ((StringValue)p.Value).Value))
            .Where(s => s is not null));

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
