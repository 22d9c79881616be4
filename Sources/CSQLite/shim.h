#include <sqlite3.h>

// sqlite3_db_config is variadic and cannot be called from Swift.
static inline int frenchtech_disable_dqs(sqlite3 *db) {
    int rc = sqlite3_db_config(db, SQLITE_DBCONFIG_DQS_DDL, 0, (void *)0);
    if (rc != SQLITE_OK) return rc;
    return sqlite3_db_config(db, SQLITE_DBCONFIG_DQS_DML, 0, (void *)0);
}

// SQLITE_TRANSIENT is a macro casting -1 to a function pointer, which Swift cannot import.
static inline sqlite3_destructor_type frenchtech_transient(void) {
    return SQLITE_TRANSIENT;
}

// sqlite3_config is variadic too. Memory statistics (sqlite3_memory_used), on by default, take a process-wide
// mutex around every allocation SQLite makes; nothing here reads them. Effective only before SQLite initializes.
static inline int frenchtech_disable_memory_statistics(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

// For a heap limit (sqlite3_hard_heap_limit64), which SQLite enforces only with memory statistics on.
static inline int frenchtech_enable_memory_statistics(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 1);
}
