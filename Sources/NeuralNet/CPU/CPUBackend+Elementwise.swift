/// Element-wise ops: fill, copy, ReLU, dropout, multiply and add.
extension CPUBackend {
    public func fill(_ x: DeviceBuffer, value: Float, count: Int) {
        ptr(x).update(repeating: value, count: count)
    }

    public func copy(_ src: DeviceBuffer, to dst: DeviceBuffer, count: Int) {
        ptr(dst).update(from: ptr(src), count: count)
    }

    public func reluForward(x: DeviceBuffer, y: DeviceBuffer, count: Int) {
        let x = ptr(x), y = ptr(y)
        parallelFor(count, minimumChunk: 1 << 16) { _, r in
            reluForwardRange(x, y, r)
        }
    }

    public func reluBackward(y: DeviceBuffer, dy: DeviceBuffer, dx: DeviceBuffer, count: Int) {
        let y = ptr(y), dy = ptr(dy), dx = ptr(dx)
        parallelFor(count, minimumChunk: 1 << 16) { _, r in
            reluBackwardRange(y, dy, dx, r)
        }
    }

    public func dropoutForward(x: DeviceBuffer, mask: DeviceBuffer, y: DeviceBuffer,
                               probability: Float, seed: UInt32, count: Int) {
        let x = ptr(x), m = ptr(mask), y = ptr(y)
        let scale = probability < 1 ? 1 / (1 - probability) : 0
        for i in 0..<count {
            m[i] = dropoutKeeps(seed: seed, index: UInt32(truncatingIfNeeded: i), probability: probability) ? scale : 0
            y[i] = x[i] * m[i]
        }
    }

    public func multiply(_ a: DeviceBuffer, _ b: DeviceBuffer, out: DeviceBuffer, count: Int) {
        let a = ptr(a), b = ptr(b), o = ptr(out)
        for i in 0..<count { o[i] = a[i] * b[i] }
    }

    public func add(_ a: DeviceBuffer, _ b: DeviceBuffer, out: DeviceBuffer, count: Int) {
        let a = ptr(a), b = ptr(b), o = ptr(out)
        for i in 0..<count { o[i] = a[i] + b[i] }
    }
}
