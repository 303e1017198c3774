#!/usr/bin/env python3
"""The benchmark network of `letternet bench` in PyTorch (CPU, 2 threads): training images/s at batch
128 with Adam after a warm-up, inference images/s at batch 1000. Prints one JSON object.
Needs `pip install torch==2.13.0`; the project itself never depends on PyTorch."""
import json
import sys
import time

import torch

steps = int(sys.argv[1]) if len(sys.argv) > 1 else 30
torch.set_num_threads(2)
torch.manual_seed(1)
nn = torch.nn
net = nn.Sequential(
    nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.Conv2d(32, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.Conv2d(64, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Flatten(), nn.Linear(3136, 256), nn.ReLU(), nn.Linear(256, 26))
opt = torch.optim.Adam(net.parameters(), lr=1e-3)
x = torch.randn(128, 1, 28, 28)
y = torch.randint(0, 26, (128,))


def step():
    opt.zero_grad()
    loss = nn.functional.cross_entropy(net(x), y)
    loss.backward()
    opt.step()


for _ in range(3):
    step()
start = time.perf_counter()
for _ in range(steps):
    step()
train = steps * 128 / (time.perf_counter() - start)

xi = torch.randn(1000, 1, 28, 28)
with torch.no_grad():
    net(xi)
    start = time.perf_counter()
    for _ in range(3):
        net(xi)
    infer = 3000 / (time.perf_counter() - start)
print(json.dumps({"device": "pytorch-cpu", "train_images_per_s": train, "infer_images_per_s": infer,
                  "torch": torch.__version__}))
