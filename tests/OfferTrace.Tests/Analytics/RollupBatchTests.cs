using OfferTrace.Analytics;
using OfferTrace.Storage;
using Xunit;

namespace OfferTrace.Tests.Analytics;

public sealed class RollupBatchTests
{
    private const long Hour = 3_600_000;

    [Fact]
    public void Counters_are_summed_by_key_and_written_in_key_order()
    {
        var rollups = new RollupBatch(shard: 3);
        rollups.Add(2 * Hour + 5, "pub_b", "pl_1", "off_1", "US", "desktop", "", new RollupCounts(Clicks: 1));
        rollups.Add(Hour + 7, "pub_b", "pl_1", "off_2", "US", "desktop", "", new RollupCounts(Clicks: 1));
        rollups.Add(Hour + 9, "pub_a", "pl_1", "off_9", null, null, "", new RollupCounts(Clicks: 1));
        rollups.Add(Hour + 8, "pub_b", "pl_1", "off_2", "US", "desktop", "", new RollupCounts(Clicks: 2, Impressions: 4));

        var runner = new RecordingRunner();
        rollups.Write(runner);

        Assert.Equal(
        [
            (Hour, "pub_a", "off_9", 1L, 0L),
            (Hour, "pub_b", "off_2", 3L, 4L),
            (2 * Hour, "pub_b", "off_1", 1L, 0L),
        ], runner.Rows.Select(r => ((long)r[0]!, (string)r[2]!, (string)r[4]!, (long)r[10]!, (long)r[9]!)).ToList());
        Assert.All(runner.Rows, r => Assert.Equal(3, r[1]));
    }

    [Fact]
    public void A_reused_batch_starts_empty_after_a_write_and_after_a_clear()
    {
        var rollups = new RollupBatch(shard: 0);
        rollups.Add(Hour, "pub_a", "pl_1", "off_1", "US", "desktop", "", new RollupCounts(Clicks: 1));
        rollups.Write(new RecordingRunner());

        // A batch that failed before its write: its counters must not reach the next one.
        rollups.Add(Hour, "pub_a", "pl_1", "off_1", "US", "desktop", "", new RollupCounts(Clicks: 5));
        rollups.Clear();
        rollups.Add(Hour, "pub_a", "pl_1", "off_1", "US", "desktop", "", new RollupCounts(Clicks: 1));

        var runner = new RecordingRunner();
        rollups.Write(runner);
        var row = Assert.Single(runner.Rows);
        Assert.Equal(1L, row[10]);
    }

    private sealed class RecordingRunner : IStatementRunner
    {
        public List<object?[]> Rows { get; } = [];

        public void Queue(SqlStatement statement, object?[] values) => Rows.Add(values);

        public Task<object?> ScalarAsync(SqlStatement statement, object?[] values, CancellationToken ct) => throw new NotSupportedException();

        public Task CommitAsync(CancellationToken ct) => Task.CompletedTask;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
