namespace Reproduce.Compute;

/// <summary>The closed set of elementwise maps every backend implements. Parameters a, b are
/// passed beside the op: Scale(x·a), AddScalar(x+a), MaxScalar(max(x,a)), MinScalar(min(x,a)),
/// Clamp(min(max(x,a),b)), Pow(x^a).</summary>
public enum UnaryOp
{
    Identity, Negate, Abs, Sign, Exp, Log, Log1p, Sigmoid, Sqrt, Square, Reciprocal,
    Scale, AddScalar, MaxScalar, MinScalar, Clamp, Pow,
}

/// <summary>Elementwise binary maps: Add, Sub, Hadamard (x∘y), Div, Max, Min.</summary>
public enum BinaryOp { Add, Sub, Hadamard, Div, Max, Min }

/// <summary>Norms of a whole matrix or vector.</summary>
public enum NormKind
{
    /// <summary>Sum of |x|.</summary>
    L1,
    /// <summary>Frobenius / Euclidean.</summary>
    L2,
    /// <summary>max |x|.</summary>
    LInf,
}

/// <summary>Scalar definitions of the maps, shared by CPU backends and the tests' oracle.</summary>
public static class ElementwiseMath
{
    /// <summary>f(x) for a unary op with parameters a, b.</summary>
    public static double Apply(UnaryOp op, double x, double a = 0, double b = 0) => op switch
    {
        UnaryOp.Identity => x,
        UnaryOp.Negate => -x,
        UnaryOp.Abs => Math.Abs(x),
        UnaryOp.Sign => x > 0 ? 1 : x < 0 ? -1 : 0,
        UnaryOp.Exp => Math.Exp(x),
        UnaryOp.Log => Math.Log(x),
        UnaryOp.Log1p => Log1p(x),
        // Stable both ways: never exponentiates a large positive number.
        UnaryOp.Sigmoid => x >= 0 ? 1 / (1 + Math.Exp(-x)) : Math.Exp(x) / (1 + Math.Exp(x)),
        UnaryOp.Sqrt => Math.Sqrt(x),
        UnaryOp.Square => x * x,
        UnaryOp.Reciprocal => 1 / x,
        UnaryOp.Scale => x * a,
        UnaryOp.AddScalar => x + a,
        UnaryOp.MaxScalar => Math.Max(x, a),
        UnaryOp.MinScalar => Math.Min(x, a),
        UnaryOp.Clamp => Math.Min(Math.Max(x, a), b),
        UnaryOp.Pow => Math.Pow(x, a),
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "Unknown unary op."),
    };

    /// <summary>f(x, y) for a binary op.</summary>
    public static double Apply(BinaryOp op, double x, double y) => op switch
    {
        BinaryOp.Add => x + y,
        BinaryOp.Sub => x - y,
        BinaryOp.Hadamard => x * y,
        BinaryOp.Div => x / y,
        BinaryOp.Max => Math.Max(x, y),
        BinaryOp.Min => Math.Min(x, y),
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "Unknown binary op."),
    };

    /// <summary>log(1+x), accurate for small |x|.</summary>
    public static double Log1p(double x)
    {
        double u = 1 + x;
        return u == 1 ? x : Math.Log(u) * x / (u - 1);
    }
}
