namespace MicroVm.Nix;

/// <summary>A PCI or USB device passed from the host to the guest (one entry of upstream's <c>microvm.devices</c>).</summary>
public sealed record Device
{
    /// <summary>The bus the device is on (upstream <c>bus</c>, no default).</summary>
    /// <remarks>Upstream's description of <c>microvm.devices.*.bus</c> (microvm.nix 71beea0): Device is either on the
    /// <c>pci</c> or the <c>usb</c> bus</remarks>
    public required DeviceBus Bus { get; init; }

    /// <summary>Identification of the device on its bus (upstream <c>path</c>, no default): <c>0000:01:00.0</c> for PCI, <c>vendorid=0xabcd,productid=0x0123</c> for USB.</summary>
    /// <remarks>Upstream's description of <c>microvm.devices.*.path</c> (microvm.nix 71beea0): Identification of the
    /// device on its bus</remarks>
    public required string Path { get; init; }

    /// <summary>QEMU device identifier (upstream <c>qemu.id</c>, default <c>null</c>).</summary>
    /// <remarks>Upstream's description of <c>microvm.devices.*.qemu.id</c> (microvm.nix 71beea0): QEMU device
    /// identifier (optional)</remarks>
    public string? QemuId { get; init; }

    /// <summary>QEMU bus the device is attached to (upstream <c>qemu.bus</c>, default <c>null</c>).</summary>
    /// <remarks>Upstream's description of <c>microvm.devices.*.qemu.bus</c> (microvm.nix 71beea0): QEMU bus to which
    /// this device is attached (optional)</remarks>
    public string? QemuBus { get; init; }

    /// <summary>Additional QEMU device arguments (upstream <c>qemu.deviceExtraArgs</c>, default <c>null</c>).</summary>
    /// <remarks>Upstream's description of <c>microvm.devices.*.qemu.deviceExtraArgs</c> (microvm.nix 71beea0): Device
    /// additional arguments (optional)</remarks>
    public string? QemuDeviceExtraArgs { get; init; }
}
