#!/usr/bin/env python3
"""Regenerates the small, synthetic format fixtures in Tests/LettersTests/Fixtures.

Every file is made from scratch here (no real handwriting, nothing from ../shared):
numpy writes the .npy/.npz files, and the EMNIST-style idx files are written by hand
(big-endian header, images stored transposed like EMNIST's).

    python3 Scripts/make_format_fixtures.py
"""
import gzip
import os
import struct

import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "LettersTests", "Fixtures")


def save(name, arr, version=None):
    path = os.path.join(OUT, name)
    with open(path, "wb") as f:
        np.lib.format.write_array(f, arr, version=version, allow_pickle=False)


def letter_l(offset):
    """A 28x28 uint8 'L': stem on the left, foot at the bottom (upright, taller than wide)."""
    img = np.zeros((28, 28), dtype=np.uint8)
    img[4:24, 8 + offset:11 + offset] = 255      # stem, rows 4..23
    img[21:24, 8 + offset:19 + offset] = 200     # foot
    return img


def write_idx(path, arr, code):
    header = struct.pack(">BBBB", 0, 0, code, arr.ndim) + b"".join(struct.pack(">I", d) for d in arr.shape)
    payload = header + arr.astype(arr.dtype.newbyteorder(">")).tobytes()
    if path.endswith(".gz"):
        with gzip.GzipFile(path, "wb", mtime=0) as f:  # fixed mtime: same bytes every run
            f.write(payload)
    else:
        with open(path, "wb") as f:
            f.write(payload)


def main():
    os.makedirs(OUT, exist_ok=True)
    # One file per dtype: shape (2, 3), values arange(6) - 3 for signed, arange(6) for the rest.
    for code in ["u1", "u2", "u4", "u8", "i1", "i2", "i4", "i8", "f4", "f8"]:
        base = np.arange(6) - (3 if code[0] in "if" else 0)
        if code[0] == "f":
            base = base + 0.5
        save(f"dtype_{code}.npy", base.astype("<" + code).reshape(2, 3))
    save("dtype_b1.npy", np.array([[True, False, True], [False, False, True]]))
    # Big-endian files.
    save("big_endian_f8.npy", (np.arange(8) * 1.25 - 2).astype(">f8").reshape(2, 2, 2))
    save("big_endian_i4.npy", (np.arange(8) * 1000 - 3000).astype(">i4").reshape(2, 2, 2))
    save("big_endian_u2.npy", np.array([1, 256, 65535], dtype=">u2"))
    # Header versions 2.0 and 3.0 (same payload as dtype_f4.npy).
    save("version2_f4.npy", (np.arange(6) - 2.5).astype("<f4").reshape(2, 3), version=(2, 0))
    save("version3_i2.npy", (np.arange(6) - 3).astype("<i2").reshape(2, 3), version=(3, 0))
    # Fortran order: logical values are arange(6).reshape(2, 3).
    save("fortran_f4.npy", np.asfortranarray(np.arange(6, dtype="<f4").reshape(2, 3)))
    # Odd shapes: a scalar, an empty array, a 4-D array.
    save("scalar_f8.npy", np.array(3.5))
    save("empty_f4.npy", np.zeros((0, 3), dtype="<f4"))
    save("rank4_u1.npy", np.arange(24, dtype=np.uint8).reshape(1, 2, 3, 4))

    # A tiny letters dataset (3 upright 'L's, labels L, A, Z) stored and deflated.
    x = np.stack([letter_l(0), letter_l(2), letter_l(4)])
    y = np.array([12, 1, 26], dtype=np.int64)
    np.savez(os.path.join(OUT, "letters_stored.npz"), x=x, y=y)
    np.savez_compressed(os.path.join(OUT, "letters_deflated.npz"), x=x, y=y)
    # The same as N x 784 float32 with uint8 labels, and with extra string arrays (listed, not decoded).
    np.savez_compressed(os.path.join(OUT, "letters_flat_f4.npz"), x=x.reshape(3, 784).astype("<f4"), y=y.astype(np.uint8))
    np.savez_compressed(os.path.join(OUT, "letters_with_strings.npz"), x=x, y=y,
                        writer=np.array(["w1", "w2", "w3"]), case=np.array(["upper", "lower", "upper"]))

    # Strips: 2 x 30 x 40 uint16 with values above 255.
    strips = np.zeros((2, 30, 40), dtype="<u2")
    strips[0, 5:25, 3:6] = 300
    strips[1, 10:20, 10:30] = 17
    save("strips_u2.npy", strips)

    # EMNIST-style idx files: images stored TRANSPOSED (as EMNIST does), labels 1..26.
    write_idx(os.path.join(OUT, "tiny-images-idx3-ubyte"), x.transpose(0, 2, 1).copy(), 0x08)
    write_idx(os.path.join(OUT, "tiny-labels-idx1-ubyte"), y.astype(np.uint8), 0x08)
    write_idx(os.path.join(OUT, "tinygz-images-idx3-ubyte.gz"), x.transpose(0, 2, 1).copy(), 0x08)
    write_idx(os.path.join(OUT, "tinygz-labels-idx1-ubyte.gz"), y.astype(np.uint8), 0x08)


if __name__ == "__main__":
    main()
