#!/usr/bin/env python3
"""The reference a strip reader is measured against: the same letters read one by one, clean and alone.

Reads labelled letters (an .npz with x: N×784 or N×28×28 uint8 upright, y: 1…26) with a letter
classifier exported by `letternet export` (ONNX), then draws strips of LETTERS letters from them at
random (seeded) and decodes each strip from its letters' own class probabilities, exactly: the k best
strings of the product of independent per-letter probabilities. Prints one JSON line: the classifier's
letter accuracy and the top-1 and top-5 such strips would score. A reader that read every letter of a
strip as well as the classifier reads it alone (no neighbours, no noise) would score about this; the
gap between a reader's figures and these is what the strip layout costs it.

Usage: Scripts/letters_alone.py CLASSIFIER.onnx LETTERS.npz [--letters 5] [--strips 20000] [--seed 0]
Needs: pip install onnxruntime numpy
"""
import argparse
import json

import numpy as np
import onnxruntime as ort


def k_best(log_probs, k):
    """The k best strings (tuples of class indices) of independent per-letter log-probabilities, exactly."""
    beams = [(0.0, ())]
    for row in log_probs:
        top = np.argsort(-row)[:k]
        beams = sorted(((s + row[c], t + (int(c),)) for s, t in beams for c in top), key=lambda b: -b[0])[:k]
    return [t for _, t in beams]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("model"); ap.add_argument("letters")
    ap.add_argument("--letters", dest="n", type=int, default=5)
    ap.add_argument("--strips", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    d = np.load(a.letters)
    x = d["x"].reshape(-1, 1, 28, 28).astype(np.float32)
    y = d["y"].astype(int) - 1
    session = ort.InferenceSession(a.model)
    name = session.get_inputs()[0].name
    p = np.concatenate([session.run(["probabilities"], {name: x[i:i + 500]})[0] for i in range(0, len(x), 500)])
    log_p = np.log(np.maximum(p, 1e-30))
    picks = np.random.default_rng(a.seed).integers(0, len(y), (a.strips, a.n))
    top1 = top5 = 0
    for strip in picks:
        best = k_best(log_p[strip], 5)
        truth = tuple(int(c) for c in y[strip])
        top1 += best[0] == truth
        top5 += truth in best
    print(json.dumps({"letters_file": a.letters.split("/")[-1], "letters": int(len(y)),
                      "letter_accuracy": float((p.argmax(1) == y).mean()), "letters_per_strip": a.n,
                      "strips": a.strips, "top1": top1 / a.strips, "top5": top5 / a.strips}))


if __name__ == "__main__":
    main()
