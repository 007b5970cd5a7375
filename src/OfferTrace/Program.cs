using OfferTrace;
using OfferTrace.Ledger;

// `replay`: rebuild every derived balance from the stored entries and callbacks, print the differences as JSON, and
// exit 1 when there are any (the same check as POST /api/admin/ledger/replay), with the server's configuration.
if (args.Length > 0 && args[0] == "replay") return await LedgerReplayCommand.RunAsync(args[1..]);
OfferTraceHost.Build(args).Run();
return 0;
