import Foundation
import Testing
@testable import Persistence

/// The connection under pressure: a lock held past one busy timeout, a backup of a file set up unlike the
/// defaults, a journal left alone until asked.
@Suite struct ReliabilityPersistence {
    let temp = TempDatabase()

    @Test func backupKeepsPageSizeJournalModeAndRows() throws {
        let db = try Database(path: temp.path, walJournal: false)
        try db.executeScript("PRAGMA page_size = 8192; CREATE TABLE t (v INTEGER);")
        try db.useWALJournal()
        try db.executeScript("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000) INSERT INTO t SELECT i FROM n;")
        let copy = temp.folder + "/copy.sqlite"
        defer { for suffix in ["", "-wal", "-shm", "-journal"] { unlink(copy + suffix) } }
        try db.backup(to: copy)
        #expect(access(copy + "-journal", F_OK) != 0, "the copy's journal is gone once it is complete")
        let restored = try Database(path: copy, mode: .readOnly)
        #expect(try restored.scalar("PRAGMA page_size") == .integer(8192))
        #expect(try restored.scalar("PRAGMA journal_mode") == .text("wal"))
        #expect(try restored.scalar("SELECT sum(v) FROM t") == .integer(5000 * 5001 / 2))
    }

    @Test func backupReplacesAnExistingFileWhole() throws {
        let db = try Database(path: temp.path)
        try db.executeScript("CREATE TABLE t (v INTEGER); INSERT INTO t VALUES (1), (2);")
        let copy = temp.folder + "/copy.sqlite"
        defer { for suffix in ["", "-wal", "-shm", "-journal"] { unlink(copy + suffix) } }
        do {
            let other = try Database(path: copy)
            try other.executeScript("CREATE TABLE other (x TEXT); INSERT INTO other VALUES ('old');")
        }
        try db.backup(to: copy)
        let restored = try Database(path: copy, mode: .readOnly)
        #expect(try restored.rows("SELECT name FROM sqlite_schema ORDER BY name").map { $0[0] } == [.text("t")])
    }

    @Test func journalIsLeftAloneUntilAsked() throws {
        let db = try Database(path: temp.path, walJournal: false)
        try db.executeScript("CREATE TABLE t (v INTEGER)")
        #expect(try db.scalar("PRAGMA journal_mode") == .text("delete"))
        try db.useWALJournal()
        #expect(try db.scalar("PRAGMA journal_mode") == .text("wal"))
    }

    /// Another connection holds the write lock for 6 s, longer than one busy timeout (5 s): BEGIN IMMEDIATE is
    /// tried again and the transaction commits once the lock is free.
    @Test func transactionWaitsOutALockLongerThanOneBusyTimeout() throws {
        let db = try Database(path: temp.path)
        try db.executeScript("CREATE TABLE t (v INTEGER)")
        let holder = try Database(path: temp.path)
        try holder.executeScript("BEGIN IMMEDIATE; INSERT INTO t VALUES (1);")
        nonisolated(unsafe) let held = holder
        let release = Thread {
            sleep(6)
            try? held.executeScript("COMMIT")
        }
        release.start()
        let started = Date()
        try db.transaction { try db.execute("INSERT INTO t VALUES (2)") }
        let waited = Date().timeIntervalSince(started)
        while !release.isFinished { usleep(1_000) }
        #expect(waited > Double(Database.busyTimeoutMilliseconds) / 1000, "the lock was free sooner than a busy timeout: nothing tested")
        #expect(try db.rows("SELECT v FROM t ORDER BY v").map { $0[0] } == [.integer(1), .integer(2)])
    }
}
