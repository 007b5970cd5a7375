using OfferTrace.Common;
using Xunit;

namespace OfferTrace.Tests.Common;

public sealed class IdsTests
{
    [Fact]
    public void Ids_have_the_layout_of_the_runtime_uuid_v7()
    {
        var at = DateTimeOffset.Parse("2026-11-24T10:15:30.123Z");
        var ours = Ids.Version7(at);
        var runtime = Guid.CreateVersion7(at);

        Assert.Equal(7, ours.Version);
        Assert.Equal(runtime.Variant & 0b1100, ours.Variant & 0b1100);
        Assert.Equal(0b1000, ours.Variant & 0b1100);
        Assert.Equal(runtime.ToString("N")[..12], ours.ToString("N")[..12]);
    }

    [Fact]
    public void Ids_of_one_millisecond_differ_and_later_ones_sort_after()
    {
        var at = DateTimeOffset.Parse("2026-11-24T10:15:30.123Z");
        // More than one 4 KB refill of random bytes on this thread.
        var same = Enumerable.Range(0, 1_000).Select(_ => Ids.New(Ids.Click, at)).ToList();
        Assert.Equal(same.Count, same.Distinct().Count());
        Assert.All(same, id => Assert.Matches("^clk_[0-9a-f]{32}$", id));

        var later = Ids.New(Ids.Click, at.AddMilliseconds(1));
        Assert.All(same, id => Assert.True(string.CompareOrdinal(id, later) < 0));
    }
}
