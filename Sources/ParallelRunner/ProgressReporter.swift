#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A one-line progress bar on standard error with percentage, rate and estimated time left.
///
/// Draws only when standard error is a terminal and `quiet` is false, at most about ten times per
/// second; `finish()` clears the line so later output starts clean.
public struct ProgressReporter: Sendable {
    /// Work units for 100 %.
    public let total: Int
    /// Printed before the bar.
    public let label: String
    /// Name of one work unit in the rate, e.g. "samples".
    public let unit: String
    /// Work units done before this reporter started (a resumed run's): in the bar, not in the rate.
    public let initial: Int
    /// False when quiet or when standard error is not a terminal: then nothing is ever written.
    public let isEnabled: Bool
    private let clock = ContinuousClock()
    private let start: ContinuousClock.Instant
    private var lastDrawn: ContinuousClock.Instant?
    private static let minimumInterval = Duration.milliseconds(100)

    public init(total: Int, label: String = "", unit: String = "samples", initial: Int = 0, quiet: Bool = false) {
        self.total = total
        self.initial = initial
        self.label = label
        self.unit = unit
        isEnabled = !quiet && isatty(STDERR_FILENO) != 0
        start = clock.now
    }

    /// Reports `completed` units done; redraws if the last draw is old enough or the work is complete.
    public mutating func update(completed: Int) {
        guard isEnabled else { return }
        let now = clock.now
        if let lastDrawn, now - lastDrawn < Self.minimumInterval, completed < total { return }
        lastDrawn = now
        let text = Self.line(label: label, completed: completed, total: total, elapsed: now - start, unit: unit, initial: initial)
        Self.writeToStandardError("\r" + text + "\u{1B}[K")
    }

    /// Clears the progress line.
    public mutating func finish() {
        guard isEnabled, lastDrawn != nil else { return }
        Self.writeToStandardError("\r\u{1B}[K")
        lastDrawn = nil
    }

    /// The text of one progress line, without terminal control characters; the rate counts the units
    /// done in `elapsed`, those after `initial`.
    public static func line(label: String, completed: Int, total: Int, elapsed: Duration,
                            unit: String, initial: Int = 0, barWidth: Int = 24) -> String {
        let fraction = total > 0 ? min(max(Double(completed) / Double(total), 0), 1) : 1
        let filled = Int((fraction * Double(barWidth)).rounded(.down))
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: barWidth - filled)
        let percent = (fraction * 1000).rounded(.down) / 10
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        var parts = [label.isEmpty ? "[\(bar)]" : "\(label) [\(bar)]", "\(percent)%"]
        if seconds > 0, completed > initial {
            let rate = Double(completed - initial) / seconds
            parts.append("\(compact(rate)) \(unit)/s")
            parts.append("ETA \(clockTime(Double(max(total - completed, 0)) / rate))")
        }
        return parts.joined(separator: "  ")
    }

    /// Three significant digits with k/M/G suffixes: 950, 12.3k, 4.56M.
    static func compact(_ value: Double) -> String {
        let (scaled, suffix): (Double, String) = switch value {
        case 1e9...: (value / 1e9, "G")
        case 1e6...: (value / 1e6, "M")
        case 1e3...: (value / 1e3, "k")
        default: (value, "")
        }
        let digits = scaled >= 100 ? 0 : (scaled >= 10 ? 1 : 2)
        let factor = [1.0, 10, 100][digits]
        let rounded = (scaled * factor).rounded() / factor
        return (digits == 0 ? String(Int(rounded)) : String(rounded)) + suffix
    }

    /// h:mm:ss.
    static func clockTime(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "--:--:--" }
        let whole = Int(seconds.rounded(.up))
        let minutes = whole / 60 % 60, secs = whole % 60
        return "\(whole / 3600):\(minutes < 10 ? "0" : "")\(minutes):\(secs < 10 ? "0" : "")\(secs)"
    }

    private static func writeToStandardError(_ text: String) {
        var text = text
        text.withUTF8 { bytes in _ = write(STDERR_FILENO, bytes.baseAddress, bytes.count) }
    }
}
