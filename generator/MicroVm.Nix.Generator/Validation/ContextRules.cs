using System.Collections.Generic;
using System.Linq;
using MicroVm.Nix.Generator.Diagnostics;
using MicroVm.Nix.Generator.Model;
using MicroVm.Nix.Generator.Schema;

namespace MicroVm.Nix.Generator.Validation;

/// <summary>
/// Applies the map of contexts (<see cref="ValueContexts"/>): every string the C# set, in every place
/// upstream puts it for this VM's hypervisor, either arrives intact or is error MVN250 on the value,
/// naming the first context it breaks.
/// </summary>
internal static class ContextRules
{
    public static void Validate(BoundRecord vm, List<DiagnosticInfo> diagnostics)
    {
        var hypervisor = vm.Enum("Hypervisor") ?? "Qemu";
        var reported = new HashSet<string>(System.StringComparer.Ordinal);

        // A value that already has an error of its own (an empty share source, MVN225) needs no second one.
        var alreadyWrong = new HashSet<LocationInfo>(diagnostics.Where(d => d.IsError && d.Location is not null).Select(d => d.Location!));

        // Each record of the VM once, by type: the contexts are many, the records few.
        var records = RecordsOf(vm).ToLookup(r => r.Record.Schema.Type, System.StringComparer.Ordinal);
        foreach (var context in ValueContexts.All)
        {
            if (context.Hypervisors is { } only && !only.Contains(hypervisor))
            {
                continue;
            }

            foreach (var (record, path) in records[context.Record])
            {
                if (context.When is { } when && !when.Holds(vm, record))
                {
                    continue;
                }

                foreach (var (text, location, key) in ValuesOf(record, context.Property, context.Part))
                {
                    if ((location is null || !alreadyWrong.Contains(location))
                        && context.Breaks(text) is { } problem
                        && reported.Add(path + "." + context.Property + key))
                    {
                        diagnostics.Add(DiagnosticInfo.Create(
                            DiagnosticDescriptors.ValueBreaksContext,
                            location,
                            Subject(context),
                            VolumeRules.Literal(text),
                            problem,
                            context.Context,
                            context.Source,
                            context.Advice));
                    }
                }
            }
        }
    }

    /// <summary>How the message names the value: <c>Label</c>, <c>KernelParams element</c>, <c>CredentialFiles key</c>.</summary>
    internal static string Subject(ValueContext context) => context.Part switch
    {
        ValuePart.Each => context.Property + " element",
        ValuePart.Key => context.Property + " key",
        ValuePart.EntryValue => context.Property + " value",
        _ => context.Property,
    };

    /// <summary>Every record in the VM (the VM itself, its settings records, the elements of its lists), with its path.</summary>
    internal static IEnumerable<(BoundRecord Record, string Path)> RecordsOf(BoundRecord record, string path = "")
    {
        yield return (record, path);

        foreach (var option in record.Schema.Options)
        {
            if (option.Type == NixType.Submodule && record.Record(option.Property) is { } nested)
            {
                foreach (var found in RecordsOf(nested, path + "." + option.Property))
                {
                    yield return found;
                }
            }
            else if (option.Type == NixType.ListOfSubmodule)
            {
                var items = record.Records(option.Property);
                for (var i = 0; i < items.Count; i++)
                {
                    foreach (var found in RecordsOf(items[i], path + "." + option.Property + "[" + VmValidator.Number(i) + "]"))
                    {
                        yield return found;
                    }
                }
            }
        }
    }

    /// <summary>The strings the source set for one part of a property, with where each was written and a key naming it.</summary>
    internal static IEnumerable<(string Text, LocationInfo? Location, string Key)> ValuesOf(BoundRecord record, string property, ValuePart part)
    {
        var value = record.Explicit(property);
        switch (part, value)
        {
            case (ValuePart.Value, StringValue s):
                yield return (s.Value, s.Location, string.Empty);
                break;
            case (ValuePart.Value, ObjectValue { Type: MicroVmSchema.HostPathImageType } image) when image.Get("Path")?.Value is StringValue path:
                yield return (path.Value, path.Location, string.Empty);
                break;
            case (ValuePart.Each, ListValue list):
                for (var i = 0; i < list.Items.Count; i++)
                {
                    if (list.Items[i] is StringValue item)
                    {
                        yield return (item.Value, item.Location, "[" + VmValidator.Number(i) + "]");
                    }
                }

                break;
            case (ValuePart.Key, MapValue map):
                foreach (var entry in map.Entries)
                {
                    yield return (entry.Name, entry.NameLocation ?? entry.Value.Location ?? map.Location, "{" + entry.Name + "}");
                }

                break;
            case (ValuePart.EntryValue, MapValue map):
                foreach (var entry in map.Entries)
                {
                    if (entry.Value is StringValue s)
                    {
                        yield return (s.Value, s.Location, "[" + entry.Name + "]");
                    }
                }

                break;
        }
    }
}
