using System.Net;
using System.Text;
using System.Text.Json;

namespace OfferTrace.Tests.Infrastructure;

public sealed record ApiResponse(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Message)
{
    public string? ContentType => Message.Content.Headers.ContentType?.MediaType;

    public ApiResponse Expect(HttpStatusCode expected)
    {
        Assert.True(Status == expected, $"Expected {(int)expected} but got {(int)Status}: {Body}");
        return this;
    }

    public string Str(string name) => Body.GetProperty(name).GetString()!;
}

public static class HttpJson
{
    public static Task<ApiResponse> PostJsonAsync(this HttpClient client, string path, object body) =>
        client.SendJsonAsync(HttpMethod.Post, path, JsonSerializer.Serialize(body));

    public static async Task<ApiResponse> SendJsonAsync(this HttpClient client, HttpMethod method, string path, string json,
        string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(json, Encoding.UTF8) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        return await SendAsync(client, request);
    }

    public static async Task<ApiResponse> GetJsonAsync(this HttpClient client, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        return await SendAsync(client, request);
    }

    public static async Task<ApiResponse> SendAsync(this HttpClient client, HttpRequestMessage request)
    {
        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var body = text.Length > 0 && (text[0] == '{' || text[0] == '[') ? JsonDocument.Parse(text).RootElement.Clone() : JsonSerializer.SerializeToElement(text);
        return new ApiResponse(response.StatusCode, body, response);
    }
}
