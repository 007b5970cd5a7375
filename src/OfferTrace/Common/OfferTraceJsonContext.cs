using System.Text.Json.Serialization;
using OfferTrace.ClickEvents;
using OfferTrace.Postbacks;
using OfferTrace.Tracking;

namespace OfferTrace.Common;

/// <summary>Source-generated serialization for the responses of the hot tracking routes.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ClickView))]
[JsonSerializable(typeof(ImpressionsView))]
[JsonSerializable(typeof(SessionView))]
[JsonSerializable(typeof(ConversionView))]
[JsonSerializable(typeof(ClickEventCreated))]
internal sealed partial class OfferTraceJsonContext : JsonSerializerContext;
