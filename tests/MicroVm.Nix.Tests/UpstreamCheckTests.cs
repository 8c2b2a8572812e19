using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using MicroVm.Nix.Generator.Diagnostics;
using MicroVm.Nix.Generator.Schema;
using MicroVm.Nix.Tests.Infrastructure;

namespace MicroVm.Nix.Tests;

/// <summary>
/// Every check upstream's guest side makes (an assertion, a warning, a <c>throw</c> a config can reach),
/// found in the snapshot by its keyword, and what MicroVm.Nix does about it: the diagnostic that mirrors
/// it at compile time, or why none can. A new check upstream fails the first test until it is listed.
/// </summary>
public class UpstreamCheckTests
{
    /// <summary>The guest side: the runners, volumes and the guest modules (the host's modules are the host module's business).</summary>
    private static readonly string[] Folders = ["lib", "nixos-modules/microvm"];

    private static readonly Regex Site = new(@"assertion =|throw ""|throw ''|lib\.warn\b|warnIf|throwIf|assertMsg|abort |^\s*warnings =", RegexOptions.CultureInvariant);

    /// <summary>
    /// One upstream check: the file, a piece of its line, and the diagnostics that mirror it, or why none does;
    /// <paramref name="Unreachable"/> when no config reaches it (upstream only evaluates it where an earlier check already failed, or never).
    /// </summary>
    private sealed record Check(string File, string Line, string[] MirroredBy, string? NotMirrored = null, bool Unreachable = false);

    private static Check M(string file, string line, params string[] ids) => new(file, line, ids);

    private static Check Not(string file, string line, string why) => new(file, line, [], why);

    private static Check Never(string file, string line, string why) => new(file, line, [], why, Unreachable: true);

    private const string NoShutdownWithoutSocket =
        "upstream builds microvm-shutdown only when the runner can shut down (canShutdown, lib/runner.nix:188), which needs a socket; the VM itself is fine";

    /// <summary>The checks the capability matrix (MVN205, MVN206) does not cite, by hand; the matrix's rules are matched by their message.</summary>
    private static readonly Check[] Listed =
    [
        M("lib/volumes.nix", "Do not know how to handle", "MVN105"),
        M("lib/volumes.nix", "Specify a size for volume", "MVN003"),
        M("lib/volumes.nix", "lib.warnIf (label != null && !autoCreate)", "MVN106"),
        M("lib/volumes.nix", "else lib.warnIf (label != null)", "MVN106"),
        M("nixos-modules/microvm/asserts.nix", "assertion = builtins.length volumes == 1;", "MVN111"),
        M("nixos-modules/microvm/asserts.nix", "assertion = builtins.length interfaces == 1;", "MVN210"),
        M("nixos-modules/microvm/asserts.nix", "assertion = bridge != null;", "MVN211"),
        M("nixos-modules/microvm/asserts.nix", "assertion = bridge == null;", "MVN212"),
        M("nixos-modules/microvm/asserts.nix", "assertion = builtins.stringLength id <= 15;", "MVN213"),
        M("nixos-modules/microvm/asserts.nix", "assertion = builtins.length shares == 1;", "MVN220", "MVN221"),
        M("nixos-modules/microvm/asserts.nix", "assertion = socket != null;", "MVN222"),
        M("nixos-modules/microvm/asserts.nix", "assertion = !(posixAcl && (", "MVN223"),
        M("nixos-modules/microvm/asserts.nix", "assertion =", "MVN230"),
        M("nixos-modules/microvm/asserts.nix", "platformOEMStrings", "MVN233"),
        M("nixos-modules/microvm/asserts.nix", "warnings =", "MVN203"),
        M("nixos-modules/microvm/vsock-ssh.nix", "assertion = cfg.cid != null;", "MVN234"),
        M("nixos-modules/microvm/mounts.nix", "No disk letter when /nix/store is not in disk", "MVN232"),
        Not("nixos-modules/microvm/system.nix", "!config.nix.optimise.automatic",
            "it reads nix.optimise and nix.settings, NixOS options the records do not type; ExtraConfig can set them, and NixOS's own assertion then names the option"),
        M("lib/runners/qemu.nix", "lib.warnIf (mem == 2048)", "MVN204"),
        M("lib/runners/qemu.nix", "lib.warnIf (", "MVN230"),
        M("lib/runners/stratovirt.nix", "lib.warnIf (", "MVN230"),
        M("lib/runners/firecracker.nix", "Firecracker must be configured with an API socket", "MVN205"),
        M("lib/runners/kvmtool.nix", "USB passthrough is not supported on kvmtool", "MVN205"),
        Never("lib/runners/qemu.nix", "Cannot shutdown without socket", NoShutdownWithoutSocket),
        Never("lib/runners/cloud-hypervisor.nix", "Cannot shutdown without socket", NoShutdownWithoutSocket),
        Never("lib/runners/crosvm.nix", "Cannot shutdown without socket", NoShutdownWithoutSocket),
        Never("lib/runners/firecracker.nix", "Cannot shutdown without socket", NoShutdownWithoutSocket),
        Never("lib/runners/stratovirt.nix", "Cannot shutdown without socket", NoShutdownWithoutSocket),
        Never("lib/runners/vfkit.nix", "Cannot shutdown without socket", NoShutdownWithoutSocket),
        Not("lib/runners/vfkit.nix", "vfkit only works on macOS", "it depends on the host's platform, which the records do not name yet (typed hosts, issue 14)"),
        Not("lib/runners/vfkit.nix", "vfkit requires matching host and guest architectures", "it depends on the host's platform, which the records do not name yet (typed hosts, issue 14)"),
        Not("lib/runners/vfkit.nix", "Rosetta requires Apple Silicon", "it depends on the host's platform, which the records do not name yet (typed hosts, issue 14)"),
        Not("lib/runners/stratovirt.nix", "Too big PCI addr", "only on an aarch64 host (x86_64 refuses PCI passthrough before, MVN206), with 32 or more PCI functions"),
        M("lib/runners/cloud-hypervisor.nix", "Cannot set `microvm.vsock.cid` and --vsock", "MVN205"),
        M("lib/runners/cloud-hypervisor.nix", "Use `microvm.cloud-hypervisor.platformOEMStrings` instead", "MVN205"),
        M("lib/runners/cloud-hypervisor.nix", "Cannot set `microvm.vcpu` and --cpus", "MVN205"),
    ];

