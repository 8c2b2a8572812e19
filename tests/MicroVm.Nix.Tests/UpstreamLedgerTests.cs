using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using MicroVm.Nix.Generator.Model;
using MicroVm.Nix.Generator.Schema;
using MicroVm.Nix.Tests.Infrastructure;

namespace MicroVm.Nix.Tests;

/// <summary>
/// The ledger (<c>generator/upstream/options.json</c>) is every option microvm.nix declares, extracted
/// from upstream's own declarations by <c>generator/upstream/update-ledger</c>. These tests hold it to
/// upstream, and the schema to it: every option a user can set is typed, with upstream's type, or
/// listed in <see cref="MicroVmSchema.Untyped"/> with the reason. Moving to a new upstream commit is:
/// run the script, review the diff, fix what these tests name.
/// </summary>
public class UpstreamLedgerTests
{
    private static string LedgerFile => Path.Combine(RepoPaths.Root, "generator", "upstream", "options.json");

    private static JsonObject Ledger => JsonNode.Parse(File.ReadAllText(LedgerFile))!.AsObject();

    private static List<JsonObject> Options => [.. Ledger["options"]!.AsArray().Select(o => o!.AsObject())];

    /// <summary>What a user sets: neither internal nor read-only.</summary>
    private static List<JsonObject> Settable => [.. Options.Where(o => !(bool)o["internal"]! && !(bool)o["readOnly"]!)];

    private static Dictionary<string, (RecordSchema Record, OptionSchema Option)> Typed =>
        MicroVmSchema.UpstreamPaths().ToDictionary(p => p.Path, p => (p.Record, p.Option));

    [Test]
    public void Ledger_is_what_upstream_declares()
    {
        var (microvm, lib) = Upstream.RequirePaths();
        var extracted = NixEvaluator.EvalFile(Path.Combine(RepoPaths.Root, "generator", "upstream", "extract-options.nix"), ("microvm", microvm), ("nixpkgsLib", lib))!
            .AsArray().Select(o => o!.AsObject()).ToDictionary(o => (string)o["path"]!);
        var ledger = Options.ToDictionary(o => (string)o["path"]!);

        var differences = new List<string>();
        differences.AddRange(extracted.Keys.Except(ledger.Keys).Select(p => "new upstream: " + p));
        differences.AddRange(ledger.Keys.Except(extracted.Keys).Select(p => "gone upstream: " + p));
        foreach (var path in extracted.Keys.Intersect(ledger.Keys))
        {
            foreach (var (field, value) in extracted[path])
            {
                if (!JsonNode.DeepEquals(value, ledger[path][field]))
                {
                    differences.Add(path + " " + field + ": upstream " + value?.ToJsonString() + ", ledger " + ledger[path][field]?.ToJsonString());
                }
            }
        }

        Assert.That(differences, Is.Empty, "The ledger is not what " + microvm + " declares: run generator/upstream/update-ledger and review the diff.\n" + string.Join("\n", differences));
    }

