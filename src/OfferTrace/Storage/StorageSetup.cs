using Microsoft.Extensions.Options;
using OfferTrace.Storage.Postgres;
using OfferTrace.Storage.Sqlite;

namespace OfferTrace.Storage;

public static class StorageSetup
{
    public static void AddStorage(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<Database>(sp => sp.GetRequiredService<IOptions<StorageOptions>>().Value.IsPostgres
            ? ActivatorUtilities.CreateInstance<PostgresDatabase>(sp)
            : ActivatorUtilities.CreateInstance<SqliteDatabase>(sp));
        var configured = builder.Configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
        if (!configured.IsPostgres) builder.Services.AddHostedService<SqliteCheckpointer>();
        builder.Services.AddSingleton<IngestWriter>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<IngestWriter>());
    }
}
