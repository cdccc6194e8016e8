using System.Text;

namespace Clv.Modeling.Evaluation;

/// <summary>One file of the evaluation report published beside a model: its name, content type and exact bytes.</summary>
/// <param name="Name">File name, e.g. <c>report.html</c>.</param>
/// <param name="ContentType">Media type, e.g. <c>text/html</c>.</param>
/// <param name="Content">The bytes written, UTF-8 without a byte-order mark for text.</param>
public sealed record ReportFile(string Name, string ContentType, byte[] Content)
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>A text file, encoded as UTF-8 without a byte-order mark.</summary>
    public static ReportFile Text(string name, string contentType, string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(text);
        return new ReportFile(name, contentType, Utf8.GetBytes(text));
    }
}
