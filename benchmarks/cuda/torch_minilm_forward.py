#!/usr/bin/env python3
"""The all-MiniLM-L6-v2 architecture's forward pass in PyTorch eager FP32, written out explicitly.

The PyTorch side of the pair whose Structura side is
algorithms/src/test/java/structura/algorithms/nn/ResidentForwardBenchmark.java: vocabulary 30522,
d = 384, 12 heads x 32, FFN 1536, 6 post-norm layers with exact GELU, 512 positions, 2 token types,
LayerNorm eps 1e-12, seeded random weights (speed does not depend on them), a batch of 32 x 128
tokens without padding, on `cuda`. TF32 is switched off (and the settings printed) so both sides
run true FP32 GEMMs.

Per layer: Q/K/V Linear, view/transpose to (B, heads, L, 32), torch.matmul scores times 1/sqrt(32)
plus the additive padding mask, softmax, matmul with V, transpose back, output Linear, residual +
LayerNorm, Linear -> GELU(approximate='none') -> Linear, residual + LayerNorm. A second variant
replaces the attention core with torch.nn.functional.scaled_dot_product_attention.

Prints median and best ms over the timed iterations (after warm-up, torch.cuda.synchronize()
around each) and the lines
  RESULT torch_eager_ms=<median>            forward pass, output left on the GPU
  RESULT torch_eager_with_copy_ms=<median>  forward pass plus .cpu() of the output (the fair
                                            comparison with Structura's downloaded result)
  RESULT torch_sdpa_ms=<median>             forward pass with scaled_dot_product_attention

Usage: python3 torch_minilm_forward.py [iterations=20] [batch=32] [length=128] [warmup=5]
Needs only torch (no transformers, no downloads).
"""
import math
import statistics
import sys
import time

import torch
import torch.nn.functional as F

VOCAB, D, HEADS, HEAD_DIM, FFN, LAYERS, POSITIONS, TYPES, EPS = 30522, 384, 12, 32, 1536, 6, 512, 2, 1e-12


def uniform(gen, shape, scale, device):
    return ((torch.rand(shape, generator=gen, dtype=torch.float32) * 2 - 1) * scale).to(device)


def linear_params(gen, out_f, in_f, device):
    s = 1.0 / math.sqrt(in_f)
    return uniform(gen, (out_f, in_f), s, device), uniform(gen, (out_f,), s, device)


def norm_params(gen, device):
    return 1 + uniform(gen, (D,), 0.1, device), uniform(gen, (D,), 0.1, device)


def make_weights(seed, device):
    gen = torch.Generator().manual_seed(seed)
    w = {
        "word": uniform(gen, (VOCAB, D), 1.0, device),
        "pos": uniform(gen, (POSITIONS, D), 1.0, device),
        "type": uniform(gen, (TYPES, D), 1.0, device),
        "emb_norm": norm_params(gen, device),
        "layers": [],
    }
    for _ in range(LAYERS):
        w["layers"].append({
            "q": linear_params(gen, D, D, device),
            "k": linear_params(gen, D, D, device),
            "v": linear_params(gen, D, D, device),
            "o": linear_params(gen, D, D, device),
            "attn_norm": norm_params(gen, device),
            "up": linear_params(gen, FFN, D, device),
            "down": linear_params(gen, D, FFN, device),
            "mlp_norm": norm_params(gen, device),
        })
    return w


def forward(w, ids, types, mask, sdpa):
    b, length = ids.shape
    positions = torch.arange(length, device=ids.device)
    x = w["word"][ids] + w["type"][types] + w["pos"][positions][None, :, :]
    x = F.layer_norm(x, (D,), *w["emb_norm"], eps=EPS)
    # additive key mask, (B, 1, 1, L): 0 for real tokens, the most negative float for padding
    add_mask = (1.0 - mask[:, None, None, :].to(torch.float32)) * torch.finfo(torch.float32).min
    scale = 1.0 / math.sqrt(HEAD_DIM)
    for layer in w["layers"]:
        q = F.linear(x, *layer["q"]).view(b, length, HEADS, HEAD_DIM).transpose(1, 2)
        k = F.linear(x, *layer["k"]).view(b, length, HEADS, HEAD_DIM).transpose(1, 2)
        v = F.linear(x, *layer["v"]).view(b, length, HEADS, HEAD_DIM).transpose(1, 2)
        if sdpa:
            ctx = F.scaled_dot_product_attention(q, k, v, attn_mask=add_mask)
        else:
            scores = torch.matmul(q, k.transpose(-1, -2)) * scale + add_mask
            probs = torch.softmax(scores, dim=-1)
            ctx = torch.matmul(probs, v)
        ctx = ctx.transpose(1, 2).reshape(b, length, D)
        h = F.layer_norm(x + F.linear(ctx, *layer["o"]), (D,), *layer["attn_norm"], eps=EPS)
        m = F.linear(F.gelu(F.linear(h, *layer["up"]), approximate="none"), *layer["down"])
        x = F.layer_norm(h + m, (D,), *layer["mlp_norm"], eps=EPS)
    return x


def time_it(fn, iterations, warmup):
    for _ in range(warmup):
        fn()
    torch.cuda.synchronize()
    ms = []
    for _ in range(iterations):
        torch.cuda.synchronize()
        t0 = time.perf_counter()
        fn()
        torch.cuda.synchronize()
        ms.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(ms), min(ms)


def main():
    iterations = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    batch = int(sys.argv[2]) if len(sys.argv) > 2 else 32
    length = int(sys.argv[3]) if len(sys.argv) > 3 else 128
    warmup = int(sys.argv[4]) if len(sys.argv) > 4 else 5
    if not torch.cuda.is_available():
        print("no CUDA device visible to torch; nothing to measure")
        sys.exit(3)
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    device = torch.device("cuda")
    print(f"torch {torch.__version__}, CUDA {torch.version.cuda}, device {torch.cuda.get_device_name(0)}")
    print(f"torch.backends.cuda.matmul.allow_tf32 = {torch.backends.cuda.matmul.allow_tf32}")
    print(f"torch.backends.cudnn.allow_tf32 = {torch.backends.cudnn.allow_tf32}")
    print(f"float32 matmul precision = {torch.get_float32_matmul_precision()}")
    print(f"MiniLM-L6 architecture, FP32 eager, batch {batch} x {length}, {warmup} warm-up + {iterations} timed iterations")
    w = make_weights(42, device)
    gen = torch.Generator().manual_seed(7)
    ids = torch.randint(0, VOCAB, (batch, length), generator=gen).to(device)
    types = torch.zeros((batch, length), dtype=torch.long, device=device)
    mask = torch.ones((batch, length), dtype=torch.long, device=device)

    results = {}
    with torch.no_grad():
        eager = forward(w, ids, types, mask, sdpa=False)
        with_sdpa = forward(w, ids, types, mask, sdpa=True)
        print(f"max |eager - sdpa| = {(eager - with_sdpa).abs().max().item():.3g}")
        for name, fn in [
            ("torch_eager_ms", lambda: forward(w, ids, types, mask, sdpa=False)),
            ("torch_eager_with_copy_ms", lambda: forward(w, ids, types, mask, sdpa=False).cpu()),
            ("torch_sdpa_ms", lambda: forward(w, ids, types, mask, sdpa=True)),
        ]:
            med, best = time_it(fn, iterations, warmup)
            results[name] = med
            print(f"{name:28s} median {med:9.3f} ms  best {best:9.3f} ms  {batch * 1000.0 / med:9.1f} sentences/s")
    for name, med in results.items():
        print(f"RESULT {name}={med:.3f}")


if __name__ == "__main__":
    main()
