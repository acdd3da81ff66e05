-- wrk script for POST /verify: the JSON body is read once from the file
-- named by VERIFY_BODY.
local file = assert(io.open(os.getenv("VERIFY_BODY"), "rb"))
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = file:read("*a")
file:close()
