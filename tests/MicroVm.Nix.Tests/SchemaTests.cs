using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Text.Json.Nodes;
using MicroVm.Nix.Generator.Model;
using MicroVm.Nix.Generator.Schema;
using MicroVm.Nix.Generator.Validation;
using MicroVm.Nix.Tests.Infrastructure;

namespace MicroVm.Nix.Tests;

/// <summary>
/// The schema is the one description of upstream's options. These tests hold the runtime records
/// (which users read and which carry the defaults C# code sees) to it, and it to upstream.
/// </summary>
public class SchemaTests
{
    private static readonly Type[] RuntimeRecords =
    [
        typeof(VirtualMachine), typeof(Volume), typeof(NetworkInterface), typeof(Share), typeof(Device), typeof(ForwardPort), typeof(GuestUser),
        typeof(QemuSettings), typeof(QemuPcieRootPort), typeof(CloudHypervisorSettings), typeof(FirecrackerSettings),
        typeof(CrosvmSettings), typeof(VfkitSettings), typeof(KvmtoolSettings), typeof(StratovirtSettings), typeof(AliothSettings), typeof(GraphicsSettings), typeof(VirtiofsdSettings), typeof(ZvolProvisioning), typeof(Host), typeof(Network), typeof(HostNetwork),
    ];

    private static RecordSchema SchemaOf(Type type) => MicroVmSchema.Records.Single(r => r.Type == type.FullName);

    [Test]
    public void Every_schema_record_has_a_runtime_record()
    {
        Assert.That(MicroVmSchema.Records.Select(r => r.Type), Is.EquivalentTo(RuntimeRecords.Select(t => t.FullName)));
    }

