using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using MicroVm.Nix.Build;
using MicroVm.Nix.Generator;
using MicroVm.Nix.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace MicroVm.Nix.Tests;

/// <summary>
/// Code as it looks mid-edit: thousands of variants of the example made by deleting, inserting,
/// duplicating and swapping tokens at random, fed to one generator driver (as an editor does) and to
/// the analyzer. Neither may throw; no VM with an error may be rendered; every module rendered must
/// be Nix that parses and evaluates.
/// </summary>
public class FuzzTests
{
    private const int Variants = 2000;

    private static readonly string[] Inserts =
    [
        "null", "0", "-1", "\"\"", "\"/dev/sdb\"", "\"rel\"", "true", "false", ",", ";", "{", "}", "[", "]", "(", ")", "new()", "new", "=", "with", "..",
        "Hypervisor.Firecracker", "ImageType.Qcow2", "default", "static", "readonly", "[MicroVmModule]", "Pool", "DataSize.GiB(1)", "\"\\0\"", "2048", "\"${x}\"",
    ];

    [Test]
    public void Mutated_examples_never_crash_and_never_render_a_vm_with_an_error()
    {
        var original = File.ReadAllText(Path.Combine(RepoPaths.Example("Homelab"), "Fleet.cs"));
        var tokens = CSharpSyntaxTree.ParseText(original).GetRoot().DescendantTokens().ToList();
        var random = new Random(1128);
        var driver = GeneratorHarness.CreateDriver();
        var rendered = new Dictionary<string, string>(StringComparer.Ordinal);
        var withErrors = 0;

        for (var variant = 0; variant < Variants; variant++)
        {
            var source = Mutate(original, tokens, random);
            var compilation = GeneratorHarness.Compile((GeneratorHarness.DefaultPath, source));
            driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
            Assert.That(generatorDiagnostics.Where(d => d.Id == "CS8785"), Is.Empty, "the generator threw on variant " + variant + ":\n" + source);

            var diagnostics = output.WithAnalyzers([new MicroVmAnalyzer()]).GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
            Assert.That(diagnostics.Where(d => d.Id == "AD0001"), Is.Empty, "the analyzer threw on variant " + variant + ":\n" + source);

            var modules = CarrierText.Read(driver.GetRunResult().GeneratedTrees.Select(t => t.GetText().ToString())).ToList();
            var tree = output.SyntaxTrees.First(t => t.FilePath == GeneratorHarness.DefaultPath);
            foreach (var error in diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error && d.Id.StartsWith("MVN", StringComparison.Ordinal) && d.Location.SourceTree == tree))
            {
                withErrors++;
                if (Member(tree, error.Location.SourceSpan) is { } member)
                {
                    Assert.That(modules.Where(m => m.Text.Contains("(" + member + ").", StringComparison.Ordinal)), Is.Empty,
                        "variant " + variant + " rendered " + member + " despite " + error + ":\n" + source);
                }
            }

            foreach (var module in modules)
            {
                rendered.TryAdd(module.Text, "variant " + variant + ", " + module.FileName);
            }
        }

        Assert.That(withErrors, Is.GreaterThan(Variants / 4), "the mutations do produce invalid configs");
        Assert.That(rendered, Has.Count.GreaterThan(10), "the mutations also leave valid configs");

        // Every distinct module rendered is real Nix: parsed and evaluated in one batch. The host module
        // is a function of config; it gets a stub, and its guest-module paths become strings (they point
        // at files this test does not write).
        var expression = new StringBuilder("""
            let
              apply = m: if builtins.isFunction m then m { config.boot.zfs.package = "/zfs"; } else m;
              paths = v: if v ? microvm && v.microvm ? vms
                then v // { microvm = v.microvm // { vms = builtins.mapAttrs (n: vm: vm // { config = toString vm.config; }) v.microvm.vms; }; }
                else v;
            in
            [

            """);
        foreach (var text in rendered.Keys)
        {
            expression.Append("(paths (apply (\n").Append(text).Append("\n)))\n");
        }

        var evaluated = NixEvaluator.ParseAndEval(expression.Append("]\n").ToString())!.AsArray();
        Assert.That(evaluated, Has.Count.EqualTo(rendered.Count));
    }

    /// <summary>The [MicroVmModule] member whose declaration holds <paramref name="span"/>, as the module header names it.</summary>
    private static string? Member(SyntaxTree tree, Microsoft.CodeAnalysis.Text.TextSpan span)
    {
        var node = tree.GetRoot().FindNode(span, getInnermostNodeForTie: true);
        var member = node.AncestorsAndSelf().OfType<MemberDeclarationSyntax>().FirstOrDefault(m => m is FieldDeclarationSyntax or PropertyDeclarationSyntax);
        var type = member?.Parent as TypeDeclarationSyntax;
        var name = member switch
        {
            // Error recovery can leave several declarators in one field (a stray '}' ends the first initializer): the one holding the span.
            FieldDeclarationSyntax field => (node.AncestorsAndSelf().OfType<VariableDeclaratorSyntax>().FirstOrDefault() ?? field.Declaration.Variables.FirstOrDefault())?.Identifier.ValueText,
            PropertyDeclarationSyntax property => property.Identifier.ValueText,
            _ => null,
        };
        return type is null || name is null || !member!.AttributeLists.ToString().Contains("MicroVmModule", StringComparison.Ordinal)
            ? null
            : type.Identifier.ValueText + "." + name;
    }

    /// <summary>One to three random edits at token boundaries: delete, insert, duplicate or swap.</summary>
    private static string Mutate(string source, List<SyntaxToken> tokens, Random random)
    {
        var edits = new List<(int Start, int Length, string Text)>();
        for (var i = random.Next(1, 4); i > 0; i--)
        {
            var token = tokens[random.Next(tokens.Count)];
            edits.Add(random.Next(4) switch
            {
                0 => (token.SpanStart, token.Span.Length, string.Empty),
                1 => (token.SpanStart, 0, Inserts[random.Next(Inserts.Length)] + " "),
                2 => (token.SpanStart, 0, token.Text + " "),
                _ => (token.SpanStart, token.Span.Length, tokens[random.Next(tokens.Count)].Text),
            });
        }

        var text = new StringBuilder(source);
        foreach (var (start, length, replacement) in edits.DistinctBy(e => e.Start).OrderByDescending(e => e.Start))
        {
            text.Remove(start, length).Insert(start, replacement);
        }

        return text.ToString();
    }
}
