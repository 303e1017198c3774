/// How many work-groups share each channel's sum in the two-stage reduction of `include/reduction.h`:
/// enough groups in all to keep every compute unit busy (`groupsPerUnit` each), but no group with
/// fewer than `minimumPerItem` values per work-item, and one group (a single stage) when the channels
/// alone fill the device.
public struct ReductionPlan: Equatable, Sendable {
    /// Work-groups per channel; 1 means stage 1 writes the sums and stage 2 is skipped.
    public let groups: Int

    /// Work-groups wanted per compute unit, so that a unit has another group while one waits on memory.
    public static let groupsPerUnit = 4
    /// Values each work-item sums at least, so that a group's tree sum is not most of its work.
    public static let minimumPerItem = 4

    /// The plan for `channels` sums of `values` values each, by work-groups of `local` work-items, on
    /// a device of `computeUnits` compute units.
    public init(values: Int, channels: Int, local: Int, computeUnits: Int) {
        let wanted = (Self.groupsPerUnit * max(computeUnits, 1) + max(channels, 1) - 1) / max(channels, 1)
        let useful = max(1, values / (max(local, 1) * Self.minimumPerItem))
        groups = max(1, min(wanted, useful))
    }

    /// True when stage 2 (the sum of the groups' partial sums) runs.
    public var twoStage: Bool { groups > 1 }
}