    [TestCaseSource(nameof(RuntimeRecords))]
    public void Runtime_record_has_exactly_the_schema_options(Type type)
    {
        var schema = SchemaOf(type);
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => p.Name).Where(n => n != "EqualityContract");
        Assert.That(properties, Is.EquivalentTo(schema.Options.Select(o => o.Property)));
    }

    [TestCaseSource(nameof(RuntimeRecords))]
    public void Runtime_defaults_are_upstream_defaults_and_options_without_one_are_required(Type type)
    {
        var schema = SchemaOf(type);
        var instance = Activator.CreateInstance(type)!;
        foreach (var option in schema.Options)
        {
            var property = type.GetProperty(option.Property)!;
            var isRequired = property.GetCustomAttributes().Any(a => a.GetType().Name == "RequiredMemberAttribute");
            Assert.That(isRequired, Is.EqualTo(option.Required), option.Property + ": C# 'required' exactly where upstream has no default");
            if (!option.Required)
            {
                Assert.That(JsonNode.DeepEquals(ExpectedNix.FromCSharp(option, property.GetValue(instance)), ExpectedNix.FromDefault(option)), Is.True, option.Property);
            }
        }
    }

    [TestCase(typeof(Hypervisor), "Hypervisor", typeof(VirtualMachine))]
    [TestCase(typeof(ImageType), "ImageType", typeof(Volume))]
    [TestCase(typeof(InterfaceType), "Type", typeof(NetworkInterface))]
    [TestCase(typeof(MacvtapMode), "MacvtapMode", typeof(NetworkInterface))]
    [TestCase(typeof(ShareProtocol), "Proto", typeof(Share))]
    [TestCase(typeof(SecurityModel), "SecurityModel", typeof(Share))]
    [TestCase(typeof(ShareCache), "Cache", typeof(Share))]
    [TestCase(typeof(DeviceBus), "Bus", typeof(Device))]
    [TestCase(typeof(ForwardDirection), "From", typeof(ForwardPort))]
    [TestCase(typeof(TransportProtocol), "Proto", typeof(ForwardPort))]
    [TestCase(typeof(FirecrackerIoEngine), "DriveIoEngine", typeof(FirecrackerSettings))]
    [TestCase(typeof(VfkitLogLevel), "LogLevel", typeof(VfkitSettings))]
    [TestCase(typeof(InodeFileHandles), "InodeFileHandles", typeof(VirtiofsdSettings))]
    [TestCase(typeof(StoreDiskType), "StoreDiskType", typeof(VirtualMachine))]
    [TestCase(typeof(ZfsSync), "Sync", typeof(ZvolProvisioning))]
    [TestCase(typeof(ZfsLogBias), "LogBias", typeof(ZvolProvisioning))]
    [TestCase(typeof(ZfsCache), "PrimaryCache", typeof(ZvolProvisioning))]
    public void Every_enum_member_has_its_upstream_name(Type enumType, string property, Type recordType)
    {
        var option = SchemaOf(recordType)[property];
        Assert.That(option.EnumType, Is.EqualTo(enumType.FullName));
        Assert.That(recordType.GetProperty(property)!.PropertyType, Is.EqualTo(enumType).Or.EqualTo(typeof(Nullable<>).MakeGenericType(enumType)));
        Assert.That(option.EnumNames.Select(p => p.Key), Is.EqualTo(Enum.GetNames(enumType)), "same members, same order");
    }

    [TestCase("mypool", "myzvol")]
    [TestCase("tank", "vms/db/data")]
    public void Generator_computes_the_zvol_path_the_runtime_does(string pool, string dataset)
    {
        var zvol = new Zvol(pool, dataset);
        var value = new ObjectValue(MicroVmSchema.ZvolType, new[]
        {
            new FieldValue("Pool", new StringValue(pool, null)),
            new FieldValue("Dataset", new StringValue(dataset, null)),
        }.ToEquatableArray(), null);

        Assert.That(VmValidator.HostPath(value), Is.EqualTo(zvol.HostPath));
        Assert.That(VmValidator.ZvolName(value), Is.EqualTo(zvol.Name));
        Assert.That(VmValidator.IsBlockDevice(zvol.HostPath), Is.EqualTo(zvol.IsBlockDevice).And.True);
        Assert.That(((DiskImage)"/var/lib/x.img").IsBlockDevice, Is.False);
    }

    [Test]
    public void Volume_options_are_the_ones_upstream_declares()
    {
        var evaluated = Upstream.Evaluate(System.IO.Path.Combine(RepoPaths.Golden, "vm-minimal.nix"));
        var upstream = evaluated["volumeOptions"]!.AsArray().Select(n => (string)n!).Where(n => !n.StartsWith('_'));
        Assert.That(MicroVmSchema.Volume.Options.Select(o => o.NixName), Is.EquivalentTo(upstream));
    }

    [Test]
    public void Every_golden_module_type_checks_against_upstream_options()
    {
        // Guest modules only (host modules need nixpkgs' host options), and none that import files.
        var files = System.IO.Directory.GetFiles(RepoPaths.Golden, "*.nix")
            .Where(f => !System.IO.Path.GetFileName(f).StartsWith("host-", System.StringComparison.Ordinal) && !System.IO.File.ReadAllText(f).Contains("imports =", System.StringComparison.Ordinal))
            .ToArray();
        Assert.That(files, Is.Not.Empty);
        foreach (var file in files)
        {
            var evaluated = Upstream.Evaluate(file);
            Assert.That((string?)evaluated["networking"]!["hostName"], Is.Not.Empty, file);
        }
    }

    [Test]
    public void Every_capability_rule_names_a_real_hypervisor_record_and_property()
    {
        Assert.That(HypervisorCapabilities.Rules, Has.Count.GreaterThan(50));
        foreach (var rule in HypervisorCapabilities.Rules)
        {
            Assert.That(MicroVmSchema.Hypervisors.Select(h => h.Key), Has.Member(rule.Hypervisor));
            var record = rule.Collection is null ? MicroVmSchema.VirtualMachine : MicroVmSchema.VirtualMachine[rule.Collection].Element!;
            Assert.That(record.Find(rule.Property), Is.Not.Null, rule.Hypervisor + " " + rule.Subject + ": " + rule.Property);
            Assert.That(record.Find(rule.FixProperty ?? rule.Property), Is.Not.Null, rule.Hypervisor + " " + rule.Subject + ": fix property");
            Assert.That(rule.Source, Does.Match(@"^(lib/runners/[a-z-]+\.nix|nixos-modules/microvm/options\.nix):\d+"), rule.Hypervisor + " " + rule.Subject + " cites upstream with a line");
        }
    }
}
