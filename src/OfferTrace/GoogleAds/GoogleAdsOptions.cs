using System.ComponentModel.DataAnnotations;

namespace OfferTrace.GoogleAds;

public sealed class GoogleAdsOptions
{
    public const string Section = "GoogleAds";

    /// <summary>Conversions of clicks older than this are left out of the import file; Google accepts at most 90 days.</summary>
    [Range(1, 90)]
    public int ConversionWindowDays { get; set; } = 90;

    /// <summary>How far back the invalid-click evidence goes by default (Google reviews about 60 days).</summary>
    [Range(1, 365)]
    public int InvalidClickDays { get; set; } = 60;

    /// <summary>The window the IP exclusion list is ranked over.</summary>
    [Range(1, 365)]
    public int IpExclusionDays { get; set; } = 30;

    /// <summary>Google's limit of excluded addresses per campaign.</summary>
    [Range(1, 500)]
    public int IpExclusionMax { get; set; } = 500;

    /// <summary>This many offending addresses in one /24 make the whole range excluded (<c>a.b.c.*</c>).</summary>
    [Range(2, 256)]
    public int IpExclusionRangeNeighbours { get; set; } = 3;
}
