-- wrk script for scripts/loadtest.sh: each wrk thread sends PLAIN plain requests and PROFILED
-- profiled ones (0.1 ms interval, rotating through every format), spread over the demo routes,
-- then stops by itself. Every response is checked: a non-2xx status is a failure, and a
-- profiled response must be a report of its format (told by Content-Disposition's extension).
--
--   wrk -t T -c C -d LIMIT -s loadtest.lua URL -- PLAIN PROFILED [DONE_PREFIX]   (counts per thread)
--
-- wrk.thread:stop() stops a thread's requests, but wrk itself still runs until LIMIT; so a
-- thread that is done also creates the file DONE_PREFIX<n>, and loadtest.sh interrupts wrk
-- (SIGINT: it then reports as usual) once every thread has one.

-- Plain requests rotate through the cheap routes; every 100th goes to /db, whose SQL query runs
-- on one connection (tens of ms each) and would otherwise set the pace of the whole run.
local routes = { "/", "/cpu?n=2000", "/json?count=20", "/sleep?ms=1" }
local profiled_routes = { "/cpu?n=20000", "/json?count=200", "/db?q=item-1", "/sleep?ms=2" }
local formats = { "html", "text", "json", "speedscope", "collapsed", "pprof" }

local threads = {}

function setup(thread)
    table.insert(threads, thread)
    thread:set("thread_number", #threads)
end

function init(args)
    plain_quota = tonumber(args[1])
    profiled_quota = tonumber(args[2])
    done_prefix = args[3]
    sent, plain_sent, profiled_sent = 0, 0, 0
    plain_ok, profiled_ok, failures, invalid = 0, 0, 0, 0
    first_failure = ""
    -- Profile every (plain_quota / profiled_quota)-th request, so the profiled ones are spread
    -- through the run rather than bunched at its start or end.
    every = math.max(1, math.floor((plain_quota + profiled_quota) / math.max(profiled_quota, 1)))
    per_format = {}
    for _, format in ipairs(formats) do per_format[format] = 0 end
end

function request()
    sent = sent + 1
    if profiled_sent < profiled_quota and (sent % every == 0 or plain_sent >= plain_quota) then
        profiled_sent = profiled_sent + 1
        local route = profiled_routes[(profiled_sent % #profiled_routes) + 1]
        local format = formats[(math.floor(profiled_sent / #profiled_routes) % #formats) + 1]
        local separator = route:find("?", 1, true) and "&" or "?"
        return wrk.format("GET", route .. separator .. "profile=1&profile_interval=0.1ms&profile_format=" .. format)
    end
    plain_sent = plain_sent + 1
    if plain_sent % 100 == 0 then return wrk.format("GET", "/db?q=item-1") end
    return wrk.format("GET", routes[(plain_sent % #routes) + 1])
end

local function header(headers, name)
    for key, value in pairs(headers) do
        if key:lower() == name then return value end
    end
    return nil
end

-- The format a report's file name names (see ProfileFormat.fileExtension).
local function format_of(disposition)
    local name = disposition:match('filename="([^"]+)"') or ""
    if name:match("%.speedscope%.json$") then return "speedscope" end
    if name:match("%.collapsed%.txt$") then return "collapsed" end
    if name:match("%.pb%.gz$") then return "pprof" end
    if name:match("%.html$") then return "html" end
    if name:match("%.json$") then return "json" end
    if name:match("%.txt$") then return "text" end
    return nil
end

-- `samples`: the response's X-Profile-Samples; a request shorter than the interval may have
-- none, and its collapsed stacks are then empty.
local function looks_valid(format, body, samples)
    if format == "html" then
        return body:sub(1, 15):lower() == "<!doctype html>" and body:find('id="profile-data"', 1, true) ~= nil
            and body:find("</html>", 1, true) ~= nil
    elseif format == "json" then
        return body:sub(1, 1) == "{" and body:find("swift-request-profiler.report", 1, true) ~= nil
    elseif format == "speedscope" then
        return body:sub(1, 1) == "{" and body:find("speedscope.app/file-format-schema.json", 1, true) ~= nil
    elseif format == "text" then
        return body:find("GET", 1, true) ~= nil
    elseif format == "collapsed" then
        if #body == 0 then return samples == "0" end
        for line in body:gmatch("[^\n]+") do
            if not line:match("^.+ %d+$") then return false end
        end
        return true
    elseif format == "pprof" then
        return body:byte(1) == 0x1f and body:byte(2) == 0x8b
    end
    return false
end

local function fail(reason)
    failures = failures + 1
    if first_failure == "" then first_failure = reason end
end

function response(status, headers, body)
    if status < 200 or status > 299 then
        fail("HTTP " .. status)
    else
        local disposition = header(headers, "content-disposition")
        if disposition then
            local format = format_of(disposition)
            if format and looks_valid(format, body, header(headers, "x-profile-samples")) then
                profiled_ok = profiled_ok + 1
                per_format[format] = per_format[format] + 1
            else
                invalid = invalid + 1
                fail("invalid " .. tostring(format) .. " report (" .. #body .. " bytes)")
            end
        elseif header(headers, "x-profile-skipped") then
            fail("profiling skipped: " .. header(headers, "x-profile-skipped"))
        else
            plain_ok = plain_ok + 1
        end
    end
    -- A failed response (non-2xx such as a 429, skipped, invalid) counts as a profiled one: a
    -- failed profiled request is not sent again, so otherwise the thread would never be done and
    -- wrk would run to its time limit. Any failure fails the run, whatever the counts.
    if plain_ok >= plain_quota and profiled_ok + failures >= profiled_quota then
        if done_prefix then
            local marker = io.open(done_prefix .. thread_number, "w")
            if marker then marker:close() end
        end
        wrk.thread:stop()
    end
end

function done(summary, latency, requests)
    local totals = { plain = 0, profiled = 0, failures = 0, invalid = 0 }
    local by_format = {}
    local first = ""
    for _, thread in ipairs(threads) do
        totals.plain = totals.plain + thread:get("plain_ok")
        totals.profiled = totals.profiled + thread:get("profiled_ok")
        totals.failures = totals.failures + thread:get("failures")
        totals.invalid = totals.invalid + thread:get("invalid")
        local counts = thread:get("per_format")
        for _, format in ipairs(formats) do by_format[format] = (by_format[format] or 0) + counts[format] end
        if first == "" then first = thread:get("first_failure") end
    end
    local errors = summary.errors
    local socket_errors = errors.connect + errors.read + errors.write + errors.timeout
    local parts = {}
    for _, format in ipairs(formats) do table.insert(parts, format .. "=" .. by_format[format]) end
    io.write(string.format(
        "LOADTEST plain_ok=%d profiled_ok=%d failures=%d invalid=%d socket_errors=%d seconds=%.1f p99_ms=%.1f\n",
        totals.plain, totals.profiled, totals.failures, totals.invalid, socket_errors,
        summary.duration / 1e6, latency:percentile(99) / 1000))
    io.write("LOADTEST_FORMATS " .. table.concat(parts, " ") .. "\n")
    if first ~= "" then io.write("LOADTEST_FIRST_FAILURE " .. first .. "\n") end
end
