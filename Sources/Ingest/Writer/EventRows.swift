import Foundation
import Models

/// The events of a round's requests as columns, in arrival order, ready to bind as arrays: the writer inserts a
/// whole round with one statement, whatever the number of requests and projects in it.
struct EventRows {
    /// Each event's project.
    var projects: [UUID] = []
    /// Each event's idempotency key.
    var uuids: [UUID] = []
    /// Each event's name.
    var names: [String] = []
    /// Each event's distinct id.
    var distinctIDs: [String] = []
    /// Each event's (skew-corrected) time.
    var timestamps: [Date] = []
    /// When each event arrived.
    var receivedAts: [Date] = []
    /// Each event's properties as JSON object text.
    var properties: [String] = []

    /// The columns of every event of `batches`, batch after batch.
    init(_ batches: [IngestBatch]) {
        let count = batches.reduce(0) { $0 + $1.events.count }
        projects.reserveCapacity(count)
        uuids.reserveCapacity(count)
        names.reserveCapacity(count)
        distinctIDs.reserveCapacity(count)
        timestamps.reserveCapacity(count)
        receivedAts.reserveCapacity(count)
        properties.reserveCapacity(count)
        for batch in batches {
            let project = batch.project.rawValue
            for event in batch.events {
                projects.append(project)
                uuids.append(event.uuid)
                names.append(event.event)
                distinctIDs.append(event.distinctID)
                timestamps.append(EventTimestamp.storable(event.timestamp))
                receivedAts.append(event.receivedAt)
                properties.append(event.propertiesJSON)
            }
        }
    }

    /// From this instant on (1972-07-01) every time zone's UTC offset is a whole number of minutes, so local days
    /// begin on whole UTC minutes.
    static let wholeMinuteOffsetsSince = Date(timeIntervalSince1970: 78_796_800)

    /// The times of the events before `cutoff`, per project (projects in id order, the order their marks are taken
    /// in), reduced to what decides their local days: each time truncated to its minute, each minute once. A local
    /// day starts on a whole UTC minute (`wholeMinuteOffsetsSince`), so a time and the start of its minute always lie
    /// in the same local day, in every time zone; older times are kept as they are. A backfill round of thousands of
    /// events within an hour marks its days with at most 60 times instead of one per event.
    func lateTimes(before cutoff: Date) -> [(project: UUID, times: [Date])] {
        var minutes: [UUID: Set<Date>] = [:]
        for index in timestamps.indices where timestamps[index] < cutoff {
            let time = timestamps[index]
            let key =
                time < Self.wholeMinuteOffsetsSince
                ? time : Date(timeIntervalSince1970: (time.timeIntervalSince1970 / 60).rounded(.down) * 60)
            minutes[projects[index], default: []].insert(key)
        }
        return minutes.map { (project: $0.key, times: $0.value.sorted()) }
            .sorted { $0.project.uuidString < $1.project.uuidString }
    }
}
