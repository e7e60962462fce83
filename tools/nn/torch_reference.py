#!/usr/bin/env python3
"""PyTorch reference for the Reproduce neural-network engine (issue 23, item 5).

Reads Reproduce.Tests/Nn/Fixtures/gpt-tiny-input.safetensors (weights in PyTorch names and shapes,
one batch, the configuration in the metadata; written by Reproduce.Nn.TorchReference), rebuilds the
same GPT in PyTorch, and writes its loss, logits and gradients in float64 and float32 to
Reproduce.Tests/Nn/Fixtures/gpt-tiny-torch.safetensors, which the C# tests then compare against.

  python3 tools/nn/torch_reference.py                      # write the fixture (CPU or GPU)
  python3 tools/nn/torch_reference.py --bench --device cuda  # also time eager float32 training of the
                                                          # 6-layer d=256 model, batch 64, context 128

Needs only python3 and torch (no safetensors package: the format is read and written here).
"""
import argparse, json, math, os, struct, sys, time

import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..", "..", "Reproduce.Tests", "Nn", "Fixtures")
DTYPES = {"F64": (torch.float64, 8), "F32": (torch.float32, 4)}


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n].decode("utf-8"))
    meta = header.pop("__metadata__", {})
    base = 8 + n
    out = {}
    for name, e in header.items():
        dt, _ = DTYPES[e["dtype"]]
        b, end = e["data_offsets"]
        t = torch.frombuffer(bytearray(data[base + b:base + end]), dtype=dt).clone()
        out[name] = t.reshape(e["shape"])
    return out, meta


