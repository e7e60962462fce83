using System.Numerics;
using Reproduce.Compute;

namespace Reproduce.Nn;

/// <summary>Token-level forward KL for knowledge distillation (Hinton et al. 2015; the compression
/// brief §2.1): with p = softmax(z_teacher/τ) and q = softmax(z_student/τ) per column,
/// L = s·(1/N) Σₙ KL(pₙ ‖ qₙ) = s·(1/N) Σₙ Σₖ pₙₖ(log pₙₖ − log qₙₖ), and ∂L/∂z_student = s·(q − p)/(τN).
/// s = τ² when <c>scaleByTemperatureSquared</c> (Hinton's convention, keeps gradient size independent
/// of τ), else 1; the papers do not say which they use, so callers state it. The teacher is constant.</summary>
public static class DistillationKl
{
    /// <summary>The loss and the student's tempered probabilities q (V×N) for backward, and p.</summary>
    public static (double Loss, Matrix StudentProbs, Matrix TeacherProbs) Forward(string layer, Matrix studentLogits, Matrix teacherLogits, double temperature, bool scaleByTemperatureSquared)
    {
        if (!(temperature > 0) || !double.IsFinite(temperature)) throw new ArgumentOutOfRangeException(nameof(temperature), $"{layer}: temperature must be positive and finite, got {temperature}.");
        NnHost.SameKind(layer, studentLogits, teacherLogits);
        NnHost.Expect(layer, "teacher logits", teacherLogits, studentLogits.Rows, studentLogits.Cols, "vocabulary × tokens, as the student's");
        var q = NnHost.Output(studentLogits.Rows, studentLogits.Cols, studentLogits);
        var p = NnHost.Output(studentLogits.Rows, studentLogits.Cols, studentLogits);
        double s = scaleByTemperatureSquared ? temperature * temperature : 1, loss = 0;
        if (NnHost.CudaNew(studentLogits) is { } cu) return (s * cu.NnKlForward(studentLogits, teacherLogits, 1 / temperature, q, p), q, p);
        NnHost.Run("distillation KL", [studentLogits, teacherLogits], [q, p], (i, o) =>
            loss = s * (studentLogits.DType == DType.F64 ? Fwd<double>(i[0], i[1], 1 / temperature, o[0], o[1]) : Fwd<float>(i[0], i[1], 1 / temperature, o[0], o[1])));
        return (loss, q, p);
    }

    /// <summary>∂L/∂z_student = s·(q − p)/(τN), times <paramref name="scale"/>.</summary>
    public static Matrix Backward(Matrix studentProbs, Matrix teacherProbs, double temperature, bool scaleByTemperatureSquared, double scale = 1)
    {
        double f = scale * (scaleByTemperatureSquared ? temperature : 1 / temperature) / Math.Max(1, studentProbs.Cols);
        var d = Ops.Sub(studentProbs, teacherProbs);
        Ops.MapInPlace(UnaryOp.Scale, d, f);
        return d;
    }

    private static double Fwd<T>(Matrix sm, Matrix tm, double invT, Matrix qm, Matrix pm) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var zs = NnHost.S<T>(sm); var zt = NnHost.S<T>(tm); var q = NnHost.S<T>(qm); var p = NnHost.S<T>(pm);
        int v = sm.Rows;
        var qb = new double[v]; var pb = new double[v];
        double loss = 0;
        for (int n = 0; n < sm.Cols; n++)
        {
            double lseS = SoftmaxCrossEntropy.Softmax<T>(zs.Slice(n * v, v), qb, invT);
            double lseT = SoftmaxCrossEntropy.Softmax<T>(zt.Slice(n * v, v), pb, invT);
            for (int k = 0; k < v; k++)
            {
                // log p − log q from the logits directly: exact even where a probability underflows.
                double lp = double.CreateTruncating(zt[n * v + k]) * invT - lseT, lq = double.CreateTruncating(zs[n * v + k]) * invT - lseS;
                if (pb[k] > 0) loss += pb[k] * (lp - lq);
                q[n * v + k] = T.CreateTruncating(qb[k]); p[n * v + k] = T.CreateTruncating(pb[k]);
            }
        }
        return sm.Cols == 0 ? 0 : loss / sm.Cols;
    }
}
