using System.Text;

namespace Reproduce.Cli.Engine;

/// <summary>Gathers one cell's outputs in order, merging consecutive writes to the same stream.</summary>
internal sealed class OutputCollector
{
    private readonly List<CellOutput> _outputs = [];
    private readonly Lock _gate = new();
    private StringBuilder? _stream;
    private string? _streamName;

    public void Write(string name, string text)
    {
        if (text.Length == 0) return;
        lock (_gate)
        {
            if (_streamName != name || _stream is null)
            {
                FlushStream();
                _stream = new StringBuilder();
                _streamName = name;
            }
            _stream.Append(text);
        }
    }

    public void Add(CellOutput output)
    {
        lock (_gate)
        {
            FlushStream();
            _outputs.Add(output);
        }
    }

    public IReadOnlyList<CellOutput> Finish()
    {
        lock (_gate)
        {
            FlushStream();
            return _outputs.ToArray();
        }
    }

    private void FlushStream()
    {
        if (_stream is { Length: > 0 }) _outputs.Add(new StreamOutput(_streamName!, _stream.ToString()));
        _stream = null;
        _streamName = null;
    }
}
