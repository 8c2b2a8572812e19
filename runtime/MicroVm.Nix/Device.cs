namespace MicroVm.Nix;

/// <summary>A PCI or USB device passed from the host to the guest (one entry of upstream's <c>microvm.devices</c>).</summary>
public sealed record Device
{
    /// <summary>The bus the device is on (upstream <c>bus</c>, no default).</summary>
    public required DeviceBus Bus { get; init; }

    /// <summary>Identification of the device on its bus (upstream <c>path</c>, no default): <c>0000:01:00.0</c> for PCI, <c>vendorid=0xabcd,productid=0x0123</c> for USB.</summary>
    public required string Path { get; init; }

    /// <summary>QEMU device identifier (upstream <c>qemu.id</c>, default <c>null</c>).</summary>
    public string? QemuId { get; init; }

    /// <summary>QEMU bus the device is attached to (upstream <c>qemu.bus</c>, default <c>null</c>).</summary>
    public string? QemuBus { get; init; }

    /// <summary>Additional QEMU device arguments (upstream <c>qemu.deviceExtraArgs</c>, default <c>null</c>).</summary>
    public string? QemuDeviceExtraArgs { get; init; }
}
