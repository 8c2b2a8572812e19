using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using MicroVm.Nix.Generator.Emitting;
using MicroVm.Nix.Tests.Infrastructure;

namespace MicroVm.Nix.Tests;

/// <summary>
/// ExtraConfig keys are read exactly as Nix reads an attribute path: for 5,000 generated keys, every
/// key MicroVm.Nix accepts is, written raw into <c>{ &lt;key&gt; = 1; }</c>, parsed by Nix into the same
/// names, and the path MicroVm.Nix writes back means the same attributes; a sample of the keys it
/// refuses are refused by Nix's parser too (or hold an interpolation, which would be code).
/// </summary>
public class AttrPathPropertyTests
{
    private static readonly string[] Bare = ["a", "b1", "_x", "x-y", "x'y", "or", "__x", "vm", "swappiness", "A9"];

    private static readonly string[] Inside = ["a", "vm.swappiness", " ", "é", "\\\"", "\\\\", "\\n", "\\q", "\\$", "$", "''", "if", ".", "-", ""];

    private static readonly string[] Hostile = [".", "\"", "\\", "${", "$", " ", "if", "rec", "-", "1", "''", "é", "\\\"", ".."];

    /// <summary>Paths of plain and quoted names, a third of them broken by a hostile piece somewhere.</summary>
    private static List<string> Keys(int seed, int count)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ =>
        {
            var names = Enumerable.Range(0, random.Next(1, 5)).Select(_ => random.Next(3) == 0
                ? "\"" + string.Concat(Enumerable.Range(0, random.Next(0, 4)).Select(_ => Inside[random.Next(Inside.Length)])) + "\""
                : Bare[random.Next(Bare.Length)]);
            var key = string.Join(".", names);
            if (random.Next(3) == 0)
            {
                var at = random.Next(key.Length + 1);
                key = key[..at] + Hostile[random.Next(Hostile.Length)] + key[at..];
            }

            return key;
        }).ToList();
    }

    /// <summary>The path of names to the single leaf of a nested single-entry JSON object.</summary>
    private static List<string> LeafPath(JsonNode? node)
    {
        var path = new List<string>();
        while (node is JsonObject { Count: 1 } obj)
        {
            var (name, child) = obj.Single();
            path.Add(name);
            node = child;
        }

        return path;
    }

    [Test]
    public void Accepted_keys_mean_what_nix_reads_and_refused_keys_are_not_plain_attribute_paths()
    {
        var keys = Keys(20261130, 5_000).Distinct().ToList();
        var accepted = keys.Select(k => (Key: k, Names: NixSyntax.ParseAttrPath(k, out _))).Where(k => k.Names is not null).ToList();
        var refused = keys.Where(k => NixSyntax.ParseAttrPath(k, out _) is null).ToList();
        Assert.That(accepted, Has.Count.GreaterThan(500), "the keys exercise the accepting side");
        Assert.That(refused, Has.Count.GreaterThan(500), "and the refusing side");

        // Accepted: the raw key is valid Nix, Nix's names are ours, and the path we write back reads the same.
        var expression = new StringBuilder("[\n");
        foreach (var (key, names) in accepted)
        {
            expression.Append("  [ { ").Append(key).Append(" = 1; } { ").Append(NixSyntax.AttrPath(names!)).Append(" = 1; } ]\n");
        }

        var evaluated = NixEvaluator.ParseAndEval(expression.Append("]\n").ToString())!.AsArray();
        for (var i = 0; i < accepted.Count; i++)
        {
            var (key, names) = accepted[i];
            Assert.That(LeafPath(evaluated[i]![0]), Is.EqualTo(names), "Nix reads the key «" + key + "» as these names");
            Assert.That(JsonNode.DeepEquals(evaluated[i]![0], evaluated[i]![1]), Is.True, "the written path of «" + key + "» means the same");
        }

        // Refused: Nix's parser refuses the key too, unless it holds an interpolation (${…} is code, refused on purpose).
        foreach (var key in refused.Where(k => !k.Contains("${", StringComparison.Ordinal)).Take(150))
        {
            var (exitCode, _, _) = ProcessRunner.Run("nix-instantiate", ["--parse", "-E", "{ " + key + " = 1; }"]);
            Assert.That(exitCode, Is.Not.Zero, "MicroVm.Nix refuses «" + key + "», which Nix parses");
        }
    }
}
