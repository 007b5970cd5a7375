using Microsoft.Extensions.Primitives;
using OfferTrace.Common;
using Xunit;

namespace OfferTrace.Tests.Common;

public sealed class HeaderValuesTests
{
    [Fact]
    public void First_value_or_null()
    {
        Assert.Null(StringValues.Empty.FirstOrNull());
        Assert.Equal("a", new StringValues("a").FirstOrNull());
        Assert.Equal("a", new StringValues(["a", "b"]).FirstOrNull());
    }
}
