import ArgumentParser
import UncertaintyStudy

/// `--target` texts, parsed; the message names the text and what was expected.
func parseTargets(_ texts: [String]) throws -> [TargetCondition] {
    try texts.map { text throws(StudyError) in try TargetCondition(parsing: text) }
}

/// The help of `--target`, shared by the commands that take it.
let targetHelp = "A condition whose probability is counted exactly, sample by sample: \(TargetCondition.grammar); SEGMENT defaults to all. Repeatable."

/// One line per target: its probability, 95 % Wilson interval and counts; `subject` prefixes the condition.
func targetLines(_ study: MonteCarloStudy, _ counts: [TargetCount], subject: String = "") -> [String] {
    zip(study.targets, counts).map { target, count in
        let p = count.probability
        return "P(\(subject)\(target.condition.text)) = \(formatProbability(p.estimate)) [95 % Wilson interval \(formatProbability(p.lower)) to \(formatProbability(p.upper))]"
            + " (\(count.met) of \(count.evaluated) samples)"
    }
}

func formatProbability(_ p: Double) -> String { p.isFinite ? String(format: "%.4f", p) : "-" }
