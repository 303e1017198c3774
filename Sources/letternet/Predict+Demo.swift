import Foundation
import Letters

extension Predict {
    /// What `predict` reads without `--strips`: the shipped real-handwriting demo (`Demo/real-strips.npz`),
    /// or with `--font-demo` strips drawn from Hershey-font letters; each with its labels, to score.
    func demoStrips() throws -> (InputStrips, [[Int]]) {
        if fontDemo {
            let (set, truth) = DemoStrips.make(count: DemoStrips.defaultCount, letters: letters.fixed ?? StripGeometry.standard.defaultLetters, seed: DemoStrips.defaultSeed)
            note("no --strips given: reading \(set.count) demo strips drawn from Hershey-font letters (seed \(DemoStrips.defaultSeed))")
            return (.whole(set), truth)
        }
        let url = try Resources.demo(RealDemoStrips.fileName)
        let (set, truth) = try RealDemoStrips.load(url: url)
        if let n = letters.fixed, n != truth[0].count {
            throw CLIFailure("the demo strips hold \(truth[0].count) letters each; --letters \(n) needs --strips or --font-demo")
        }
        note("no --strips given: reading \(set.count) demo strips of real handwriting, \(set.height)×\(set.width) (Demo/SOURCE.md)")
        return (.whole(set), truth)
    }
}