    [Test]
    public void Systems_are_what_nixpkgs_lib_knows_and_what_the_generator_checks()
    {
        var (_, lib) = Upstream.RequirePaths();
        var extracted = NixEvaluator.EvalExpression("(import " + System.IO.Path.GetFullPath(lib) + "/lib).systems.doubles.all")!.AsArray().Select(s => (string)s!).ToList();
        var file = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "generator", "upstream", "systems.json")))!["systems"]!.AsArray().Select(s => (string)s!).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(file, Is.EqualTo(extracted), "generator/upstream/systems.json is not what " + lib + " knows: run generator/upstream/update-ledger");
            Assert.That(UpstreamLedger.Systems, Is.EqualTo(file), "UpstreamLedger.g.cs is not systems.json: run generator/upstream/update-ledger");
        });
    }

    [Test]
    public void Every_settable_upstream_option_is_typed_or_listed_as_untyped_with_a_reason()
    {
        var typed = Typed;
        var untyped = MicroVmSchema.Untyped.ToDictionary(u => u.Path);
        var missing = Settable.Select(o => (string)o["path"]!).Where(p => !typed.ContainsKey(p) && !untyped.ContainsKey(p)).ToList();
        Assert.That(missing, Is.Empty, "Upstream options neither typed nor in MicroVmSchema.Untyped:\n" + string.Join("\n", missing));

        Assert.Multiple(() =>
        {
            foreach (var entry in MicroVmSchema.Untyped)
            {
                Assert.That(Settable.Any(o => (string)o["path"]! == entry.Path), Is.True, entry.Path + " is listed as untyped but is not a settable option of the ledger");
                Assert.That(typed.ContainsKey(entry.Path), Is.False, entry.Path + " is both typed and listed as untyped");
                Assert.That(entry.Reason.Trim().Length, Is.GreaterThan(20), entry.Path + " needs a reason");
            }
        });
    }

    [Test]
    public void Every_typed_option_is_declared_upstream_as_settable()
    {
        var settable = Settable.Select(o => (string)o["path"]!).ToHashSet();
        var unknown = Typed.Keys.Where(p => !settable.Contains(p)).ToList();
        Assert.That(unknown, Is.Empty, "Typed options upstream does not declare (or declares internal or read-only):\n" + string.Join("\n", unknown));
    }

    [Test]
    public void Every_typed_option_has_upstreams_type()
    {
        var byPath = Options.ToDictionary(o => (string)o["path"]!, o => (string)o["type"]!);
        var wrong = new List<string>();
        foreach (var (path, (_, option)) in Typed)
        {
            var expected = UpstreamType(option);
            var actual = byPath[path];
            if (option.TypeGap is null && actual != expected)
            {
                wrong.Add(path + ": upstream '" + actual + "', schema means '" + expected + "'");
            }
            else if (option.TypeGap is not null && actual == expected)
            {
                wrong.Add(path + ": the schema notes a gap (" + option.TypeGap + "), but its type is upstream's, '" + actual + "'");
            }
        }

        Assert.That(wrong, Is.Empty, "Typed options whose type is not upstream's, and no gap noted:\n" + string.Join("\n", wrong));
    }

    [Test]
    public void Generators_copy_of_the_ledger_is_the_ledger()
    {
        var ledger = Settable.ToDictionary(o => (string)o["path"]!);
        var commit = UpstreamLedger.Commit;
        Assert.That(commit, Is.EqualTo((string)Ledger["commit"]!));
        Assert.That(UpstreamLedger.Options.Select(o => o.Path), Is.EquivalentTo(ledger.Keys), "run generator/upstream/update-ledger");
        foreach (var option in UpstreamLedger.Options)
        {
            var entry = ledger[option.Path];
            Assert.That((option.Scope, option.Type, option.Visible), Is.EqualTo(((string)entry["scope"]!, (string)entry["type"]!, (bool)entry["visible"]!)), option.Path);
            Assert.That(ShapeJson(option.Shape).ToJsonString(), Is.EqualTo(entry["shape"]!.ToJsonString()), option.Path);
        }
    }

    /// <summary>
    /// The generator's check of a <c>microvm.*</c> ExtraConfig value (<see cref="UpstreamShape.Accepts"/>),
    /// judged by upstream's own declarations: every guest option a path can set, given each of a set of
    /// values, by nixpkgs' module system. What the check accepts, upstream accepts; what it refuses,
    /// upstream refuses; where it cannot tell, Nix decides.
    /// </summary>
    [Test]
    public void ExtraConfig_value_check_agrees_with_upstreams_declarations()
    {
        var (microvm, lib) = Upstream.RequirePaths();
        // Submodules aside: Nix imports a string given for one as the path of a module, an error no judge can catch.
        var options = UpstreamLedger.Options.Where(o => o.Scope == "guest" && o.Visible && !o.Path.Contains('*') && o.Shape.Kind != "submodule").ToList();
        var enumValues = options.SelectMany(o => EnumValues(o.Shape)).Distinct().Select(v => (JsonNode?)JsonValue.Create(v));
        JsonNode?[] values =
        [
            true, false, 0, -1, 1, 65535, 65536, 4294967296, 1.5, "", " ", "x", "a\nb", "/abs", "relative/path", null,
            new JsonArray(), new JsonArray("x"), new JsonArray(1), new JsonArray("x", 1),
            new JsonObject(), new JsonObject { ["a"] = "x" }, new JsonObject { ["a"] = 1 },
            .. enumValues,
        ];
        // As JSON text gives them (JsonElement-backed), so that a whole number reads as a long and 1.5 does not.
        values = [.. JsonNode.Parse(new JsonArray([.. values.Select(v => v?.DeepClone())]).ToJsonString())!.AsArray().Select(v => v?.DeepClone())];
        var cases = new JsonObject
        {
            ["paths"] = new JsonArray([.. options.Select(o => (JsonNode?)new JsonArray([.. o.Path.Split('.').Select(n => (JsonNode?)JsonValue.Create(n))]))]),
            ["values"] = new JsonArray([.. values.Select(v => v?.DeepClone())]),
        };
        var verdicts = NixEvaluator.EvalFile(Path.Combine(RepoPaths.Root, "tests", "MicroVm.Nix.Tests", "Nix", "upstream-accepts.nix"),
            ("microvm", microvm), ("nixpkgsLib", lib), ("cases", cases.ToJsonString()))!.AsArray();

        var disagreements = new List<string>();
        int accepted = 0, refused = 0;
        for (var v = 0; v < values.Length; v++)
        {
            for (var o = 0; o < options.Count; o++)
            {
                var ours = options[o].Shape.Accepts(ToValue(values[v]));
                var upstream = (bool)verdicts[v]![o]!;
                if (ours is { } verdict)
                {
                    _ = verdict ? accepted++ : refused++;
                    if (verdict != upstream)
                    {
                        disagreements.Add(options[o].Path + " (" + options[o].Type + ") = " + (values[v]?.ToJsonString() ?? "null") + ": MicroVm.Nix " + (verdict ? "accepts" : "refuses") + ", upstream " + (upstream ? "accepts" : "refuses"));
                    }
                }
            }
        }

        Assert.That(disagreements, Is.Empty, string.Join("\n", disagreements));
        Assert.That(accepted, Is.GreaterThan(100), "pairs judged accepted");
        Assert.That(refused, Is.GreaterThan(1000), "pairs judged refused");
    }

    private static IEnumerable<string> EnumValues(UpstreamShape shape) =>
        (shape.Values ?? []).Concat(shape.Elem is { } elem ? EnumValues(elem) : []).Concat(shape.Right is { } right ? EnumValues(right) : []);

    private static Generator.Model.EvalValue ToValue(JsonNode? node) => node switch
    {
        null => new Generator.Model.NullValue(null),
        JsonArray array => new Generator.Model.ListValue(array.Select(ToValue).ToEquatableArray(), null),
        JsonObject map => new Generator.Model.MapValue(map.Select(p => new Generator.Model.FieldValue(p.Key, ToValue(p.Value))).ToEquatableArray(), null),
        JsonValue value when value.TryGetValue<bool>(out var b) => new Generator.Model.BoolValue(b, null),
        JsonValue value when value.TryGetValue<string>(out var s) => new Generator.Model.StringValue(s, null),
        JsonValue value when value.TryGetValue<long>(out var l) => new Generator.Model.IntValue(l, null),
        _ => new Generator.Model.FloatValue(node.GetValue<double>(), null),
    };

    /// <summary>A shape as the ledger writes it (keys in Nix's order: sorted).</summary>
    private static JsonObject ShapeJson(UpstreamShape shape)
    {
        var json = new SortedDictionary<string, JsonNode?>(System.StringComparer.Ordinal) { ["kind"] = shape.Kind };
        if (shape.Kind == "enum")
        {
            json["values"] = new JsonArray([.. shape.Values!.Select(v => (JsonNode?)JsonValue.Create(v))]);
        }
        else if (shape.Kind == "either")
        {
            json["left"] = ShapeJson(shape.Elem!);
            json["right"] = ShapeJson(shape.Right!);
        }
        else if (shape.Elem is { } elem)
        {
            json["elem"] = ShapeJson(elem);
        }

        return new JsonObject(json);
    }

    [Test]
    public void Readme_states_the_coverage_the_ledger_gives()
    {
        var readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md"));
        var settable = Settable.Count;
        var typed = Typed.Count;
        var deliberate = MicroVmSchema.Untyped.Count(u => u.Deliberate);
        var figure = $"{typed} of the {settable} options";
        Assert.That(readme, Does.Contain(figure), "README coverage figure; the ledger gives: " + figure + " (" + deliberate + " not modelled on purpose)");
    }

    /// <summary>
    /// How nixpkgs' lib describes the type the schema gives an option (<c>types.*.description</c>), to
    /// compare with the ledger's. The schema's type says what C# accepts; upstream's must accept exactly that.
    /// </summary>
    private static string UpstreamType(OptionSchema option)
    {
        var inner = option.Type switch
        {
            NixType.Bool => "boolean",
            NixType.Int => (option.Minimum, option.Maximum) switch
            {
                (1, null) => "positive integer, meaning >0",
                (0, 65535) => "16 bit unsigned integer; between 0 and 65535 (both inclusive)",
                (0, null) => "unsigned integer, meaning >=0",
                _ => "signed integer",
            },
            _ when option.NixTypeDescription is { } described => described,
            NixType.Str or NixType.DiskImage => "string",
            NixType.Path => "absolute path",
            NixType.Enum => "one of " + string.Join(", ", option.EnumNames.Select(n => "\"" + n.Value + "\"")),
            NixType.ListOfStr => "list of string",
            NixType.AttrsOfStr => "attribute set of string",
            NixType.ListOfSubmodule => "list of (submodule)",
            NixType.Package => "package",
            NixType.PackageSet => "Nixpkgs package set",
            _ => option.Type.ToString(),
        };
        // nullOr puts a composite type (a list or attribute set of something) in parentheses.
        var composite = inner.StartsWith("list of", System.StringComparison.Ordinal) || inner.StartsWith("attribute set", System.StringComparison.Ordinal);
        return option.Nullable ? "null or " + (composite ? "(" + inner + ")" : inner) : inner;
    }
}
