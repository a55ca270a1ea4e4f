#!/usr/bin/env bash
# Checks, tests and builds the schakel disclosure policies into a wasm bundle.
#
# Usage: policies/build.sh [OUT]      (default OUT: policies/bundle/bundle.tgz)
# Environment: OPA (path of the opa binary; default: opa on PATH, else ~/go/bin/opa)
#
# Steps: opa fmt --list (must print nothing), opa check --strict with the input
# schema, opa test with coverage >= 95%, the scenario table generator in --check
# mode, opa build -t wasm with a content-hash revision, and the scenario table
# run through the built wasm with node. Prints the revision on the last line.
#
# NOTE: the bundle is written as .tgz on purpose: `opa test policies` loads every
# *.tar.gz below policies/ as a bundle, which would load the policies twice.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
out="${1:-$here/bundle/bundle.tgz}"
case "$out" in /*) ;; *) out="$PWD/$out" ;; esac
threshold=95

if [[ -z "${OPA:-}" ]]; then
	if command -v opa >/dev/null 2>&1; then OPA="$(command -v opa)"; else OPA="$HOME/go/bin/opa"; fi
fi
[[ -x "$OPA" ]] || { echo "build.sh: opa not found (set OPA=/path/to/opa)" >&2; exit 2; }

cd "$here"

# Everything under policies/ that is not part of the bundle.
ignore=(--ignore '*_test.rego' --ignore scenarios.json --ignore schema --ignore bundle --ignore tools)

echo "== opa fmt --list"
unformatted="$("$OPA" fmt --list .)"
if [[ -n "$unformatted" ]]; then
	echo "not formatted (run: opa fmt -w policies):" >&2
	echo "$unformatted" >&2
	exit 1
fi

echo "== opa check --strict --schema schema"
"$OPA" check --strict --schema schema .

if command -v node >/dev/null 2>&1; then
	echo "== scenario table is up to date"
	node tools/scenarios.js --check
fi

echo "== opa test --coverage (threshold ${threshold}%)"
report="$(mktemp)"
trap 'rm -f "$report"' EXIT
if ! "$OPA" test --coverage --format json --threshold "$threshold" . >"$report"; then
	"$OPA" test . >&2 || true
	echo "tests failed or coverage below ${threshold}%" >&2
	exit 1
fi
coverage="$(sed -n 's/^  "coverage": \([0-9.]*\).*/\1/p' "$report" | tail -n 1)"
tests="$("$OPA" test . | sed -n 's/^PASS: //p')"
echo "tests: ${tests}, coverage: ${coverage}%"

# The revision is a hash of exactly what goes into the bundle: the non-test Rego
# sources and the catalogue, by relative path and content.
revision="$(
	{ find . -name '*.rego' ! -name '*_test.rego' -not -path './bundle/*' -not -path './tools/*'; echo ./catalogue/data.json; } |
		LC_ALL=C sort | xargs sha256sum | sha256sum | cut -d' ' -f1
)"

echo "== opa build -t wasm -e schakel/decision/result"
mkdir -p "$(dirname "$out")"
"$OPA" build -t wasm -e schakel/decision/result --revision "$revision" "${ignore[@]}" -o "$out" .

if command -v node >/dev/null 2>&1 && [[ -d "$repo/node_modules/@open-policy-agent/opa-wasm" ]]; then
	echo "== scenario table through the wasm bundle"
	node tools/wasm-scenarios.js "$out"
else
	echo "skipped the wasm scenario run: node or @open-policy-agent/opa-wasm is missing" >&2
fi

echo "bundle: $out"
echo "revision: $revision"
