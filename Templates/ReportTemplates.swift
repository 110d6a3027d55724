/// The report templates compiled into the binary (filled in by the reports work).
public enum ReportTemplates {}
