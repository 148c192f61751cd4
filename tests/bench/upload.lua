-- upload.lua - wrk script for tests/bench/50-load.sh: every request POSTs
-- the file named by $UPLOAD_FILE as field "file" of a multipart/form-data
-- body; at the end, prints failures (any status but 200) and the latency
-- percentiles in milliseconds on one line that 50-load.sh reads.
local path = os.getenv("UPLOAD_FILE")
local f = assert(io.open(path, "rb"))
local data = f:read("*a")
f:close()
local boundary = "----serload7MA4YWxkTrZu0gW"
wrk.method = "POST"
wrk.headers["Content-Type"] = "multipart/form-data; boundary=" .. boundary
wrk.body = "--" .. boundary .. "\r\n" ..
	"Content-Disposition: form-data; name=\"file\"; filename=\"speech.wav\"\r\n" ..
	"Content-Type: audio/wav\r\n\r\n" .. data .. "\r\n--" .. boundary .. "--\r\n"

local threads = {}
function setup(thread)
	thread:set("failed", 0)
	table.insert(threads, thread)
end

function response(status, headers, body)
	if status ~= 200 then
		failed = failed + 1
	end
end

function done(summary, latency, requests)
	local failed = 0
	for _, t in ipairs(threads) do
		failed = failed + t:get("failed")
	end
	local e = summary.errors
	failed = failed + e.connect + e.read + e.write + e.timeout
	io.write(string.format("ser-load: failed=%d requests=%d p50=%.0fms p90=%.0fms p99=%.0fms max=%.0fms\n",
		failed, summary.requests, latency:percentile(50) / 1000, latency:percentile(90) / 1000,
		latency:percentile(99) / 1000, latency.max / 1000))
end
