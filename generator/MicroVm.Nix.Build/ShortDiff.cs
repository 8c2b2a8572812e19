using System;
using System.Collections.Generic;
using System.Linq;

namespace MicroVm.Nix.Build;

/// <summary>
/// What differs between a committed module and what the build generates, in a few lines for a build log:
/// the first lines that differ as <c>-</c> (the file has) and <c>+</c> (the build writes), from a line diff.
/// </summary>
public static class ShortDiff
{
    /// <summary>The most lines shown; the rest are counted.</summary>
    public const int MaxLines = 8;

    /// <summary>Compares <paramref name="current"/> (the file) with <paramref name="expected"/> (the build's).</summary>
    /// <returns>The 1-based line of the file where they first differ, and the diff lines.</returns>
    public static (int Line, IReadOnlyList<string> Lines) Of(string current, string expected)
    {
        var a = Split(current);
        var b = Split(expected);
        var edits = Edits(a, b);
        var shown = edits.Take(MaxLines).Select(e => (e.Removed ? "- " : "+ ") + e.Text).ToList();
        if (edits.Count > MaxLines)
        {
            shown.Add("… and " + (edits.Count - MaxLines).ToString(System.Globalization.CultureInfo.InvariantCulture) + " more changed lines");
        }

        return (edits.Count == 0 ? 1 : edits[0].Line, shown);
    }

    private static string[] Split(string text) => text.Replace("\r\n", "\n").Split('\n');

    /// <summary>Lines removed from <paramref name="a"/> and added from <paramref name="b"/>, in order (longest common subsequence; beyond 4,000 lines, line by line).</summary>
    private static List<(bool Removed, string Text, int Line)> Edits(string[] a, string[] b)
    {
        // Common prefix and suffix first: a hand edit usually touches a few lines.
        var start = 0;
        while (start < a.Length && start < b.Length && a[start] == b[start])
        {
            start++;
        }

        var endA = a.Length;
        var endB = b.Length;
        while (endA > start && endB > start && a[endA - 1] == b[endB - 1])
        {
            endA--;
            endB--;
        }

        var n = endA - start;
        var m = endB - start;
        var edits = new List<(bool, string, int)>();
        if ((long)n * m > 4_000_000)
        {
            for (var i = 0; i < Math.Max(n, m); i++)
            {
                if (i < n) { edits.Add((true, a[start + i], start + i + 1)); }
                if (i < m) { edits.Add((false, b[start + i], Math.Min(start + i, a.Length) + 1)); }
            }

            return edits;
        }

        var lcs = new int[n + 1, m + 1];
        for (var i = n - 1; i >= 0; i--)
        {
            for (var j = m - 1; j >= 0; j--)
            {
                lcs[i, j] = a[start + i] == b[start + j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            }
        }

        int x = 0, y = 0;
        while (x < n || y < m)
        {
            if (x < n && y < m && a[start + x] == b[start + y])
            {
                x++;
                y++;
            }
            else if (y >= m || (x < n && lcs[x + 1, y] >= lcs[x, y + 1]))
            {
                edits.Add((true, a[start + x], start + x + 1));
                x++;
            }
            else
            {
                edits.Add((false, b[start + y], start + x + 1));
                y++;
            }
        }

        return edits;
    }
}
