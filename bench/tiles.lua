-- wrk script of `scripts/bench tiles`: every connection's requests cycle through the tile list.
--   TILE_LIST=build/bench/tiles.txt wrk -t2 -c32 -d10s --latency -s bench/tiles.lua http://127.0.0.1:PORT
-- The list has one tile a line, "z x y"; requests go to /tiles/default/z/x/y.mvt (TILE_PREFIX changes
-- "/tiles/default"). Each thread starts at a different place of the list.

local list = os.getenv("TILE_LIST") or "build/bench/tiles.txt"
local prefix = os.getenv("TILE_PREFIX") or "/tiles/default"

local paths = {}
for line in io.lines(list) do
   local z, x, y = line:match("^(%d+)%s+(%d+)%s+(%d+)")
   if z then paths[#paths + 1] = prefix .. "/" .. z .. "/" .. x .. "/" .. y .. ".mvt" end
end
assert(#paths > 0, "no tiles in " .. list)

local threads = 0
function setup(thread)
   thread:set("thread_index", threads)
   threads = threads + 1
end

local next_tile = 0
function init(args)
   -- thread_index is set by setup() in this thread's own Lua state before init runs.
   next_tile = ((tonumber(thread_index) or 0) * 7919) % #paths
end

function request()
   next_tile = next_tile % #paths + 1
   return wrk.format("GET", paths[next_tile])
end
