# hpmc: `make run` runs the main job on the shipped scenarios, `make test` runs the tests.
# Both install the two Debian packages hpmc links against when they are missing.

SWIFT      ?= swift
CONFIG     ?= release
BIN         = .build/$(CONFIG)/hpmc
OUT        ?= out
SCENARIOS   = cns ngs
APT_PACKAGES = libopenblas-dev liblapacke-dev

# Vector instructions of AVX2 and FMA when the building machine has them (x86-64 Linux): twice the
# lanes per instruction in the kernel and the statistics, and the code's fused multiply-adds in one
# instruction. They are the same IEEE operations as a portable build's (which calls libm's exact
# `fma`), so results keep every bit; HPMC_PORTABLE=1 builds for any x86-64 instead. Chosen here, not
# in Package.swift: SwiftPM refuses a version-pinned dependency whose manifest has unsafe flags.
NATIVE_CPU := $(shell [ -z "$(HPMC_PORTABLE)" ] && [ "$$(uname -sm)" = "Linux x86_64" ] \
                && grep -qw avx2 /proc/cpuinfo && grep -qw fma /proc/cpuinfo && grep -qw bmi2 /proc/cpuinfo && echo yes)
CPU_FLAGS   = $(if $(NATIVE_CPU),-Xswiftc -target-cpu -Xswiftc haswell)

.PHONY: all deps build run test bench clean test-slurm

all: build

# LAPACKE and OpenBLAS from Debian; apt-get needs root (or sudo).
deps:
	@if dpkg -s $(APT_PACKAGES) >/dev/null 2>&1; then :; else \
	  echo "installing $(APT_PACKAGES) ..."; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; elif command -v sudo >/dev/null 2>&1; then SUDO=sudo; else \
	    echo "error: $(APT_PACKAGES) are missing and this user cannot run apt-get (not root, no sudo)." >&2; \
	    echo "       Ask an administrator to run: apt-get install $(APT_PACKAGES)" >&2; exit 1; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(APT_PACKAGES) \
	    || { echo "error: apt-get could not install $(APT_PACKAGES)." >&2; exit 1; }; \
	fi

# The Swift runtime and Foundation linked into the binary: the loader then resolves some thousands
# fewer symbols, so every process starts about 7 ms sooner (serial time in a 1M run of 0.5 s), and
# the binary runs on compute nodes without a Swift toolchain (it needs libc, libstdc++, OpenBLAS and
# LAPACKE). The tests keep the shared runtime: the binary they run is built with them.
build: deps
	$(SWIFT) build -c $(CONFIG) --product hpmc --static-swift-stdlib $(CPU_FLAGS)

# The main job: validation against the roadmap, the central projection, then 1,000,000 Monte Carlo
# samples per scenario, each printing its 2060 headline and the chance of reaching the roadmap's
# 2060 total reduction (TARGET_cns, TARGET_ngs).
SAMPLES ?= 1000000
TARGET_cns = reduction total 2060 >= 4.34
TARGET_ngs = reduction total 2060 >= 0.78

run: build
	@mkdir -p $(OUT)
	@for s in $(SCENARIOS); do \
	  $(BIN) validate Scenarios/$$s.yaml || exit $$?; echo; \
	  $(BIN) project Scenarios/$$s.yaml --out $(OUT)/$$s --force || exit $$?; echo; \
	  t="$(TARGET_cns)"; [ $$s = ngs ] && t="$(TARGET_ngs)"; \
	  $(BIN) run Scenarios/$$s.yaml --samples $(SAMPLES) --target "$$t" --out $(OUT)/$$s --force || exit $$?; echo; \
	  $(BIN) compare $(OUT)/$$s --reference Scenarios/roadmap_reference.csv --metric reduction || exit $$?; echo; \
	done
	$(BIN) compare Scenarios/ngs.yaml Scenarios/cns.yaml --samples $(SAMPLES) --target "reduction total 2060 >= 3" --out $(OUT)/compare --force
	@echo
	$(BIN) discover Scenarios/cns.yaml --where "reduction total 2060 < 4.34" --out $(OUT)/cns-discover --force
	@echo
	$(BIN) sensitivity Scenarios/cns.yaml --method sobol --years all --out $(OUT)/cns-sensitivity --force --quiet
	@echo
	$(BIN) report $(OUT)/cns $(OUT)/ngs $(OUT)/compare $(OUT)/cns-discover $(OUT)/cns-sensitivity --out $(OUT)/report.html --force

# Tests built optimized: their Monte Carlo runs' SIMD code runs some hundred times slower
# unoptimized. Then the README's library example, built portable against a tagged copy of the
# committed tree: its figure equals the native hpmc's, so the check also holds the two builds' bits equal.
test: deps
	$(SWIFT) build --build-tests $(CPU_FLAGS) -Xswiftc -O
	$(SWIFT) test --skip-build
	Examples/check-embedding.sh .build/debug/hpmc

# The benchmarks (Benchmarks/, a package of its own), built for the CPU as `make build` builds hpmc;
# BENCH_ARGS passes options, e.g. BENCH_ARGS="--filter kernel".
bench: deps
	cd Benchmarks && $(SWIFT) package $(CPU_FLAGS) benchmark $(BENCH_ARGS)

clean:
	rm -rf .build $(OUT)

# End to end on a one-node Slurm cluster started here (root; installs slurm-wlm and munge).
test-slurm: deps
	hpc/test-slurm.sh
