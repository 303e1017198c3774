#!/usr/bin/env python3
"""Writes Tests/NeuralNetTests/Fixtures/golden-small-net.json: a small network's outputs, loss,
gradients and weights after one AdamW step, computed by PyTorch (CPU build, float32).

Run once (needs `pip install torch==2.13.0 numpy`); the fixture is committed and CI needs no PyTorch.
The network mirrors the Swift layer names: 0 conv, 1 relu, 2 batch norm (after the ReLU, so the conv bias has a real gradient), 3 max pool, 4 flatten, 5 linear.
"""
import json
import pathlib

import numpy as np
import torch

torch.manual_seed(0)
rng = np.random.default_rng(2026)
net = torch.nn.Sequential(
    torch.nn.Conv2d(2, 4, 3, padding=1),   # 0
    torch.nn.ReLU(),                       # 1
    torch.nn.BatchNorm2d(4),               # 2
    torch.nn.MaxPool2d(2),                 # 3
    torch.nn.Flatten(),                    # 4
    torch.nn.Linear(4 * 4 * 3, 5),         # 5
)
with torch.no_grad():
    for p in net.parameters():
        p.copy_(torch.tensor(rng.normal(0, 0.5, p.shape), dtype=torch.float32))

x = torch.tensor(rng.normal(0, 1, (3, 2, 8, 6)), dtype=torch.float32)
labels = torch.tensor([4, 0, 2])
initial = {k: v.detach().clone() for k, v in net.state_dict().items() if "num_batches" not in k}

decay = [net[0].weight, net[5].weight]
no_decay = [net[0].bias, net[2].weight, net[2].bias, net[5].bias]
opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01},
                         {"params": no_decay, "weight_decay": 0.0}], lr=0.01, betas=(0.9, 0.999), eps=1e-8)
net.train()
logits = net(x)
loss = torch.nn.functional.cross_entropy(logits, labels)
opt.zero_grad()
loss.backward()
grads = {name: p.grad.detach().clone() for name, p in net.named_parameters()}
opt.step()
after = {k: v.detach().clone() for k, v in net.state_dict().items() if "num_batches" not in k}


def flat(t):
    return [float(v) for v in t.reshape(-1).tolist()]


fixture = {
    "torch_version": torch.__version__,
    "input_shape": list(x.shape), "input": flat(x), "labels": labels.tolist(),
    "initial": {k: {"shape": list(v.shape), "values": flat(v)} for k, v in initial.items()},
    "logits": flat(logits.detach()), "loss": float(loss.detach()),
    "grads": {k: flat(v) for k, v in grads.items()},
    "after_step": {k: flat(v) for k, v in after.items()},
}
out = pathlib.Path(__file__).resolve().parent.parent / "Tests/NeuralNetTests/Fixtures/golden-small-net.json"
out.write_text(json.dumps(fixture, indent=0))
print(f"wrote {out} ({out.stat().st_size} bytes), loss {float(loss.detach()):.6f}")
