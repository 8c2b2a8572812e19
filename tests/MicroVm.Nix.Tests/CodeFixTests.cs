using System.Threading.Tasks;
using MicroVm.Nix.CodeFixes;
using MicroVm.Nix.Generator;
using MicroVm.Nix.Tests.Infrastructure;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;

namespace MicroVm.Nix.Tests;

/// <summary>Each code fix, before and after, through Roslyn's code fix test harness.</summary>
public class CodeFixTests
{
    private static async Task Verify(string before, string after)
    {
        var test = new CSharpCodeFixTest<MicroVmAnalyzer, SetPropertyCodeFixProvider, DefaultVerifier>
        {
            TestCode = Wrap(before),
            FixedCode = Wrap(after),
            // The runtime and the framework the tests run on, rather than reference packs fetched from NuGet.
            ReferenceAssemblies = new ReferenceAssemblies("net10.0"),
        };
        test.TestState.AdditionalReferences.AddRange(GeneratorHarness.References);
        test.FixedState.AdditionalReferences.AddRange(GeneratorHarness.References);
        await test.RunAsync();
    }

    private static string Wrap(string vm) => Snippets.Vm(vm);

    /// <summary>A whole source, before and after (the same text: no fix must be offered).</summary>
    private static async Task VerifySource(string before, string after)
    {
        var test = new CSharpCodeFixTest<MicroVmAnalyzer, SetPropertyCodeFixProvider, DefaultVerifier>
        {
            TestCode = before,
            FixedCode = after,
            ReferenceAssemblies = new ReferenceAssemblies("net10.0"),
        };
        test.TestState.AdditionalReferences.AddRange(GeneratorHarness.References);
        test.FixedState.AdditionalReferences.AddRange(GeneratorHarness.References);
        await test.RunAsync();
    }

    private const string HelperFleet = """
        using MicroVm.Nix;

        public static class Fleet
        {
            private static Volume Data(string mountPoint) => new() { Image = "/var/lib/microvms/vm/data.img", MountPoint = mountPoint, Size = 64 };

            private static string Same(string path) => path;

            [MicroVmModule]
            public static readonly VirtualMachine Vm = new() { HostName = "vm", Volumes = [VOLUME] };
        }
        """;

    [Test]
    public Task No_fix_is_offered_where_the_value_flows_through_a_helper_with_no_record_around_it()
    {
        var source = HelperFleet.Replace("VOLUME", "Data({|MVN102:\"data\"|})", System.StringComparison.Ordinal);
        return VerifySource(source, source);
    }

    [Test]
    public Task A_value_written_as_the_property_through_a_helper_is_replaced_where_it_is_written() => VerifySource(
        HelperFleet.Replace("VOLUME", "new() { Image = \"/var/lib/microvms/vm/x.img\", MountPoint = Same({|MVN102:\"data\"|}), Size = 64 }", System.StringComparison.Ordinal),
        HelperFleet.Replace("VOLUME", "new() { Image = \"/var/lib/microvms/vm/x.img\", MountPoint = \"/data\", Size = 64 }", System.StringComparison.Ordinal));

    [Test]
    public Task Block_device_gets_autocreate_off() => Verify(
        """
                Volumes =
                [
                    new()
                    {
                        Image = {|MVN101:new Zvol("tank", "data")|},
                        Serial = "data",
                        MountPoint = null,
                        Size = 1024,
                    },
                ],
        """,
        """
                Volumes =
                [
                    new()
                    {
                        Image = new Zvol("tank", "data"),
                        Serial = "data",
                        MountPoint = null,
                        Size = 1024,
                        AutoCreate = false,
                    },
                ],
        """);

    [Test]
    public Task Autocreate_true_on_a_device_becomes_false() => Verify(
        """
                Volumes = [new() { Image = "/dev/sdb", Serial = "sdb", MountPoint = null, Size = 1, AutoCreate = {|MVN101:true|} }],
        """,
        """
                Volumes = [new() { Image = "/dev/sdb", Serial = "sdb", MountPoint = null, Size = 1, AutoCreate = false }],
        """);

