using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Clv.Pipeline.Tests.Doubles;

/// <summary>
/// Fails chosen requests with 429 or 503 the way a throttled account does: before the request reaches the
/// service (so the write did not happen) or after (so it did, and the client only saw the error).
/// </summary>
internal sealed class FaultInjectionPolicy(int everyNth, bool afterSend) : HttpPipelinePolicy
{
    private int _count;
    private int _injected;

    public int Injected => _injected;

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
        ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        // A receive whose answer is lost hides its messages until the visibility timeout (minutes) and they come back
        // then; a test cannot wait that long, so receives only ever fail before they reach the queue.
        var lostReceive = afterSend && message.Request.Method == RequestMethod.Get && message.Request.Uri.Path.EndsWith("/messages", StringComparison.Ordinal);
        var n = lostReceive ? 1 : Interlocked.Increment(ref _count);
        var fail = !lostReceive && n % everyNth == 0;
        if (fail && !afterSend)
        {
            Interlocked.Increment(ref _injected);
            message.Response = new FakeResponse(n % 2 == 0 ? 429 : 503, message.Request.ClientRequestId);
            return;
        }

        await ProcessNextAsync(message, pipeline);
        if (fail)
        {
            Interlocked.Increment(ref _injected);
            message.Response = new FakeResponse(503, message.Request.ClientRequestId);
        }
    }

    private sealed class FakeResponse(int status, string clientRequestId) : Response
    {
        public override int Status => status;

        // Set by the transport for real responses; the retry policy reads it.
        public override bool IsError => true;

        public override string ReasonPhrase => status == 429 ? "Too Many Requests" : "Service Unavailable";

        public override Stream? ContentStream { get; set; } = new MemoryStream();

        public override string ClientRequestId { get; set; } = clientRequestId;

        public override void Dispose()
        {
        }

        protected override bool ContainsHeader(string name) => false;

        protected override IEnumerable<HttpHeader> EnumerateHeaders() => [];

        protected override bool TryGetHeader(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value)
        {
            value = null;
            return false;
        }

        protected override bool TryGetHeaderValues(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IEnumerable<string>? values)
        {
            values = null;
            return false;
        }
    }
}
