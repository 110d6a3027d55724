import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A failed try's error as the exporter logs it: what went wrong, without the request's URL.
///
/// A `URLError` printed whole (`"\(error)"`) shows its `userInfo`, which holds the full URL
/// (`NSErrorFailingURLKey`): the ingest query, and whatever the URL carried. Only its code is
/// kept, with a name for the usual ones. Errors of other transports are printed as they are:
/// they were written to be read, and the request they get carries no credentials.
enum TransportErrorText {
    static func describe(_ error: any Error) -> String {
        if let error = error as? URLError {
            return "URLError \(names[error.code] ?? "code") \(error.code.rawValue)"
        }
        let bridged = error as NSError
        if bridged.domain == NSURLErrorDomain {
            return "URLError \(URLError.Code(rawValue: bridged.code).flatMap { names[$0] } ?? "code") \(bridged.code)"
        }
        return "\(error)"
    }

    private static let names: [URLError.Code: String] = [
        .timedOut: "timedOut",
        .cannotFindHost: "cannotFindHost",
        .cannotConnectToHost: "cannotConnectToHost",
        .networkConnectionLost: "networkConnectionLost",
        .dnsLookupFailed: "dnsLookupFailed",
        .notConnectedToInternet: "notConnectedToInternet",
        .badServerResponse: "badServerResponse",
        .cancelled: "cancelled",
        .secureConnectionFailed: "secureConnectionFailed",
        .serverCertificateUntrusted: "serverCertificateUntrusted",
        .serverCertificateHasBadDate: "serverCertificateHasBadDate",
        .serverCertificateHasUnknownRoot: "serverCertificateHasUnknownRoot",
        .serverCertificateNotYetValid: "serverCertificateNotYetValid",
        .cannotLoadFromNetwork: "cannotLoadFromNetwork",
    ]
}
