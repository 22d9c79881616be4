#!/usr/bin/env bash
# Fuzzes for longer than `swift test` does, FUZZ_SECONDS per fuzzer (default 60):
#   1. libFuzzer (with AddressSanitizer) on the CSV reader: from memory and through a pipe read in chunks of
#      1-16 bytes, which must agree; crash inputs land in .build/fuzz/crashes/, printed as Swift byte arrays
#      to add to FuzzCSVReader.regressions (Tests/CSVStreamTests/FuzzCSVReaderTests.swift);
#   2. the CSV reader's property tests (swift-property-based), repeated for FUZZ_SECONDS;
#   3. random command lines through the binary, 20 per second of FUZZ_SECONDS (ReliabilityFuzzCLI).
#   FUZZ_SECONDS=600 bash Scripts/fuzz.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
seconds="${FUZZ_SECONDS:-60}"
work=.build/fuzz
mkdir -p "$work/corpus" "$work/crashes"

cat > "$work/harness.swift" <<'EOF'
import Glibc

/// Every record and error, in order, as text: two reads of the same bytes must give the same.
func events(_ reader: CSVReader, limit: Int) -> [String] {
    var events: [String] = []
    while events.count <= limit {
        do {
            guard let record = try reader.next() else { break }
            events.append("\(record.line) \(record.strings)")
        } catch {
            events.append("\(error)")
            if case .unterminatedQuote = error.reason { break }
        }
    }
    precondition(events.count <= limit, "the reader did not stop")
    return events
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0, size < 60_000 else { return 0 }
    let chunk = Int(data[0] % 16) + 1
    let bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    let whole = (try? CSVReader(bytes: bytes)).map { events($0, limit: bytes.count + 2) } ?? ["no header"]
    var ends: [Int32] = [0, 0]
    guard pipe(&ends) == 0 else { return 0 }
    bytes.withUnsafeBytes { if let base = $0.baseAddress { _ = write(ends[1], base, $0.count) } }
    close(ends[1])
    let piped = (try? CSVReader(fileDescriptor: ends[0], chunkSize: chunk)).map { events($0, limit: bytes.count + 2) } ?? ["no header"]
    close(ends[0])
    precondition(whole == piped, "memory and pipe (chunks of \(chunk)) disagree: \(whole) vs \(piped)")
    return 0
}
EOF

echo "== libFuzzer on CSVReader for $seconds s" >&2
swiftc -sanitize=fuzzer,address -parse-as-library -module-name CSVFuzz -O \
    Sources/CSVStream/*.swift "$work/harness.swift" -o "$work/csv-fuzzer" 2> "$work/build.log" \
    || { cat "$work/build.log" >&2; exit 1; }
status=0
"$work/csv-fuzzer" -max_total_time="$seconds" -max_len=2048 -timeout=10 -print_final_stats=1 \
    -artifact_prefix="$work/crashes/" "$work/corpus" 2> "$work/libfuzzer.log" || status=$?
grep -E "^(Done|stat::number_of_executed_units)|ERROR|SUMMARY" "$work/libfuzzer.log" >&2 || true
for crash in "$work"/crashes/*; do
    [ -e "$crash" ] || continue
    echo "crash input $crash; as a regression (the first byte picks the chunk size):" >&2
    python3 -c 'import sys; print("[" + ", ".join("0x%02X" % b for b in open(sys.argv[1], "rb").read()[1:]) + "],")' "$crash" >&2
done

echo "== property tests of CSVReader for $seconds s each" >&2
FUZZ_SECONDS="$seconds" swift test --filter FuzzCSVReader || status=1

echo "== $((seconds * 20)) random command lines" >&2
FUZZ_CLI_RUNS="$((seconds * 20))" swift test --filter ReliabilityFuzzCLI || status=1
exit "$status"
