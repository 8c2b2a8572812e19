using System;
using System.IO;
using System.Linq;
using MicroVm.Nix.Build;

namespace MicroVm.Nix.Tests;

/// <summary>
/// The build step that writes modules: only what changed, atomically, never outside the output
/// folder, never over or in place of a file it did not write; stale files it wrote are removed;
/// check mode reports without touching anything.
/// </summary>
public class NixFileWriterTests
{
    private string _dir = null!;

    private static GeneratedFile Module(string name, string body) =>
        new(name, NixFileWriter.Header + " from Fleet.cs (Fleet.Vm).\n" + body);

    private string PathOf(string name) => Path.Combine(_dir, name);

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
        var result = NixFileWriter.Write(_dir, [Module("a.nix", "{ }\n")]);
        Assert.That(result.Written, Is.EqualTo(new[] { PathOf("a.nix") }));
        Assert.That(File.ReadAllText(PathOf("a.nix")), Does.EndWith("{ }\n"));
        Assert.That(Directory.GetFiles(_dir), Has.Length.EqualTo(1), "no temporary file left behind");
    }

    [Test]
    public void Leaves_unchanged_files_untouched_and_rewrites_changed_ones()
    {
        NixFileWriter.Write(_dir, [Module("a.nix", "{ }\n"), Module("b.nix", "{ x = 1; }\n")]);
        var past = new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(PathOf("a.nix"), past);

        var result = NixFileWriter.Write(_dir, [Module("a.nix", "{ }\n"), Module("b.nix", "{ x = 2; }\n")]);

        Assert.That(result.Unchanged, Is.EqualTo(new[] { PathOf("a.nix") }));
        Assert.That(result.Written, Is.EqualTo(new[] { PathOf("b.nix") }));
        Assert.That(File.GetLastWriteTimeUtc(PathOf("a.nix")), Is.EqualTo(past), "an unchanged file keeps its timestamp");
        Assert.That(File.ReadAllText(PathOf("b.nix")), Does.EndWith("{ x = 2; }\n"));
    }

    [Test]
    public void Removes_files_it_wrote_that_are_no_longer_produced_and_keeps_hand_written_ones()
    {
        NixFileWriter.Write(_dir, [Module("old.nix", "{ }\n"), Module("kept.nix", "{ }\n")]);
        File.WriteAllText(PathOf("hand-written.nix"), "{ services.openssh.enable = true; }\n");
        File.WriteAllText(PathOf("notes.txt"), NixFileWriter.Header + " but not a module\n");

        var result = NixFileWriter.Write(_dir, [Module("kept.nix", "{ }\n")]);

        Assert.That(result.Removed, Is.EqualTo(new[] { PathOf("old.nix") }));
        Assert.That(Directory.GetFiles(_dir).Select(Path.GetFileName).Order(StringComparer.Ordinal), Is.EqualTo(new[] { "hand-written.nix", "kept.nix", "notes.txt" }));
    }

    [Test]
    public void Never_overwrites_a_file_it_did_not_write_and_then_writes_nothing_at_all()
    {
        Directory.CreateDirectory(_dir);
        File.WriteAllText(PathOf("db.nix"), "# my own db module\n{ }\n");

        var error = Assert.Throws<ForeignFileException>(() => NixFileWriter.Write(_dir, [Module("a.nix", "{ }\n"), Module("db.nix", "{ }\n")]));

        Assert.That(error!.Path, Is.EqualTo(PathOf("db.nix")));
        Assert.That(error.Message, Does.Contain("was not written by MicroVm.Nix").And.Contain("never overwrites"));
        Assert.That(File.ReadAllText(PathOf("db.nix")), Is.EqualTo("# my own db module\n{ }\n"), "the hand-written file is intact");
        Assert.That(File.Exists(PathOf("a.nix")), Is.False, "nothing else was written either");
    }

    [Test]
    public void Check_mode_lists_what_differs_and_touches_nothing()
    {
        NixFileWriter.Write(_dir, [Module("same.nix", "{ }\n"), Module("differs.nix", "{ a = 1; }\n"), Module("stale.nix", "{ }\n")]);
        var before = Directory.GetFiles(_dir).ToDictionary(f => f, File.ReadAllText);

        var result = NixFileWriter.Write(_dir, [Module("same.nix", "{ }\n"), Module("differs.nix", "{ a = 2; }\n"), Module("missing.nix", "{ }\n")], checkOnly: true);

        Assert.That(result.OutOfDate, Is.True);
        Assert.That(result.Written, Is.EquivalentTo(new[] { PathOf("differs.nix"), PathOf("missing.nix") }));
        Assert.That(result.Removed, Is.EqualTo(new[] { PathOf("stale.nix") }));
        Assert.That(Directory.GetFiles(_dir).ToDictionary(f => f, File.ReadAllText), Is.EqualTo(before), "check mode writes and deletes nothing");
    }

    [Test]
    public void Check_mode_on_an_up_to_date_folder_reports_nothing()
    {
        NixFileWriter.Write(_dir, [Module("a.nix", "{ }\n")]);
        Assert.That(NixFileWriter.Write(_dir, [Module("a.nix", "{ }\n")], checkOnly: true).OutOfDate, Is.False);
    }

    [TestCase("../escape.nix")]
    [TestCase("sub/../../escape.nix")]
    [TestCase("a/b/c.nix")]
    [TestCase(".hidden/x.nix")]
    [TestCase("../x/escape.nix")]
    [TestCase("sub\\dir.nix")]
    [TestCase("/etc/passwd.nix")]
    [TestCase("..")]
    [TestCase("")]
    [TestCase("alpha/")]
    [TestCase("c:evil.nix")]
    [TestCase("not-nix.txt")]
    public void Refuses_names_that_leave_the_output_folder(string name)
    {
        Assert.That(() => NixFileWriter.Write(_dir, [Module(name, "{ }")]), Throws.ArgumentException.With.Message.Contains("'.nix' names inside the output folder or one host folder"));
        Assert.That(File.Exists(Path.Combine(Path.GetDirectoryName(_dir)!, "escape.nix")), Is.False);
    }

    [Test]
    public void Writes_into_hosts_folders_and_removes_a_folder_its_modules_leave_empty()
    {
        var written = NixFileWriter.Write(_dir, [Module("alpha/db.nix", "{ }\n"), Module("beta/ci.nix", "{ }\n"), Module("fleet.nix", "{ }\n")]);
        Assert.That(written.Created.Select(f => Path.GetRelativePath(_dir, f).Replace('\\', '/')).Order(), Is.EqualTo(new[] { "alpha/db.nix", "beta/ci.nix", "fleet.nix" }));

        // A hand-written module beside beta's generated one keeps its folder; alpha's folder held only generated ones.
        File.WriteAllText(Path.Combine(_dir, "beta", "local.nix"), "{ }\n");
        var removed = NixFileWriter.Write(_dir, [Module("fleet.nix", "{ }\n")]);
        Assert.That(removed.Removed.Select(f => Path.GetRelativePath(_dir, f).Replace('\\', '/')).Order(), Is.EqualTo(new[] { "alpha/db.nix", "beta/ci.nix" }));
        Assert.That(Directory.Exists(Path.Combine(_dir, "alpha")), Is.False, "alpha's folder went with its modules");
        Assert.That(File.Exists(Path.Combine(_dir, "beta", "local.nix")), Is.True, "the hand-written module stays, and its folder");
    }

    [TestCase("a\nb\nc\n", "a\nx\nc\n", 2, new[] { "- b", "+ x" })]
    [TestCase("a\nb\nc\n", "a\nc\n", 2, new[] { "- b" })]
    [TestCase("a\nc\n", "a\nb\nc\n", 2, new[] { "+ b" })]
    [TestCase("a\nb\n# edited\n", "a\nb\n", 3, new[] { "- # edited" })]
    [TestCase("a\r\nb\r\n", "a\nb\n", 1, new string[0])]
    public void Short_diff_names_the_first_differing_line_and_the_lines_that_differ(string file, string build, int line, string[] lines)
    {
        var (first, diff) = MicroVm.Nix.Build.ShortDiff.Of(file, build);
        Assert.That((first, diff), Is.EqualTo((line, lines)));
    }

    [Test]
    public void Short_diff_shows_a_few_lines_and_counts_the_rest()
    {
        var file = string.Join("\n", Enumerable.Range(0, 30).Select(i => "old " + i));
        var build = string.Join("\n", Enumerable.Range(0, 30).Select(i => "new " + i));
        var (first, diff) = MicroVm.Nix.Build.ShortDiff.Of(file, build);
        Assert.That(first, Is.EqualTo(1));
        Assert.That(diff, Has.Count.EqualTo(MicroVm.Nix.Build.ShortDiff.MaxLines + 1));
        Assert.That(diff[^1], Is.EqualTo("… and 52 more changed lines"));
    }
}
