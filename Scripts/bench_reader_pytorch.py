#!/usr/bin/env python3
"""A letternet strip reader in PyTorch, timed as `letternet bench --reader` times it: the network
forward (eval mode, batch norm kept as PyTorch runs it) and a log-softmax over the classes, on STRIPS
random strips of 30 x WIDTH pixels (one view: rows 1...28, 14 zero columns each side), 64 strips per
batch, after one warm-up batch. The network comes from the reader's ONNX graph (`letternet export`)
through Scripts/onnx_to_torch.py. Prints one JSON object.

Usage: bench_reader_pytorch.py MODEL.onnx [--strips N] [--width W] [--threads N]
Needs torch and onnx (pip install torch==2.13.0 onnx); the project itself never depends on them."""
import argparse
import json
import os
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from onnx_to_torch import sequential  # noqa: E402

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("model", help="the reader as ONNX (letternet export)")
parser.add_argument("--strips", type=int, default=2000, help="strips to read (2000)")
parser.add_argument("--width", type=int, default=168, help="strip width in pixels (168)")
parser.add_argument("--batch", type=int, default=64, help="strips per forward pass (64, as letternet)")
parser.add_argument("--threads", type=int, default=2, help="CPU threads (2)")
args = parser.parse_args()

torch.set_num_threads(args.threads)
torch.manual_seed(1)
model = sequential(args.model).eval()
strips = torch.rand(args.strips, 30, args.width) * 255
views = torch.zeros(args.strips, 1, 28, args.width + 28)
views[:, 0, :, 14:14 + args.width] = strips[:, 1:29, :]


def read(x):
    for start in range(0, x.shape[0], args.batch):
        model(x[start:start + args.batch]).log_softmax(1)


with torch.inference_mode():
    read(views[:args.batch])
    start = time.perf_counter()
    read(views)
    rate = args.strips / (time.perf_counter() - start)
print(json.dumps({"device": "pytorch-cpu", "reader_strips_per_s": rate, "strips": args.strips,
                  "strip_width": args.width, "torch": torch.__version__}))
