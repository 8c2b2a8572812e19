using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace MicroVm.Nix.Tests.Infrastructure;

/// <summary>
/// One option value of a hypervisor command line, split the way that hypervisor splits it: an optional
/// leading positional part (a driver, a device type, a path) and <c>key=value</c> items (or bare flags).
/// </summary>
internal sealed class OptionValue
{
    public OptionValue(string text, string? positional, IReadOnlyList<(string Key, string? Value)> items)
    {
        Text = text;
        Positional = positional;
        Items = items;
    }

    /// <summary>The value as the hypervisor received it.</summary>
    public string Text { get; }

    /// <summary>The leading part without <c>=</c> (<c>tap</c> in <c>tap,id=x</c>), or null.</summary>
    public string? Positional { get; }

    /// <summary>Every item after the positional part, in order; a flag has a null value.</summary>
    public IReadOnlyList<(string Key, string? Value)> Items { get; }

    /// <summary>The value of <paramref name="key"/>, which must occur exactly once.</summary>
    public string this[string key]
    {
        get
        {
            var values = All(key);
            Assert.That(values, Has.Count.EqualTo(1), "'" + key + "' occurs once in «" + Text + "»");
            return values[0];
        }
    }

    public IReadOnlyList<string> All(string key) => [.. Items.Where(i => i.Key == key && i.Value is not null).Select(i => i.Value!)];

    public bool HasKey(string key) => Items.Any(i => i.Key == key);

    /// <summary>Whether a bare flag (no <c>=</c>) is present, such as <c>ro</c> or <c>readonly</c>.</summary>
    public bool HasFlag(string flag) => Items.Any(i => i.Key == flag && i.Value is null);

    public override string ToString() => Text;
}

/// <summary>
/// Test-side parsers for the option syntax each hypervisor reads, so that a test compares the exact
/// field a hypervisor would see (the <c>file=</c> of a qemu <c>-drive</c>, the <c>path=</c> of a
/// cloud-hypervisor <c>--disk</c>) with the C# value, not a substring of the command line.
/// </summary>
internal static class HypervisorSyntax
{
    /// <summary>
    /// QEMU's QemuOpts: comma-separated <c>key=value</c>; a comma inside a value is written twice
    /// (<c>,,</c>); the first item may have no key (the driver or type: <c>tap,id=x</c>, <c>microvm,accel=kvm</c>).
    /// Source: QEMU util/qemu-option.c (get_opt_value: ",," is a literal comma, a single "," ends the
    /// value; opts_do_parse: an item without "=" first is the implied option), and qemu(1), "to pass a
    /// comma in a value, double it".
    /// </summary>
    public static OptionValue Qemu(string text) => KeyValues(text, Split(text, ',', doubledEscapes: true, brackets: false, quotes: false), positionalFirst: true, unquote: false);

    /// <summary>
    /// cloud-hypervisor's option_parser: comma-separated <c>key=value</c>, where a comma inside
    /// <c>[...]</c> (<c>fd=[3,4]</c>, <c>oem_strings=[a,b]</c>) or inside double quotes does not split.
    /// Source: cloud-hypervisor option_parser/src/lib.rs (split_commas tracks brackets and quotes;
    /// OptionParser::parse splits each item at its first "=").
    /// </summary>
    public static OptionValue CloudHypervisor(string text) => KeyValues(text, Split(text, ',', doubledEscapes: false, brackets: true, quotes: true), positionalFirst: false);

    /// <summary>The items of a cloud-hypervisor list value: <c>[3,4]</c> gives 3 and 4 (same source as <see cref="CloudHypervisor"/>).</summary>
    public static IReadOnlyList<string> CloudHypervisorList(string value)
    {
        Assert.That(value, Does.StartWith("[").And.EndWith("]"), "a cloud-hypervisor list value");
        return Split(value[1..^1], ',', doubledEscapes: false, brackets: true, quotes: true);
    }

    /// <summary>
    /// crosvm's serde_keyvalue: comma-separated <c>key=value</c>, the first item may be a positional
    /// value (the path of <c>--block PATH[,key=value…]</c>), values may be double-quoted. Source: crosvm's
    /// serde_keyvalue crate (from_key_values, which crosvm's command line uses for --block, --net,
    /// --vhost-user), and crosvm's --block help text.
    /// </summary>
    public static OptionValue Crosvm(string text) => KeyValues(text, Split(text, ',', doubledEscapes: false, brackets: true, quotes: true), positionalFirst: true);

    /// <summary>
    /// crosvm's <c>--shared-dir PATH:TAG[:type=TYPE:…]</c>: colon-separated, path and tag first.
    /// Source: crosvm's book, devices/fs.md (<c>--shared-dir "$DIR:my_shared_tag:type=fs"</c>), and its --shared-dir help text.
    /// </summary>
    public static (string Path, string Tag, OptionValue Options) CrosvmSharedDir(string text)
    {
        var parts = text.Split(':');
        Assert.That(parts.Length, Is.GreaterThanOrEqualTo(2), "PATH:TAG in «" + text + "»");
        return (parts[0], parts[1], KeyValues(text, parts[2..], positionalFirst: false));
    }

