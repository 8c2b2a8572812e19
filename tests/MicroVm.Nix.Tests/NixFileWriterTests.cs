using System.IO;
using MicroVm.Nix.Build;

namespace MicroVm.Nix.Tests;

/// <summary>The build step that writes modules: only what changed, never outside the output folder.</summary>
public class NixFileWriterTests
{
    private string _dir = null!;

    [SetUp]
    public void CreateFolder() => _dir = Path.Combine(Path.GetTempPath(), "microvm-nix-writer-" + Path.GetRandomFileName());

    [TearDown]
    public void RemoveFolder()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Test]
    public void Creates_the_folder_and_writes_new_files()
    {
        var result = NixFileWriter.Write(_dir, [new GeneratedFile("a.nix", "{ }\n")]);
        Assert.That(result.Written, Is.EqualTo(new[] { Path.Combine(_dir, "a.nix") }));
        Assert.That(File.ReadAllText(Path.Combine(_dir, "a.nix")), Is.EqualTo("{ }\n"));
        Assert.That(Directory.GetFiles(_dir), Has.Length.EqualTo(1), "no temporary file left behind");
    }

    [Test]
    public void Leaves_unchanged_files_untouched_and_rewrites_changed_ones()
    {
        NixFileWriter.Write(_dir, [new GeneratedFile("a.nix", "{ }\n"), new GeneratedFile("b.nix", "{ x = 1; }\n")]);
        var past = new System.DateTime(2001, 1, 1, 0, 0, 0, System.DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(Path.Combine(_dir, "a.nix"), past);

        var result = NixFileWriter.Write(_dir, [new GeneratedFile("a.nix", "{ }\n"), new GeneratedFile("b.nix", "{ x = 2; }\n")]);

        Assert.That(result.Unchanged, Is.EqualTo(new[] { Path.Combine(_dir, "a.nix") }));
        Assert.That(result.Written, Is.EqualTo(new[] { Path.Combine(_dir, "b.nix") }));
        Assert.That(File.GetLastWriteTimeUtc(Path.Combine(_dir, "a.nix")), Is.EqualTo(past), "an unchanged file keeps its timestamp");
        Assert.That(File.ReadAllText(Path.Combine(_dir, "b.nix")), Is.EqualTo("{ x = 2; }\n"));
    }

    [TestCase("../escape.nix")]
    [TestCase("sub/dir.nix")]
    [TestCase("/etc/passwd")]
    [TestCase("..")]
    [TestCase("")]
    public void Refuses_names_that_leave_the_output_folder(string name)
    {
        Assert.That(() => NixFileWriter.Write(_dir, [new GeneratedFile(name, "{ }")]), Throws.ArgumentException.With.Message.Contains("bare names"));
        Assert.That(File.Exists(Path.Combine(Path.GetDirectoryName(_dir)!, "escape.nix")), Is.False);
    }
}