    [Test]
    public Task Relative_mount_point_becomes_absolute() => Verify(
        """
                Volumes = [new() { Image = "/var/lib/d.img", MountPoint = {|MVN102:"mnt/data"|}, Size = 1 }],
        """,
        """
                Volumes = [new() { Image = "/var/lib/d.img", MountPoint = "/mnt/data", Size = 1 }],
        """);

    [Test]
    public Task Raw_block_device_gets_a_serial_from_its_name() => Verify(
        """
                Volumes = [new() { Image = {|MVN112:new Zvol("tank", "vms/db-data")|}, MountPoint = null, Size = 1, AutoCreate = false }],
        """,
        """
                Volumes = [new() { Image = new Zvol("tank", "vms/db-data"), MountPoint = null, Size = 1, AutoCreate = false, Serial = "db-data" }],
        """);

    [Test]
    public Task NineP_share_on_cloud_hypervisor_becomes_virtiofs() => Verify(
        """
                Hypervisor = Hypervisor.CloudHypervisor,
                VsockCid = 3,
                Shares = [new() { Tag = "data", Source = "/srv", MountPoint = "/srv", Proto = {|MVN205:ShareProtocol.NineP|} }],
        """,
        """
                Hypervisor = Hypervisor.CloudHypervisor,
                VsockCid = 3,
                Shares = [new() { Tag = "data", Source = "/srv", MountPoint = "/srv", Proto = ShareProtocol.Virtiofs }],
        """);

    [Test]
    public Task Share_with_default_9p_on_cloud_hypervisor_gets_virtiofs() => Verify(
        """
                Hypervisor = Hypervisor.CloudHypervisor,
                VsockCid = 3,
                Shares = [{|MVN205:new() { Tag = "data", Source = "/srv", MountPoint = "/srv" }|}],
        """,
        """
                Hypervisor = Hypervisor.CloudHypervisor,
                VsockCid = 3,
                Shares = [new() { Tag = "data", Source = "/srv", MountPoint = "/srv", Proto = ShareProtocol.Virtiofs }],
        """);

    [Test]
    public Task Qemu_with_2048_gets_2047() => Verify(
        """
                Mem = {|MVN204:2048|},
        """,
        """
                Mem = 2047,
        """);

    [Test]
    public Task PosixAcl_with_uid_translation_is_turned_off() => Verify(
        """
                Shares = [{|MVN223:new() { Tag = "data", Source = "/srv", MountPoint = "/srv", Proto = ShareProtocol.Virtiofs, ExtraArgs = ["--translate-uid=map:0:1000:1"] }|}],
        """,
        """
                Shares = [new() { Tag = "data", Source = "/srv", MountPoint = "/srv", Proto = ShareProtocol.Virtiofs, ExtraArgs = ["--translate-uid=map:0:1000:1"], PosixAcl = false }],
        """);

    [Test]
    public Task Relative_share_mount_point_becomes_absolute() => Verify(
        """
                Shares = [new() { Tag = "data", Source = "/srv", MountPoint = {|MVN224:"./srv"|} }],
        """,
        """
                Shares = [new() { Tag = "data", Source = "/srv", MountPoint = "/srv" }],
        """);

    [Test]
    public Task Authorized_keys_without_an_ssh_server_turn_the_server_on() => Verify(
        """
                Users = [new() { Name = "admin", AuthorizedKeys = [{|MVN236:"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIxpduW1QQQVvekIvU3uFd+xZ6nIc/xLuKgfbyq0SKkY admin@laptop"|}] }],
        """,
        """
                Users = [new() { Name = "admin", AuthorizedKeys = ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIxpduW1QQQVvekIvU3uFd+xZ6nIc/xLuKgfbyq0SKkY admin@laptop"] }],
                SshServer = true,
        """);
}
