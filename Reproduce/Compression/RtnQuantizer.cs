using System.Diagnostics;
using Reproduce.Compute;

namespace Reproduce.Compression;

/// <summary>Round-to-nearest quantization: each weight goes to the nearest grid value of its channel's
/// or group's scale (scale = max |w| of the channel or group / top level). Uses no calibration data.</summary>
public static class RtnQuantizer
{
    /// <summary>Quantizes Ŵ.</summary>
    public static CompressionResult Quantize(LayerProblem p, QuantFormat format)
    {
        ArgumentNullException.ThrowIfNull(p); ArgumentNullException.ThrowIfNull(format);
        format.CheckFits(p.Cols);
        var sw = Stopwatch.StartNew();
        var scales = Scales(p.W, format);
        var w = p.W.Copy();
        var s = w.Span;
        int rows = p.Rows;
        for (int c = 0; c < p.Cols; c++)
            for (int r = 0; r < rows; r++) s[r + c * rows] = format.Round(s[r + c * rows], scales[r, GroupOf(format, c)]);
        return CompressionResult.Of($"rtn {format}", p, w, sw.Elapsed, []) with { Scales = scales };
    }

    /// <summary>Scale groups along d_in: 1 for per channel / per tensor, d_in / G for groups.</summary>
    internal static int GroupCount(QuantFormat f, int cols) => f.GroupSize == 0 ? 1 : cols / f.GroupSize;

    /// <summary>Scale group of input column c.</summary>
    internal static int GroupOf(QuantFormat f, int c) => f.GroupSize == 0 ? 0 : c / f.GroupSize;

    /// <summary>Scales (d_out × groups) from max |w| of each row's group; per-tensor FP8 uses one max for all rows.</summary>
    internal static Matrix Scales(Matrix w, QuantFormat f, int firstCol = 0, int lastCol = -1, Matrix? into = null)
    {
        int rows = w.Rows, cols = w.Cols;
        if (lastCol < 0) lastCol = cols;
        var scales = into ?? Matrix.Zeros(rows, GroupCount(f, cols));
        var s = w.Span;
        if (f.IsFp8 && !f.PerChannel)
        {
            double amax = 0;
            foreach (double v in s) amax = Math.Max(amax, Math.Abs(v));
            for (int r = 0; r < rows; r++) scales[r, 0] = f.Scale(amax);
            return scales;
        }
        for (int g = GroupOf(f, firstCol); g <= GroupOf(f, lastCol - 1); g++)
        {
            int c0 = f.GroupSize == 0 ? 0 : g * f.GroupSize, c1 = f.GroupSize == 0 ? cols : c0 + f.GroupSize;
            for (int r = 0; r < rows; r++)
            {
                double amax = 0;
                for (int c = c0; c < c1; c++) amax = Math.Max(amax, Math.Abs(s[r + c * rows]));
                scales[r, g] = f.Scale(amax);
            }
        }
        return scales;
    }
}
