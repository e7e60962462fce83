# CPU image of Reproduce: .NET 10 SDK plus the optional Debian parts (OpenBLAS, Chromium for PNG,
# nbformat, CLP/CBC, ...). The default command regenerates every notebook at smoke scale.
#   docker build -t reproduce .
#   docker run --rm -v "$PWD/out:/src/out" reproduce                      # smoke scale → out/
#   docker run --rm -v "$PWD/figures:/src/figures" reproduce ./reproduce run --scale paper
# CUDA variant: start from an image with the CUDA 12 runtime (cuBLAS, cuSOLVER, cuSPARSE, cuRAND,
# NVRTC), e.g. nvidia/cuda:12.6.2-runtime-ubuntu24.04 with the .NET 10 SDK installed on top, and
# run with `docker run --gpus all ... ./reproduce run --device cuda`.
FROM mcr.microsoft.com/dotnet/sdk:10.0

WORKDIR /src
COPY environment/ environment/
RUN environment/setup.sh && rm -rf /var/lib/apt/lists/*

COPY . .
RUN dotnet build Reproduce.Cli/Reproduce.Cli.csproj -c Release -v q -nologo

ENV CI=true
CMD ["./reproduce", "run", "--scale", "smoke"]
