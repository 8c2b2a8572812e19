using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using MicroVm.Nix.Tests.Infrastructure;

namespace MicroVm.Nix.Tests;

/// <summary>
/// Where each volume appears in the guest, as generated C# members and module comments, checked
/// against upstream's drive-letter rule (withDriveLetters in lib/default.nix) with the store on a
/// disk and not.
/// </summary>
public class GuestDeviceMapTests
{
    private const string Fleet = """
        using MicroVm.Nix;

        public static class Fleet
        {
            private static readonly Volume[] Disks =
            [
                new() { Image = new Zvol("tank", "raw"), Serial = "raw-disk", MountPoint = null, Size = 1, AutoCreate = false },
                new() { Image = "/var/lib/microvms/data.img", Label = "data", MountPoint = "/data", Size = 1 },
                new() { Image = "/dev/sdb", MountPoint = "/mnt", Size = 1, AutoCreate = false },
            ];

            // The store is on a disk (upstream's default without a /nix/store share): it takes /dev/vda.
            [MicroVmModule]
            public static readonly VirtualMachine StoreOnDisk = new() { HostName = "store-on-disk", Volumes = Disks };

            // The host's store is shared: the volumes start at /dev/vda.
            [MicroVmModule]
            public static readonly VirtualMachine SharedStore = new()
            {
                HostName = "shared-store",
                Shares = [new() { Tag = "ro-store", Source = "/nix/store", MountPoint = "/nix/.ro-store" }],
                Volumes =
                [
                    Disks[0] with { Image = new Zvol("tank", "raw2") },
                    Disks[1] with { Image = "/var/lib/microvms/data2.img" },
                    Disks[2] with { Image = "/dev/sdc" },
                ],
            };

            // Firecracker drops serials: no by-id path.
            [MicroVmModule]
            public static readonly VirtualMachine Firecracker = new() { HostName = "fc", Hypervisor = Hypervisor.Firecracker, Volumes = [new() { Image = "/var/lib/microvms/fc.img", Serial = "fc", MountPoint = "/fc", Size = 1 }] };
        }
        """;

    private static Dictionary<string, GuestDevice[]> GeneratedMembers(GeneratorRun run)
    {
        var context = new AssemblyLoadContext("devices", isCollectible: true);
        try
        {
            var type = context.LoadFromStream(new MemoryStream(run.Image!)).GetType("MicroVm.Nix.Generated.GuestDevices", throwOnError: true)!;
            return type.GetProperties(BindingFlags.Public | BindingFlags.Static)
                .ToDictionary(p => p.Name, p => ((IReadOnlyList<GuestDevice>)p.GetValue(null)!).ToArray());
        }
        finally
        {
            context.Unload();
        }
    }

    [Test]
    public void Generated_members_follow_upstreams_drive_letters_with_the_store_on_a_disk_and_not()
    {
        var run = GeneratorHarness.Run(Fleet);
        var devices = GeneratedMembers(run);

        Assert.That(devices["StoreOnDisk"], Is.EqualTo(new[]
        {
            new GuestDevice("/dev/zvol/tank/raw", "/dev/vdb", "/dev/disk/by-id/virtio-raw-disk", null),
            new GuestDevice("/var/lib/microvms/data.img", "/dev/vdc", null, "/dev/disk/by-label/data"),
            new GuestDevice("/dev/sdb", "/dev/vdd", null, null),
        }));
        Assert.That(devices["SharedStore"].Select(d => d.DevicePath), Is.EqualTo(new[] { "/dev/vda", "/dev/vdb", "/dev/vdc" }));
        Assert.That(devices["Firecracker"].Single().ById, Is.Null, "firecracker drops the serial");
        Assert.That(devices["StoreOnDisk"][0].StablePath, Is.EqualTo("/dev/disk/by-id/virtio-raw-disk"));

        if (Upstream.Available)
        {
            Assert.That(devices["StoreOnDisk"].Select(d => d.DevicePath), Is.EqualTo(UpstreamLetters(3, storeOnDisk: true)));
            Assert.That(devices["SharedStore"].Select(d => d.DevicePath), Is.EqualTo(UpstreamLetters(3, storeOnDisk: false)));
        }
    }

    [Test]
    public void Each_volume_in_the_module_is_commented_with_its_guest_paths()
    {
        var run = GeneratorHarness.Run(Fleet);
        var devices = GeneratedMembers(run);
        var text = run.Module("store-on-disk.nix").Text;
        foreach (var device in devices["StoreOnDisk"])
        {
            var comment = "      # guest: " + string.Join(", ", new[] { device.DevicePath, device.ById, device.ByLabel }.Where(p => p is not null));
            var at = text.IndexOf(comment + "\n      {\n        image = \"" + device.HostPath + "\";", System.StringComparison.Ordinal);
            Assert.That(at, Is.GreaterThan(0), "comment above the volume " + device.HostPath);
        }

        // The comments are comments: the module still means the record.
        ExpectedNix.AssertModuleMeans(NixEvaluator.ParseAndEval(text), (VirtualMachine)run.Value("Fleet", "StoreOnDisk")!);
    }

    /// <summary>The letters upstream's withDriveLetters gives <paramref name="count"/> volumes, evaluated by Nix.</summary>
    private static string[] UpstreamLetters(int count, bool storeOnDisk)
    {
        var (microvm, lib) = Upstream.RequirePaths();
        var volumes = string.Join(" ", Enumerable.Range(0, count).Select(i => "{ image = \"" + i + "\"; }"));
        var result = NixEvaluator.EvalExpression(
            $"map (v: \"/dev/vd\" + v.letter) ((import {microvm}/lib {{ lib = import {lib}/lib; }}).withDriveLetters {{ volumes = [ {volumes} ]; storeOnDisk = {(storeOnDisk ? "true" : "false")}; }})");
        return result!.AsArray().Select(n => (string)n!).ToArray();
    }
}
