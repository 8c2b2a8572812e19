namespace MicroVm.Nix;

/// <summary>
/// Which hypervisor runs a MicroVM (upstream option <c>microvm.hypervisor</c>, default <c>"qemu"</c>).
/// Hypervisors differ in what they support: shares, device passthrough, ballooning and disk image types among others.
/// </summary>
public enum Hypervisor
{
    /// <summary>QEMU (<c>"qemu"</c>), the upstream default and the most complete backend.</summary>
    Qemu,

    /// <summary>Cloud Hypervisor (<c>"cloud-hypervisor"</c>): virtiofs shares only; the only one that honours <see cref="Volume.ImageType"/>.</summary>
    CloudHypervisor,

    /// <summary>Firecracker (<c>"firecracker"</c>): no shares, no device passthrough, tap interfaces only; disk <c>serial</c> and <c>direct</c> are ignored.</summary>
    Firecracker,

    /// <summary>crosvm (<c>"crosvm"</c>), ChromeOS's virtual machine monitor.</summary>
    Crosvm,

    /// <summary>kvmtool (<c>"kvmtool"</c>), the minimal <c>lkvm</c> tool.</summary>
    Kvmtool,

    /// <summary>StratoVirt (<c>"stratovirt"</c>), openEuler's hypervisor.</summary>
    Stratovirt,

    /// <summary>Alioth (<c>"alioth"</c>), an experimental hypervisor written in Rust.</summary>
    Alioth,

    /// <summary>vfkit (<c>"vfkit"</c>), Apple Virtualization.framework on macOS hosts.</summary>
    Vfkit,
}
