using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using MicroVm.Nix.Generator.Emitting;
using MicroVm.Nix.Generator.Model;
using MicroVm.Nix.Tests.Infrastructure;

namespace MicroVm.Nix.Tests;

/// <summary>
/// Every Nix value MicroVm.Nix writes evaluates to exactly the C# value: integers over all of
/// <c>long</c> (list elements, attribute values, nested), doubles to the last bit (subnormals, the
/// extremes and <c>-0.0</c> included), booleans, null, nested lists and attribute sets. Each generated
/// value is rendered as the generator renders it and compared, inside <c>nix-instantiate</c>, with a
/// reference written another way: strings and names through <c>builtins.fromJSON</c>, integers as
/// <c>hi * 2^32 + lo</c>, doubles as <c>mantissa * 2^exponent</c> computed by Nix. The seed is fixed,
/// so a failure is reproducible and names its value.
/// </summary>
public class NixValuePropertyTests
{
    private const int Count = 10_000;
    private const int Batch = 2_500;

    private static readonly long[] EdgeInts = [0, 1, -1, 42, -42, int.MaxValue, int.MinValue, (long)int.MaxValue + 1, long.MaxValue, long.MinValue, long.MinValue + 1, long.MaxValue - 1, 4294967296, -4294967296];

    private static readonly double[] EdgeFloats =
    [
        0.0, -0.0, 1.0, -1.0, 0.1, 0.5, 1.5, -2.25, 1e20, 1e-20, 123456789.123, double.Epsilon, -double.Epsilon, double.MaxValue, double.MinValue,
        2.2250738585072014E-308, 2.2250738585072009E-308, 4.9406564584124654E-322, 1e300, 1e-300, 9007199254740993.0, 0.30000000000000004,
    ];

    private static readonly string[] Names = ["a", "b", "enable", "vm.swappiness", "my site", "if", "x-y_z'", "\"quoted\"", "${x}", "中文", ""];

    private static EvalValue Value(Random random, int depth)
    {
        switch (random.Next(depth > 2 ? 6 : 8))
        {
            case 0:
            case 1:
                return new IntValue(random.Next(3) == 0 ? EdgeInts[random.Next(EdgeInts.Length)] : random.NextInt64(long.MinValue, long.MaxValue), null);
            case 2:
            case 3:
                return new FloatValue(Float(random), null);
            case 4:
                return random.Next(3) switch { 0 => new NullValue(null), 1 => new BoolValue(true, null), _ => new BoolValue(false, null) };
            case 5:
                return new StringValue(Names[random.Next(Names.Length)] + random.Next(100).ToString(CultureInfo.InvariantCulture), null);
            case 6:
                return new ListValue(Enumerable.Range(0, random.Next(4)).Select(_ => Value(random, depth + 1)).ToEquatableArray(), null);
            default:
                var entries = Enumerable.Range(0, random.Next(4)).Select(i => new FieldValue(Names[random.Next(Names.Length)] + i.ToString(CultureInfo.InvariantCulture), Value(random, depth + 1)));
                return new MapValue(entries.ToEquatableArray(), null);
        }
    }

    /// <summary>An edge value, or any finite double from random bits (subnormals and both zeros included).</summary>
    private static double Float(Random random)
    {
        if (random.Next(4) == 0)
        {
            return EdgeFloats[random.Next(EdgeFloats.Length)];
        }

        double value;
        do
        {
            value = BitConverter.Int64BitsToDouble(random.NextInt64(long.MinValue, long.MaxValue));
        }
        while (double.IsNaN(value) || double.IsInfinity(value));
        return value;
    }

    /// <summary>The reference: the same value written without the generator's renderer.</summary>
    private static string Reference(EvalValue value) => value switch
    {
        NullValue => "null",
        BoolValue b => b.Value ? "true" : "false",
        IntValue i => IntReference(i.Value),
        FloatValue f => FloatReference(f.Value),
        StringValue s => "(builtins.fromJSON " + Json(System.Text.Json.JsonSerializer.Serialize(s.Value)) + ")",
        ListValue list => "[ " + string.Concat(list.Items.Select(item => "(" + Reference(item) + ") ")) + "]",
        MapValue map => "{ " + string.Concat(map.Entries.Select(e => "${builtins.fromJSON " + Json(System.Text.Json.JsonSerializer.Serialize(e.Name)) + "} = " + Reference(e.Value) + "; ")) + "}",
        _ => throw new ArgumentOutOfRangeException(nameof(value)),
    };

    /// <summary>
    /// A JSON text (ASCII only: System.Text.Json escapes everything else as \uXXXX) as a Nix string,
    /// escaped here by hand for the three characters that matter in ASCII, not by the generator's escaper.
    /// </summary>
    private static string Json(string json) =>
        "\"" + json.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("$", "\\$", StringComparison.Ordinal) + "\"";

    /// <summary>hi × 2^32 + lo, with hi and lo small enough to be written as plain literals.</summary>
    private static string IntReference(long value)
    {
        var lo = value & 0xFFFFFFFFL;
        var hi = (value - lo) / 4294967296L;
        return "((0 - " + (-hi).ToString(CultureInfo.InvariantCulture) + ") * 4294967296 + " + lo.ToString(CultureInfo.InvariantCulture) + ")";
    }

