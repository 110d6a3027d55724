import Logging
import RequestMetrics

extension MetricsPipeline {
    /// The pipeline the settings ask for. Requests are measured into the stats store whenever
    /// metrics, the dashboard or auto-capture is on (the dashboard and the p95 rule read it);
    /// events are exported only with `PROFILING_METRICS` on: always to swift-metrics (whatever
    /// `MetricsSystem` the app bootstrapped), to JSONL files when `PROFILING_METRICS_DIR` is set,
    /// and to standard output with `PROFILING_METRICS_CONSOLE`.
    static func make(for settings: ProfilingSettings, logger: Logger) -> MetricsPipeline {
        let metrics = settings.metrics
        let policy = MetricsPolicy(
            sampleRate: metrics.sampleRate, exclusions: metrics.exclusions, overrides: metrics.overrides,
            alwaysRecordErrors: metrics.alwaysRecordsErrors, random: settings.random.source)
        return MetricsPipeline(
            configuration: MetricsConfiguration(policy: policy), exporters: exporters(for: metrics, logger: logger), logger: logger)
    }

    /// The exporters `metrics` asks for (none with metrics off).
    static func exporters(for metrics: MetricsSettings, logger: Logger) -> [any EventExporter] {
        var exporters: [any EventExporter] = []
        if metrics.isEnabled {
            exporters.append(SwiftMetricsExporter())
            if let directory = metrics.directory {
                // Made even when the folder cannot be written yet: the collector then logs it,
                // lists it as disabled, and tries it again until the folder is fixed.
                exporters.append(JSONLExporter(
                    directory: directory, rotateBytes: metrics.rotateBytes, rotateSeconds: metrics.rotateSeconds,
                    keepFiles: metrics.keepFiles, logger: logger))
            }
            if metrics.printsToConsole { exporters.append(ConsoleExporter()) }
        }
        return exporters
    }
}
