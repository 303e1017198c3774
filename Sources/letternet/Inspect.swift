import ArgumentParser
// TEMPORARY STUB (lead): replace freely.
struct Inspect: ParsableCommand {}
