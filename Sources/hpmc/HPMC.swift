import ArgumentParser
import FileOutput
import Foundation
import LinearAlgebra
import ParallelRunner
import UncertaintyStudy

@main
struct HPMC: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hpmc",
        abstract: "Heat-pump roadmap projections with Monte Carlo uncertainty.",
        discussion: """
        Reproduces the projections of China's Heat Pump Development Roadmap (building sector) from \
        fitted growth curves and a stock-and-emissions model, then says how sure they are.

        Start with:
          hpmc validate Scenarios/cns.yaml      the roadmap's figures beside the model's
          hpmc project Scenarios/cns.yaml       the central projection, 2022-2060
          hpmc fit data.csv --model logistic    fit a growth curve to your own data

        Exit codes: 0 success, 1 a validation target missed, a fit that did not converge or non-finite samples, \
        2 bad input (file, field or option).
        """,
        version: hpmcVersion,
        subcommands: [Run.self, Merge.self, Sweep.self, SensitivityCommand.self, Discover.self, Compare.self, Report.self, Project.self, Validate.self, Calibrate.self, Fit.self])

    /// Like ArgumentParser's `main()`, but a command line ArgumentParser refuses prints as every other
    /// input error does (one `hpmc: error:` line, then where the command's options are explained) and
    /// exits with 2, not ArgumentParser's `Error:`/`Usage:` block and 64; the commands' `validate()`
    /// report their own refusals (`validatingOptions`). Help and `--version` exit 0, or 2 when they
    /// cannot be written; any other error keeps ArgumentParser's handling: an `ExitCode` its status,
    /// anything else 1.
    static func main() {
        // A reader that closes the pipe early (`| head`) makes a write fail with EPIPE, reported
        // like any failed write, instead of ending hpmc by a signal (exit 141).
        signal(SIGPIPE, SIG_IGN)
        // Likewise a file-size limit (`ulimit -f`, a stand-in for a full quota): the write fails with
        // EFBIG and the output set is left as it was, instead of an end by SIGXFSZ (exit 153) that
        // left a part-written file in the staging directory.
        signal(SIGXFSZ, SIG_IGN)
        adaptToAddressSpaceLimit()
        // Before any command: OpenBLAS's idle pool would spin on the cores the workers need.
        setLAPACKThreadCount(1)
        do {
            try reportingInputErrors(checkHelpTopic)
            var command = try parseAsRoot()
            try command.run()
            exitIfStandardOutputFailed()
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                // Help and the version are what was asked for: printed here, so that a failed write is seen.
                let text = fullMessage(for: error)
                if !text.isEmpty { print(text) }
                exitIfStandardOutputFailed()
                Foundation.exit(0)
            }
            guard code == .validationFailure else { exit(withError: error) }
            // ArgumentParser's own line breaks joined; what it quotes of the command line shown escaped.
            let message = message(for: error).split(separator: "\n").joined(separator: " ")
            writeStandardError("hpmc: error: \(FileOutput.visible(wholeNumberRefusal(message) ?? message))\n\(usageHint())\n")
            Foundation.exit(2)
        }
    }

    /// The least address space (`ulimit -v`) hpmc starts in. Below it memory runs out where nothing
    /// can report it: OpenBLAS reserves 128 MiB for each thread that calls it (its pool's thread as
    /// the library loads) and retries for ever when it cannot, so every command hung, `--version` too
    /// (measured: 240 MiB), and a comparison hung or trapped in the Swift runtime up to 450 MiB. From
    /// 470 MiB on, every command ran or its own memory check said what it needs.
    static let minimumAddressSpace = 512 << 20

    /// Under an address-space limit: one malloc arena, and below `minimumAddressSpace` a refusal.
    static func adaptToAddressSpaceLimit() {
        guard let limit = addressSpaceLimitBytes() else { return }
        useOneMallocArena()
        guard limit < minimumAddressSpace else { return }
        writeStandardError("hpmc: error: the address-space limit (ulimit -v) is \(limit >> 20) MiB; hpmc needs at least "
                           + "\(minimumAddressSpace >> 20) MiB (OpenBLAS reserves 128 MiB for each thread that calls it): raise it, e.g. ulimit -v \(minimumAddressSpace >> 10)\n")
        // Not exit(): one of OpenBLAS's exit handlers waits for its pool's thread, which may be retrying for ever.
        _exit(2)
    }

    /// One malloc arena for all threads: glibc reserves 64 MiB of address space for each further one,
    /// as threads first allocate, so what a memory check saw left depended on timing (in steps of
    /// 67 MB). `mallopt` is glibc's, in no module Swift imports; M_ARENA_MAX is -8.
    static func useOneMallocArena() {
        guard let mallopt = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
        typealias MallocOption = @convention(c) (Int32, Int32) -> Int32
        _ = unsafeBitCast(mallopt, to: MallocOption.self)(-8, 1)
    }

    /// ArgumentParser's refusal of a whole-number option's value ("The value '1e5' is invalid for
    /// '--samples <samples>'") in hpmc's form, saying what is allowed; nil for any other message.
    /// Decimal options and `--shard` read their values themselves (`decimalOption`, `ShardSpec.parse`:
    /// their refusals end in the reason), and a choice's refusal lists the choices, so a bare refusal
    /// is of a whole number.
    static func wholeNumberRefusal(_ message: String) -> String? {
        let prefix = "The value '", middle = "' is invalid for '"
        guard message.hasPrefix(prefix), message.hasSuffix(">'"), let split = message.range(of: middle, options: .backwards) else { return nil }
        let value = message[message.index(message.startIndex, offsetBy: prefix.count)..<split.lowerBound]
        guard let option = message[split.upperBound...].split(separator: " ").first, option.hasPrefix("--") else { return nil }
        let digits = value.hasPrefix("-") || value.hasPrefix("+") ? value.dropFirst() : value[...]
        if !digits.isEmpty && digits.allSatisfy({ ("0"..."9").contains($0) }) {
            // A whole number beyond the option's type: 64 bits, and for the seed none below 0.
            return "\(option): \(value) is out of range" + (option == "--seed" && value.hasPrefix("-") ? "; a seed is 0 or more" : "")
        }
        return "\(option): '\(value)' is not a whole number; write it in digits, such as 100000 (no exponent, point or separators)"
    }

    /// `hpmc help NAME` of a command hpmc does not have is an error: ArgumentParser prints the general
    /// help and exits 0, as if the command existed.
    static func checkHelpTopic() throws {
        let arguments = CommandLine.arguments.dropFirst()
        let commands = configuration.subcommands.map { $0._commandName } + ["help"]
        guard arguments.first == "help", let topic = arguments.dropFirst().first, !topic.hasPrefix("-"), !commands.contains(topic) else { return }
        throw SettingsError(option: "help", message: "'\(topic)' is not a command of hpmc; commands: \(commands.dropLast().joined(separator: ", "))")
    }

    /// What a command prints is part of its result: a write that failed (a full disk) is no success.
    static func exitIfStandardOutputFailed() {
        guard standardOutputFailed() else { return }
        printError("error: cannot write the standard output (\(String(cString: strerror(errno))))")
        Foundation.exit(2)
    }

    /// Where the options of the command on the command line (or hpmc's commands) are explained.
    static func usageHint() -> String {
        let commands = configuration.subcommands.map { $0._commandName }
        let command = CommandLine.arguments.dropFirst().first.flatMap { commands.contains($0) ? " \($0)" : nil } ?? ""
        return "See 'hpmc help\(command)' for the options."
    }
}

