-- wrk script for the ingestion benchmark (bench/wrk/run.py): every request POSTs a JSON array of 100 native events
-- with fresh random uuids, from 37 users, four properties each, to /v1/events.
-- Arguments (after `--`): TOKEN MODE [BATCH]. MODE `live`: timestamps within the last minute; `backfill`: two weeks
-- old (within one hour of now - 14 days), as a backfill or a mobile SDK flushing late sends them.
-- IV_WRK_RATE (requests a second for each wrk thread, in the environment: wrk decides whether the script has a delay()
-- before init() runs) paces the threads: requests start on a fixed schedule, each on whichever of the thread's
-- connections is free, instead of as soon as the previous answer came back; wrk's latency counts from the send.

local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } iv_timespec;
int clock_gettime(int clock, iv_timespec *now);
]]
local clock = ffi.new("iv_timespec")

local function now_ms()
    ffi.C.clock_gettime(1, clock) -- CLOCK_MONOTONIC
    return tonumber(clock.tv_sec) * 1000 + tonumber(clock.tv_nsec) / 1e6
end

local token, mode, batch, next_start
local rate = tonumber(os.getenv("IV_WRK_RATE") or "0")
local interval = rate > 0 and 1000 / rate or nil
local events = {"$pageview", "signed_up", "purchase", "clicked_button"}
local countries = {"US", "DE", "NL", "FR", "GB", "BR", "IN"}
local plans = {"free", "pro", "team"}
local paths = {"/", "/pricing", "/docs", "/blog", "/signup", "/checkout"}
local responses, failures = 0, 0

local function uuid4()
    return string.format("%08x-%04x-4%03x-%04x-%04x%08x",
        math.random(0, 0xffffffff), math.random(0, 0xffff), math.random(0, 0xfff),
        0x8000 + math.random(0, 0x3fff), math.random(0, 0xffff), math.random(0, 0xffffffff))
end

local function iso(seconds, millis)
    return os.date("!%Y-%m-%dT%H:%M:%S", seconds) .. string.format(".%03dZ", millis)
end

function init(args)
    token = args[1]
    mode = args[2] or "live"
    batch = tonumber(args[3] or "100")
    -- Each thread seeds from its own address and the time, so threads never repeat each other's uuids.
    math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)"), 16) % 1000003)
    wrk.method = "POST"
    wrk.path = "/v1/events"
    wrk.headers["Content-Type"] = "application/json"
    wrk.headers["Authorization"] = "Bearer " .. token
end

function request()
    local now = os.time()
    local base = mode == "backfill" and now - 14 * 86400 - 3600 or now - 60
    local parts = {}
    for i = 1, batch do
        local user = math.random(1, 37)
        parts[i] = string.format(
            '{"event":"%s","user_id":"user-%d","timestamp":"%s","uuid":"%s","properties":' ..
            '{"country":"%s","plan":"%s","path":"%s","amount":%d}}',
            events[math.random(1, #events)], user, iso(base + math.random(0, mode == "backfill" and 3599 or 59), math.random(0, 999)), uuid4(),
            countries[math.random(1, #countries)], plans[math.random(1, #plans)], paths[math.random(1, #paths)],
            math.random(1, 500))
    end
    return wrk.format(nil, nil, nil, "[" .. table.concat(parts, ",") .. "]")
end

-- wrk calls delay() before each request when the script defines it; unpaced runs leave it undefined.
local function pace()
    local now = now_ms()
    if next_start == nil then next_start = now end
    local wait = next_start - now
    next_start = next_start + interval
    if wait < 0 then
        -- Behind schedule (every connection was busy): start now; the schedule does not bunch up the missed starts.
        if wait < -interval then next_start = now + interval end
        return 0
    end
    return math.floor(wait)
end

if interval then delay = pace end

function response(status, headers, body)
    responses = responses + 1
    if status ~= 200 then failures = failures + 1 end
end

function done(summary, latency, requests)
    -- Per-thread counters are not visible here; the driver counts stored rows instead. Errors come from wrk itself.
    io.write(string.format("WRK_RESULT requests=%d duration_us=%d non2xx=%d errors_connect=%d errors_read=%d " ..
        "errors_write=%d errors_timeout=%d p50_us=%d p99_us=%d p999_us=%d max_us=%d\n",
        summary.requests, summary.duration, summary.errors.status, summary.errors.connect, summary.errors.read,
        summary.errors.write, summary.errors.timeout, latency:percentile(50), latency:percentile(99),
        latency:percentile(99.9), latency.max))
end
