using System;
using System.Collections.Generic;
using System.Collections;
using System.Linq;
using System.Text.Json.Nodes;
using MicroVm.Nix.Generator.Model;
using MicroVm.Nix.Generator.Schema;

namespace MicroVm.Nix.Tests.Infrastructure;

/// <summary>
/// Checks that an evaluated guest module means what the C# record says: every option the module
/// sets equals the record's value, every option it leaves out has upstream's default in the record,
/// options without an upstream default are always set, and nothing else is set.
/// </summary>
internal static class ExpectedNix
{
    public static void AssertModuleMeans(JsonNode? evaluated, VirtualMachine vm)
    {
        Assert.That(evaluated, Is.InstanceOf<JsonObject>(), "a module evaluates to an attribute set");
        var module = evaluated!.AsObject();
        Assert.That(module.Select(p => p.Key), Is.SubsetOf(new[] { "imports", "networking", "system", "users", "services", "systemd", "microvm" }), "top-level attributes");
        AssertNetworks(module["systemd"]?.AsObject(), vm);
        Assert.That((string?)module["networking"]?["hostName"], Is.EqualTo(vm.HostName), "networking.hostName");
        var typedNetworks = vm.Interfaces.Any(i => i.Network is not null);
        Assert.That((bool?)module["networking"]!["useNetworkd"] ?? false, Is.EqualTo(typedNetworks), "networking.useNetworkd: exactly when an interface is on a typed network");
        Assert.That(module["networking"]!.AsObject().Count, Is.EqualTo(typedNetworks ? 2 : 1), "only networking.hostName (and useNetworkd) is set under networking");
        Assert.That((string?)module["system"]?["stateVersion"], Is.EqualTo(vm.StateVersion), "system.stateVersion");
        Assert.That(module["system"]?.AsObject().Count ?? 0, Is.EqualTo(vm.StateVersion is null ? 0 : 1), "only system.stateVersion is set under system");
        AssertUsers(module["users"]?["users"]?.AsObject() ?? [], vm.Users);
        Assert.That(module["users"]?.AsObject().Count ?? 0, Is.EqualTo(module["users"] is null ? 0 : 1), "only users.users is set under users");
        Assert.That((bool?)module["services"]?["openssh"]?["enable"] ?? false, Is.EqualTo(vm.SshServer), "services.openssh.enable");
        Assert.That(module["services"]?.AsObject().Select(p => p.Key) ?? [], Is.SubsetOf(new[] { "openssh" }), "only services.openssh is set under services");
        AssertRecord(MicroVmSchema.VirtualMachine, module["microvm"]?.AsObject() ?? [], vm, "microvm");

        // imports: the module paths (normalised, as Nix resolves them), then the extra configuration as one inline module.
        var expected = new JsonArray([.. vm.Imports.Select(p => (JsonNode?)JsonValue.Create(NixEvaluator.RelativeModulePath("/m", System.IO.Path.GetFullPath(System.IO.Path.Combine("/m", p)))))]);
        if (vm.ExtraConfig.Count > 0)
        {
            expected.Add(ExtraConfigJson(vm.ExtraConfig));
        }

        Assert.That(JsonNode.DeepEquals(module["imports"] ?? new JsonArray(), expected), Is.True,
            "imports: Nix has " + module["imports"]?.ToJsonString() + ", C# means " + expected.ToJsonString());
    }

    /// <summary>
    /// The guest's side of its interfaces on typed networks, from the C# records: one systemd-networkd unit per such
    /// interface, matched by its MAC, with its static address (a /32 and on-link routes to the gateway on a routed
    /// network, the subnet's prefix with the gateway on a bridge) and DNS, or DHCP; nothing else under <c>systemd</c>.
    /// Options left at their defaults (empty lists and sections, as upstream's evaluation fills them in) are ignored.
    /// </summary>
    private static void AssertNetworks(JsonObject? systemd, VirtualMachine vm)
    {
        var typed = vm.Interfaces.Where(i => i.Network is not null).ToList();
        var expected = new JsonObject();
        foreach (var nic in typed)
        {
            var network = nic.Network!;
            var unit = new JsonObject { ["matchConfig"] = new JsonObject { ["MACAddress"] = nic.Mac } };
            if (nic.Address is { } address)
            {
                var routed = network.Kind == NetworkKind.Routed;
                unit["address"] = new JsonArray(address + "/" + (routed ? "32" : network.Subnet.Split('/')[1]));
                if (routed)
                {
                    unit["routes"] = new JsonArray(
                        new JsonObject { ["Destination"] = network.Gateway + "/32", ["GatewayOnLink"] = true },
                        new JsonObject { ["Destination"] = "0.0.0.0/0", ["Gateway"] = network.Gateway, ["GatewayOnLink"] = true });
                }
                else if (network.Gateway is { } gateway)
                {
                    unit["gateway"] = new JsonArray(gateway);
                }

                if (network.Dns.Count > 0)
                {
                    unit["dns"] = new JsonArray([.. network.Dns.Select(d => (JsonNode?)JsonValue.Create(d))]);
                }
            }
            else
            {
                unit["networkConfig"] = new JsonObject { ["DHCP"] = "ipv4" };
            }

            expected["10-" + nic.Id] = unit;
        }

        static JsonNode? WithoutDefaults(JsonNode? node) => node switch
        {
            JsonObject o => new JsonObject(o.Where(p => !(p.Value is JsonArray { Count: 0 } or JsonObject { Count: 0 }))
                .Select(p => KeyValuePair.Create(p.Key, WithoutDefaults(p.Value)))),
            JsonArray a => new JsonArray([.. a.Select(WithoutDefaults)]),
            _ => node?.DeepClone(),
        };

        var networkd = systemd?["network"]?.AsObject();
        Assert.That(systemd?.Select(p => p.Key) ?? [], Is.SubsetOf(new[] { "network" }), "only systemd.network is set under systemd");
        Assert.That((bool?)networkd?["enable"] ?? false, Is.EqualTo(typed.Count > 0), "systemd.network.enable: exactly when an interface is on a typed network");
        var actual = WithoutDefaults(networkd?["networks"] ?? new JsonObject());
        Assert.That(JsonNode.DeepEquals(actual, expected), Is.True, "systemd.network.networks: Nix has " + actual?.ToJsonString() + ", C# means " + expected.ToJsonString());
    }

