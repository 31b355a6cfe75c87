-- wrk script: durable single-event publish, the cross-check of bench figure 1 with a public tool.
--   MYELIN_ADMIN_KEY=... wrk -t1 -c16 -d8s -s bench/wrk/publish.lua http://127.0.0.1:PORT/v1/axons/AXON_ID/publish
-- Every request posts the same 128-byte-payload event to the axon in the URL.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. (os.getenv("MYELIN_ADMIN_KEY") or "")
wrk.body = '{"event_type":"bench","origin":"USER_EVENT","source":"wrk","payload":"' .. string.rep("a", 128) .. '"}'

done = function(summary, latency, requests)
  io.write(string.format("events/s %.0f, errors %d (non-2xx %d)\n", summary.requests / (summary.duration / 1e6),
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
end