/// An option whose value cannot be used: the message names the option and what it allows.
struct SettingsError: Error, CustomStringConvertible, Equatable {
    var option: String
    var message: String
    var description: String { "\(option): \(message)" }
}

extension StudyError.Subject {
    /// The option that sets it (a command that names it otherwise says so where it calls the engine).
    var option: String {
        switch self {
        case .sampleCount: "--samples"
        case .threads: "--threads"
        case .percentiles: "--percentiles"
        case .sampler: "--sampler"
        case .focusMetrics: "--metrics"
        case .focusMarkets: "--markets"
        case .focusYears: "--years"
        case .target: "--target"
        case .condition: "--where"
        case .sweepAxis, .sweepName: "--grid"
        case .analysedMarket: "--market"
        case .analysedYears: "--years"
        case .comparedScenarios: "compare"
        }
    }
}

/// `error` as the command line reports it: a study's error names the option that sets its subject.
func namingOption(_ error: Error) -> Error {
    guard let error = error as? StudyError else { return error }
    return SettingsError(option: error.subject.option, message: error.message)
}

/// Prints an input problem to stderr, on one line, and exits with status 2. A line break or control
/// character within it (a value or path quoted from the input) is shown escaped (`FileOutput.visible`).
func inputFailure(_ error: Error) -> ExitCode {
    writeStandardError("hpmc: error: \(FileOutput.visible("\(namingOption(error))"))\n")
    return ExitCode(2)
}

/// Runs `body`, turning every error it throws but an `ExitCode` (which keeps its status) into exit
/// status 2 with the error's message: only input errors may escape `body`.
func reportingInputErrors<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let exit as ExitCode {
        throw exit
    } catch {
        throw inputFailure(error)
    }
}

/// Runs a command's option checks (its `validate()`): a refusal is an input error like those found
/// later, one `hpmc: error:` line and exit status 2.
func validatingOptions(_ body: () throws -> Void) throws {
    try reportingInputErrors(body)
}

/// One line of a warning or note; what it quotes from the input is shown escaped (`FileOutput.visible`).
func printError(_ message: String) {
    writeStandardError("hpmc: \(FileOutput.visible(message))\n")
}
