#if Vapor
import RequestProfilerHTTP
#endif
