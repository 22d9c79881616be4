# Sourced by the benchmarks (run.sh, sirene.sh) from the repository's root: the work folder, the reference
# tools (the sqlite3 shell, GNU time for peak memory) installed when missing, the machine described, and the
# release binary built as Scripts/frenchtech builds it (static executable).
WORK=Benchmarks/work
BIN=.build/release/frenchtech
MEASURE="python3 Benchmarks/measure.py"
mkdir -p "$WORK"

missing=()
command -v sqlite3 >/dev/null || missing+=(sqlite3)
[ -x /usr/bin/time ] || missing+=(time)
if [ ${#missing[@]} -gt 0 ]; then
    SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
    $SUDO apt-get update -qq && $SUDO apt-get install -y -qq "${missing[@]}"
fi

echo "== machine"
echo "cores: $(nproc)"
lscpu | grep -E "^(Model name|Architecture|CPU\(s\)|Thread|Core|Socket)" | sed 's/  */ /g'
free -h | head -2
echo "sqlite3 shell $(sqlite3 --version | cut -d' ' -f1); $(swift --version 2>/dev/null | head -1)"

echo "== build (release, static executable: the binary Scripts/frenchtech builds)"
swift build -c release --static-swift-stdlib -Xswiftc -static-executable --product frenchtech 2>&1 | tail -1
