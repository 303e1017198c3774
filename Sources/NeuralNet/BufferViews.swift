/// One allocation carved into views (`Backend.makeBufferViews`): `views[i]` is `counts[i]` floats of
/// `whole` starting at `offsets[i]`, each offset a multiple of the device's alignment. The gaps
/// between views are zeros that no view reaches, so an elementwise pass over `whole` (one Adam launch
/// over every parameter of a model) leaves them zero.
public struct BufferViews {
    public let whole: DeviceBuffer
    public let offsets: [Int]
    public let views: [DeviceBuffer]

    public init(whole: DeviceBuffer, offsets: [Int], views: [DeviceBuffer]) {
        self.whole = whole; self.offsets = offsets; self.views = views
    }

    /// Where views of `counts` floats go when each starts on a multiple of `alignment` floats (an
    /// empty view takes one float of its own, so that no two views start at the same place), and the
    /// floats the whole needs.
    public static func layout(counts: [Int], alignment: Int) -> (offsets: [Int], total: Int) {
        precondition(alignment > 0 && counts.allSatisfy { $0 >= 0 }, "bad layout \(counts) / \(alignment)")
        var offsets: [Int] = [], end = 0
        for n in counts {
            let start = (end + alignment - 1) / alignment * alignment
            offsets.append(start)
            end = start + max(n, 1)
        }
        return (offsets, end)
    }
}
