/// A study that cannot run as asked: its settings, or a request the scenario cannot meet. The
/// subject names the model concept at fault; a front end (the command line) says which of its
/// options set it.
public struct StudyError: Error, CustomStringConvertible, Equatable {
    public enum Subject: String, Sendable, CaseIterable {
        case sampleCount = "sample count"
        case threads
        case percentiles
        /// The sampler cannot serve the scenario (too many inputs for Sobol').
        case sampler
        case focusMetrics = "focused metrics"
        case focusMarkets = "focused markets"
        case focusYears = "focused years"
        /// A target whose probability is counted.
        case target
        /// A condition on one series and year whose samples are looked for (scenario discovery).
        case condition
        case sweepAxis = "sweep axis"
        /// A swept name that addresses neither an uncertain input nor a model quantity.
        case sweepName = "sweep name"
        /// The market (or total) whose series a sensitivity analysis reads.
        case analysedMarket = "analysed market"
        case analysedYears = "analysed years"
        /// Two scenarios that cannot be compared.
        case comparedScenarios = "compared scenarios"
    }

    public var subject: Subject
    public var message: String

    public init(_ subject: Subject, _ message: String) {
        self.subject = subject
        self.message = message
    }

    public var description: String { "\(subject.rawValue): \(message)" }
}
