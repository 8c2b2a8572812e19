namespace MicroVm.Nix;

/// <summary>A graphical display for the VM (upstream <c>microvm.graphics.*</c>): qemu, cloud-hypervisor, crosvm and vfkit.</summary>
public sealed record GraphicsSettings
{
    /// <summary>
    /// Enable GUI support (upstream <c>graphics.enable</c>, default <c>false</c>). With qemu's <c>gtk</c> and
    /// <c>cocoa</c> backends the VM opens a window on the host, so it cannot be started as a systemd service;
    /// <c>headless</c> can. cloud-hypervisor and crosvm show it through crosvm's GPU device on the host's Wayland.
    /// </summary>
    public bool Enable { get; init; }

    /// <summary>QEMU's display backend (upstream <c>graphics.backend</c>); <c>null</c> keeps upstream's default, <c>cocoa</c> on macOS hosts and <c>gtk</c> otherwise.</summary>
    public GraphicsBackend? Backend { get; init; }

    /// <summary>QEMU's Vulkan translation for virtio-gpu (upstream <c>graphics.vulkan</c>, default <c>null</c>: no Vulkan); with the <c>gtk</c> and <c>headless</c> backends.</summary>
    public GraphicsVulkan? Vulkan { get; init; }

    /// <summary>
    /// Size of QEMU's virtio-gpu host memory window for Vulkan, with the unit M or G, such as <c>"256M"</c> or <c>"8G"</c>
    /// (upstream <c>graphics.hostmem</c>, default <c>"256M"</c>); read only with <see cref="Vulkan"/>.
    /// </summary>
    public string Hostmem { get; init; } = "256M";

    /// <summary>The crosvm package whose GPU device cloud-hypervisor and crosvm use for graphics (upstream <c>graphics.crosvmPackage</c>); <c>null</c> keeps upstream's default, <c>pkgs.crosvm</c> (the guest's).</summary>
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
