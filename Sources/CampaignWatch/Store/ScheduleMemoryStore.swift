import CampaignWatchCore
import Foundation
import GRDB

extension StateStore {
    /// Saves what the scheduler must not forget across a restart (failures, due time, post rate).
    public func saveScheduleMemories(_ memories: [(key: String, memory: AccountScheduleMemory)]) throws(StoreError) {
        let encoder = JSONEncoder()
        try write { db in
            let statement = try db.cachedStatement(sql: "UPDATE account SET schedule_memory = ?, next_poll_at = ? WHERE key = ?")
            for (key, memory) in memories {
                let json = String(decoding: try encoder.encode(memory), as: UTF8.self)
                try statement.execute(arguments: [json, memory.nextPoll?.timeIntervalSince1970, key])
            }
        }
    }

    /// The saved memories of the configured accounts.
    public func scheduleMemories() throws(StoreError) -> [String: AccountScheduleMemory] {
        try read { db in
            let decoder = JSONDecoder()
            var result: [String: AccountScheduleMemory] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT key, schedule_memory FROM account WHERE removed_at IS NULL AND schedule_memory IS NOT NULL") {
                let text: String = row[1]
                if let memory = try? decoder.decode(AccountScheduleMemory.self, from: Data(text.utf8)) {
                    result[row[0]] = memory
                }
            }
            return result
        }
    }
}
