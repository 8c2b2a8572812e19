using System.Linq;
using System.Text.Json;
using MicroVm.Nix.Generator.Model;

namespace MicroVm.Nix.Cli;

/// <summary>JSON (as <c>nix eval --json</c> prints it) in the generator's value model, which the importer reads.</summary>
internal static class JsonValues
{
    /// <summary>Objects become <see cref="MapValue"/> (keys in their order), arrays <see cref="ListValue"/>, numbers <see cref="IntValue"/> or <see cref="FloatValue"/>.</summary>
    public static EvalValue From(JsonElement json) => json.ValueKind switch
    {
        JsonValueKind.Object => new MapValue(json.EnumerateObject().Select(p => new FieldValue(p.Name, From(p.Value))).ToEquatableArray(), null),
        JsonValueKind.Array => new ListValue(json.EnumerateArray().Select(From).ToEquatableArray(), null),
        JsonValueKind.String => new StringValue(json.GetString()!, null),
        JsonValueKind.Number when json.TryGetInt64(out var i) => new IntValue(i, null),
        JsonValueKind.Number => new FloatValue(json.GetDouble(), null),
        JsonValueKind.True => new BoolValue(true, null),
        JsonValueKind.False => new BoolValue(false, null),
        _ => new NullValue(null),
    };

    /// <summary>Parses <paramref name="text"/>.</summary>
    public static EvalValue Parse(string text)
    {
        using var document = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 256 });
        return From(document.RootElement);
    }
}
