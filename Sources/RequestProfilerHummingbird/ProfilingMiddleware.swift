#if Hummingbird
import RequestProfilerHTTP
#endif
