/// One shape of the local-memory GEMM tile of `Kernels/include/gemm_tile.h`, passed to the build as
/// `-D` definitions: a work-group computes `rows`×`columns` of C, staging `depth` of the reduction at a
/// time, each work-item `rowsPerItem`×`columnsPerItem` outputs: strided by the work-group's width (what
/// a GPU's memory wants), or side by side as one float8 (`contiguousColumns`: what a CPU device's
/// vectorizer wants).
public struct GEMMTile: Codable, Hashable, Sendable, CustomStringConvertible {
    public var rows: Int, columns: Int, depth: Int, rowsPerItem: Int, columnsPerItem: Int
    public var contiguousColumns: Bool

    public init(rows: Int, columns: Int, depth: Int, rowsPerItem: Int, columnsPerItem: Int, contiguousColumns: Bool = false) {
        self.rows = rows; self.columns = columns; self.depth = depth
        self.rowsPerItem = rowsPerItem; self.columnsPerItem = columnsPerItem
        self.contiguousColumns = contiguousColumns
    }

    /// The tile the kernels were written for, and the convolution's on a GPU (convolution.cl needs its
    /// work-group to have `columns` work-items).
    public static let standard = GEMMTile(rows: 32, columns: 64, depth: 16, rowsPerItem: 4, columnsPerItem: 8)
    /// The standard tile with each work-item's columns side by side: the convolution's on a CPU device
    /// (PoCL), where the strided columns ran the convolutions 2.6–2.8× slower.
    public static let standardContiguous = GEMMTile(rows: 32, columns: 64, depth: 16, rowsPerItem: 4, columnsPerItem: 8,
                                                    contiguousColumns: true)

    /// The convolution's tile on `device`.
    public static func convolution(onCPU: Bool) -> GEMMTile { onCPU ? standardContiguous : standard }

    /// The shapes the autotuner tries for the dense layers, the standard one first.
    public static let candidates = [
        standard,
        GEMMTile(rows: 64, columns: 64, depth: 16, rowsPerItem: 8, columnsPerItem: 8),
        GEMMTile(rows: 32, columns: 32, depth: 16, rowsPerItem: 4, columnsPerItem: 4),
        GEMMTile(rows: 64, columns: 128, depth: 8, rowsPerItem: 8, columnsPerItem: 8),
        GEMMTile(rows: 16, columns: 64, depth: 32, rowsPerItem: 2, columnsPerItem: 8),
        standardContiguous,
        GEMMTile(rows: 64, columns: 128, depth: 8, rowsPerItem: 8, columnsPerItem: 8, contiguousColumns: true),
    ]

    /// The candidates convolution.cl builds with: one work-item per column of the tile (each stages its
    /// column of the image), the work-group a multiple of the depth.
    public static var convolutionCandidates: [GEMMTile] {
        candidates.filter { $0.workItems == $0.columns && $0.workItems % $0.depth == 0 }
    }

    /// The work-group: (columns / columnsPerItem, rows / rowsPerItem).
    public var local: [Int] { [columns / columnsPerItem, rows / rowsPerItem] }
    public var workItems: Int { local[0] * local[1] }

    /// The build options that select this tile.
    public var defines: String {
        "-DTSM=\(rows) -DTSN=\(columns) -DTK=\(depth) -DWPTM=\(rowsPerItem) -DWPTN=\(columnsPerItem)"
            + (contiguousColumns ? " -DGEMM_CONTIGUOUS_COLUMNS" : "")
    }

    /// `rows`x`columns`x`depth`/`rowsPerItem`x`columnsPerItem`, e.g. 32x64x16/4x8, with a `c` for
    /// contiguous columns (32x64x16/4x8c).
    public var description: String {
        "\(rows)x\(columns)x\(depth)/\(rowsPerItem)x\(columnsPerItem)" + (contiguousColumns ? "c" : "")
    }

    /// The candidate named `name` (its `description`), if any, among `candidates`.
    public static func named(_ name: String, among candidates: [GEMMTile] = candidates) -> GEMMTile? {
        candidates.first { $0.description == name }
    }

    /// Whether the device can run it: whole work-items, the float4 loads, the work-group and local-memory sizes.
    public func fits(maxWorkGroupSize: Int, localMemory: UInt64) -> Bool {
        guard rowsPerItem > 0, columnsPerItem > 0, rows % rowsPerItem == 0, columns % columnsPerItem == 0,
              !contiguousColumns || columnsPerItem == 8,
              depth % 4 == 0, rows % 4 == 0, columns % 4 == 0 else { return false }
        let bytes = UInt64(4 * depth * (rows + 1 + columns + 1))
        return workItems <= maxWorkGroupSize && bytes <= localMemory
    }

    /// The grid for an `m`×`n` output: one work-group per tile (a third dimension of `depth` when > 1).
    func global(rows m: Int, columns n: Int, depth d: Int = 1) -> [Int] {
        let g = [(n + columns - 1) / columns * local[0], (m + rows - 1) / rows * local[1]]
        return d > 1 ? g + [d] : g
    }
}

/// A dense product's size class, from its output's size and the device's compute units: `small` when
/// the output has fewer than `groupsPerUnit` work-groups per compute unit under the largest candidate
/// tile (`reference`), so that a big tile would leave units idle; else `large`. The autotuner picks a
/// tile for each class.
public enum GEMMSizeClass: String, CaseIterable, Codable, Sendable {
    case small, large

    /// The tile that draws the line: the candidate with the largest output tile, fixed so that the
    /// class of a product does not hang on what was tuned.
    public static let reference = GEMMTile.candidates.max { $0.rows * $0.columns < $1.rows * $1.columns }!
    /// Work-groups per compute unit, under `reference`, from which a product is large.
    public static let groupsPerUnit = 2

    /// The class of an `rows`×`columns` output on a device of `computeUnits` compute units.
    public init(rows: Int, columns: Int, computeUnits: Int) {
        let groups = (rows + Self.reference.rows - 1) / Self.reference.rows
            * ((columns + Self.reference.columns - 1) / Self.reference.columns)
        self = groups < Self.groupsPerUnit * max(computeUnits, 1) ? .small : .large
    }
}

/// The dense layers' tile for each size class.
public struct GEMMTiles: Codable, Hashable, Sendable, CustomStringConvertible {
    public var small: GEMMTile, large: GEMMTile

    public init(small: GEMMTile, large: GEMMTile) {
        self.small = small; self.large = large
    }

    /// The same tile for both classes.
    public init(_ tile: GEMMTile) {
        self.init(small: tile, large: tile)
    }

    public static let standard = GEMMTiles(.standard)

    public subscript(_ sizeClass: GEMMSizeClass) -> GEMMTile {
        get { sizeClass == .small ? small : large }
        set { if sizeClass == .small { small = newValue } else { large = newValue } }
    }

    /// `small 32x64x16/4x8, large 64x128x8/8x8`, or the one tile when both are the same.
    public var description: String { small == large ? small.description : "small \(small), large \(large)" }
}
