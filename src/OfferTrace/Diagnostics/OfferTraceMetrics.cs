using System.Diagnostics.Metrics;

namespace OfferTrace.Diagnostics;

/// <summary>The one Meter of the service; instrument names follow <c>offertrace.&lt;domain&gt;.&lt;what&gt;</c>.</summary>
public sealed class OfferTraceMetrics
{
    public const string MeterName = "OfferTrace";

    private readonly Meter _meter;
    private readonly Histogram<int> _batchSize;
    private readonly Histogram<double> _batchDuration;
    private readonly Counter<long> _events;

    public OfferTraceMetrics(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(MeterName);
        _batchSize = _meter.CreateHistogram<int>("offertrace.ingest.batch_size", "{event}", "Events written per group commit.");
        _batchDuration = _meter.CreateHistogram<double>("offertrace.ingest.batch_duration", "s", "Time to write and commit one batch.");
        _events = _meter.CreateCounter<long>("offertrace.events.tracked", "{event}", "Events acknowledged, by kind.");
    }

    public void ObserveQueueDepth(Func<int> depth) =>
        _meter.CreateObservableGauge("offertrace.ingest.queue_depth", depth, "{event}", "Events waiting for the writer.");

    public void BatchWritten(int size, TimeSpan duration)
    {
        _batchSize.Record(size);
        _batchDuration.Record(duration.TotalSeconds);
    }

    public void Tracked(string kind) => _events.Add(1, new KeyValuePair<string, object?>("kind", kind));
}
