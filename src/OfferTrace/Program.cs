OfferTrace.OfferTraceHost.Build(args).Run();
