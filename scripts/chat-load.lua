-- wrk script for `make bench`: conversation turns through POST /v1/chat.
-- Each request is one turn of one of 2,000 users walking the prep flow, so most requests
-- commit an answer to the store (a few are re-asks or new preps, which commit as well).
local answers = {
  "prep Anna Berg", "tomorrow 14:00", "An introduction to their CFO", "no",
  "She chairs the CFO network in Karlstad", "yes", "A speaker for her network",
  "Who decides on the pilot budget?",
}
local users = 2000
-- Two wrk runs against two replicas walk users of their own.
local prefix = os.getenv("RAPPORT_BENCH_USER_PREFIX") or "u"
local counter = 0

function setup(thread)
  thread:set("offset", counter * 1000003)
  counter = counter + 1
end

function init(args)
  sequence = offset
end

request = function()
  sequence = sequence + 1
  local user = sequence % users
  local step = math.floor(sequence / users) % #answers + 1
  local body = string.format('{"user":"%s%d","text":"%s"}', prefix, user, answers[step])
  return wrk.format("POST", "/v1/chat", {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer bench-token",
  }, body)
end

-- A fixed pace for the latency run: each connection waits this long between its requests.
local pause = tonumber(os.getenv("RAPPORT_BENCH_DELAY_MS") or "0")
if pause > 0 then
  delay = function() return pause end
end
