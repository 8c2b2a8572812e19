using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using MicroVm.Nix.Build;
using MicroVm.Nix.Generator.Emitting;
using MicroVm.Nix.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace MicroVm.Nix.Tests;

/// <summary>
/// Diagnostics that mirror something upstream does, held against upstream's real code: the generator
/// reports exactly the configs upstream fails on (or silently changes), and accepts the rest. The Nix
/// side of each case is written by hand, so upstream judges the config whether or not the generator
/// would render it.
/// </summary>
public class UpstreamAgreementTests
{
    private UpstreamRunner judge = null!;

    [OneTimeSetUp]
    public void CreateJudge()
    {
        Upstream.RequirePaths();
        judge = UpstreamRunner.Create();
    }

    [OneTimeTearDown]
    public void Dispose() => judge?.Dispose();

    private static IEnumerable<TestCaseData> MountCases()
    {
        static TestCaseData Case(string name, string csharp, string nix, bool clash) => new TestCaseData(csharp, nix, clash).SetName("Mounts: " + name);
        const string A = "new() { Image = \"/var/lib/microvms/vm/a.img\", MountPoint = \"/data\", Size = 1, Label = \"one\" }";
        const string NixA = "{ image = \"/var/lib/microvms/vm/a.img\"; mountPoint = \"/data\"; size = 1; label = \"one\"; }";
        yield return Case("two volumes at one mount point", "Volumes = [" + A + ", new() { Image = \"/var/lib/microvms/vm/b.img\", MountPoint = \"/data\", Size = 1, Label = \"two\" }],",
            "microvm.volumes = [ " + NixA + " { image = \"/var/lib/microvms/vm/b.img\"; mountPoint = \"/data\"; size = 1; label = \"two\"; } ];", clash: true);
        yield return Case("two shares at one mount point", "Shares = [new() { Tag = \"a\", Source = \"/srv/a\", MountPoint = \"/srv\" }, new() { Tag = \"b\", Source = \"/srv/b\", MountPoint = \"/srv\" }],",
            "microvm.shares = [ { tag = \"a\"; source = \"/srv/a\"; mountPoint = \"/srv\"; } { tag = \"b\"; source = \"/srv/b\"; mountPoint = \"/srv\"; } ];", clash: true);
        yield return Case("a volume and a share at one mount point", "Volumes = [" + A + "], Shares = [new() { Tag = \"s\", Source = \"/srv/s\", MountPoint = \"/data\" }],",
            "microvm.volumes = [ " + NixA + " ]; microvm.shares = [ { tag = \"s\"; source = \"/srv/s\"; mountPoint = \"/data\"; } ];", clash: true);
        yield return Case("a volume where upstream mounts its store disk", "Volumes = [new() { Image = \"/var/lib/microvms/vm/a.img\", MountPoint = \"/nix/store\", Size = 1 }],",
            "microvm.volumes = [ { image = \"/var/lib/microvms/vm/a.img\"; mountPoint = \"/nix/store\"; size = 1; } ];", clash: true);
        yield return Case("a volume where upstream mounts the store disk under the overlay",
            "WritableStoreOverlay = \"/nix/.rw-store\", Volumes = [new() { Image = \"/var/lib/microvms/vm/a.img\", MountPoint = \"/nix/.ro-store\", Size = 1 }],",
            "microvm.writableStoreOverlay = \"/nix/.rw-store\"; microvm.volumes = [ { image = \"/var/lib/microvms/vm/a.img\"; mountPoint = \"/nix/.ro-store\"; size = 1; } ];", clash: true);
        yield return Case("the host store shared at /nix/store while the store disk is on", "StoreOnDisk = true, Shares = [new() { Tag = \"ro-store\", Source = \"/nix/store\", MountPoint = \"/nix/store\" }],",
            "microvm.storeOnDisk = true; microvm.shares = [ { tag = \"ro-store\"; source = \"/nix/store\"; mountPoint = \"/nix/store\"; } ];", clash: true);
        yield return Case("a volume at / replaces the default root", "Volumes = [new() { Image = \"/var/lib/microvms/vm/root.img\", MountPoint = \"/\", Size = 1 }],",
            "microvm.volumes = [ { image = \"/var/lib/microvms/vm/root.img\"; mountPoint = \"/\"; size = 1; } ];", clash: false);
        yield return Case("a volume for the writable store overlay", "WritableStoreOverlay = \"/nix/.rw-store\", Volumes = [new() { Image = \"/var/lib/microvms/vm/rw.img\", MountPoint = \"/nix/.rw-store\", Size = 1 }],",
            "microvm.writableStoreOverlay = \"/nix/.rw-store\"; microvm.volumes = [ { image = \"/var/lib/microvms/vm/rw.img\"; mountPoint = \"/nix/.rw-store\"; size = 1; } ];", clash: false);
        yield return Case("the host store shared under an overlay", "WritableStoreOverlay = \"/nix/.rw-store\", Shares = [new() { Tag = \"ro-store\", Source = \"/nix/store\", MountPoint = \"/nix/.ro-store\" }],",
            "microvm.writableStoreOverlay = \"/nix/.rw-store\"; microvm.shares = [ { tag = \"ro-store\"; source = \"/nix/store\"; mountPoint = \"/nix/.ro-store\"; } ];", clash: false);
        yield return Case("the host store shared at /nix/store", "Shares = [new() { Tag = \"ro-store\", Source = \"/nix/store\", MountPoint = \"/nix/store\" }],",
            "microvm.shares = [ { tag = \"ro-store\"; source = \"/nix/store\"; mountPoint = \"/nix/store\"; } ];", clash: false);
    }

