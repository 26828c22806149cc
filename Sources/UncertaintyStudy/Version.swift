/// The version recorded in every output's manifest and printed by `hpmc --version`; shards and
/// checkpoints of different versions never mix. 0.2: own vectorized exp (last-bit changes in every
/// result) and format 2 state files (XXH64 checksums). 0.3: moments fold once per chunk (last-bit
/// changes in means and standard deviations). 0.4: fused multiply-adds in the kernel, the exponential
/// and the square sums (last-bit changes in every result). 0.5: a market's value with a fixed price
/// has its sales' bands times the price (its percentiles move within the 0.1 % resolution). 0.6:
/// values outside the pilot's range are kept at full resolution (spilled bins) and wide moments
/// (state format 3); a sample with a non-finite output leaves every band; fitted curves vary around
/// their observed base year (no t0 input); targets, focus and the spills in the state files (format 4).
/// 0.7: the engine usable as a version-pinned library (no compiler flags in Package.swift); `discover`
/// chooses the densest of the boxes of equal coverage; `compare` writes its targets (targets.json).
/// Every result (bands, moments, counts, indices) keeps 0.6's bits. 0.8: an observed base year is the
/// observed figure in every sample and a constant series has sd 0 (last-bit changes in stock and what
/// follows from it, and in means and standard deviations); Sobol' intervals by the delta method by
/// default (`--intervals bootstrap` keeps 0.7's); one decimal grammar and one error format.
/// 0.9: `compare` lays out its difference and ratio histograms from chunk 0's pairs (the same
/// percentiles; last-bit changes in their means and standard deviations) and leaves out a pair whose
/// difference overflows; `sweep` tracks its report year only (the same sweep.csv, but for a sample
/// non-finite only in another year, which now stays in the bands) and makes its grid in decimal
/// (0.85:1.15:5 pins 0.925, not 0.9249999999999999); OpenBLAS's thread pool is stopped at start-up.
/// Every run, shard and sensitivity result keeps 0.8's bits. 0.10: the serial parts of a run and a
/// comparison done side by side (rounds bounded by time, workers made and let go in parallel, each
/// series' band computed once, the output files made together), so `runChunks` takes a `@Sendable`
/// `makeWorker`; every result keeps 0.9's bits. 0.10.1: study.hpmc and shard files encoded on the
/// run's threads, the output files' writes to disk waited for together at the commit, help and
/// `--version` that cannot be printed exit 2, an unwritable stderr no crash, the lock file never
/// through a symbolic link; every result keeps 0.10's bits. 0.10.2: the Swift runtime and
/// Foundation linked into `make build`'s binary (a shorter start-up; it runs without a Swift
/// toolchain); one valid range per quantity for the file, the draws and a sweep's grid, and no
/// sweep pin on an observed figure; `project` exits 1 on a non-finite central value; a reference
/// target the model lacks, an all-zero `fit`, sales anchors no curve passes through are errors;
/// `report` inlines only the SVG hpmc writes and checks targets.json, sweep.csv and
/// sensitivity.json against what the commands write; journals name only their set's files;
/// SIGPIPE is a failed write; `ulimit -v` is a memory limit; `compare` refuses a target on a segment
/// A and B share out differently; CSV files may start with a byte-order mark and name no column
/// twice; every result keeps 0.10's bits. 0.10.3: staged slots and the kernel's outputs on
/// transparent huge pages, slots stored past the caches and each series' bins prefetched while the
/// series before is counted; an address-space limit below 512 MiB refused at start-up (OpenBLAS
/// hung below it); scenarios composed without Yams's tag resolution; every result keeps 0.10's bits.
/// 0.11.0: spilled counts kept as packed sorted runs (about 2 bytes a key, not 40 to 64 in hash
/// tables), and a run or comparison whose spilled counts outgrow the memory left for them stops with
/// an error naming a series instead of growing until the system refuses memory (a trap); names
/// checked without a regular expression; `run()` throws `RunMemoryError` (a library caller that
/// caught `BinAllocationError` finds it in `.refused`). 0.11.1:
/// `run --resume` completes a commit a crash cut short and exits 0 (a requeued shard killed inside
/// it failed); a resumed state's spilled counts come out of the workers' shares; a state file is
/// read straight into memory after a size check, its spilled keys kept as their bytes (varints only
/// in their shortest form), and one too large to encode is refused; `discover --from` streams its
/// samples.csv and refuses one too large for memory; every result keeps 0.10's bits. 0.11.2:
/// summary.json records the run's `percentiles` and `units`, and `run --resume` of a finished run
/// refuses outputs its files lack; a new run over a half-moved set completes the move and its
/// refusal says so; control characters quoted in errors and warnings are escaped; a target's
/// canonical text writes a whole threshold as given (`>= 3`, was `>= 3.0`: in manifests,
/// targets.json, charts and messages); `calibrate` writes each fitted value at the line and column
/// where it was read and reads the file back (it left the old values in files with CRLF or CR line
/// ends, a quoted key or a tag, and wrote into a source text quoting "value:", while saying it
/// wrote them); Levenberg–Marquardt steps and covariances are solved in column-scaled form (a fit
/// of y at 1e-18 or 1e15 stopped away from its minimum saying it had converged; the last bits of
/// `fit`'s covariances move; standard errors are made without squaring them, so tiny ones are given
/// and a covariance that would underflow is left out), and `fit` refuses y whose squares (or, with
/// relative residuals, whose inverses) leave double precision and a Richards start below ν's bound,
/// and names a bad weight or y at its row; `discover`, `sensitivity` and `project` refuse an --out
/// that needs --force before their work, and a one-file --out is named as given; `discover --from`
/// names its input columns as a scenario does, and a second `--where` is refused; a scenario's
/// stray non-UTF-8 byte is named at its line, a reference file that is a directory at the
/// scenario's key, calibrate's problems with calibration_metric at its line; discovery.json records
/// the greatest density, and `report` checks its figures and shows its sentence only as discover
/// words it for them; a sweep axis with LO = HI and a report directory named twice are refused. The
/// shipped scenarios' runs, shards, comparisons, sweeps and sensitivity results keep 0.10's bits
/// (other scenarios' fitted sales curves go through the rescaled steps and may move in the last
/// bits).
public let hpmcVersion = "0.11.2"