def write_safetensors(path, tensors, meta):
    header, offset, blobs = {"__metadata__": meta}, 0, []
    for name, t in tensors.items():
        t = t.detach().to("cpu").contiguous()
        code = "F64" if t.dtype == torch.float64 else "F32"
        raw = t.numpy().astype("<f8" if code == "F64" else "<f4").tobytes()
        header[name] = {"dtype": code, "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        offset += len(raw)
        blobs.append(raw)
    h = json.dumps(header, separators=(",", ":")).encode("utf-8")
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


def gpt_loss(p, cfg, tokens, targets):
    """The engine's GPT: pre-LayerNorm blocks, causal attention, GELU (tanh), untied head, mean CE."""
    B, T = tokens.shape
    C, H = cfg["model_dim"], cfg["heads"]
    D = C // H
    eps = float(cfg.get("norm_eps", "1e-5"))
    x = p["wte.weight"][tokens] + p["wpe.weight"][torch.arange(T, device=tokens.device)]
    for i in range(cfg["layers"]):
        h = f"h.{i}."
        a = F.layer_norm(x, (C,), p[h + "ln_1.weight"], p[h + "ln_1.bias"], eps)
        qkv = F.linear(a, p[h + "attn.c_attn.weight"], p[h + "attn.c_attn.bias"])
        q, k, v = qkv.split(C, dim=2)
        q, k, v = [t.view(B, T, H, D).transpose(1, 2) for t in (q, k, v)]
        s = (q @ k.transpose(-2, -1)) / math.sqrt(D)
        mask = torch.ones(T, T, dtype=torch.bool, device=x.device).tril()
        s = s.masked_fill(~mask, float("-inf"))
        y = (s.softmax(-1) @ v).transpose(1, 2).reshape(B, T, C)
        x = x + F.linear(y, p[h + "attn.c_proj.weight"], p[h + "attn.c_proj.bias"])
        m = F.layer_norm(x, (C,), p[h + "ln_2.weight"], p[h + "ln_2.bias"], eps)
        m = F.gelu(F.linear(m, p[h + "mlp.c_fc.weight"], p[h + "mlp.c_fc.bias"]), approximate="tanh")
        x = x + F.linear(m, p[h + "mlp.c_proj.weight"], p[h + "mlp.c_proj.bias"])
    x = F.layer_norm(x, (C,), p["ln_f.weight"], p["ln_f.bias"], eps)
    logits = F.linear(x, p["lm_head.weight"])
    loss = F.cross_entropy(logits.reshape(B * T, -1), targets.reshape(-1))
    return loss, logits.reshape(B * T, -1)


def fixture(device):
    tensors, meta = read_safetensors(os.path.join(FIXTURES, "gpt-tiny-input.safetensors"))
    cfg = {k: (int(v) if v.lstrip("-").isdigit() else v) for k, v in meta.items()}
    tokens = tensors.pop("batch.tokens").long().to(device)
    targets = tensors.pop("batch.targets").long().to(device)
    out = {}
    for prefix, dt in (("f64", torch.float64), ("f32", torch.float32)):
        p = {n: t.to(device=device, dtype=dt).requires_grad_(True) for n, t in tensors.items()}
        loss, logits = gpt_loss(p, cfg, tokens, targets)
        loss.backward()
        out[prefix + ".loss"] = loss.detach().reshape(1)
        out[prefix + ".logits"] = logits.detach()
        for n, t in p.items():
            out[prefix + ".grad." + n] = t.grad
    path = os.path.join(FIXTURES, "gpt-tiny-torch.safetensors")
    write_safetensors(path, out, {"torch": torch.__version__, "device": str(device)})
    print(f"wrote {path}: f64 loss {out['f64.loss'].item():.17g}, f32 loss {out['f32.loss'].item():.9g}")


def bench(device, steps, batch, seq):
    """Eager float32 training steps (forward, backward, AdamW) of the 6-layer d=256 model."""
    torch.manual_seed(0)
    cfg = {"model_dim": 256, "heads": 8, "layers": 6, "norm_eps": "1e-5"}
    V, C, Fd, L = 76, 256, 1024, 6
    shapes = {"wte.weight": (V, C), "wpe.weight": (128, C), "ln_f.weight": (C,), "ln_f.bias": (C,), "lm_head.weight": (V, C)}
    for i in range(L):
        h = f"h.{i}."
        shapes.update({h + "ln_1.weight": (C,), h + "ln_1.bias": (C,), h + "attn.c_attn.weight": (3 * C, C), h + "attn.c_attn.bias": (3 * C,),
                       h + "attn.c_proj.weight": (C, C), h + "attn.c_proj.bias": (C,), h + "ln_2.weight": (C,), h + "ln_2.bias": (C,),
                       h + "mlp.c_fc.weight": (Fd, C), h + "mlp.c_fc.bias": (Fd,), h + "mlp.c_proj.weight": (C, Fd), h + "mlp.c_proj.bias": (C,)})
    p = {}
    for n, s in shapes.items():
        t = torch.ones(s) if n.endswith("ln_1.weight") or n.endswith("ln_2.weight") or n == "ln_f.weight" else (torch.zeros(s) if len(s) == 1 else 0.02 * torch.randn(s))
        p[n] = t.to(device).requires_grad_(True)
    opt = torch.optim.AdamW(p.values(), lr=3e-4)
    cfg["layers"] = L
    tok = torch.randint(0, V, (batch, seq), device=device)
    tgt = torch.randint(0, V, (batch, seq), device=device)

    def step():
        opt.zero_grad(set_to_none=True)
        loss, _ = gpt_loss(p, cfg, tok, tgt)
        loss.backward()
        opt.step()

    for _ in range(5):
        step()
    if device.type == "cuda":
        torch.cuda.synchronize()
    t0 = time.perf_counter()
    for _ in range(steps):
        step()
    if device.type == "cuda":
        torch.cuda.synchronize()
    dt = (time.perf_counter() - t0) / steps
    print(f"pytorch {torch.__version__} eager float32 on {device}: {dt * 1e3:.2f} ms/step, {batch * seq / dt:,.0f} tokens/s (batch {batch}, context {seq})")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    ap.add_argument("--bench", action="store_true")
    ap.add_argument("--steps", type=int, default=50)
    args = ap.parse_args()
    device = torch.device(args.device)
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    fixture(device)
    if args.bench:
        bench(device, args.steps, 64, 128)


if __name__ == "__main__":
    sys.exit(main())
