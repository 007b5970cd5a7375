var builder = WebApplication.CreateSlimBuilder(args);
builder.WebHost.ConfigureKestrel(k => k.AddServerHeader = false);
builder.Logging.ClearProviders();

var app = builder.Build();

// Every path and method: drain the body, as the tracker must before it can parse it, then 204.
app.Run(async context =>
{
    var reader = context.Request.BodyReader;
    while (true)
    {
        var result = await reader.ReadAsync(context.RequestAborted);
        reader.AdvanceTo(result.Buffer.End);
        if (result.IsCompleted) break;
    }
    context.Response.StatusCode = StatusCodes.Status204NoContent;
});

app.Run();
