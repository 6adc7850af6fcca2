#!/usr/bin/env bash
# Regenerates the screen capture in README.md from the real TUI on fixtures/ (through a
# pseudo-terminal), between the markers <!-- screen:begin --> and <!-- screen:end -->.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --release --test integration readme_screen -- --ignored --quiet > /dev/null
python3 - <<'PY'
import re
screen = open("target/readme-screen.txt").read().rstrip("\n")
readme = open("README.md").read()
block = "<!-- screen:begin -->\n```text\n" + screen + "\n```\n<!-- screen:end -->"
readme = re.sub(r"<!-- screen:begin -->.*?<!-- screen:end -->", lambda m: block, readme, flags=re.S)
open("README.md", "w").write(readme)
PY
echo "README.md screen capture updated"
