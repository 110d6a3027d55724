import ProfileModel

/// A gzipped pprof profile (profile.proto), for `go tool pprof` and Grafana Pyroscope.
///
/// - Sample types: `samples/count`, `wall/nanoseconds` (the default), `cpu/nanoseconds`;
///   period `wall/nanoseconds` = the sampling interval.
/// - One function and one location per frame (frames are per function; the location keeps
///   one address inside it and a line), one mapping per image with the address range seen.
/// - One sample per distinct stack, location ids leaf first as pprof wants.
/// - Comments carry the request line, the exporter and the profile's notes.
///
/// Carries every recorded frame; no `RenderOptions` field applies.
public struct PprofRenderer: ProfileRenderer {
    public var format: ProfileFormat { .pprof }

    public init() {}

    public func render(_ profile: Profile, options: RenderOptions) throws -> RenderedReport {
        RenderedReport(format: .pprof, bytes: try Gzip.compress(Self.encode(profile)))
    }

    /// The uncompressed profile.proto message. Field numbers are profile.proto's.
    static func encode(_ profile: Profile) -> [UInt8] {
        var strings = PprofStringTable()
        var writer = ProtobufWriter()

        let sampleTypes = [("samples", "count"), ("wall", "nanoseconds"), ("cpu", "nanoseconds")]
        for (type, unit) in sampleTypes {
            let typeIndex = strings.index(type), unitIndex = strings.index(unit)
            writer.writeMessage(1) { valueType in
                valueType.write(1, typeIndex)
                valueType.write(2, unitIndex)
            }
        }

        for entry in StackCounts(profile: profile).entries {
            writer.writeMessage(2) { sample in
                sample.writePacked(1, entry.stack.reversed().map { UInt64($0 + 1) })
                sample.writePacked(2, [UInt64(entry.count), entry.wallNanoseconds, entry.cpuNanoseconds])
            }
        }

        let mappings = PprofMappings(frames: profile.frames)
        for (index, mapping) in mappings.mappings.enumerated() {
            let filename = strings.index(mapping.image)
            writer.writeMessage(3) { message in
                message.write(1, UInt64(index + 1))
                message.write(2, mapping.memoryStart)
                message.write(3, mapping.memoryLimit)
                message.write(5, filename)
                message.write(7, true)
                message.write(8, mapping.hasFilenames)
                message.write(9, mapping.hasLineNumbers)
            }
        }

        for (index, frame) in profile.frames.enumerated() {
            let id = UInt64(index + 1)
            let mappingID = mappings.mappingIDs[index]
            writer.writeMessage(4) { location in
                location.write(1, id)
                location.write(2, mappingID)
                location.write(3, frame.address)
                location.writeMessage(4) { line in
                    line.write(1, id)
                    line.write(2, frame.line ?? 0)
                }
            }
        }

        for (index, frame) in profile.frames.enumerated() {
            let name = strings.index(frame.shortName)
            let systemName = strings.index(frame.name)
            let filename = strings.index(frame.file ?? frame.image)
            writer.writeMessage(5) { function in
                function.write(1, UInt64(index + 1))
                function.write(2, name)
                function.write(3, systemName)
                function.write(4, filename)
                function.write(5, frame.line ?? 0)
            }
        }

        let metadata = profile.metadata
        var comments = [ReportSummary.title(of: profile) + (metadata.request?.status.map { " -> \($0)" } ?? "")]
        comments.append("exporter \(ExporterInfo.nameAndVersion)")
        comments += metadata.notes
        let commentIndices = comments.map { UInt64(bitPattern: strings.index($0)) }
        let wallIndex = strings.index("wall")
        let nanosecondsIndex = strings.index("nanoseconds")
        let durationNanoseconds = metadata.durationNanoseconds > 0 ? metadata.durationNanoseconds : profile.totalWallNanoseconds

        for string in strings.strings { writer.write(6, string: string) }
        // A profile built in code may carry any start time: one pprof cannot hold (NaN, past
        // the year 2262) is written as 0, "unknown", rather than trapping the renderer.
        let startNanoseconds = (metadata.startTime * 1e9).rounded()
        writer.write(9, startNanoseconds.isFinite && startNanoseconds.magnitude < 9.2e18 ? Int64(startNanoseconds) : 0)
        writer.write(10, Int64(clamping: durationNanoseconds))
        writer.writeMessage(11) { periodType in
            periodType.write(1, wallIndex)
            periodType.write(2, nanosecondsIndex)
        }
        writer.write(12, Int64(clamping: metadata.intervalNanoseconds))
        writer.writePacked(13, commentIndices)
        writer.write(14, wallIndex)
        return writer.bytes
    }
}
