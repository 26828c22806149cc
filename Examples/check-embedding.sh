#!/usr/bin/env bash
# Builds the README's library example (Examples/Embedding) the way an embedder would: against this
# repository's committed HEAD, copied into a temporary git repository tagged with its version (the
# hpmcVersion of Sources/UncertaintyStudy/Version.swift) and required
# `from: "0.9.0"` (the first release with this API) through a file:// URL (SwiftPM refuses such a
# version-pinned dependency if its manifest has unsafe flags). Then runs it on Scenarios/cns.yaml
# and checks that it prints the p50 that `hpmc run` with the same seed and samples writes to
# bands.csv for the 2060 total reduction.
#
# Usage: Examples/check-embedding.sh [HPMC]
#   HPMC: the hpmc binary to compare with (default .build/debug/hpmc). SWIFT_BUILD_FLAGS: extra
#   `swift build` options for the example (the Makefile passes its CPU choice).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
example=$root/Examples/Embedding
hpmc=${1:-$root/.build/debug/hpmc}
fail() { echo "check-embedding: $*" >&2; exit 1; }
[[ -x $hpmc ]] || fail "no hpmc binary at $hpmc"
version=$(sed -n 's/^public let hpmcVersion = "\(.*\)"$/\1/p' "$root/Sources/UncertaintyStudy/Version.swift")
[[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || fail "no version x.y.z in Sources/UncertaintyStudy/Version.swift (found '$version')"

# The README shows the example's main.swift and its dependency lines: they must be the files'.
# main.swift is the section's last ```swift block (the first shows the Package.swift lines).
readme_block=$(awk '/^## Using hpmc as a library/ { section = 1; next }
                    /^## / { section = 0 }
                    section && /^```swift$/ { inside = 1; block = ""; next }
                    inside && /^```$/ { inside = 0 }
                    inside { block = block $0 "\n" }
                    END { printf "%s", block }' "$root/README.md")
[[ $readme_block == "$(cat "$example/Sources/Embedding/main.swift")" ]] \
    || fail "README's last \`\`\`swift block under 'Using hpmc as a library' differs from $example/Sources/Embedding/main.swift"
for line in '.package(url: "https://github.com/your-org/hpmc.git", from: "0.9.0"),' '.product(name: "HPMCEngine", package: "hpmc"),'; do
    grep -qF -- "$line" "$root/README.md" || fail "README does not show: $line"
    grep -qF -- "$line" "$example/Package.swift" || fail "$example/Package.swift does not hold: $line"
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The package as a tagged release: the committed tree only, as a clone would see it.
mkdir "$work/hpmc"
git -C "$root" archive HEAD | tar -x -C "$work/hpmc"
git -C "$work/hpmc" init -q
git -C "$work/hpmc" add -A
git -C "$work/hpmc" -c user.name=check-embedding -c user.email=check-embedding@localhost commit -q -m "hpmc at $(git -C "$root" rev-parse --short HEAD)"
git -C "$work/hpmc" tag "$version"

cp -R "$example" "$work/Embedding"
sed -i "s|https://github.com/your-org/hpmc.git|file://$work/hpmc|" "$work/Embedding/Package.swift"
read -r -a flags <<< "${SWIFT_BUILD_FLAGS:-}"
start=$SECONDS
swift build --package-path "$work/Embedding" --scratch-path "$work/build" --cache-path "$work/cache" \
    -c release "${flags[@]}" >"$work/build.log" 2>&1 || { tail -n 30 "$work/build.log" >&2; fail "the example did not build"; }
echo "check-embedding: built the example against hpmc $version (file://, tag) in $((SECONDS - start)) s"

median=$("$work/build/release/Embedding" "$root/Scenarios/cns.yaml")
# CNS's median lies near the roadmap's 4.34 (1e8 tCO2/yr): anything far off is not that figure.
awk -v m="$median" 'BEGIN { exit !(m ~ /^[0-9.e+-]+$/ && m + 0 > 3 && m + 0 < 6) }' \
    || fail "the example printed '$median', not a median between 3 and 6"
"$hpmc" run "$root/Scenarios/cns.yaml" --samples 10000 --seed 1 --out "$work/run" --quiet >/dev/null
expected=$(awk -F, '$2 == "total" && $3 == "all" && $4 == "reduction" && $5 == 2060 && $6 == "p50" { print $7 }' "$work/run/bands.csv")
[[ -n $expected ]] || fail "bands.csv of hpmc run has no 2060 total reduction p50"
[[ $median == "$expected" ]] || fail "the example printed '$median'; hpmc run's bands.csv has $expected"
echo "check-embedding: the example's 2060 total reduction median $median equals hpmc run's bands.csv p50"
