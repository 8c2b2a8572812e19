using System;
using System.IO;

namespace MicroVm.Nix.Tests.Infrastructure;

/// <summary>
/// Expected output checked into tests/MicroVm.Nix.Tests/Golden. Run the tests with
/// <c>MICROVM_NIX_UPDATE_GOLDEN=1</c> to rewrite them after an intended change, then review the diff.
/// </summary>
internal static class Golden
{
    public static void AssertMatches(string name, string actual)
    {
        var path = Path.Combine(RepoPaths.Golden, name);
        if (Environment.GetEnvironmentVariable("MICROVM_NIX_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(path, actual);
            return;
        }

        Assert.That(File.Exists(path), Is.True, "missing golden file " + path + "; run with MICROVM_NIX_UPDATE_GOLDEN=1 to create it");
        Assert.That(actual, Is.EqualTo(File.ReadAllText(path)), "output differs from " + path);
    }
}