    /// <summary>sign × mantissa × 2^exponent, the power of two computed by Nix (exact at every step).</summary>
    private static string FloatReference(double value)
    {
        var bits = BitConverter.DoubleToInt64Bits(value);
        var negative = bits < 0;
        var exponentBits = (int)((bits >> 52) & 0x7FF);
        var mantissa = bits & 0xFFFFFFFFFFFFFL;
        var exponent = exponentBits == 0 ? -1074 : exponentBits - 1075;
        if (exponentBits != 0)
        {
            mantissa |= 1L << 52;
        }

        return "(" + (negative ? "-1.0" : "1.0") + " * (" + mantissa.ToString(CultureInfo.InvariantCulture) + " * pow2 (" + exponent.ToString(CultureInfo.InvariantCulture) + ")))";
    }

    private const string Prelude = """
        let
          # 2^e for -1074 <= e <= 1023, each entry from the previous by one exact doubling or halving.
          up = builtins.genList (i: if i == 0 then 1.0 else 2.0 * builtins.elemAt up (i - 1)) 1024;
          down = builtins.genList (i: if i == 0 then 1.0 else builtins.elemAt down (i - 1) / 2.0) 1075;
          pow2 = e: if e >= 0 then builtins.elemAt up e else builtins.elemAt down (0 - e);
          same = a: b: a == b && builtins.toJSON a == builtins.toJSON b;
        in
        """;

    [Test]
    public void Every_value_evaluates_to_exactly_the_csharp_value_as_a_list_element_and_as_an_attribute_value()
    {
        var random = new Random(20261130);
        var values = Enumerable.Range(0, Count).Select(_ => Value(random, 0)).ToList();
        Assert.That(values.OfType<FloatValue>().Count(v => Math.Abs(v.Value) < 2.2250738585072014E-308 && v.Value != 0), Is.GreaterThan(0), "the values include subnormal doubles");
        Assert.That(values.OfType<IntValue>().Count(v => v.Value < 0), Is.GreaterThan(100), "the values include negative integers");

        for (var start = 0; start < values.Count; start += Batch)
        {
            var batch = values.Skip(start).Take(Batch).ToList();
            var rendered = batch.Select((v, i) => ModuleEmitter.Plain(v, 2 + (i % 3) * 2)).ToList();

            // Each value as a list element ([ … ] is where "-1" would be read as subtraction) and as an attribute value.
            var expression = new StringBuilder(Prelude).Append("[\n");
            for (var i = 0; i < batch.Count; i++)
            {
                expression.Append("  (same (builtins.head ").Append(NixSyntax.List([rendered[i]], 2)).Append(") (").Append(Reference(batch[i])).Append("))\n")
                    .Append("  (same { v = ").Append(rendered[i]).Append("; }.v (").Append(Reference(batch[i])).Append("))\n");
            }

            var results = NixEvaluator.ParseAndEval(expression.Append("]\n").ToString())!.AsArray().Select(n => (bool)n!).ToList();
            for (var i = 0; i < batch.Count; i++)
            {
                Assert.That(results[2 * i] && results[(2 * i) + 1], Is.True, "value #" + (start + i) + " " + batch[i].Describe() + " rendered as " + rendered[i]);
            }
        }
    }

    [Test]
    public void Numbers_written_in_csharp_reach_the_guest_module_exactly()
    {
        var random = new Random(7);
        var ints = EdgeInts.Concat(Enumerable.Range(0, 200).Select(_ => random.NextInt64(long.MinValue, long.MaxValue))).ToList();
        var floats = EdgeFloats.Concat(Enumerable.Range(0, 200).Select(_ => Float(random))).ToList();
        static string IntLiteral(long v) => v == long.MinValue ? "long.MinValue" : v.ToString(CultureInfo.InvariantCulture) + "L";
        static string FloatLiteral(double v) => BitConverter.DoubleToInt64Bits(v) == BitConverter.DoubleToInt64Bits(-0.0) ? "-0.0" : v.ToString("R", CultureInfo.InvariantCulture) + "d";

        var source = Snippets.Vm("ExtraConfig = new Dictionary<string, object> { [\"ints\"] = new object[] { "
            + string.Join(", ", ints.Select(IntLiteral)) + " }, [\"floats\"] = new object[] { " + string.Join(", ", floats.Select(FloatLiteral))
            + " }, [\"nested\"] = new object[] { new object[] { -1, new Dictionary<string, object> { [\"n\"] = long.MinValue, [\"f\"] = -0.5 } }, true, null! } },");
        var run = GeneratorHarness.Run(source);
        Assert.That(run.Diagnostics.Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error), Is.Empty);
        var module = run.Module("vm.nix").Text;

        var reference = "{ ints = [ " + string.Concat(ints.Select(v => "(" + IntReference(v) + ") "))
            + "]; floats = [ " + string.Concat(floats.Select(v => "(" + FloatReference(v) + ") "))
            + "]; nested = [ [ (" + IntReference(-1) + ") { n = " + IntReference(long.MinValue) + "; f = " + FloatReference(-0.5) + "; } ] true null ]; }";
        var file = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "microvm-nix-values-" + Guid.NewGuid().ToString("N") + ".nix");
        System.IO.File.WriteAllText(file, module);
        try
        {
            NixEvaluator.Parse(file);
            var check = Prelude + "\nlet extra = builtins.elemAt (import " + file + ").imports 0; in same { inherit (extra) ints floats nested; } " + reference;
            Assert.That((bool)NixEvaluator.EvalExpression(check)!, Is.True, module);
        }
        finally
        {
            System.IO.File.Delete(file);
        }
    }
}