    private static IEnumerable<(string File, int Line, string Text)> Sites()
    {
        var (microvm, _) = Upstream.RequirePaths();
        foreach (var folder in Folders)
        {
            foreach (var path in Directory.GetFiles(Path.Combine(microvm, folder), "*.nix", SearchOption.AllDirectories).OrderBy(p => p, StringComparer.Ordinal))
            {
                var file = Path.GetRelativePath(microvm, path).Replace('\\', '/');
                var lines = File.ReadAllLines(path);
                for (var i = 0; i < lines.Length; i++)
                {
                    if (Site.IsMatch(lines[i]) && !lines[i].TrimStart().StartsWith('#'))
                    {
                        yield return (file, i + 1, lines[i]);
                    }
                }
            }
        }
    }

    /// <summary>The capability rule citing a site: the same runner, and its message (up to the first interpolation) or its line.</summary>
    private static CapabilityRule? RuleFor(string file, int line, string text) =>
        HypervisorCapabilities.Rules.FirstOrDefault(rule =>
            rule.Source.Split(':')[0] == file
            && (rule.Source == file + ":" + line || (Message(rule.Upstream) is { Length: >= 12 } message && text.Contains(message, StringComparison.Ordinal))));

    private static string Message(string upstream) => upstream.Split("${")[0].Split('\n')[0];

    private static Check? ListedFor(string file, string text) =>
        Listed.Where(c => c.File == file && text.Contains(c.Line, StringComparison.Ordinal)).OrderByDescending(c => c.Line.Length).FirstOrDefault();

    [Test]
    public void Every_check_upstream_makes_is_mirrored_or_listed_with_a_reason()
    {
        var unknown = Sites().Where(s => RuleFor(s.File, s.Line, s.Text) is null && ListedFor(s.File, s.Text) is null)
            .Select(s => s.File + ":" + s.Line + ": " + s.Text.Trim()).ToList();
        Assert.That(unknown, Is.Empty, "Upstream checks MicroVm.Nix neither mirrors nor lists:\n" + string.Join("\n", unknown));
    }

    [Test]
    public void Every_listed_check_is_upstreams_and_names_real_diagnostics()
    {
        var sites = Sites().ToList();
        var ids = DiagnosticDescriptors.All.Select(d => d.Id).ToHashSet();
        foreach (var check in Listed)
        {
            Assert.That(sites.Any(s => s.File == check.File && s.Text.Contains(check.Line, StringComparison.Ordinal)), Is.True, check.File + ": no check at '" + check.Line + "'");
            Assert.That(check.MirroredBy.Length > 0 ^ check.NotMirrored is not null, Is.True, check.Line + ": mirrored or a reason, one of them");
            Assert.That(check.MirroredBy, Is.SubsetOf(ids), check.Line);
        }
    }

    /// <summary>The figure the README states: checks mirrored, of those a config can reach, and those none can.</summary>
    public static (int Mirrored, int Reachable, int Unreachable) Coverage()
    {
        var sites = Sites().ToList();
        var mirrored = sites.Count(s => RuleFor(s.File, s.Line, s.Text) is not null || ListedFor(s.File, s.Text) is { MirroredBy.Length: > 0 });
        var unreachable = sites.Count(s => RuleFor(s.File, s.Line, s.Text) is null && ListedFor(s.File, s.Text) is { Unreachable: true });
        return (mirrored, sites.Count - unreachable, unreachable);
    }

    [Test]
    public void Readme_states_the_checks_mirrored_and_lists_those_that_are_not()
    {
        var (mirrored, reachable, unreachable) = Coverage();
        var readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md"));
        Assert.That(readme, Does.Contain("mirrors **" + mirrored + " of the " + reachable + " checks** a config can reach"));
        Assert.That(readme, Does.Contain(unreachable + " more that no config reaches"));
        foreach (var check in Listed.Where(c => c.NotMirrored is not null && !c.Unreachable))
        {
            Assert.That(readme, Does.Contain(check.Line), "the README names the check upstream makes that MicroVm.Nix cannot mirror: " + check.Line);
        }
    }
}
