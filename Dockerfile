# CPU image of Reproduce: .NET 10 SDK plus the optional Debian parts (OpenBLAS, Chromium for PNG,
# nbformat, CLP/CBC, ...). The default command regenerates every notebook at smoke scale.
#   docker build -t reproduce .
#   docker run --rm -v "$PWD/out:/src/out" reproduce                      # smoke scale → out/
#   docker run --rm -v "$PWD/figures:/src/figures" reproduce ./reproduce run --scale paper
# CUDA variant: start from an image with the CUDA 12 or 13 libraries (cuBLAS, cuSOLVER, cuSPARSE,
# NVRTC), e.g. nvidia/cuda:13.0.0-runtime-ubuntu24.04, add the .NET 10 SDK (or copy in the
# self-contained build from environment/publish-linux-x64.sh, which needs no SDK), and run with
# `docker run --gpus all ... ./reproduce run --device cuda --scale paper`; `reproduce cuda info`
# says what it found.
FROM mcr.microsoft.com/dotnet/sdk:10.0

WORKDIR /src
COPY environment/ environment/
RUN environment/setup.sh && rm -rf /var/lib/apt/lists/*

COPY . .
RUN dotnet build Reproduce.Cli/Reproduce.Cli.csproj -c Release -v q -nologo

ENV CI=true
CMD ["./reproduce", "run", "--scale", "smoke"]