    /// <summary>
    /// <c>users.users</c>: one account per C# user, named by it; every option of the account is the C# value, or,
    /// where the module leaves it out, the C# value is NixOS's default. Every account but root is a normal user.
    /// </summary>
    private static void AssertUsers(JsonObject users, IReadOnlyList<GuestUser> expected)
    {
        Assert.That(users.Select(p => p.Key), Is.EquivalentTo(expected.Select(u => u.Name)), "users.users: one account per C# user");
        foreach (var user in expected)
        {
            var nix = users[user.Name]!.AsObject();
            var where = "users.users." + user.Name;
            Assert.That(nix.Select(p => p.Key), Is.SubsetOf(new[] { "name", "isNormalUser", "extraGroups", "hashedPassword", "openssh" }), where + ": options");
            Assert.That((string?)nix["name"] ?? user.Name, Is.EqualTo(user.Name), where + ".name");
            Assert.That((bool?)nix["isNormalUser"] ?? false, Is.EqualTo(user.Name != "root"), where + ".isNormalUser");
            Assert.That(nix["extraGroups"]?.AsArray().Select(g => (string?)g) ?? [], Is.EqualTo(user.Groups), where + ".extraGroups");
            Assert.That((string?)nix["hashedPassword"], Is.EqualTo(user.HashedPassword), where + ".hashedPassword");
            Assert.That(nix["openssh"]?["authorizedKeys"]?["keys"]?.AsArray().Select(k => (string?)k) ?? [], Is.EqualTo(user.AuthorizedKeys), where + ".openssh.authorizedKeys.keys");
        }
    }

    /// <summary>
    /// ExtraConfig as Nix evaluates it: top-level keys are attribute paths (a double-quoted name with
    /// Nix's escapes is one attribute), nested keys literal names, and one attribute set merges them.
    /// </summary>
    private static JsonObject ExtraConfigJson(IReadOnlyDictionary<string, object> config)
    {
        var root = new JsonObject();
        foreach (var (key, value) in config)
        {
            var node = root;
            var parts = AttrPath(key);
            foreach (var part in parts[..^1])
            {
                node = (node[part] ??= new JsonObject()).AsObject();
            }

            Merge(node, parts[^1], PlainJson(value));
        }

        return root;
    }

    private static void Merge(JsonObject node, string name, JsonNode? value)
    {
        if (node[name] is JsonObject existing && value is JsonObject more)
        {
            foreach (var (key, child) in more.ToList())
            {
                more.Remove(key);
                Merge(existing, key, child);
            }
        }
        else
        {
            node[name] = value;
        }
    }

