import Foundation
import Testing
import Workbook

/// Runs a python3 script and returns its stdout; a failing script fails the test.
func python(_ script: String, _ arguments: [String] = [], sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", script] + arguments
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    nonisolated(unsafe) var errData = Data()
    let errReader = Thread { errData = err.fileHandleForReading.readDataToEndOfFile() }
    errReader.start()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    while !errReader.isFinished { usleep(1000) }
    #expect(process.terminationStatus == 0, "python failed: \(String(decoding: errData, as: UTF8.self))", sourceLocation: sourceLocation)
    return String(decoding: data, as: UTF8.self)
}

let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Fixtures/workbooks")

func fixture(_ name: String) -> URL { fixtures.appendingPathComponent(name) }

/// A fresh folder for one test's files.
func temporaryFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("workbook-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// One sheet as openpyxl reads it: the reference the reader is compared with.
struct ReferenceSheet: Equatable {
    let name: String
    let rows: [WorkbookRow]
}

/// Reads a workbook with openpyxl (cached values of formulas), in the reader's terms: rows of only empty cells
/// left out, trailing empty cells dropped.
func openpyxlSheets(_ url: URL) throws -> [ReferenceSheet] {
    let json = try python("""
        import json, sys, datetime, openpyxl
        wb = openpyxl.load_workbook(sys.argv[1], data_only=True)
        out = []
        for ws in wb.worksheets:
            rows = []
            for row in ws.iter_rows(min_row=1, min_col=1):
                cells = []
                for c in row:
                    v = c.value
                    if v is None: cells.append(None)
                    elif c.data_type == 'e': cells.append(["e", str(v)])
                    elif isinstance(v, bool): cells.append(["b", v])
                    elif isinstance(v, (datetime.datetime, datetime.date)): cells.append(["d", [v.year, v.month, v.day]])
                    elif isinstance(v, (int, float)): cells.append(["n", v])
                    else: cells.append(["t", str(v)])
                while cells and cells[-1] is None: cells.pop()
                if cells: rows.append([row[0].row, cells])
            out.append({"name": ws.title, "rows": rows})
        print(json.dumps(out))
        """, [url.path])
    let sheets = try #require(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
    return try sheets.map { sheet in
        let rows = try #require(sheet["rows"] as? [[Any]])
        return ReferenceSheet(name: try #require(sheet["name"] as? String), rows: try rows.map { row in
            let number = try #require(row[0] as? Int)
            let cells = try #require(row[1] as? [Any])
            return WorkbookRow(number: number, cells: try cells.map { item in
                guard let pair = item as? [Any] else { return .empty }
                let kind = try #require(pair[0] as? String)
                switch kind {
                case "t": return .text(try #require(pair[1] as? String))
                case "e": return .error(try #require(pair[1] as? String))
                case "b": return .bool(try #require(pair[1] as? Bool))
                case "n": return .number(try #require((pair[1] as? NSNumber)?.doubleValue))
                default:
                    let ymd = try #require(pair[1] as? [Int])
                    return .date(year: ymd[0], month: ymd[1], day: ymd[2])
                }
            })
        })
    }
}