    /// <summary>
    /// kvmtool: comma-separated; <c>-d IMAGE[,ro][,direct]</c> has the image first, <c>--9p DIR,TAG</c> the
    /// directory first, <c>-n mode=tap,tapif=…,guest_mac=…</c> only <c>key=value</c>; no escaping.
    /// Source: kvmtool disk/core.c (disk_img_name_parser: the image, then ",ro" / ",direct"),
    /// virtio/9p.c (virtio_9p_rootdir_parser: "dir,tag") and virtio/net.c (netdev_parser: strtok on ',', then "=").
    /// </summary>
    public static OptionValue Kvmtool(string text) => KeyValues(text, text.Split(','), positionalFirst: true, unquote: false);

    /// <summary>
    /// StratoVirt: comma-separated <c>key=value</c> after an optional type (<c>tap,id=…</c>,
    /// <c>virtio-blk-device,drive=…</c>), as in QEMU; values here hold no commas. Source: StratoVirt's
    /// docs/config_guidebook.md and openEuler's StratoVirt "VM configuration" guide (<c>-drive id=…,file=…</c>,
    /// <c>-netdev tap,id=…,ifname=…</c>).
    /// </summary>
    public static OptionValue Stratovirt(string text) => KeyValues(text, text.Split(','), positionalFirst: true, unquote: false);

    /// <summary>
    /// alioth's serde-aco: comma-separated <c>key=value</c>; an enum's variant name comes first
    /// (<c>vu,socket=…</c> for a vhost-user fs). Source: alioth's serde-aco crate, the "key=value,…"
    /// format of its command line, where an enum value starts with its variant name.
    /// </summary>
    public static OptionValue Alioth(string text) => KeyValues(text, Split(text, ',', doubledEscapes: false, brackets: true, quotes: false), positionalFirst: true, unquote: false);

    /// <summary>
    /// vfkit: <c>--device TYPE,key=value,flag</c> and <c>--bootloader linux,kernel=…,cmdline="…"</c>:
    /// comma-separated after the type, a double-quoted value keeps its commas and spaces. Source: vfkit
    /// doc/usage.md (<c>--device virtio-blk,path=…</c>, <c>--bootloader linux,kernel=…,cmdline="…"</c>).
    /// </summary>
    public static OptionValue Vfkit(string text) => KeyValues(text, Split(text, ',', doubledEscapes: false, brackets: false, quotes: true), positionalFirst: true);

    /// <summary>The single value after each occurrence of <paramref name="option"/> in <paramref name="args"/>.</summary>
    public static IReadOnlyList<string> ValuesOf(IReadOnlyList<string> args, string option) =>
        [.. args.Select((a, i) => (a, i)).Where(p => p.a == option && p.i + 1 < args.Count).Select(p => args[p.i + 1])];

    /// <summary>
    /// The values after <paramref name="option"/> up to the next <c>--option</c>: cloud-hypervisor's
    /// clap takes <c>--disk A B C</c> (num_args = 1..) since version 36.
    /// </summary>
    public static IReadOnlyList<string> MultiValuesOf(IReadOnlyList<string> args, string option)
    {
        var result = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] != option)
            {
                continue;
            }

            for (var j = i + 1; j < args.Count && !args[j].StartsWith("--", StringComparison.Ordinal); j++)
            {
                result.Add(args[j]);
            }
        }

        return result;
    }

    /// <summary>Items as <c>key=value</c>; <paramref name="unquote"/> for the parsers that strip a value's double quotes (cloud-hypervisor, crosvm, vfkit), not for QEMU's, kvmtool's, stratovirt's or alioth's, which keep them.</summary>
    private static OptionValue KeyValues(string text, IReadOnlyList<string> parts, bool positionalFirst, bool unquote = true)
    {
        string? positional = null;
        var items = new List<(string, string?)>();
        for (var i = 0; i < parts.Count; i++)
        {
            var part = parts[i];
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0 && i == 0 && positionalFirst)
            {
                positional = part;
            }
            else if (eq < 0)
            {
                items.Add((part, null));
            }
            else
            {
                items.Add((part[..eq], unquote ? Unquote(part[(eq + 1)..]) : part[(eq + 1)..]));
            }
        }

        return new OptionValue(text, positional, items);
    }

    private static string Unquote(string value) =>
        value.Length >= 2 && value[0] == '"' && value[^1] == '"' ? value[1..^1] : value;

    private static List<string> Split(string text, char separator, bool doubledEscapes, bool brackets, bool quotes)
    {
        var parts = new List<string>();
        var current = new StringBuilder();
        var depth = 0;
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quotes && c == '"')
            {
                quoted = !quoted;
            }
            else if (brackets && !quoted && c == '[')
            {
                depth++;
            }
            else if (brackets && !quoted && c == ']')
            {
                depth--;
            }
            else if (c == separator && !quoted && depth == 0)
            {
                if (doubledEscapes && i + 1 < text.Length && text[i + 1] == separator)
                {
                    current.Append(separator);
                    i++;
                    continue;
                }

                parts.Add(current.ToString());
                current.Clear();
                continue;
            }

            current.Append(c);
        }

        parts.Add(current.ToString());
        return parts;
    }
}
