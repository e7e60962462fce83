namespace Reproduce.Compute.Cuda;

/// <summary>A CUDA, cuBLAS, cuSOLVER, cuSPARSE or NVRTC call failed.</summary>
public sealed class CudaException(string message) : ComputeException(message);
