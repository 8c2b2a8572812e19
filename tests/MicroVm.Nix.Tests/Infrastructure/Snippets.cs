namespace MicroVm.Nix.Tests.Infrastructure;

/// <summary>C# sources the tests share.</summary>
internal static class Snippets
{
    /// <summary>
    /// <c>Fleet.Vm</c>, host name "vm", with <paramref name="init"/> as further initializer lines (each
    /// ending with a comma); <c>System.Collections.Generic</c> is imported for dictionaries.
    /// </summary>
    public static string Vm(string init) => $$"""
        using System.Collections.Generic;
        using MicroVm.Nix;

        public static class Fleet
        {
            [MicroVmModule]
            public static readonly VirtualMachine Vm = new()
            {
                HostName = "vm",
        {{init}}
            };
        }
        """;

    /// <summary>
    /// <c>Fleet.Vm</c>, host name "vm", with one volume whose initializer is <paramref name="volume"/>;
    /// <paramref name="vm"/> adds initializer lines to the VM (each ending with a comma).
    /// </summary>
    public static string OneVolume(string volume, string vm = "") => Vm(vm + " Volumes = [new Volume { " + volume + " }],");
}
