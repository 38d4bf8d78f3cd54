-- wrk script for the slant serve load run (bench/RESULTS.md): POST /v1/analyze
-- with the JSON body in the file named by $BODY.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local f = io.open(os.getenv("BODY"), "r")
wrk.body = f:read("*a")
f:close()