    /// <summary>The names of a Nix attribute path: split at dots outside double quotes, quotes removed and escapes read.</summary>
    private static List<string> AttrPath(string path)
    {
        var names = new List<string>();
        var name = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < path.Length; i++)
        {
            var c = path[i];
            if (quoted && c == '\\' && i + 1 < path.Length)
            {
                var next = path[++i];
                name.Append(next switch { 'n' => '\n', 't' => '\t', 'r' => '\r', _ => next });
            }
            else if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == '.' && !quoted)
            {
                names.Add(name.ToString());
                name.Clear();
            }
            else
            {
                name.Append(c);
            }
        }

        names.Add(name.ToString());
        return names;
    }

    private static JsonNode? PlainJson(object? value) => value switch
    {
        null => null,
        bool b => JsonValue.Create(b),
        int i => JsonValue.Create(i),
        long l => JsonValue.Create(l),
        double d => JsonValue.Create(d),
        string s => JsonValue.Create(s),
        IDictionary map => new JsonObject(map.Keys.Cast<string>().Select(k => new KeyValuePair<string, JsonNode?>(k, PlainJson(map[k])))),
        IEnumerable list => new JsonArray([.. list.Cast<object?>().Select(PlainJson)]),
        _ => throw new AssertionException("No JSON form for " + value.GetType()),
    };

    public static void AssertRecord(RecordSchema schema, JsonObject nix, object record, string path)
    {
        var known = schema.Options.Where(o => o.Scope == OptionScope.Record).Select(o => o.NixName.Split('.')[0]).Distinct().ToList();
        Assert.That(nix.Select(p => p.Key), Is.SubsetOf(known), path + ": only upstream options are set");

        foreach (var option in schema.Options.Where(o => o.Scope == OptionScope.Record))
        {
            var property = record.GetType().GetProperty(option.Property)
                ?? throw new AssertionException(record.GetType().Name + " has no property " + option.Property);
            var value = property.GetValue(record);
            var where = path + "." + option.NixName;

            if (!TryGetPath(nix, option.NixName, out var written))
            {
                if (option.Type == NixType.Submodule)
                {
                    AssertRecord(option.Element!, [], value ?? Activator.CreateInstance(property.PropertyType)!, where);
                    continue;
                }

                Assert.That(option.Required, Is.False, where + " has no upstream default, so the module must set it");
                if (option.DefaultIsComputed && value is null)
                {
                    continue;
                }

                Assert.That(JsonNode.DeepEquals(FromCSharp(option, value), FromDefault(option)), Is.True,
                    where + " is left out, so the record must hold upstream's default " + FromDefault(option)?.ToJsonString() + ", not " + FromCSharp(option, value)?.ToJsonString());
                continue;
            }

            if (option.DefaultIsComputed && value is null)
            {
                // Left to upstream, which computed it from other options.
                continue;
            }

            if (option.Type == NixType.Submodule)
            {
                // An unset settings record means upstream's defaults, which a new C# instance holds.
                var settings = value ?? Activator.CreateInstance(property.PropertyType)!;
                AssertRecord(option.Element!, written as JsonObject ?? [], settings, where);
                continue;
            }

            if (option.Type == NixType.ListOfSubmodule)
            {
                var items = ((IEnumerable)value!).Cast<object>().ToList();
                var array = written!.AsArray();
                Assert.That(array, Has.Count.EqualTo(items.Count), where + " length");
                for (var i = 0; i < items.Count; i++)
                {
                    AssertRecord(option.Element!, array[i]!.AsObject(), items[i], where + "[" + i + "]");
                }

                continue;
            }

            if (option.Type == NixType.PackageSet && written is JsonObject set)
            {
                // A package set evaluates to the whole stand-in set (stand-in-nixpkgs.nix); its mark names the system.
                written = set["standIn"]?.DeepClone();
            }

            Assert.That(JsonNode.DeepEquals(written, FromCSharp(option, value)), Is.True,
                where + ": Nix has " + written?.ToJsonString() + ", C# has " + FromCSharp(option, value)?.ToJsonString());
        }
    }

    /// <summary>Follows a dotted attribute path such as <c>macvtap.link</c>.</summary>
    private static bool TryGetPath(JsonObject nix, string path, out JsonNode? value)
    {
        value = nix;
        foreach (var part in path.Split('.'))
        {
            if (value is not JsonObject o || !o.TryGetPropertyValue(part, out value))
            {
                value = null;
                return false;
            }
        }

        return true;
    }

    /// <summary>A C# property value as Nix would evaluate it, in JSON.</summary>
    public static JsonNode? FromCSharp(OptionSchema option, object? value) => value switch
    {
        null => null,
        bool b => JsonValue.Create(b),
        int i => JsonValue.Create(i),
        long l => JsonValue.Create(l),
        double d => JsonValue.Create(d),
        string s => JsonValue.Create(s),
        Enum e => JsonValue.Create(option.NixEnumName(e.ToString()) ?? throw new AssertionException("No Nix name for " + e)),
        DiskImage image => JsonValue.Create(image.HostPath),
        NixPackage package => JsonValue.Create(NixEvaluator.PackageMarker(option.PackageSet!, package.AttributePath)),
        NixPackageSet set => JsonValue.Create("nixpkgs:" + set.System),
        IDictionary map => new JsonObject(map.Keys.Cast<string>().Select(k => new System.Collections.Generic.KeyValuePair<string, JsonNode?>(k, FromCSharp(option, map[k])))),
        IEnumerable list => new JsonArray([.. list.Cast<object?>().Select(item => FromCSharp(option, item))]),
        _ => throw new AssertionException("No JSON form for " + value.GetType()),
    };

    /// <summary>Upstream's default of <paramref name="option"/>, in JSON.</summary>
    public static JsonNode? FromDefault(OptionSchema option) => option.Default switch
    {
        null or NullValue => null,
        BoolValue b => JsonValue.Create(b.Value),
        IntValue i => JsonValue.Create(i.Value),
        StringValue s => JsonValue.Create(s.Value),
        EnumValue e => JsonValue.Create(option.NixEnumName(e.Member)),
        ListValue { Items.Count: 0 } => new JsonArray(),
        MapValue { Entries.Count: 0 } => new JsonObject(),
        var other => throw new AssertionException("No JSON form for default " + other),
    };
}
