namespace MicroVm.Nix;

/// <summary>A graphical display for the VM (upstream <c>microvm.graphics.*</c>): qemu, cloud-hypervisor, crosvm and vfkit.</summary>
public sealed record GraphicsSettings
{
    /// <summary>
    /// Enable GUI support (upstream <c>graphics.enable</c>, default <c>false</c>). With qemu's <c>gtk</c> and
    /// <c>cocoa</c> backends the VM opens a window on the host, so it cannot be started as a systemd service;
    /// <c>headless</c> can. cloud-hypervisor and crosvm show it through crosvm's GPU device on the host's Wayland.
    /// </summary>
    /// <remarks>Upstream's description of <c>microvm.graphics.enable</c> (microvm.nix 71beea0): Enable GUI support. The
    /// graphics backend is chosen by <c>microvm.graphics.backend</c>. The <c>gtk</c> and <c>cocoa</c> backends are
    /// intended for the interactive use-case and cannot be started through systemd jobs. The <c>headless</c> backend
    /// can be started through a systemd job as it does not open a host window.</remarks>
    public bool Enable { get; init; }

    /// <summary>QEMU's display backend (upstream <c>graphics.backend</c>); <c>null</c> keeps upstream's default, <c>cocoa</c> on macOS hosts and <c>gtk</c> otherwise.</summary>
    /// <remarks>Upstream's description of <c>microvm.graphics.backend</c> (microvm.nix 71beea0): QEMU display backend
    /// to use when <c>graphics.enable</c> is true. Defaults to <c>cocoa</c> on Darwin hosts and <c>gtk</c>
    /// otherwise.</remarks>
    public GraphicsBackend? Backend { get; init; }

    /// <summary>QEMU's Vulkan translation for virtio-gpu (upstream <c>graphics.vulkan</c>, default <c>null</c>: no Vulkan); with the <c>gtk</c> and <c>headless</c> backends.</summary>
    /// <remarks>Upstream's description of <c>microvm.graphics.vulkan</c> (microvm.nix 71beea0): QEMU Vulkan translation
    /// protocol to use for enabling virtio-gpu Vulkan support.</remarks>
    public GraphicsVulkan? Vulkan { get; init; }

    /// <summary>
    /// Size of QEMU's virtio-gpu host memory window for Vulkan, with the unit M or G, such as <c>"256M"</c> or <c>"8G"</c>
    /// (upstream <c>graphics.hostmem</c>, default <c>"256M"</c>); read only with <see cref="Vulkan"/>.
    /// </summary>
    /// <remarks>Upstream's description of <c>microvm.graphics.hostmem</c> (microvm.nix 71beea0): Size of the QEMU
    /// virtio-gpu host memory window, typically between 256M and 8G. The value must include a unit suffix (M or
    /// G).</remarks>
    public string Hostmem { get; init; } = "256M";

    /// <summary>
    /// The vhost-user socket between crosvm's GPU device and the hypervisor, for cloud-hypervisor and crosvm (upstream
    /// <c>graphics.socket</c>); <c>null</c> keeps upstream's default, <c>&lt;HostName&gt;-gpu.sock</c> in the VM's state directory.
    /// </summary>
    /// <remarks>Upstream's description of <c>microvm.graphics.socket</c> (microvm.nix 71beea0): Path of vhost-user
    /// socket</remarks>
    public string? Socket { get; init; }

    /// <summary>The crosvm package whose GPU device cloud-hypervisor and crosvm use for graphics (upstream <c>graphics.crosvmPackage</c>); <c>null</c> keeps upstream's default, <c>pkgs.crosvm</c> (the guest's).</summary>
    /// <remarks>Upstream's description of <c>microvm.graphics.crosvmPackage</c> (microvm.nix 71beea0): crosvm package
    /// to use when running graphics (for cloud-hypervisor and crosvm)</remarks>
    public NixPackage? CrosvmPackage { get; init; }
}

/// <summary>QEMU's display backend (upstream <c>microvm.graphics.backend</c>).</summary>
public enum GraphicsBackend
{
    /// <summary><c>"gtk"</c>: a window on the host, with OpenGL.</summary>
    Gtk,

    /// <summary><c>"cocoa"</c>: a window on a macOS host.</summary>
    Cocoa,

    /// <summary><c>"headless"</c>: rendering with EGL and no window, so the VM can run as a service.</summary>
    Headless,
}

/// <summary>QEMU's Vulkan translation protocol for virtio-gpu (upstream <c>microvm.graphics.vulkan</c>).</summary>
public enum GraphicsVulkan
{
    /// <summary><c>"venus"</c>.</summary>
    Venus,

    /// <summary><c>"drm_native_context"</c>.</summary>
    DrmNativeContext,
}
