using Reproduce.Compute;

namespace Reproduce.Sketching;

/// <summary>Output of the row-stream k-means proxy: every point's label (fixed when its row
/// arrived), the final centres, and the float64 words held at the end (n labels + coreset + centres).</summary>
public sealed record RandomOrderResult(int[] Labels, Matrix Centres, long MemoryWords);
