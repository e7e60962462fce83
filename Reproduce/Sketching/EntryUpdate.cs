namespace Reproduce.Sketching;

/// <summary>One turnstile update A[Row, Col] += Delta (Delta &lt; 0 is a deletion).</summary>
public readonly record struct EntryUpdate(int Row, int Col, double Delta);
