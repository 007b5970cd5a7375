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
        builder.Services.AddSingleton<IngestWriter>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<IngestWriter>());
    }
}
