-- wrk script for `make bench`: conversation turns through POST /v1/chat.
-- Each request is one turn of a user walking the prep flow (1,000 users per wrk thread), so most requests
-- commit an answer to the store (a few are re-asks or new preps, which commit as well).
local answers = {
  "prep Anna Berg", "tomorrow 14:00", "An introduction to their CFO", "no",
  "She chairs the CFO network in Karlstad", "yes", "A speaker for her network",
  "Who decides on the pilot budget?",
}
-- Each wrk thread walks users of its own (RAPPORT_BENCH_USERS_PER_THREAD, 1,000 unless told), round
-- robin, each from "prep" through the answers in order; a run (RAPPORT_BENCH_RUN) and a replica (RAPPORT_BENCH_USER_PREFIX) have users of their
-- own, so every run's turns are real answers, not re-asks of a conversation left mid-way (a
-- global step counter had most of a slow run's requests answer the wrong question or none).
local users_per_thread = tonumber(os.getenv("RAPPORT_BENCH_USERS_PER_THREAD") or "1000")
local prefix = (os.getenv("RAPPORT_BENCH_USER_PREFIX") or "u") .. (os.getenv("RAPPORT_BENCH_RUN") or "") .. "t"
local threads = 0

function setup(thread)
  thread:set("index", threads)
  threads = threads + 1
end

function init(args)
  next_user = 0
  steps = {}
end

request = function()
  local user = next_user
  next_user = (next_user + 1) % users_per_thread
  local step = steps[user] or 0
  steps[user] = step + 1
  local body = string.format('{"user":"%s%d-%d","text":"%s"}', prefix, index, user, answers[step % #answers + 1])
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
