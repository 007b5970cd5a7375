using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace OfferTrace.Tests.Infrastructure;

/// <summary>The server as a separate process, so a test can kill it with SIGKILL.</summary>
public sealed class ServerProcess : IDisposable
{
    private readonly Process _process;

    private ServerProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<ServerProcess> StartAsync(TestDatabase database)
    {
        var port = FreePort();
        var dll = Path.Combine(AppContext.BaseDirectory, "OfferTrace.dll");
        var info = new ProcessStartInfo("dotnet")
        {
            ArgumentList =
            {
                dll, $"--urls=http://127.0.0.1:{port}", $"--Storage:Provider={database.Provider}", $"--Storage:ConnectionString={database.ConnectionString}",
                $"--Auth:AdminKey={TestServer.AdminKey}", "--Logging:LogLevel:Default=Warning",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var address = new Uri($"http://127.0.0.1:{port}");
        using var probe = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited) throw new InvalidOperationException($"The server exited with code {process.ExitCode}.");
            try
            {
                if ((await probe.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK) return new ServerProcess(process, address);
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(100);
        }
        process.Kill(entireProcessTree: true);
        throw new TimeoutException("The server did not become ready within 60 s.");
    }

    /// <summary>SIGKILL: no shutdown hook runs, nothing is flushed.</summary>
    public void KillHard()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
    }

    public void Dispose()
    {
        if (!_process.HasExited) KillHard();
        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
