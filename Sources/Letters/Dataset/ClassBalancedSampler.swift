/// Draws items class-balanced: a class uniformly among those present, then one of its items uniformly,
/// so that rare classes are seen as often as common ones however unbalanced the data. Built once over a
/// fixed list of items; an item listed twice (a file weighted `FILE@2`) is drawn twice as often within
/// its class.
public struct ClassBalancedSampler: Sendable {
    /// Each present class's items (classes without items are left out).
    let byClass: [[Int]]

    /// `items` are what `draw` returns; `classOf(item)` is its 0-based class, items outside
    /// 0..<`classes` are never drawn.
    public init(items: [Int], classes: Int = 26, classOf: (Int) -> Int) {
        var groups = [[Int]](repeating: [], count: classes)
        for item in items {
            let c = classOf(item)
            if (0..<classes).contains(c) { groups[c].append(item) }
        }
        byClass = groups.filter { !$0.isEmpty }
    }

    /// Number of classes with at least one item.
    public var classCount: Int { byClass.count }

    /// One item. Nil when no class has an item.
    public func draw<G: RandomNumberGenerator>(rng: inout G) -> Int? {
        guard !byClass.isEmpty else { return nil }
        let group = byClass[Int.random(in: 0..<byClass.count, using: &rng)]
        return group[Int.random(in: 0..<group.count, using: &rng)]
    }
}
