import Testing
import ParallelRunner

@Suite struct ProgressReporterTests {
    @Test func lineShowsPercentageRateAndTimeLeft() {
        let line = ProgressReporter.line(label: "run", completed: 50_000, total: 200_000,
                                         elapsed: .seconds(10), unit: "samples", barWidth: 8)
        #expect(line == "run [##------]  25.0%  5.0k samples/s  ETA 0:00:30")
    }

    /// A resumed run's bar starts where the checkpoint was; its rate counts this process's samples only.
    @Test func resumedWorkIsInTheBarNotInTheRate() {
        let line = ProgressReporter.line(label: "run", completed: 150_000, total: 200_000,
                                         elapsed: .seconds(10), unit: "samples", initial: 100_000, barWidth: 8)
        #expect(line == "run [######--]  75.0%  5.0k samples/s  ETA 0:00:10")
        #expect(ProgressReporter.line(label: "", completed: 5, total: 10, elapsed: .seconds(1), unit: "u", initial: 5, barWidth: 4) == "[##--]  50.0%")
    }

    @Test func lineBeforeAnyProgressHasNoRate() {
        let line = ProgressReporter.line(label: "", completed: 0, total: 10, elapsed: .zero, unit: "chunks", barWidth: 4)
        #expect(line == "[----]  0.0%")
    }

    @Test func longRunsShowHours() {
        let line = ProgressReporter.line(label: "x", completed: 1, total: 4, elapsed: .seconds(1500), unit: "u", barWidth: 4)
        #expect(line.hasSuffix("ETA 1:15:00"))
    }

    @Test func quietReporterIsDisabled() {
        var reporter = ProgressReporter(total: 10, quiet: true)
        #expect(!reporter.isEnabled)
        reporter.update(completed: 5)
        reporter.finish()
    }
}