    /// <summary>
    /// MVN243 fires exactly where upstream's mounts.nix (through NixOS's fileSystems types) refuses the
    /// guest, or keeps only one of two mounts: every mount the config asks for must be in fileSystems.
    /// </summary>
    [TestCaseSource(nameof(MountCases))]
    public void Mount_point_clashes_are_reported_exactly_where_upstream_fails_or_drops_a_mount(string csharp, string nix, bool clash)
    {
        var run = GeneratorHarness.Run(Snippets.Vm(csharp));
        var reported = run.Diagnostics.Any(d => d.Id == "MVN243");
        var vm = judge.Judge([new GeneratedFile("vm.nix", "{ networking.hostName = \"vm\"; " + nix + " }")]).Single();

        string upstream;
        if (!vm.Evaluated("fileSystems"))
        {
            upstream = "fails: " + vm.Error("fileSystems");
        }
        else
        {
            var devices = vm.FileSystems.Values.Select(f => f.Device).ToList();
            var labels = new[] { "one", "two" }.Where(l => nix.Contains("label = \"" + l + "\"", StringComparison.Ordinal));
            var tags = new[] { "a", "b", "s" }.Where(t => nix.Contains("tag = \"" + t + "\"", StringComparison.Ordinal));
            var missing = labels.Select(l => "/dev/disk/by-label/" + l).Concat(tags).Where(d => !devices.Contains(d)).ToList();
            upstream = missing.Count > 0 ? "drops " + string.Join(", ", missing) : "mounts everything";
        }

        Assert.That(reported, Is.EqualTo(clash), "generator: " + string.Join("; ", run.Diagnostics));
        Assert.That(upstream.StartsWith("mounts", StringComparison.Ordinal), Is.EqualTo(!clash), "upstream " + upstream);
        Assert.That(run.Modules.Any(m => m.FileName == "vm.nix"), Is.EqualTo(!clash));
    }

    /// <summary>MVN234 fires exactly where upstream's vsock-ssh.nix assertion fails the guest.</summary>
    [TestCase("VsockSshEnable = true,", "microvm.vsock.ssh.enable = true;", true)]
    [TestCase("VsockSshEnable = true, VsockCid = 3,", "microvm.vsock.ssh.enable = true; microvm.vsock.cid = 3;", false)]
    [TestCase("VsockSshEnable = false,", "microvm.vsock.ssh.enable = false;", false)]
    public void Vsock_ssh_without_a_cid_is_reported_exactly_where_upstreams_assertion_fails(string csharp, string nix, bool refused)
    {
        var run = GeneratorHarness.Run(Snippets.Vm(csharp));
        var vm = judge.Judge([new GeneratedFile("vm.nix", "{ networking.hostName = \"vm\"; " + nix + " }")]).Single();

        Assert.That(run.Diagnostics.Any(d => d.Id == "MVN234"), Is.EqualTo(refused), "generator: " + string.Join("; ", run.Diagnostics));
        Assert.That(vm.FailedAssertions.Any(a => a.Contains("vsock.ssh.enable requires microvm.vsock.cid", StringComparison.Ordinal)), Is.EqualTo(refused),
            "upstream: " + string.Join("; ", vm.FailedAssertions));
        if (!refused)
        {
            Assert.That(vm.FailedAssertions, Is.Empty);
            Upstream.AssertMeansWhenAvailable(run.Module("vm.nix").Text, (VirtualMachine)run.Value("Fleet", "Vm")!);
        }
    }

    private static readonly string[] Flags = ["--cpus", "--vsock", "--platform", "--cpus", "--vsock", "--platform", "--serial", "--console", "--memory"];

