-- wrk script for bench/htsget.sh: rotates GET requests over a fixed set of paths.
--   HTSGET_BENCH_PATH    when set, every request asks for this path (the peer endpoint);
--   otherwise small-window ticket requests for object HTSGET_BENCH_ID (default "big") over 64 regions spread
--   deterministically over chr1..chr3, each HTSGET_BENCH_WINDOW bases long (default 1000).
local fixed = os.getenv("HTSGET_BENCH_PATH")
local id = os.getenv("HTSGET_BENCH_ID") or "big"
local window = tonumber(os.getenv("HTSGET_BENCH_WINDOW") or "1000")
local references = { { "chr1", 248956422 }, { "chr2", 242193529 }, { "chr3", 198295559 } }

local paths = {}
if fixed and fixed ~= "" then
  paths[1] = fixed
else
  local seed = 20261123
  for i = 1, 64 do
    seed = (seed * 16807) % 2147483647 -- Park-Miller: exact in doubles, same regions on every run
    local reference = references[(i % #references) + 1]
    local start = 1000000 + seed % (reference[2] - 2000000)
    paths[i] = string.format("/htsget/reads/%s?referenceName=%s&start=%d&end=%d", id, reference[1], start, start + window)
  end
end

-- Formatted in init, after wrk has set the Host header (absent while this file's top level runs).
local requests = {}
init = function(args)
  for i, path in ipairs(paths) do
    requests[i] = wrk.format("GET", path)
  end
end

local counter = 0
request = function()
  counter = counter + 1
  return requests[(counter % #requests) + 1]
end
