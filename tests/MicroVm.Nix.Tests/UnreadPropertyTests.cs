using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using MicroVm.Nix.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace MicroVm.Nix.Tests;

/// <summary>
/// One property the generator cannot read (MVN001) hides nothing else: the rest of the VM is still read and
/// checked in the same build, and the unread property causes no diagnostic of its own beyond MVN001.
/// </summary>
public class UnreadPropertyTests
{
    [Test]
    public void An_unreadable_property_does_not_hide_the_vms_other_errors()
    {
        var run = GeneratorHarness.Run("""
            using MicroVm.Nix;

            public static class Fleet
            {
                [MicroVmModule]
                public static readonly VirtualMachine Vm = new()
                {
                    HostName = "vm",
                    Vcpu = System.Environment.ProcessorCount,
                    Volumes = [new() { Image = new Zvol("tank", "vm"), MountPoint = null, Size = 1024 }],
                    Interfaces = [new() { Type = InterfaceType.Tap, Id = "vm", Mac = "not-a-mac" }],
                };
            }
            """);

        Assert.That(run.Diagnostics.Select(d => d.Id).Order(StringComparer.Ordinal), Is.EqualTo(new[] { "MVN001", "MVN101", "MVN112", "MVN215" }),
            string.Join("\n", run.Diagnostics));
        Assert.That(run.Diagnostics.Single(d => d.Id == "MVN001").Location.SourceTree!.ToString().Substring(run.Diagnostics.Single(d => d.Id == "MVN001").Location.SourceSpan.Start),
            Does.StartWith("System.Environment.ProcessorCount"));
        Assert.That(run.Modules.Select(m => m.FileName), Does.Not.Contain("vm.nix"), "a VM with an unread property writes no module");
    }

    /// <summary>Every property set in the example, one at a time, made unreadable.</summary>
    public static IEnumerable<TestCaseData> Properties()
    {
        var tree = CSharpSyntaxTree.ParseText(File.ReadAllText(Path.Combine(RepoPaths.Example("Homelab"), "Fleet.cs")));
        return tree.GetRoot().DescendantNodes().OfType<AssignmentExpressionSyntax>()
            .Where(a => a.Parent is InitializerExpressionSyntax && a.Left is IdentifierNameSyntax)
            .Select((a, i) => new TestCaseData(a.SpanStart).SetArgDisplayNames(i + ":" + a.Left + "=" + Shorten(a.Right.ToString())));
    }

    [TestCaseSource(nameof(Properties))]
    public void An_unreadable_property_adds_exactly_its_own_error(int position)
    {
        var source = File.ReadAllText(Path.Combine(RepoPaths.Example("Homelab"), "Fleet.cs"));
        var baseline = GeneratorHarness.Run(source);
        Assert.That(baseline.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error), Is.Empty);

        // The value becomes one the generator does not read ('is' is not evaluated), of the same type; in a collection
        // expression, which a conditional cannot hold, its first element does, and the list cannot be read.
        var assignment = CSharpSyntaxTree.ParseText(source).GetRoot().DescendantNodes().OfType<AssignmentExpressionSyntax>().Single(a => a.SpanStart == position);
        ExpressionSyntax target = assignment.Right;
        while (target is CollectionExpressionSyntax { Elements: [ExpressionElementSyntax first, ..] })
        {
            target = first.Expression;
        }

        var value = target.ToString();
        var unreadable = "(0 is int ? " + value + " : " + value + ")";
        var mutated = string.Concat(source.AsSpan(0, target.SpanStart), unreadable, source.AsSpan(target.Span.End));

        var run = GeneratorHarness.Run(mutated);
        var added = run.Diagnostics.Select(d => d.Id).Except(baseline.Diagnostics.Select(d => d.Id)).ToList();
        Assert.That(run.Diagnostics.Where(d => d.Id == "MVN001").ToList(), Has.Count.EqualTo(1), string.Join("\n", run.Diagnostics));
        Assert.That(run.Diagnostics.Where(d => d.Id != "MVN001" && d.Severity == DiagnosticSeverity.Error), Is.Empty, "no error but the unread property's:\n" + string.Join("\n", run.Diagnostics));
        Assert.That(added, Is.EquivalentTo(new[] { "MVN001" }), string.Join("\n", run.Diagnostics));
        var mvn001 = run.Diagnostics.Single(d => d.Id == "MVN001").Location.SourceSpan;
        Assert.That(mvn001.Start, Is.GreaterThanOrEqualTo(target.SpanStart).And.LessThan(target.SpanStart + unreadable.Length), "MVN001 is on the value");
        Assert.That(run.Modules.Count(m => m.FileName != "default.nix"), Is.LessThan(baseline.Modules.Count(m => m.FileName != "default.nix")), "the VM writes no module");
    }

    private static string Shorten(string text) => text.Length <= 30 ? text : string.Concat(text.AsSpan(0, 27), "...");
}
