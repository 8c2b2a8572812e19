using System.Globalization;

namespace MicroVm.Nix.Generator.Validation;

/// <summary>
/// IPv4 addresses and subnets as the typed networks take them: dotted quads of decimal numbers 0–255 without
/// leading zeros (which some tools read as octal), and CIDR ranges whose host bits are zero.
/// </summary>
internal static class Ipv4
{
    /// <summary>The address <paramref name="text"/> as a number, or <c>null</c> with the reason in <paramref name="problem"/>.</summary>
    public static uint? Address(string text, out string? problem)
    {
        problem = null;
        var parts = text.Split('.');
        if (parts.Length != 4)
        {
            problem = "an IPv4 address has four numbers separated by '.', such as 10.0.0.5";
            return null;
        }

        uint value = 0;
        foreach (var part in parts)
        {
            if (part.Length is 0 or > 3 || !uint.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var octet) || octet > 255)
            {
                problem = "'" + part + "' is not a number from 0 to 255";
                return null;
            }

            if (part.Length > 1 && part[0] == '0')
            {
                problem = "'" + part + "' has a leading zero, which some tools read as octal";
                return null;
            }

            value = (value << 8) | octet;
        }

        return value;
    }

    /// <summary>The subnet <paramref name="text"/> (<c>10.0.0.0/24</c>), or <c>null</c> with the reason in <paramref name="problem"/>.</summary>
    public static (uint Network, int Prefix)? Subnet(string text, out string? problem)
    {
        var slash = text.IndexOf('/');
        if (slash < 0)
        {
            problem = "a subnet is written in CIDR notation, an address and a prefix length, such as 10.0.0.0/24";
            return null;
        }

        if (Address(text.Substring(0, slash), out problem) is not { } network)
        {
            return null;
        }

        var length = text.Substring(slash + 1);
        if (length.Length is 0 or > 2 || !int.TryParse(length, NumberStyles.None, CultureInfo.InvariantCulture, out var prefix) || prefix > 32 || (length.Length > 1 && length[0] == '0'))
        {
            problem = "'" + length + "' is not a prefix length from 0 to 32";
            return null;
        }

        if ((network & ~Mask(prefix)) != 0)
        {
            problem = "it has host bits set; the network's address is " + Format(network & Mask(prefix)) + "/" + prefix.ToString(CultureInfo.InvariantCulture);
            return null;
        }

        return (network, prefix);
    }

    /// <summary>The netmask of a prefix length.</summary>
    public static uint Mask(int prefix) => prefix == 0 ? 0 : uint.MaxValue << (32 - prefix);

    /// <summary>Whether <paramref name="address"/> is inside the subnet.</summary>
    public static bool Contains((uint Network, int Prefix) subnet, uint address) => (address & Mask(subnet.Prefix)) == subnet.Network;

    /// <summary>
    /// Why <paramref name="address"/> cannot be a machine's address on the subnet, or <c>null</c>: outside it, or its
    /// network or broadcast address (on subnets of up to /30).
    /// </summary>
    public static string? HostProblem((uint Network, int Prefix) subnet, uint address)
    {
        var range = Format(subnet.Network) + "/" + subnet.Prefix.ToString(CultureInfo.InvariantCulture);
        if (!Contains(subnet, address))
        {
            return "it is outside the network's subnet " + range;
        }

        if (subnet.Prefix <= 30 && address == subnet.Network)
        {
            return "it is the subnet's network address (" + range + ")";
        }

        return subnet.Prefix <= 30 && address == (subnet.Network | ~Mask(subnet.Prefix)) ? "it is the subnet's broadcast address (" + range + ")" : null;
    }

    /// <summary>The dotted-quad form of an address.</summary>
    public static string Format(uint address) =>
        string.Join(".", (address >> 24).ToString(CultureInfo.InvariantCulture), ((address >> 16) & 255).ToString(CultureInfo.InvariantCulture),
            ((address >> 8) & 255).ToString(CultureInfo.InvariantCulture), (address & 255).ToString(CultureInfo.InvariantCulture));
}
