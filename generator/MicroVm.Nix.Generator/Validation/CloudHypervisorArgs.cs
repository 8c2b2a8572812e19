using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using MicroVm.Nix.Generator.Diagnostics;
using MicroVm.Nix.Generator.Model;

namespace MicroVm.Nix.Generator.Validation;

/// <summary>
/// cloud-hypervisor's runner reads its own <c>extraArgs</c> before passing them on
/// (lib/runners/cloud-hypervisor.nix:16-153, with lib/default.nix extractOptValues and
/// extractParamValue), and throws on three combinations. This mirrors that reading exactly, so each
/// throw is MVN205 on the argument that causes it.
/// </summary>
internal static class CloudHypervisorArgs
{
    public static void Validate(BoundRecord vm, List<DiagnosticInfo> diagnostics)
    {
        if (vm.Enum("Hypervisor") != "CloudHypervisor"
            || vm.Record("CloudHypervisor")?.Effective("ExtraArgs") is not ListValue { Items.Count: > 0 } list)
        {
            return;
        }

        var args = list.Items.OfType<StringValue>().ToList();

        // cpusOps (line 147-153): every --cpus value, joined with ',', must not hold boot=.
        var cpus = OptionValues("--cpus", args);
        if (ParamValue("boot", string.Join(",", cpus.Select(v => v.Value))) is { } boot)
        {
            var culprit = cpus.FirstOrDefault(v => ParamValue("boot", v.Value) is not null) ?? cpus[0];
            Report(diagnostics, culprit, "--cpus boot=… in ExtraArgs",
                "Cannot set `microvm.vcpu` and --cpus 'boot=" + boot + "...' via `microvm.cloud-hypervisor.extraArgs` at the same time",
                "lib/runners/cloud-hypervisor.nix:151", "Set Vcpu instead, and keep other --cpus options (such as max=…) in ExtraArgs.");
        }

        // vsockCID (line 42-50): the first --vsock value must not hold cid= when microvm.vsock.cid is set.
        var vsock = OptionValues("--vsock", args).FirstOrDefault();
        if (vm.Effective("VsockCid") is IntValue && vsock is not null && ParamValue("cid", vsock.Value) is { } cid)
        {
            Report(diagnostics, vsock, "--vsock cid=… in ExtraArgs together with VsockCid",
                "Cannot set `microvm.vsock.cid` and --vsock 'cid=" + cid + "...' via `microvm.cloud-hypervisor.extraArgs` at the same time",
                "lib/runners/cloud-hypervisor.nix:47", "Set the CID in VsockCid only, and keep other --vsock options (such as socket=…) in ExtraArgs.");
        }

        // platformOps (line 136-145): the first --platform value must not hold oem_strings=.
        var platform = OptionValues("--platform", args).FirstOrDefault();
        if (platform is not null && ParamValue("oem_strings", platform.Value) is not null)
        {
            Report(diagnostics, platform, "--platform oem_strings=… in ExtraArgs",
                "Use `microvm.cloud-hypervisor.platformOEMStrings` instead of passing oem_strings via --platform",
                "lib/runners/cloud-hypervisor.nix:143", "Put the strings in CloudHypervisor.PlatformOemStrings.");
        }
    }

    /// <summary>
    /// The CID the runner gives the VM (vsockCID, line 46-50): <c>VsockCid</c>, else a <c>cid=</c> in the
    /// first <c>--vsock</c> of the extra arguments; <c>null</c> when there is neither.
    /// </summary>
    internal static string? VsockCid(BoundRecord vm)
    {
        if (vm.Effective("VsockCid") is IntValue cid)
        {
            return VmValidator.Number(cid.Value);
        }

        var args = (vm.Record("CloudHypervisor")?.Effective("ExtraArgs") as ListValue)?.Items.OfType<StringValue>().ToList() ?? [];
        return OptionValues("--vsock", args).FirstOrDefault() is { } vsock ? ParamValue("cid", vsock.Value) : null;
    }

    /// <summary>
    /// upstream's extractOptValues: every element that follows <paramref name="flag"/>, where the flag
    /// is not the last element; a flag taken with its value is skipped as a pair.
    /// </summary>
    internal static List<StringValue> OptionValues(string flag, IReadOnlyList<StringValue> args)
    {
        var values = new List<StringValue>();
        for (var i = 0; i < args.Count;)
        {
            if (args[i].Value == flag && args.Count - i > 1)
            {
                values.Add(args[i + 1]);
                i += 2;
            }
            else
            {
                i++;
            }
        }

        return values;
    }

    /// <summary>
    /// upstream's extractParamValue: <c>builtins.match ".*&lt;param&gt;=([^,]+).*"</c>, a whole-string POSIX
    /// match in which '.' also matches a line break; the last match's value, or <c>null</c>.
    /// </summary>
    internal static string? ParamValue(string param, string options)
    {
        if (options.Length == 0)
        {
            return null;
        }

        var match = Regex.Match(options, "^.*" + Regex.Escape(param) + "=([^,]+).*$", RegexOptions.Singleline | RegexOptions.CultureInvariant);
        return match.Success ? match.Groups[1].Value : null;
    }

    private static void Report(List<DiagnosticInfo> diagnostics, StringValue culprit, string subject, string upstream, string source, string advice) =>
        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedByHypervisor, culprit.Location, subject, "cloud-hypervisor", upstream, source, advice));
}
