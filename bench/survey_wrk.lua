-- The survey benchmark's load driver in wrk (bench/surveys.py, --driver wrk): the same requests
-- as bench/survey_driver.py, from a compiled load generator that takes far less of the two cores.
--
--   wrk -t2 -c48 -d60s --timeout 10s -s bench/survey_wrk.lua http://127.0.0.1:8180 -- SETUP NONCE PER_THREAD [warmup]
--
-- SETUP is a text file written by bench/surveys.py: the last screen's step on the first line,
-- the scale questions as "name:steps" separated by spaces on the second, then one answer path
-- a line. Each request is one complete submission of the last screen (every scale answer, a
-- random step each) to a random link, with a submit key that is unique in the run: NONCE (16
-- characters, fresh per run), the thread and a counter. PER_THREAD bounds the submissions
-- (each thread stops after so many answers). A warm-up run ("warmup") sends the links in turn
-- instead of at random, so that every server process soon has met (and cached) every link. A 302 is an acknowledged submission, any other status an
-- error; done() prints one JSON line (acknowledged, errors by status, latency percentiles).

local threads = {}
local counter = 0

function setup(thread)
   thread:set("id", #threads + 1)
   table.insert(threads, thread)
end

local function read_setup(name)
   local file = assert(io.open(name, "r"))
   local step = file:read("*l")
   local fields = {}
   for name, steps in string.gmatch(file:read("*l"), "(%S+):(%d+)") do
      table.insert(fields, { name, tonumber(steps) })
   end
   local paths = {}
   for line in file:lines() do
      if #line > 0 then
         table.insert(paths, line)
      end
   end
   file:close()
   return step, fields, paths
end

function init(args)
   step, fields, paths = read_setup(args[1])
   nonce = args[2]
   limit = tonumber(args[3])
   warmup = args[4] == "warmup"
   math.randomseed(id * 7919 + os.time())
   acknowledged, errors, statuses = 0, 0, {}
   answered = 0
   prefix = "key=" .. nonce .. string.format("%02d", id) .. "-"
   suffix = "&step=" .. step .. "&go=send"
end

function request()
   counter = counter + 1
   local parts = { prefix, string.format("%09d", counter), suffix }
   for i = 1, #fields do
      local f = fields[i]
      parts[#parts + 1] = "&" .. f[1] .. "=" .. math.random(1, f[2])
   end
   local body = table.concat(parts)
   local path
   if warmup then
      path = paths[(counter + id * 7) % #paths + 1] -- every link in turn: each worker meets each
   else
      path = paths[math.random(1, #paths)]
   end
   return wrk.format("POST", path, { ["Content-Type"] = "application/x-www-form-urlencoded" }, body)
end

function response(status, headers, body)
   if status == 302 then
      acknowledged = acknowledged + 1
   else
      errors = errors + 1
      local key = tostring(status)
      statuses[key] = (statuses[key] or 0) + 1
   end
   answered = answered + 1
   if answered >= limit then
      wrk.thread:stop()
   end
end

function done(summary, latency, requests)
   local acked, errs, by_status = 0, 0, {}
   for _, thread in ipairs(threads) do
      acked = acked + thread:get("acknowledged")
      errs = errs + thread:get("errors")
      for key, n in pairs(thread:get("statuses")) do
         by_status[key] = (by_status[key] or 0) + n
      end
   end
   local e = summary.errors
   local socket_errors = e.connect + e.read + e.write + e.timeout
   local parts = {}
   for key, n in pairs(by_status) do
      parts[#parts + 1] = string.format('"%s": %d', key, n)
   end
   io.write(string.format(
      '{"acknowledged": %d, "errors": %d, "socket_errors": {"connect": %d, "read": %d, "write": %d, "timeout": %d},'
         .. ' "statuses": {%s}, "seconds": %.3f, "p50": %.6f, "p95": %.6f, "p99": %.6f}\n',
      acked, errs + socket_errors, e.connect, e.read, e.write, e.timeout, table.concat(parts, ", "),
      summary.duration / 1e6, latency:percentile(50) / 1e6, latency:percentile(95) / 1e6,
      latency:percentile(99) / 1e6
   ))
end
