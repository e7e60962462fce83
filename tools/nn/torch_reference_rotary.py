#!/usr/bin/env python3
"""The rotary GPT's PyTorch fixture; docs/nn.md ("PyTorch fixtures") says what and how."""
import math, os, sys
import torch
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch_reference as R

V, T, L, C, H, FF, B = 13, 8, 2, 16, 4, 32, 2
D, M = C // H, 0xFFFFFFFF


def mix(name, j):
    h = 2166136261
    for ch in name.encode():
        h = ((h ^ ch) * 16777619) & M
    h = (h ^ (j * 2654435761)) & M
    h = ((h ^ (h >> 15)) * 2246822519) & M
    h = ((h ^ (h >> 13)) * 3266489917) & M
    return h ^ (h >> 16)


def rot(t, cos, sin):  # [B, T, H, D]: t*cos + rotate_half(t)*sin, rotate_half = [-t2, t1]
    return t * cos + torch.cat([-t[..., D // 2:], t[..., :D // 2]], -1) * sin


def main():
    blk = {"ln_1.": [C], "attn.c_attn.": [3 * C, C], "attn.c_proj.": [C, C], "ln_2.": [C], "mlp.c_fc.": [FF, C], "mlp.c_proj.": [C, FF]}
    shapes = {"wte.weight": [V, C]}
    for i in range(L):
        for n, s in blk.items():  # weight [out, in] (norms [C]), bias [out]
            shapes.update({f"h.{i}.{n}weight": s, f"h.{i}.{n}bias": s[:1]})
    shapes.update({"ln_f.weight": [C], "ln_f.bias": [C], "lm_head.weight": [V, C]})
    w = {n: torch.tensor([(mix(n, j) % 20001 - 10000) / 20000 for j in range(math.prod(s))], dtype=torch.float64).reshape(s) for n, s in shapes.items()}
    tok, tgt = [torch.tensor([mix(n, j) % V for j in range(B * T)]).reshape(B, T) for n in ("batch.tokens", "batch.targets")]
    ang = torch.arange(T, dtype=torch.float64)[:, None, None] * 10000.0 ** (-2.0 * torch.arange(D // 2, dtype=torch.float64) / D)
    out, linear = {}, R.F.linear
    for prefix, dt in (("f64", torch.float64), ("f32", torch.float32)):
        p = {n: t.to(dt).clone().requires_grad_(True) for n, t in w.items()}  # fresh leaves for each precision
        cos, sin = [torch.cat([f(ang)] * 2, -1).to(dt) for f in (torch.cos, torch.sin)]

        def rotary_linear(x, wt, b=None):
            y = linear(x, wt, b)
            if wt.shape[0] != 3 * C:  # only c_attn has 3C outputs
                return y
            q, k, v = [u.reshape(B, T, H, D) for u in y.split(C, dim=2)]
            return torch.cat([rot(q, cos, sin).flatten(2), rot(k, cos, sin).flatten(2), v.flatten(2)], 2)
        R.F.linear = rotary_linear
        try:
            loss, logits = R.gpt_loss({**p, "wpe.weight": torch.zeros(T, C, dtype=dt)}, {"model_dim": C, "heads": H, "layers": L}, tok, tgt)
        finally:
            R.F.linear = linear
        loss.backward()
        out.update({prefix + ".loss": loss.detach().reshape(1), prefix + ".logits": logits.detach(), **{f"{prefix}.grad.{n}": t.grad for n, t in p.items()}})
    path = os.path.join(sys.argv[1] if len(sys.argv) > 1 else R.FIXTURES, "gpt-tiny-rotary-torch.safetensors")
    R.write_safetensors(path, out, {"torch": torch.__version__, "device": "cpu", "weights": "hash"})
    print(f"wrote {path}: f64 loss {out['f64.loss'].item():.17g}")


main()
