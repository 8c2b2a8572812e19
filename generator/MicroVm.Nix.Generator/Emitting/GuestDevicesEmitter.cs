using System.Collections.Generic;
using System.Linq;
using System.Text;
using MicroVm.Nix.Generator.Model;
using Microsoft.CodeAnalysis.CSharp;

namespace MicroVm.Nix.Generator.Emitting;

/// <summary>
/// Emits <c>MicroVm.Nix.Generated.GuestDevices</c>: for each VM, where its volumes appear inside the
/// guest, so C# code (tests, provisioning tools, docs) uses the same paths the modules do.
/// </summary>
internal static class GuestDevicesEmitter
{
    public static string Emit(IReadOnlyList<HostEntry> vms)
    {
        if (vms.Count == 0)
        {
            return string.Empty;
        }

        // One property per member: a VM's volumes, or, for a list member, one list per element, in the
        // list's order (only when every element was written, so that indexes match the C# list).
        var members = new List<(string Member, List<HostEntry> Vms)>();
        var byMember = new Dictionary<string, List<HostEntry>>(System.StringComparer.Ordinal);
        foreach (var vm in vms)
        {
            var member = vm.Element?.Member ?? vm.Member;
            if (!byMember.TryGetValue(member, out var group))
            {
                group = [];
                byMember.Add(member, group);
                members.Add((member, group));
            }

            group.Add(vm);
        }

        members.RemoveAll(m => m.Vms[0].Element is { } element && m.Vms.Count != element.Count);
        var shortNames = members.Select(m => m.Member.Substring(m.Member.LastIndexOf('.') + 1)).ToList();
        var uses = shortNames.GroupBy(n => n, System.StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), System.StringComparer.Ordinal);
        var code = new StringBuilder()
            .Append("\nnamespace MicroVm.Nix.Generated\n{\n")
            .Append("    /// <summary>Where the volumes of this project's MicroVMs appear inside their guests, computed as microvm.nix does.</summary>\n")
            .Append("    [global::System.CodeDom.Compiler.GeneratedCode(\"MicroVm.Nix.Generator\", null)]\n")
            .Append("    public static class GuestDevices\n    {\n");
        for (var i = 0; i < members.Count; i++)
        {
            var (member, group) = members[i];

            // The member's own name, qualified by its type where two members share it.
            var name = uses[shortNames[i]] == 1 ? shortNames[i] : member.Replace('.', '_');
            name = SyntaxFacts.GetKeywordKind(name) == SyntaxKind.None ? name : "@" + name;
            if (group[0].Element is null)
            {
                code.Append("        /// <summary>The volumes of <c>").Append(Escape(member)).Append("</c> (").Append(Escape(group[0].FileName)).Append("), in order.</summary>\n")
                    .Append("        public static global::System.Collections.Generic.IReadOnlyList<global::MicroVm.Nix.GuestDevice> ").Append(name)
                    .Append(" { get; } = new global::MicroVm.Nix.GuestDevice[]\n        {\n");
                AppendDevices(code, group[0], "            ");
                code.Append("        };\n");
                continue;
            }

            code.Append("        /// <summary>The volumes of each element of <c>").Append(Escape(member)).Append("</c>, in the list's order (")
                .Append(Escape(string.Join(", ", group.OrderBy(vm => vm.Element!.Index).Select(vm => vm.FileName)))).Append(").</summary>\n")
                .Append("        public static global::System.Collections.Generic.IReadOnlyList<global::System.Collections.Generic.IReadOnlyList<global::MicroVm.Nix.GuestDevice>> ").Append(name)
                .Append(" { get; } = new global::System.Collections.Generic.IReadOnlyList<global::MicroVm.Nix.GuestDevice>[]\n        {\n");
            foreach (var vm in group.OrderBy(vm => vm.Element!.Index))
            {
                code.Append("            new global::MicroVm.Nix.GuestDevice[]\n            {\n");
                AppendDevices(code, vm, "                ");
                code.Append("            },\n");
            }

            code.Append("        };\n");
        }

        return code.Append("    }\n}\n").ToString();
    }

    private static void AppendDevices(StringBuilder code, HostEntry vm, string indent)
    {
        foreach (var device in vm.Devices)
        {
            code.Append(indent).Append("new(").Append(Literal(device.HostPath)).Append(", ").Append(Literal(device.DevicePath))
                .Append(", ").Append(Literal(device.ById)).Append(", ").Append(Literal(device.ByLabel)).Append("),\n");
        }
    }

    private static string Literal(string? value) => value is null ? "null" : SymbolDisplay.FormatLiteral(value, quote: true);

    private static string Escape(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
