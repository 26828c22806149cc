import Testing
import Sensitivity

/// f = Σ c_i u_i: every elementary effect of input i is exactly c_i.
struct LinearFunction: BatchEvaluator {
    let c: [Double]

    mutating func evaluate(points: UnsafeBufferPointer<Double>, count: Int, into outputs: UnsafeMutableBufferPointer<Double>) {
        for i in 0..<count {
            outputs[i] = c.indices.reduce(0) { $0 + c[$1] * points[$1 * count + i] }
        }
    }
}

@Suite struct MorrisTests {
    @Test func linearFunctionHasExactEffects() throws {
        // Grid values (l + 1/2)/4 and the coefficients are dyadic, so every sum and difference is exact.
        let c: [Double] = [1, -2, 3, 0.5, 0]
        let design = try MorrisDesign(inputNames: ["a", "b", "c", "d", "e"], trajectories: 12, seed: 4)
        let indices = try morrisIndices(design, threads: 2, bootstrap: testBootstrap) { _ in LinearFunction(c: c) }
        #expect(indices.mu == c)
        #expect(indices.muStar == c.map(abs))
        #expect(indices.sigma == [0, 0, 0, 0, 0])
        #expect(indices.muStarConf == [0, 0, 0, 0, 0])
        #expect(indices.trajectories == 12 && indices.evaluations == 12 * 6)
    }

    @Test func groupsMoveTogether() throws {
        let c: [Double] = [1, -2, 3, 0.5]
        let groups = [InputGroup(name: "ac", inputs: [0, 2]), InputGroup(name: "bd", inputs: [3, 1])]
        let design = try MorrisDesign(inputNames: ["a", "b", "c", "d"], groups: groups, trajectories: 6, levels: 6, seed: 8)
        #expect(design.pointsPerRow == 3)
        let indices = try morrisIndices(design, threads: 1, bootstrap: testBootstrap) { _ in LinearFunction(c: c) }
        // A group's effect is the sum of its members' coefficients.
        #expect(indices.names == ["ac", "bd"])
        #expect(indices.mu == [4, -1.5])
        #expect(indices.muStar == [4, 1.5])
    }

    @Test func trajectoriesMoveOneFactorByHalfTheUnitInterval() throws {
        let design = try MorrisDesign(inputNames: ["a", "b", "c"], trajectories: 5, levels: 8, seed: 21)
        let stride = design.pointsPerRow, count = 5 * stride
        var points = [Double](repeating: 0, count: 3 * count)
        points.withUnsafeMutableBufferPointer { design.fill(rows: 0..<5, into: $0) }
        let grid = (0..<8).map { (Double($0) + 0.5) / 8 }
        for t in 0..<5 {
            var moved: Set<Int> = []
            for s in 1..<stride {
                let changes = (0..<3).filter { points[$0 * count + t * stride + s] != points[$0 * count + t * stride + s - 1] }
                #expect(changes.count == 1)
                for d in changes {
                    moved.insert(d)
                    #expect(abs(points[d * count + t * stride + s] - points[d * count + t * stride + s - 1]) == 0.5)
                }
            }
            #expect(moved == [0, 1, 2])
            #expect((0..<3).allSatisfy { d in (0..<stride).allSatisfy { grid.contains(points[d * count + t * stride + $0]) } })
        }
    }

    @Test func muStarRanksSobolGInputs() throws {
        // For G the importance decreases with a_i (Saltelli and Sobol' 1995); |EE_i| = 2/(1 + a_i) · Π_{j≠i} g_j.
        let function = SobolGFunction(a: [0, 1, 4.5, 9, 99, 99, 99, 99])
        let design = try MorrisDesign(inputNames: function.inputNames, trajectories: 20, seed: 13)
        let indices = try morrisIndices(design, threads: 2, bootstrap: testBootstrap) { _ in function }
        let muStar = indices.muStar
        #expect(muStar[0] > muStar[1] && muStar[1] > muStar[2] && muStar[2] > muStar[3])
        #expect(muStar[4...].allSatisfy { $0 < muStar[3] && $0 < muStar[0] / 50 })
        #expect(indices.muStarConf.allSatisfy { $0 > 0 })
    }

    @Test func resultsDoNotDependOnThreads() throws {
        let function = SobolGFunction(a: [0, 1, 9])
        let design = try MorrisDesign(inputNames: function.inputNames, trajectories: 30, seed: 5)
        let one = try morrisIndices(design, threads: 1, bootstrap: testBootstrap) { _ in function }
        let three = try morrisIndices(design, threads: 3, bootstrap: testBootstrap, pointsPerChunk: 7) { _ in function }
        #expect(one.mu == three.mu && one.muStar == three.muStar && one.sigma == three.sigma)
        #expect(one.muStarConf == three.muStarConf)
    }
}
