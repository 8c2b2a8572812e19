using MicroVm.Nix.Tests.Infrastructure;

namespace MicroVm.Nix.Tests;

/// <summary>
/// The safety check of the batch runner (<see cref="UpstreamRunner.UnsafeConstructsOutsideQuotes"/>), which
/// <c>ContextPropertyTests</c> needs to run scripts holding thousands of quoted hostile values: it reads
/// quoted data as data (<see cref="ShellQuotes.Mask"/>), keeps a quoted word's leading absolute path (it may be
/// a command or a redirection target), and gives up on what it does not model.
/// </summary>
public class ShellQuotesTests
{
    [TestCase("exec -a \"microvm@vm\" /s/lkvm -d '&/var/x;/bin/rm' -p 'a b'", "exec -a \"xxxxxxxxxx\" /s/lkvm -d 'xxxxxxxxxxxxxxx' -p 'xxx'")]
    [TestCase("touch '/var/a;/b' && '/usr/bin/rm' x", "touch '/var/axxx' && '/usr/bin/rm' x")]
    [TestCase("echo \"a $(echo 'q;/x') /y\" # it's\n'z'", "echo \"xx$(echo 'xxxx')xxx\" # it's\n'x'")]
    [TestCase("x=$'a\\'b' ; /bin/rm 'c'", "x=$'a\\'b' ; /bin/rm 'x'")]
    [TestCase("echo $((1+2)) '/a b' \"${x}/c\"", "echo $((1+2)) '/axx' \"${x}/c\"")]
    [TestCase("cat <<EOF\n'a'\nEOF", null)]
    [TestCase("a `b` 'c'", null)]
    [TestCase("a 'b", null)]
    [TestCase("x=$(case a in a) echo 'b';; esac)", null)]
    public void Quoted_data_is_masked(string script, string? masked) =>
        Assert.That(ShellQuotes.Mask(script), Is.EqualTo(masked));
}
