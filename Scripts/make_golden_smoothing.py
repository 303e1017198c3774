#!/usr/bin/env python3
"""Writes Tests/NeuralNetTests/Fixtures/golden-label-smoothing.json: PyTorch's softmax cross-entropy with
label smoothing (`torch.nn.functional.cross_entropy(..., label_smoothing=ε)`, mean over the batch) and its
gradient with respect to the logits, for a few ε, on one batch of float32 logits (CPU build).

Run once (needs `pip install torch==2.13.0 numpy`); the fixture is committed and CI needs no PyTorch.
"""
import json
import pathlib

import numpy as np
import torch

rng = np.random.default_rng(2027)
batch, classes = 6, 26
logits = rng.normal(0, 3, (batch, classes)).astype(np.float32)
labels = [0, 25, 8, 11, 6, 16]
cases = []
for eps in [0.0, 0.1, 0.3]:
    z = torch.tensor(logits, requires_grad=True)
    loss = torch.nn.functional.cross_entropy(z, torch.tensor(labels), label_smoothing=eps)
    loss.backward()
    cases.append({"smoothing": eps, "loss": float(loss.detach()), "grad": z.grad.flatten().tolist()})
fixture = {"batch": batch, "classes": classes, "logits": logits.flatten().tolist(), "labels": labels,
           "cases": cases, "torch": torch.__version__}
out = pathlib.Path(__file__).resolve().parent.parent / "Tests/NeuralNetTests/Fixtures/golden-label-smoothing.json"
out.write_text(json.dumps(fixture) + "\n")
print(f"wrote {out}")
