# hpmc: `make run` runs the main job on the shipped scenarios, `make test` runs the tests.
# Both install the two Debian packages hpmc links against when they are missing.

SWIFT      ?= swift
CONFIG     ?= release
BIN         = .build/$(CONFIG)/hpmc
OUT        ?= out
SCENARIOS   = cns ngs
APT_PACKAGES = libopenblas-dev liblapacke-dev

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

build: deps
	$(SWIFT) build -c $(CONFIG) --product hpmc

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

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

clean:
	rm -rf .build $(OUT)

# End to end on a one-node Slurm cluster started here (root; installs slurm-wlm and munge).
test-slurm: deps
	hpc/test-slurm.sh