    private static readonly string[] Values =
    [
        "boot=2", "max=4", "boot=", "boot=,x", "x,boot=3", "maxboot=2", "a\nboot=2", "cid={cid}", "cid=", "guest_cid={cid}", "socket=a.vsock",
        "cid={cid},socket=a.vsock", "socket=b.vsock,cid={cid}", "oem_strings=[x]", "oem_strings=", "serial_number=1", "serial_number=oem_strings=y",
        "tty", "size=1G", "",
    ];

    /// <summary>
    /// cloud-hypervisor's runner reads its own extraArgs (extractOptValues, extractParamValue) and throws
    /// on three combinations; MVN205 mirrors that reading. 400 generated argument lists, with and without
    /// VsockCid: the generator reports MVN205 on the arguments exactly when upstream's runner throws.
    /// </summary>
    [Test]
    public void Cloud_hypervisor_extra_args_are_refused_exactly_when_upstreams_runner_throws()
    {
        const int Count = 400;
        var random = new Random(20261130);
        var cases = new List<(List<string> Args, int? Cid)>();
        for (var i = 0; i < Count; i++)
        {
            var args = new List<string>();
            for (var n = random.Next(0, 6); n > 0; n--)
            {
                args.Add(random.Next(3) == 0 ? Values[random.Next(Values.Length)] : Flags[random.Next(Flags.Length)]);
                if (random.Next(3) > 0)
                {
                    args.Add(Values[random.Next(Values.Length)]);
                }
            }

            // CIDs must be unique across VMs (MVN305), so each VM's stand in for {cid} is its own.
            cases.Add((args.Select(a => a.Replace("{cid}", (1000 + i).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)).ToList(), random.Next(2) == 0 ? 100 + i : null));
        }

        var source = new StringBuilder("using MicroVm.Nix;\n\npublic static class Fleet\n{\n");
        for (var i = 0; i < Count; i++)
        {
            var (args, cid) = cases[i];
            source.Append("    [MicroVmModule]\n    public static readonly VirtualMachine Vm").Append(i).Append(" = new() { HostName = \"vm").Append(i)
                .Append("\", Hypervisor = Hypervisor.CloudHypervisor, ").Append(cid is { } c ? "VsockCid = " + c + ", " : string.Empty)
                .Append("CloudHypervisor = new() { ExtraArgs = [").Append(string.Join(", ", args.Select(a => Microsoft.CodeAnalysis.CSharp.SymbolDisplay.FormatLiteral(a, quote: true))))
                .Append("] } };\n");
        }

        var run = GeneratorHarness.Run(source.Append("}\n").ToString());
        var tree = run.Input.SyntaxTrees.Single();
        var members = tree.GetRoot().DescendantNodes().OfType<FieldDeclarationSyntax>().ToList();
        var refused = new HashSet<int>();
        foreach (var diagnostic in run.Diagnostics.Where(d => d.Id == "MVN205"))
        {
            var member = members.Single(m => m.Span.Contains(diagnostic.Location.SourceSpan));
            refused.Add(int.Parse(member.Declaration.Variables.Single().Identifier.Text[2..], CultureInfo.InvariantCulture));
        }

        Assert.That(run.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error && d.Id != "MVN205"), Is.Empty, "no other error muddles the comparison");

        var modules = cases.Select((c, i) => new GeneratedFile("vm" + i + ".nix",
            "{ networking.hostName = \"vm" + i + "\"; microvm.hypervisor = \"cloud-hypervisor\"; "
            + (c.Cid is { } cid ? "microvm.vsock.cid = " + cid + "; " : string.Empty)
            + "microvm.cloud-hypervisor.extraArgs = " + NixSyntax.List([.. c.Args.Select(NixSyntax.String)], 0) + "; }")).ToList();
        var judged = judge.Judge(modules);
        var throws = 0;
        for (var i = 0; i < Count; i++)
        {
            var upstreamThrows = !judged[i].Evaluated("runner");
            var because = upstreamThrows ? judged[i].Error("runner") : "builds";
            if (upstreamThrows)
            {
                throws++;
                Assert.That(because, Does.Contain("Cannot set").Or.Contain("instead of passing oem_strings"), "case " + i + " fails for another reason");
            }

            Assert.That(refused.Contains(i), Is.EqualTo(upstreamThrows),
                "case " + i + " (VsockCid " + (cases[i].Cid?.ToString(CultureInfo.InvariantCulture) ?? "unset") + ", ExtraArgs " + string.Join(" ", cases[i].Args.Select(a => "«" + a + "»")) + "): upstream " + because);
        }

        Assert.That(throws, Is.InRange(Count / 20, Count - (Count / 20)), "the cases exercise both outcomes");
    }
}
