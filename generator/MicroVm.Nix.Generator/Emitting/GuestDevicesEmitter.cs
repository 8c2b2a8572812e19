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

        var names = vms.Select(vm => vm.Member.Substring(vm.Member.LastIndexOf('.') + 1)).ToList();
        var code = new StringBuilder()
            .Append("\nnamespace MicroVm.Nix.Generated\n{\n")
            .Append("    /// <summary>Where the volumes of this project's MicroVMs appear inside their guests, computed as microvm.nix does.</summary>\n")
            .Append("    [global::System.CodeDom.Compiler.GeneratedCode(\"MicroVm.Nix.Generator\", null)]\n")
            .Append("    public static class GuestDevices\n    {\n");
        for (var i = 0; i < vms.Count; i++)
        {
            var vm = vms[i];

            // The member's own name, qualified by its type where two VMs share it.
            var name = names.Count(n => n == names[i]) == 1 ? names[i] : vm.Member.Replace('.', '_');
            code.Append("        /// <summary>The volumes of <c>").Append(Escape(vm.Member)).Append("</c> (").Append(Escape(vm.FileName)).Append("), in order.</summary>\n")
                .Append("        public static global::System.Collections.Generic.IReadOnlyList<global::MicroVm.Nix.GuestDevice> ")
                .Append(SyntaxFacts.GetKeywordKind(name) == SyntaxKind.None ? name : "@" + name)
                .Append(" { get; } = new global::MicroVm.Nix.GuestDevice[]\n        {\n");
            foreach (var device in vm.Devices)
            {
                code.Append("            new(").Append(Literal(device.HostPath)).Append(", ").Append(Literal(device.DevicePath))
                    .Append(", ").Append(Literal(device.ById)).Append(", ").Append(Literal(device.ByLabel)).Append("),\n");
            }

            code.Append("        };\n");
        }

        return code.Append("    }\n}\n").ToString();
    }

    private static string Literal(string? value) => value is null ? "null" : SymbolDisplay.FormatLiteral(value, quote: true);

    private static string Escape(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
