using System.Text;

namespace Reproduce.Cli.Engine;

/// <summary>Gathers one cell's outputs in order, merging consecutive writes to the same stream.
/// A <see cref="ClearOutput"/> goes to the live listener (a kernel forwards it) and empties the
/// outputs gathered so far (at once, or at the next output when it asks to wait), as a front end does.
/// With <paramref name="retainStreams"/> false, stream text goes to the live listener only (a kernel
/// has sent it already, and a second copy of everything printed only fed the garbage collector).</summary>
internal sealed class OutputCollector(Action<CellOutput>? live = null, bool retainStreams = true)
{
    private readonly List<CellOutput> _outputs = [];
    private readonly Lock _gate = new();
    private StringBuilder? _stream;
    private string? _streamName;
    private bool _clearPending;

    public void Write(string name, string text)
    {
        if (text.Length == 0) return;
        live?.Invoke(new StreamOutput(name, text));
        lock (_gate)
        {
            ClearIfPending();
            if (!retainStreams) return;
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
        live?.Invoke(output);
        lock (_gate)
        {
            if (output is UpdateDisplayOutput update)
            {
                // As a front end does: every earlier display with that id shows the new value.
                for (int i = 0; i < _outputs.Count; i++)
                    if (_outputs[i] is DisplayOutput { DisplayId: { } id } d && id == update.DisplayId)
                        _outputs[i] = d with { Value = update.Value };
                return;
            }
            if (output is ClearOutput clear)
            {
                _clearPending = true;
                if (!clear.Wait) ClearIfPending();
                return;
            }
            ClearIfPending();
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

    private void ClearIfPending()
    {
        if (!_clearPending) return;
        _clearPending = false;
        _outputs.Clear();
        _stream = null;
        _streamName = null;
    }

    private void FlushStream()
    {
        if (_stream is { Length: > 0 }) _outputs.Add(new StreamOutput(_streamName!, _stream.ToString()));
        _stream = null;
        _streamName = null;
    }
}
