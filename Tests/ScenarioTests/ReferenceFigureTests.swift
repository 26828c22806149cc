import Foundation
import Testing
@testable import Scenario

struct ReferenceFigureTests {
    @Test func shippedReferencesLoad() throws {
        let figures = try ReferenceFigure.load(contentsOf: repositoryRoot.appendingPathComponent("Scenarios/roadmap_reference.csv").path)
        #expect(figures.count > 60)
        let cns2060 = figures.first { $0.scenario == "CNS" && $0.market == "total" && $0.metric == "reduction" && $0.year == 2060 }
        #expect(cns2060?.value == 4.34)
        #expect(figures.filter { $0.status == .unresolved }.allSatisfy { !$0.status.isTarget })
    }

    @Test func badReferenceFile() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("refs-\(UUID()).csv")
        defer { try? FileManager.default.removeItem(at: file) }
        try "scenario,market,segment,metric,year,value,unit,status\nCNS,total,all,reduction,2060,abc,x,published\n".write(to: file, atomically: true, encoding: .utf8)
        #expect(throws: InputError.self) { try ReferenceFigure.load(contentsOf: file.path) }
        try "scenario,market\nCNS,total\n".write(to: file, atomically: true, encoding: .utf8)
        #expect(throws: InputError.self) { try ReferenceFigure.load(contentsOf: file.path) }
    }
}
