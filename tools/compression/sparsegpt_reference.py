#!/usr/bin/env python3
"""PyTorch cross-check of one SparseGPT layer (issue 20, oracle 5).

Run where PyTorch is installed (the GPU machine; CPU works too):

    python3 tools/compression/sparsegpt_reference.py

It writes Reproduce.Tests/Compression/Fixtures/sparsegpt-torch.safetensors (about 60 KB): the layer W (16 x 64),
calibration inputs X (128 x 64) and the pruned weights from an independent float64 PyTorch implementation of
SparseGPT (torch.linalg.cholesky / cholesky_inverse, lazy blocks of 32 columns) at 50 % unstructured and 2:4.
Commit the file; Reproduce.Tests/Compression/SparseGptTorchFixtureTests.cs then compares our C# SparseGPT with it
(and skips with a reason while the file is absent).

Conventions shared with the C# code (Reproduce/Compression/SparseGpt.cs): H = X^T X, damping 0.01 * mean(diag H),
unstructured masks prune exactly round(s * count) entries of smallest w^2 / U_qq^2 per block (U = upper Cholesky
factor of H^-1); N:M masks keep the N largest of each M consecutive columns per row.
"""
import json
import os
import struct
import sys

import torch

D_OUT, D_IN, N, BLOCK, PERCDAMP = 16, 64, 128, 32, 0.01


def upper_cholesky_of_inverse(h):
    h = h.clone()
    h += PERCDAMP * torch.diag(h).mean() * torch.eye(h.shape[0], dtype=h.dtype, device=h.device)
    hinv = torch.cholesky_inverse(torch.linalg.cholesky(h))
    return torch.linalg.cholesky(hinv, upper=True)


def sparsegpt(w, h, sparsity=None, n=0, m=0):
    w = w.clone()
    u = upper_cholesky_of_inverse(h)
    rows, cols = w.shape
    for i1 in range(0, cols, BLOCK):
        i2 = min(i1 + BLOCK, cols)
        count = i2 - i1
        w1 = w[:, i1:i2].clone()
        u1 = u[i1:i2, i1:i2]
        err1 = torch.zeros_like(w1)
        prune = torch.zeros_like(w1, dtype=torch.bool)
        if sparsity is not None:
            score = (w1 ** 2 / torch.diag(u1).reshape(1, -1) ** 2).flatten()
            k = score.numel() - int(round(sparsity * score.numel()))
            keep = torch.zeros_like(score, dtype=torch.bool)
            keep[torch.topk(score, k).indices] = True
            prune = ~keep.reshape(w1.shape)
        for i in range(count):
            w_col = w1[:, i]
            d = u1[i, i]
            if m > 0 and i % m == 0:
                score = w1[:, i:i + m] ** 2 / torch.diag(u1)[i:i + m].reshape(1, -1) ** 2
                drop = torch.topk(score, m - n, dim=1, largest=False).indices
                prune[:, i:i + m].scatter_(1, drop, True)
            q = w_col.clone()
            q[prune[:, i]] = 0
            e = (w_col - q) / d
            w1[:, i:] -= e.unsqueeze(1) @ u1[i, i:].unsqueeze(0)
            w1[:, i] = q
            err1[:, i] = e
        w[:, i1:i2] = w1
        w[:, i2:] -= err1 @ u[i1:i2, i2:]
    return w


def save_safetensors(path, tensors):
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        flat = t.detach().cpu().to(torch.float64).flatten().tolist()
        data = struct.pack("<%dd" % len(flat), *flat)  # row-major little-endian F64, no numpy needed
        header[name] = {"dtype": "F64", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    header["__metadata__"] = {"generator": "tools/compression/sparsegpt_reference.py", "torch": torch.__version__}
    text = json.dumps(header).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


def main():
    torch.manual_seed(0)
    x = torch.randn(N, D_IN, dtype=torch.float64)
    x[:, ::16] *= 10  # outlier channels, as in the brief's synthetic layer
    x = x + 0.5 * torch.roll(x, 1, dims=1)  # correlated neighbours, so H is far from diagonal
    w = torch.randn(D_OUT, D_IN, dtype=torch.float64) / D_IN ** 0.5
    h = x.T @ x
    w50 = sparsegpt(w, h, sparsity=0.5)
    w24 = sparsegpt(w, h, n=2, m=4)
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    out = os.path.join(root, "Reproduce.Tests", "Compression", "Fixtures", "sparsegpt-torch.safetensors")
    save_safetensors(out, {"W": w, "X": x, "W_hat_50": w50, "W_hat_2_4": w24})
    for name, wh in (("50 %", w50), ("2:4", w24)):
        obj = torch.trace((w - wh) @ h @ (w - wh).T).item()
        print(f"{name}: objective {obj:.6g}, zeros {(wh == 0).double().mean().item():.3f}")
    print("wrote", out)


if __name__ == "__main__":
    sys.exit(main())
