#!/usr/bin/env python3
"""PyTorch oracle for `reproduce nn train`: the same character-level GPT (tools/nn/torch_reference.py's
gpt_loss: pre-LayerNorm, causal attention, tanh GELU, learned positions, untied head), the same text and
90/5/5 splits, GPT-2 initialisation, the same recipe (AdamW β = (0.9, 0.999), ε = 1e-8, decoupled decay on
2-D weights only, linear warmup then cosine to peak/10, global-norm clip 1.0, random windows), the same
validation measure (the first --eval-windows non-overlapping windows of the validation split) and test
measure (every window of the test split). Batches are PyTorch's own random draws, so curves agree in
distribution, not bit for bit: if PyTorch's curve shows what ours shows, the recipe is the cause; if not,
our engine is.

  python3 tools/nn/torch_train_charlm.py --steps 3000 --batch 32 --lr 3e-3 --device cuda --json out.json
"""
import argparse, json, math, os, sys, time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_reference import gpt_loss  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")


def splits(text):
    vocab = sorted(set(text))
    index = {c: i for i, c in enumerate(vocab)}
    ids = torch.tensor([index[c] for c in text], dtype=torch.long)
    n_train, n_val = int(0.9 * len(ids)), int(0.05 * len(ids))
    return vocab, ids[:n_train], ids[n_train:n_train + n_val], ids[n_train + n_val:]


def unigram(train, split, v):
    counts = torch.bincount(train, minlength=v).double() + 1
    p = counts / (len(train) + v)
    return float(-(p[split].log()).mean())


def init(cfg, device):
    V, T, C, Fd, L = cfg["vocab"], cfg["context"], cfg["model_dim"], cfg["ffn"], cfg["layers"]
    sd, sd_proj = 0.02, 0.02 / math.sqrt(2 * max(1, L))
    p = {"wte.weight": sd * torch.randn(V, C), "wpe.weight": sd * torch.randn(T, C)}
    for i in range(L):
        h = f"h.{i}."
        p.update({h + "ln_1.weight": torch.ones(C), h + "ln_1.bias": torch.zeros(C),
                  h + "attn.c_attn.weight": sd * torch.randn(3 * C, C), h + "attn.c_attn.bias": torch.zeros(3 * C),
                  h + "attn.c_proj.weight": sd_proj * torch.randn(C, C), h + "attn.c_proj.bias": torch.zeros(C),
                  h + "ln_2.weight": torch.ones(C), h + "ln_2.bias": torch.zeros(C),
                  h + "mlp.c_fc.weight": sd * torch.randn(Fd, C), h + "mlp.c_fc.bias": torch.zeros(Fd),
                  h + "mlp.c_proj.weight": sd_proj * torch.randn(C, Fd), h + "mlp.c_proj.bias": torch.zeros(C)})
    p.update({"ln_f.weight": torch.ones(C), "ln_f.bias": torch.zeros(C), "lm_head.weight": sd * torch.randn(V, C)})
    return {n: t.to(device).requires_grad_(True) for n, t in p.items()}


@torch.no_grad()
def evaluate(p, cfg, split, seq, max_windows, device, batch=16):
    windows = min(max_windows, (len(split) - 1) // seq)
    total = 0.0
    for s in range(0, windows, batch):
        b = min(batch, windows - s)
        x = torch.stack([split[(s + i) * seq:(s + i + 1) * seq] for i in range(b)]).to(device)
        y = torch.stack([split[(s + i) * seq + 1:(s + i + 1) * seq + 1] for i in range(b)]).to(device)
        loss, _ = gpt_loss(p, cfg, x, y)
        total += float(loss) * b
    return total / windows


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--text", default=os.path.join(ROOT, "data", "moby-dick-subset", "chapters-01-16.txt"))
    ap.add_argument("--layers", type=int, default=6)
    ap.add_argument("--dim", type=int, default=256)
    ap.add_argument("--heads", type=int, default=8)
    ap.add_argument("--context", type=int, default=128)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--steps", type=int, default=1000)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--warmup", type=int, default=20)
    ap.add_argument("--weight-decay", type=float, default=0.1)
    ap.add_argument("--eval-every", type=int, default=100)
    ap.add_argument("--eval-windows", type=int, default=32)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    ap.add_argument("--json")
    a = ap.parse_args()
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.manual_seed(a.seed)
    device = torch.device(a.device)
    with open(a.text, encoding="utf-8") as f:
        vocab, train, val, test = splits(f.read())
    cfg = {"vocab": len(vocab), "context": a.context, "model_dim": a.dim, "heads": a.heads, "ffn": 4 * a.dim, "layers": a.layers, "norm_eps": "1e-5"}
    p = init(cfg, device)
    decay = [t for t in p.values() if t.dim() == 2]
    rest = [t for t in p.values() if t.dim() != 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": a.weight_decay}, {"params": rest, "weight_decay": 0.0}],
                            lr=a.lr, betas=(0.9, 0.999), eps=1e-8)
    warm = min(a.warmup, a.steps - 1)

    def lr_at(s):
        if s < warm:
            return a.lr * (s + 1) / warm
        prog = min(1.0, (s - warm) / (a.steps - warm))
        lo = a.lr / 10
        return lo + 0.5 * (a.lr - lo) * (1 + math.cos(math.pi * prog))

    uni = unigram(train, val, len(vocab))
    print(f"pytorch {torch.__version__} on {device}: {sum(t.numel() for t in p.values()):,} parameters; "
          f"{a.steps} steps x {a.batch} x {a.context}; unigram validation {uni:.4f} nats (perplexity {math.exp(uni):.2f})", flush=True)
    history, t0 = [], time.perf_counter()
    gen = torch.Generator().manual_seed(a.seed)
    for s in range(a.steps):
        offs = torch.randint(0, len(train) - a.context, (a.batch,), generator=gen)
        x = torch.stack([train[o:o + a.context] for o in offs]).to(device)
        y = torch.stack([train[o + 1:o + a.context + 1] for o in offs]).to(device)
        for g in opt.param_groups:
            g["lr"] = lr_at(s)
        opt.zero_grad(set_to_none=True)
        loss, _ = gpt_loss(p, cfg, x, y)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(list(p.values()), 1.0)
        opt.step()
        if (s + 1) % a.eval_every == 0 or s == a.steps - 1:
            v = evaluate(p, cfg, val, a.context, a.eval_windows, device)
            history.append({"step": s + 1, "train_nats": float(loss), "validation_nats": v, "seconds": time.perf_counter() - t0})
            print(f"step {s + 1:6d}  train {float(loss):.4f}  validation {v:.4f} (perplexity {math.exp(v):.2f})  {time.perf_counter() - t0:8.1f} s", flush=True)
    t = evaluate(p, cfg, test, a.context, 10 ** 9, device)
    ut = unigram(train, test, len(vocab))
    print(f"test: {t:.4f} nats (perplexity {math.exp(t):.2f}); unigram on test {ut:.4f} (perplexity {math.exp(ut):.2f})")
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"torch": torch.__version__, "device": str(device), "args": vars(a), "unigram_validation_nats": uni,
                       "unigram_test_nats": ut, "test_nats": t, "history": history}, f, indent=1)


if __name__ == "__main__":
    main()
