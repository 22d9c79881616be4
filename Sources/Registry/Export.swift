import CSVStream
import Persistence

extension RegistryStore {
    /// Writes the startups a filter selects as CSV, header first, in the columns `import` reads
    /// (`StartupColumn`), so that importing the file into an empty registry gives the same startups and
    /// enrolments. Rows go from SQLite's buffers to the writer without becoming `Startup` values.
    /// Returns the number of startups written.
    @discardableResult
    public func exportStartupsCSV(_ filter: StartupFilter, to writer: inout CSVWriter) throws -> Int {
        try writer.writeRecord(StartupColumn.allCases.map(\.rawValue))
        let query = try startupQuery(filter)
        let statement = try db.prepare(query.sql)
        try statement.bind(query.values)
        // Positions in `startupSelect` of each CSV column, in `StartupColumn` order.
        let fields = [1, 4, 2, 3, 5, 6, 7, 8, 9]
        let programmes = 11
        var list: [UInt8] = []
        var count = 0
        while try statement.step() {
            for field in fields {
                statement.withColumnBytes(at: field) { writer.append(bytes: $0) }  // NULL gives no bytes: an empty cell
            }
            // The query joins programme names with U+001F; a CSV cell joins them with `|`.
            statement.withColumnBytes(at: programmes) { names in
                list.removeAll(keepingCapacity: true)
                list.append(contentsOf: names.lazy.map { $0 == 0x1F ? UInt8(ascii: "|") : $0 })
            }
            list.withUnsafeBytes { writer.append(bytes: $0) }
            try writer.endRecord()
            count += 1
        }
        try statement.reset()
        try writer.finish()
        return count
    }
}
