#!/usr/bin/env python3
"""Checks ONNX models written by `letternet export` with engines letternet did not write.

For every --check MODEL KIND INPUTS EXPECTED: validates the graph with onnx.checker (full check,
shape inference included), runs it in onnxruntime on INPUTS and compares its probabilities with
letternet's (EXPECTED). Prints one JSON line per check: {"model", "kind", "inputs", "count",
"max_abs_diff", "tolerance", "argmax_agreement", "softmax_gap", "input_shapes", "output_shapes",
"opset", "metadata"}. Exits 0 when every max_abs_diff (and the gap between the graph's softmax
output and a softmax of its logits) is within the tolerance, 1 otherwise, 2 on bad arguments.
With --torch, where torch is installed, the graph is also turned into a torch.nn.Sequential by
onnx_to_torch.py (beside this script) and its probabilities compared too ("torch_max_abs_diff",
null without torch or --torch).

  KIND classifier: INPUTS is N×28×28 float32 raw pixels (0…255, upright), EXPECTED N×26.
  KIND reader:     INPUTS is N×30×W float32 strips, EXPECTED N×P×27 (letternet's softmax per
                   window position). The ONNX input is built as the README says: rows 1…28 of each
                   strip, 14 zero columns added on each side.

Usage: Scripts/onnx_check.py [--tolerance 1e-5] [--torch] --check M.onnx classifier X.npy P.npy [--check …]
Needs: pip install onnx onnxruntime numpy
"""
import argparse
import json
import sys

import numpy as np
import onnx
import onnxruntime as ort


def per_position(a):
    """A reader's [N, 27, 1, P] output as letternet's [N, P, 27]."""
    return a[:, :, 0, :].transpose(0, 2, 1)


def torch_reader():
    """A function (model path, input) → probabilities through onnx_to_torch.py, or None without torch."""
    try:
        import torch
        from onnx_to_torch import sequential
    except ImportError:
        return None

    def probabilities(path, feed):
        with torch.no_grad():
            return sequential(path)(torch.from_numpy(feed)).softmax(1).numpy()
    return probabilities


def check(path, kind, inputs, expected_path, tolerance, in_torch=None):
    model = onnx.load(path)
    onnx.checker.check_model(model, full_check=True)
    x = np.load(inputs).astype(np.float32)
    expected = np.load(expected_path).astype(np.float32)
    if kind == "classifier":
        feed = x.reshape(-1, 1, 28, 28)
    else:
        feed = np.pad(x[:, None, 1:29, :], ((0, 0), (0, 0), (0, 0), (14, 14)))
    session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    (input_meta,) = session.get_inputs()
    logits, probs = session.run(["logits", "probabilities"], {input_meta.name: feed})
    if kind == "reader":
        probs, logits = per_position(probs), per_position(logits)
    report = {"model": path, "kind": kind, "inputs": inputs, "count": int(x.shape[0]), "tolerance": tolerance}
    if probs.shape != expected.shape:
        report["error"] = f"onnxruntime gives {list(probs.shape)}, letternet {list(expected.shape)}"
        return report, False
    e = np.exp(logits - logits.max(axis=-1, keepdims=True))
    report.update({
        "max_abs_diff": float(np.abs(probs - expected).max()),
        "argmax_agreement": float((probs.argmax(-1) == expected.argmax(-1)).mean()),
        "softmax_gap": float(np.abs(e / e.sum(axis=-1, keepdims=True) - probs).max()),
        "input_shapes": {i.name: i.shape for i in session.get_inputs()},
        "output_shapes": {o.name: o.shape for o in session.get_outputs()},
        "opset": [o.version for o in model.opset_import],
        "metadata": session.get_modelmeta().custom_metadata_map,
    })
    passed = report["max_abs_diff"] <= tolerance and report["softmax_gap"] <= tolerance
    report["torch_max_abs_diff"] = None
    if in_torch is not None:
        p = in_torch(path, feed)
        p = per_position(p) if kind == "reader" else p
        report["torch_max_abs_diff"] = float(np.abs(p - expected).max())
        passed = passed and report["torch_max_abs_diff"] <= tolerance
    return report, passed


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", nargs=4, action="append", required=True,
                    metavar=("MODEL", "KIND", "INPUTS", "EXPECTED"))
    ap.add_argument("--tolerance", type=float, default=1e-5)
    ap.add_argument("--torch", action="store_true", help="also compare onnx_to_torch.py's model, where torch is installed")
    a = ap.parse_args()
    in_torch = torch_reader() if a.torch else None
    ok = True
    for path, kind, inputs, expected in a.check:
        if kind not in ("classifier", "reader"):
            ap.error(f"KIND must be classifier or reader, not {kind!r}")
        report, passed = check(path, kind, inputs, expected, a.tolerance, in_torch)
        print(json.dumps(report), flush=True)
        ok = ok and passed
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
