namespace Reproduce.Tests.Parts;

/// <summary>An optional system part a test may need. Without it the test reports a skip that names
/// the part and its install command (README, "Optional system parts"); with it the test runs.</summary>
public enum Part
{
    /// <summary>libopenblas.so.0 + liblapacke.so.3: the native CPU backend.</summary>
    OpenBlas,
    /// <summary>The COIN-OR CLP binary: the LP oracle.</summary>
    Clp,
    /// <summary>The COIN-OR CBC binary: the MIP oracle.</summary>
    Cbc,
    /// <summary>Headless Chromium: PNG export.</summary>
    Chromium,
    /// <summary>libzmq.so.5: the Jupyter kernel's transport.</summary>
    LibZmq,
    /// <summary>Debian's /usr/bin/python3 with nbformat, nbclient, jupyter_client and nbconvert.</summary>
    Jupyter,
    /// <summary>The Fashion-MNIST IDX files (Debian dataset-fashion-mnist).</summary>
    FashionMnist,
    /// <summary>A host C++ compiler (g++): the CUDA kernels compiled and checked on the CPU.</summary>
    HostCompiler,
    /// <summary>The snakemake command (Debian snakemake): the figure workflow run end to end.</summary>
    Snakemake,
    /// <summary>A usable NVIDIA GPU with the CUDA libraries.</summary>
    Cuda,
}
