using System.Collections.Generic;
using MicroVm.Nix.Generator.Model;

namespace MicroVm.Nix.Generator.Schema;

/// <summary>
/// microvm.nix's guest options that the runtime records cover, transcribed from upstream
/// <c>nixos-modules/microvm/options.nix</c> (HEAD 71beea0). Add an option here and to the runtime
/// record; the parser, validation, templates and tests pick it up from this one place.
/// </summary>
internal static class MicroVmSchema
{
    public const string Namespace = "MicroVm.Nix";
    public const string ModuleAttribute = Namespace + ".MicroVmModuleAttribute";
    public const string VirtualMachineType = Namespace + ".VirtualMachine";
    public const string VolumeType = Namespace + ".Volume";
    public const string DiskImageType = Namespace + ".DiskImage";
    public const string HostPathImageType = Namespace + ".HostPathImage";
    public const string ZvolType = Namespace + ".Zvol";
    public const string HypervisorType = Namespace + ".Hypervisor";
    public const string ImageTypeType = Namespace + ".ImageType";

    /// <summary>Upstream's <c>lib.hypervisors</c>, in its order.</summary>
    public static readonly IReadOnlyList<KeyValuePair<string, string>> Hypervisors =
    [
        new("Qemu", "qemu"),
        new("CloudHypervisor", "cloud-hypervisor"),
        new("Firecracker", "firecracker"),
        new("Crosvm", "crosvm"),
        new("Kvmtool", "kvmtool"),
        new("Stratovirt", "stratovirt"),
        new("Alioth", "alioth"),
        new("Vfkit", "vfkit"),
    ];

    /// <summary>Upstream's volume <c>imageType</c> enum.</summary>
    public static readonly IReadOnlyList<KeyValuePair<string, string>> ImageTypes =
    [
        new("Raw", "raw"),
        new("Qcow2", "qcow2"),
        new("Vhd", "vhd"),
        new("Vhdx", "vhdx"),
    ];

    /// <summary>The filesystems upstream's <c>lib/volumes.nix</c> can create with <c>autoCreate</c>.</summary>
    public static readonly IReadOnlyList<string> AutoCreateFsTypes = ["ext2", "ext3", "ext4", "xfs", "btrfs", "vfat"];

    /// <summary>One entry of <c>microvm.volumes</c>.</summary>
    public static readonly RecordSchema Volume = new(VolumeType, "microvm.volumes.*",
    [
        new("Image", "image", NixType.DiskImage, null, false, null, "Path to disk image on the host"),
        new("Serial", "serial", NixType.Str, D.Null, true, null, "User-configured serial number for the disk"),
        new("Direct", "direct", NixType.Bool, D.False, false, null, "Whether to set O_DIRECT on the disk."),
        new("ReadOnly", "readOnly", NixType.Bool, D.False, false, null, "Turn off write access"),
        new("Label", "label", NixType.Str, D.Null, true, null, "Label of the volume, if any. Only applicable if `autoCreate` is true"),
        new("MountPoint", "mountPoint", NixType.Path, null, true, null, "If and where to mount the volume inside the container"),
        new("Size", "size", NixType.Int, null, false, null, "Volume size (in MiB) if created automatically"),
        new("AutoCreate", "autoCreate", NixType.Bool, D.True, false, null, "Created image on host automatically before start?"),
        new("MkfsExtraArgs", "mkfsExtraArgs", NixType.ListOfStr, D.EmptyList, false, null, "Set extra Filesystem creation parameters"),
        new("FsType", "fsType", NixType.Str, D.Str("ext4"), false, null, "Filesystem for automatic creation and mounting"),
        new("ImageType", "imageType", NixType.Enum, D.Enum(ImageTypeType, "Raw"), false, null, "Format of the image (only passed to the hypervisor). Only supported with cloud-hypervisor.")
        {
            EnumType = ImageTypeType,
            EnumNames = ImageTypes,
        },
    ]);

    /// <summary>A guest: <c>networking.hostName</c> and the <c>microvm.*</c> options.</summary>
    public static readonly RecordSchema VirtualMachine = new(VirtualMachineType, "microvm",
    [
        new("HostName", "networking.hostName", NixType.Str, null, false, null, "The name of the machine") { AtRoot = true },
        new("Hypervisor", "hypervisor", NixType.Enum, D.Enum(HypervisorType, "Qemu"), false, null, "Which hypervisor to use for this MicroVM")
        {
            EnumType = HypervisorType,
            EnumNames = Hypervisors,
        },
        new("Vcpu", "vcpu", NixType.Int, D.Int(1), false, 1, "Number of virtual CPU cores"),
        new("Mem", "mem", NixType.Int, D.Int(512), false, 1, "Amount of RAM in megabytes"),
        new("Volumes", "volumes", NixType.ListOfSubmodule, D.EmptyList, false, null, "Disk images") { Element = Volume },
    ]);

    /// <summary>Upstream defaults, as values.</summary>
    private static class D
    {
        public static readonly EvalValue Null = new NullValue(null);
        public static readonly EvalValue False = new BoolValue(false, null);
        public static readonly EvalValue True = new BoolValue(true, null);
        public static readonly EvalValue EmptyList = new ListValue(EquatableArray<EvalValue>.Empty, null);

        public static IntValue Int(long value) => new IntValue(value, null);

        public static StringValue Str(string value) => new StringValue(value, null);

        public static EnumValue Enum(string type, string member) => new EnumValue(type, member, null);
    }

    /// <summary>Every record the generator reads, by metadata name.</summary>
    public static readonly IReadOnlyList<RecordSchema> Records = [VirtualMachine, Volume];
}
