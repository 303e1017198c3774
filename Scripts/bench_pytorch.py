#!/usr/bin/env python3
"""The benchmark network of `letternet bench` in PyTorch: training images/s at batch 128 with Adam
after a warm-up, inference images/s at batch 1000. Prints one JSON object.

Usage: bench_pytorch.py [STEPS] [--device cpu|cuda|cuda:N] [--threads N]
On the CPU it uses 2 threads unless told (the CI machine's cores); on CUDA it waits for the GPU
before reading each clock. Needs `pip install torch==2.13.0` (a CUDA build for --device cuda); the
project itself never depends on PyTorch."""
import argparse
import json
import time

import torch

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("steps", nargs="?", type=int, default=30, help="timed training steps (30)")
parser.add_argument("--device", default="cpu", help="cpu, cuda or cuda:N (cpu)")
parser.add_argument("--threads", type=int, default=2, help="CPU threads (2)")
args = parser.parse_args()

device = torch.device(args.device)
if device.type == "cuda" and not torch.cuda.is_available():
    parser.error(f"--device {args.device}: this PyTorch ({torch.__version__}) sees no CUDA device")
torch.set_num_threads(args.threads)
torch.manual_seed(1)


def wait():
    if device.type == "cuda":
        torch.cuda.synchronize(device)


nn = torch.nn
net = nn.Sequential(
    nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.Conv2d(32, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.Conv2d(64, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Flatten(), nn.Linear(3136, 256), nn.ReLU(), nn.Linear(256, 26)).to(device)
opt = torch.optim.Adam(net.parameters(), lr=1e-3)
x = torch.randn(128, 1, 28, 28, device=device)
y = torch.randint(0, 26, (128,), device=device)


def step():
    opt.zero_grad()
    loss = nn.functional.cross_entropy(net(x), y)
    loss.backward()
    opt.step()


for _ in range(3):
    step()
wait()
start = time.perf_counter()
for _ in range(args.steps):
    step()
wait()
train = args.steps * 128 / (time.perf_counter() - start)

xi = torch.randn(1000, 1, 28, 28, device=device)
with torch.no_grad():
    net(xi)
    wait()
    start = time.perf_counter()
    for _ in range(3):
        net(xi)
    wait()
    infer = 3000 / (time.perf_counter() - start)
name = f"pytorch-{device.type}" + (f" ({torch.cuda.get_device_name(device)})" if device.type == "cuda" else "")
print(json.dumps({"device": name, "train_images_per_s": train, "infer_images_per_s": infer,
                  "torch": torch.__version__}))
