#!/usr/bin/env python3
"""Writes a random Llama-family decoder (HuggingFace LlamaForCausalLM safetensors layout) of a chosen size.

For timing `structura compress` on decoders larger than the llama-tiny fixture when no pretrained
decoder can be had offline. The vocabulary is the fixture's character-level tokenizer (61 ids), copied
beside the model, so any English text file is calibration and evaluation data. Weights are
N(0, 1/in) (unit-scale activations), norms 1 + N(0, 0.01); random weights: perplexities are meaningless.

  python3 scripts/make-random-llama.py OUT_DIR [--hidden 512] [--layers 8] [--heads 8] [--kv-heads 2]
                                               [--intermediate 1376] [--seed 1]
NumPy only.
"""
import argparse
import json
import os
import shutil
import struct

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURE = os.path.join(HERE, "..", "formats", "src", "test", "resources", "fixtures", "llama-tiny")

p = argparse.ArgumentParser()
p.add_argument("out")
p.add_argument("--hidden", type=int, default=512)
p.add_argument("--layers", type=int, default=8)
p.add_argument("--heads", type=int, default=8)
p.add_argument("--kv-heads", type=int, default=2)
p.add_argument("--intermediate", type=int, default=1376)
p.add_argument("--seed", type=int, default=1)
a = p.parse_args()
d, H, G, f, V = a.hidden, a.heads, a.kv_heads, a.intermediate, 61
dh = d // H
rng = np.random.default_rng(a.seed)


def lin(out, inp):
    return (rng.standard_normal((out, inp)) / np.sqrt(inp)).astype(np.float32)


def norm():
    return (1 + 0.1 * rng.standard_normal(d)).astype(np.float32)


w = {"model.embed_tokens.weight": rng.standard_normal((V, d)).astype(np.float32)}
for l in range(a.layers):
    q = f"model.layers.{l}."
    w[q + "self_attn.q_proj.weight"] = lin(H * dh, d)
    w[q + "self_attn.k_proj.weight"] = lin(G * dh, d)
    w[q + "self_attn.v_proj.weight"] = lin(G * dh, d)
    w[q + "self_attn.o_proj.weight"] = lin(d, H * dh)
    w[q + "mlp.gate_proj.weight"] = lin(f, d)
    w[q + "mlp.up_proj.weight"] = lin(f, d)
    w[q + "mlp.down_proj.weight"] = lin(d, f)
    w[q + "input_layernorm.weight"] = norm()
    w[q + "post_attention_layernorm.weight"] = norm()
w["model.norm.weight"] = norm()
w["lm_head.weight"] = lin(V, d)

os.makedirs(a.out, exist_ok=True)
header, offset, blobs = {}, 0, []
for name in sorted(w):
    t = np.ascontiguousarray(w[name], dtype="<f4")
    header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + t.nbytes]}
    offset += t.nbytes
    blobs.append(t.tobytes())
h = json.dumps(header).encode()
h += b" " * ((8 - len(h) % 8) % 8)
with open(os.path.join(a.out, "model.safetensors"), "wb") as fh:
    fh.write(struct.pack("<Q", len(h)) + h)
    for b in blobs:
        fh.write(b)
cfg = dict(model_type="llama", architectures=["LlamaForCausalLM"], hidden_size=d, intermediate_size=f,
           num_hidden_layers=a.layers, num_attention_heads=H, num_key_value_heads=G, head_dim=dh, vocab_size=V,
           rms_norm_eps=1e-6, rope_theta=10000.0, hidden_act="silu", tie_word_embeddings=False,
           max_position_embeddings=2048)
with open(os.path.join(a.out, "config.json"), "w") as fh:
    json.dump(cfg, fh, indent=2)
shutil.copy(os.path.join(FIXTURE, "tokenizer.json"), os.path.join(a.out, "tokenizer.json"))
print(f"{a.out}: {sum(t.size for t in w.values()):,} parameters")
