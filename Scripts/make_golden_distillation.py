#!/usr/bin/env python3
"""Writes Tests/NeuralNetTests/Fixtures/golden-distillation.json: knowledge distillation's loss per window
position, built from PyTorch's own cross-entropies, and its gradient with respect to the logits, for a few
teacher shares α and one or two teachers, on one batch of float32 `[N, C, P]` logits (CPU build):

    t    = softmax(mean over teachers of their log-probabilities)           (per position)
    loss = (α · Σ cross_entropy(z, t) + (1 − α) · Σ cross_entropy(z, label, ignore_index=-1)) / labelled positions

Run once (needs `pip install torch==2.13.0 numpy`); the fixture is committed and CI needs no PyTorch.
"""
import json
import pathlib

import numpy as np
import torch


def f32(values):
    """float32 values, each in the 9 significant digits that give it back exactly."""
    return [float(f"{v:.9g}") for v in values]


rng = np.random.default_rng(2028)
batch, classes, positions = 2, 27, 6
logits = rng.normal(0, 3, (batch, classes, positions)).astype(np.float32)
teachers = [torch.log_softmax(torch.tensor(rng.normal(0, 3, (batch, positions, classes)).astype(np.float32)), dim=-1)
            for _ in range(2)]
labels = [(-1 if i % 4 == 1 else (i * 5 + 2) % classes) for i in range(batch * positions)]
label_tensor = torch.tensor(labels).reshape(batch, positions)
counted = max(sum(1 for y in labels if y >= 0), 1)
cases = []
for share, k in [(0.0, 1), (0.5, 1), (0.5, 2), (1.0, 2)]:
    z = torch.tensor(logits, requires_grad=True)
    target = torch.softmax(sum(teachers[:k]) / k, dim=-1).permute(0, 2, 1)  # [N, C, P]
    soft = torch.nn.functional.cross_entropy(z, target, reduction="sum")
    hard = torch.nn.functional.cross_entropy(z, label_tensor, ignore_index=-1, reduction="sum")
    loss = (share * soft + (1 - share) * hard) / counted
    loss.backward()
    cases.append({"share": share, "teachers": k, "loss": float(loss.detach()), "grad": f32(z.grad.flatten().tolist())})
fixture = {"batch": batch, "classes": classes, "positions": positions, "logits": f32(logits.flatten().tolist()),
           "teacher": [f32(t.flatten().tolist()) for t in teachers], "labels": labels, "cases": cases, "torch": torch.__version__}
out = pathlib.Path(__file__).resolve().parent.parent / "Tests/NeuralNetTests/Fixtures/golden-distillation.json"
out.write_text(json.dumps(fixture) + "\n")
print(f"wrote {out}")
