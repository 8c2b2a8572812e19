using System;
using System.Collections.Generic;
using System.Linq;
using MicroVm.Nix.Generator.Diagnostics;
using MicroVm.Nix.Generator.Model;

namespace MicroVm.Nix.Generator.Validation;

/// <summary>Share checks: upstream's assertions (asserts.nix) and option types.</summary>
internal static class ShareRules
{
    /// <summary>What upstream's nonEmptyStr (<c>[ \t\n]*</c> before the content) does not count as content.</summary>
    private static readonly char[] PosixSpace = [' ', '\t', '\n'];

    public static void Validate(VmSpec spec, List<DiagnosticInfo> diagnostics)
    {
        var tags = new HashSet<string>(StringComparer.Ordinal);
        var sockets = new HashSet<string>(StringComparer.Ordinal);
        foreach (var share in spec.Vm.Records("Shares"))
        {
            var tag = share.String("Tag") ?? string.Empty;
            var virtiofs = share.Enum("Proto") == "Virtiofs";
            if (!tags.Add(tag))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateShareTag, share.LocationOf("Tag"), tag));
            }

            if (virtiofs)
            {
                switch (share.Explicit("Socket"))
                {
                    case NullValue socketNull:
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.VirtiofsWithoutSocket, socketNull.Location, tag));
                        break;
                    case var socket:
                        // Upstream's default socket is "<hostName>-virtiofs-<tag>.sock".
                        var name = (socket as StringValue)?.Value ?? spec.HostName + "-virtiofs-" + tag + ".sock";
                        if (!sockets.Add(name))
                        {
                            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateVirtiofsSocket, share.LocationOf("Socket"), name));
                        }

                        break;
                }

                // Upstream checks the share's own and the global virtiofsd arguments.
                var arguments = ((share.Effective("ExtraArgs") as ListValue)?.Items ?? EquatableArray<EvalValue>.Empty)
                    .Concat((spec.Vm.Record("Virtiofsd")?.Effective("ExtraArgs") as ListValue)?.Items ?? EquatableArray<EvalValue>.Empty);
                if (share.Bool("PosixAcl") == true
                    && arguments.OfType<StringValue>().FirstOrDefault(a => a.Value.Contains("--translate-uid") || a.Value.Contains("--translate-gid")) is { } translate)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.PosixAclWithTranslation, share.LocationOf("PosixAcl"), tag, translate.Value)
                        .WithFix("PosixAcl", "false", "Turn PosixAcl off"));
                }
            }

            if (share.Effective("MountPoint") is StringValue mountPoint && !mountPoint.Value.StartsWith("/", StringComparison.Ordinal))
            {
                diagnostics.Add(VolumeRules.AbsolutePathFix(
                    DiagnosticInfo.Create(DiagnosticDescriptors.ShareMountPointNotAbsolute, mountPoint.Location, mountPoint.Value, mountPoint.Value.TrimStart('.', '/')), mountPoint.Value));
            }

            if (share.Effective("Source") is StringValue source && source.Value.Trim(PosixSpace).Length == 0)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ShareSourceEmpty, source.Location, tag));
            }
        }
    }
}
