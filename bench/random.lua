-- wrk request generator: a random module (and version) of the seeded catalogue per request.
-- BENCH_KIND = discovery | versions | download; BENCH_TOKEN = a read token.
math.randomseed(os.time())
local token = os.getenv("BENCH_TOKEN") or ""
local kind = os.getenv("BENCH_KIND") or "versions"
local modules = tonumber(os.getenv("BENCH_MODULES") or "10000")
local versions = tonumber(os.getenv("BENCH_VERSIONS") or "10")
local headers = { ["Authorization"] = "Bearer " .. token }

request = function()
  local i = math.random(0, modules - 1)
  local path
  if kind == "versions" then
    path = string.format("/v1/modules/bench%d/module-%06d/aws/versions", i % 50, i)
  elseif kind == "download" then
    path = string.format("/v1/modules/bench%d/module-%06d/aws/1.%d.0/download", i % 50, i,
      math.random(0, versions - 1))
  else
    path = "/.well-known/terraform.json"
  end
  return wrk.format("GET", path, headers)
end
