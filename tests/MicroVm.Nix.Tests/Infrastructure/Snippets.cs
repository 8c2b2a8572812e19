namespace MicroVm.Nix.Tests.Infrastructure;

/// <summary>C# sources the tests share.</summary>
internal static class Snippets
{
    /// <summary>
    /// <c>Fleet.Vm</c>, host name "vm", with one volume whose initializer is <paramref name="volume"/>;
    /// <paramref name="vm"/> adds initializer lines to the VM (each ending with a comma).
    /// </summary>
    public static string OneVolume(string volume, string vm = "") => $$"""
        using MicroVm.Nix;

        public static class Fleet
        {
            [MicroVmModule]
            public static readonly VirtualMachine Vm = new()
            {
                HostName = "vm",
                {{vm}}
                Volumes = [new Volume { {{volume}} }],
            };
        }
        """;
}
